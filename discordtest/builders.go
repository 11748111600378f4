package discordtest

import (
	"encoding/json"
	"fmt"
)

// Interaction types, as in INTERACTION_CREATE's "type".
const (
	TypeApplicationCommand = 2
	TypeComponent          = 3
	TypeAutocomplete       = 4
	TypeModalSubmit        = 5
)

// InteractionSpec describes an interaction to inject; build one with SlashCommand,
// Autocomplete, ComponentClick or RawInteraction.
type InteractionSpec struct {
	typ            int
	name           string // command name, for types 2 and 4
	customID       string // for components
	componentType  int
	values         []string
	options        []any
	attachments    map[string]any // resolved attachment objects by id
	dm             bool
	channelID      string
	permissions    int64
	appPermissions int64
	user           *User
	locale         string
	messageID      string // the message a component is on
	raw            json.RawMessage
}

// InteractionOption adjusts an InteractionSpec.
type InteractionOption func(*InteractionSpec)

// Default permissions: a member with the usual @everyone permissions, and a bot that may
// send messages, embed links and attach files.
const (
	DefaultMemberPermissions int64 = 2248473465835073
	DefaultAppPermissions    int64 = 2248473465835073
)

func newSpec(typ int, opts []InteractionOption) *InteractionSpec {
	sp := &InteractionSpec{typ: typ, permissions: DefaultMemberPermissions, appPermissions: DefaultAppPermissions, locale: "en-US"}
	for _, o := range opts {
		o(sp)
	}
	return sp
}

// SlashCommand is a chat-input command invocation. The command must be registered with the
// fake (in the guild, or globally) before it is injected, as Discord only sends registered ones.
func SlashCommand(name string, opts ...InteractionOption) *InteractionSpec {
	sp := newSpec(TypeApplicationCommand, opts)
	sp.name = name
	return sp
}

// Autocomplete is an autocomplete request while the user types an option of command name;
// mark the option being typed with Focused.
func Autocomplete(name string, opts ...InteractionOption) *InteractionSpec {
	sp := newSpec(TypeAutocomplete, opts)
	sp.name = name
	return sp
}

// ComponentClick is a click on a button with customID; OnMessage says which message it is on.
func ComponentClick(customID string, opts ...InteractionOption) *InteractionSpec {
	sp := newSpec(TypeComponent, opts)
	sp.customID = customID
	if sp.componentType == 0 {
		sp.componentType = 2
	}
	return sp
}

// RawInteraction injects payload as the INTERACTION_CREATE data, after setting its id, token,
// application_id and version, which the fake owns.
func RawInteraction(payload json.RawMessage) *InteractionSpec {
	var head struct {
		Type int `json:"type"`
	}
	_ = json.Unmarshal(payload, &head) // A bad payload is the test's own bug; discordgo will say so.
	return &InteractionSpec{typ: head.Type, raw: payload}
}

// InDM makes the interaction happen in the bot's DM with the user: "user" instead of "member".
func InDM() InteractionOption { return func(sp *InteractionSpec) { sp.dm = true } }

// InChannel makes the interaction happen in another channel of the guild.
func InChannel(id string) InteractionOption { return func(sp *InteractionSpec) { sp.channelID = id } }

// WithPermissions sets the invoking member's permissions in the channel.
func WithPermissions(p int64) InteractionOption {
	return func(sp *InteractionSpec) { sp.permissions = p }
}

// WithAppPermissions sets the bot's permissions in the channel (app_permissions).
func WithAppPermissions(p int64) InteractionOption {
	return func(sp *InteractionSpec) { sp.appPermissions = p }
}

// WithUser makes u the invoking user.
func WithUser(u User) InteractionOption { return func(sp *InteractionSpec) { sp.user = &u } }

// WithLocale sets the user's locale, such as "fr".
func WithLocale(l string) InteractionOption { return func(sp *InteractionSpec) { sp.locale = l } }

// WithOption adds a command option with a value: a string, an int or int64, a bool or a float64.
func WithOption(name string, value any) InteractionOption {
	return func(sp *InteractionSpec) {
		sp.options = append(sp.options, map[string]any{"name": name, "type": optionType(value), "value": value})
	}
}

// Focused adds the option the user is typing in an Autocomplete, with its partial value.
func Focused(name string, value any) InteractionOption {
	return func(sp *InteractionSpec) {
		sp.options = append(sp.options, map[string]any{"name": name, "type": optionType(value), "value": value, "focused": true})
	}
}

// Subcommand adds a subcommand option holding the options that opts add.
func Subcommand(name string, opts ...InteractionOption) InteractionOption {
	return func(sp *InteractionSpec) {
		inner := &InteractionSpec{}
		for _, o := range opts {
			o(inner)
		}
		sp.options = append(sp.options, map[string]any{"name": name, "type": 1, "options": inner.options})
		for id, a := range inner.attachments {
			sp.resolve(id, a)
		}
	}
}

// WithAttachment adds an attachment option (type 11) whose value is a's id, and a in the
// interaction's resolved attachments, as Discord sends a file a member attached. a usually
// comes from Server.AddAttachment.
func WithAttachment(option string, a Attachment) InteractionOption {
	return WithAttachmentURL(option, a, a.URL)
}

// WithAttachmentURL is WithAttachment with another url (and proxy_url) in the resolved
// attachment, to check that the bot refuses to fetch from hosts other than Discord's.
func WithAttachmentURL(option string, a Attachment, url string) InteractionOption {
	return func(sp *InteractionSpec) {
		sp.options = append(sp.options, map[string]any{"name": option, "type": 11, "value": a.ID})
		obj := a.apiJSON()
		obj["url"], obj["proxy_url"], obj["ephemeral"] = url, url, true
		sp.resolve(a.ID, obj)
	}
}

// resolve adds an attachment object to the interaction's resolved data.
func (sp *InteractionSpec) resolve(id string, a any) {
	if sp.attachments == nil {
		sp.attachments = map[string]any{}
	}
	sp.attachments[id] = a
}

// OnMessage says which stored message a clicked component is on.
func OnMessage(id string) InteractionOption { return func(sp *InteractionSpec) { sp.messageID = id } }

// WithValues makes a component click a string select with the chosen values.
func WithValues(values ...string) InteractionOption {
	return func(sp *InteractionSpec) { sp.componentType, sp.values = 3, values }
}

// optionType is the application command option type for a Go value.
func optionType(v any) int {
	switch v.(type) {
	case string:
		return 3
	case int, int64:
		return 4
	case bool:
		return 5
	case float64:
		return 10
	default:
		panic(fmt.Sprintf("discordtest: no option type for %T", v))
	}
}
