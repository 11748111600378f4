package discordtest

import (
	"encoding/json"
	"net/http"
)

// Command is an application command registered with the fake.
type Command struct {
	ID      string
	Name    string
	Type    int64
	GuildID string // empty for a global command
	// JSON is the command object as Discord returns it.
	JSON json.RawMessage
}

// command is a stored command: the fields the bot sent (without nulls) and the ones Discord adds.
type command struct {
	id, version, guildID string
	fields               map[string]any
}

func (cmd *command) name() string { n, _ := str(cmd.fields["name"]); return n }
func (cmd *command) typ() int64   { return intOf(cmd.fields["type"], 1) }

// apiJSON is the application command object Discord returns.
func (cmd *command) apiJSON(appID string) map[string]any {
	out := map[string]any{
		"type": json.Number("1"), "description": "", "name_localizations": nil,
		"description_localizations": nil, "default_member_permissions": nil, "nsfw": false,
		"contexts": nil, "integration_types": []any{json.Number("0")},
	}
	for k, v := range cmd.fields {
		out[k] = v
	}
	if p, ok := out["default_member_permissions"].(json.Number); ok {
		out["default_member_permissions"] = p.String()
	}
	out["id"], out["application_id"], out["version"] = cmd.id, appID, cmd.version
	if cmd.guildID != "" {
		out["guild_id"] = cmd.guildID
	} else if _, ok := out["dm_permission"]; !ok {
		out["dm_permission"] = true
	}
	return out
}

// Commands returns the commands registered for guildID, or the global ones for "".
func (s *Server) Commands(guildID string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Command
	for _, cmd := range s.commands[guildID] {
		b, _ := json.Marshal(cmd.apiJSON(s.AppID)) // Decoded JSON always marshals.
		out = append(out, Command{ID: cmd.id, Name: cmd.name(), Type: cmd.typ(), GuildID: cmd.guildID, JSON: b})
	}
	return out
}

// findCommand returns the command an interaction named name uses: a guild command of guildID
// or, failing that, a global one. The caller holds s.mu.
func (s *Server) findCommand(guildID, name string, typ int64) *command {
	scopes := []string{""}
	if guildID != "" {
		scopes = []string{guildID, ""}
	}
	for _, scope := range scopes {
		for _, cmd := range s.commands[scope] {
			if cmd.name() == name && cmd.typ() == typ {
				return cmd
			}
		}
	}
	return nil
}

// availableIn reports whether Discord offers the command in a DM with the
// bot (dm) or in a guild, from its contexts (0 guild, 1 bot DM; absent:
// both) and the older dm_permission.
func (c *command) availableIn(dm bool) bool {
	if dm {
		if allowed, ok := c.fields["dm_permission"].(bool); ok && !allowed {
			return false
		}
	}
	contexts, ok := c.fields["contexts"].([]any)
	if !ok {
		return true
	}
	want := int64(0)
	if dm {
		want = 1
	}
	for _, v := range contexts {
		if intOf(v, -1) == want {
			return true
		}
	}
	return false
}

// commandScope checks the application and guild of a command route and returns the scope.
func (s *Server) commandScope(c *call) (string, bool) {
	guild := c.params["guild_id"]
	if c.params["application_id"] != s.AppID || (guild != "" && guild != s.GuildID) {
		s.refuse(c.w, c.route, http.StatusForbidden, 50001, "Missing Access", nil)
		return "", false
	}
	return guild, true
}

// newCommand stores fields as a new command of scope. The caller holds s.mu.
func (s *Server) newCommand(scope string, fields map[string]any) *command {
	return &command{id: s.ids.next(), version: s.ids.next(), guildID: scope, fields: stripNulls(fields)}
}

func (s *Server) listCommands(c *call) {
	scope, ok := s.commandScope(c)
	if !ok {
		return
	}
	s.mu.Lock()
	out := []any{}
	for _, cmd := range s.commands[scope] {
		out = append(out, cmd.apiJSON(s.AppID))
	}
	s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, out)
}

// putCommands replaces the scope's commands; a command whose name and type were already
// registered keeps its id, as on Discord.
func (s *Server) putCommands(c *call) {
	scope, ok := s.commandScope(c)
	if !ok {
		return
	}
	s.mu.Lock()
	old := s.commands[scope]
	var next []*command
	out := []any{}
	for _, v := range arr(c.body) {
		fields := obj(v)
		cmd := s.newCommand(scope, fields)
		for _, o := range old {
			if o.name() == cmd.name() && o.typ() == cmd.typ() {
				cmd.id = o.id
			}
		}
		next = append(next, cmd)
		out = append(out, cmd.apiJSON(s.AppID))
	}
	s.commands[scope] = next
	s.mu.Unlock()
	s.changed.broadcast()
	writeJSON(c.w, http.StatusOK, out)
}

// postCommand creates a command, or overwrites the one with the same name and type.
func (s *Server) postCommand(c *call) {
	scope, ok := s.commandScope(c)
	if !ok {
		return
	}
	s.mu.Lock()
	cmd := s.newCommand(scope, obj(c.body))
	status := http.StatusCreated
	list := s.commands[scope]
	replaced := false
	for i, o := range list {
		if o.name() == cmd.name() && o.typ() == cmd.typ() {
			cmd.id, list[i], replaced, status = o.id, cmd, true, http.StatusOK
		}
	}
	if !replaced {
		s.commands[scope] = append(list, cmd)
	}
	out := cmd.apiJSON(s.AppID)
	s.mu.Unlock()
	s.changed.broadcast()
	writeJSON(c.w, status, out)
}

// lookupCommand finds the command of the route, answering 404 10063 if there is none.
// On success it returns with s.mu held.
func (s *Server) lookupCommand(c *call) (string, int, bool) {
	scope, ok := s.commandScope(c)
	if !ok {
		return "", 0, false
	}
	s.mu.Lock()
	for i, cmd := range s.commands[scope] {
		if cmd.id == c.params["command_id"] {
			return scope, i, true
		}
	}
	s.mu.Unlock()
	s.refuse(c.w, c.route, http.StatusNotFound, 10063, "Unknown application command", nil)
	return "", 0, false
}

func (s *Server) getCommand(c *call) {
	scope, i, ok := s.lookupCommand(c)
	if !ok {
		return
	}
	out := s.commands[scope][i].apiJSON(s.AppID)
	s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, out)
}

func (s *Server) patchCommand(c *call) {
	scope, i, ok := s.lookupCommand(c)
	if !ok {
		return
	}
	cmd := s.commands[scope][i]
	fields := map[string]any{}
	for k, v := range cmd.fields {
		fields[k] = v
	}
	for k, v := range obj(c.body) {
		fields[k] = v
	}
	cmd.fields = stripNulls(fields)
	cmd.version = s.ids.next()
	out := cmd.apiJSON(s.AppID)
	s.mu.Unlock()
	s.changed.broadcast()
	writeJSON(c.w, http.StatusOK, out)
}

func (s *Server) deleteCommand(c *call) {
	scope, i, ok := s.lookupCommand(c)
	if !ok {
		return
	}
	list := s.commands[scope]
	s.commands[scope] = append(list[:i:i], list[i+1:]...)
	s.mu.Unlock()
	s.changed.broadcast()
	c.w.WriteHeader(http.StatusNoContent)
}
