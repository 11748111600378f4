package discordtest

import (
	"fmt"
	"strconv"
)

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

// optionAttachment is the option type of a file the member attaches.
const optionAttachment = 11

// checkAttachmentOption refuses the fields of other option types on an attachment option,
// which has only a name, a description (both localizable) and required. The OpenAPI
// description lists only those but does not forbid others. Empty values, which discordgo
// sends for every option ("choices": null, "autocomplete": false), are no fields at all.
func checkAttachmentOption(f *formErrors, path []string, opt map[string]any) {
	for k, v := range opt {
		switch k {
		case "type", "name", "name_localizations", "description", "description_localizations", "required":
			continue
		}
		if v == nil || v == false || (arr(v) != nil && len(arr(v)) == 0) {
			continue
		}
		f.add(with(path, k), "APPLICATION_COMMAND_OPTION_FIELD_INVALID", fmt.Sprintf("%s is not allowed on an attachment option", k))
	}
}
