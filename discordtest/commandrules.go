package discordtest

import "strconv"

// stripNulls drops null members of objects at any depth, as Discord leaves them out of
// the commands it returns.
func stripNulls(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		switch t := v.(type) {
		case nil:
		case map[string]any:
			out[k] = stripNulls(t)
		case []any:
			list := make([]any, 0, len(t))
			for _, e := range t {
				if em, ok := e.(map[string]any); ok {
					e = stripNulls(em)
				}
				list = append(list, e)
			}
			out[k] = list
		default:
			out[k] = v
		}
	}
	return out
}

func normaliseCommands(body any) {
	for _, v := range arr(body) {
		normaliseCommand(obj(v))
	}
}

func normaliseOne(body any) { normaliseCommand(obj(body)) }

// commandListRules checks every command of a bulk overwrite and that names are unique.
func commandListRules(_ *Server, c *call, f *formErrors) {
	seen := map[string]bool{}
	for i, v := range arr(c.body) {
		cmd := obj(v)
		if cmd == nil {
			continue
		}
		path := []string{strconv.Itoa(i)}
		checkCommand(f, path, cmd, false)
		name, _ := str(cmd["name"])
		key := strconv.FormatInt(intOf(cmd["type"], 1), 10) + "/" + name
		if seen[key] {
			f.add(with(path, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
		}
		seen[key] = true
	}
}

// commandRules checks a single command; partial is true for PATCH, which may omit fields.
func commandRules(partial bool) func(*Server, *call, *formErrors) {
	return func(_ *Server, c *call, f *formErrors) {
		if cmd := obj(c.body); cmd != nil {
			checkCommand(f, nil, cmd, partial)
		}
	}
}
