package discordtest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits Discord enforces that its OpenAPI description does not state, or states loosely.
const (
	maxContent       = 2000
	maxFiles         = 10
	maxCustomID      = 100
	maxChoices       = 25
	maxOptions       = 25
	maxDescription   = 100
	maxChoiceName    = 100
	maxModalTitle    = 45
	messageFlagEphem = 1 << 6
)

// commandName is Discord's rule for chat-input command and option names, written for Go's regexp.
var commandName = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

// obj and arr read decoded JSON without panicking on unexpected shapes, which the OpenAPI
// validation reports on its own.
func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func arr(v any) []any          { a, _ := v.([]any); return a }
func str(v any) (string, bool) { s, ok := v.(string); return s, ok }

// intOf reads a JSON number (decoded with UseNumber) or returns def.
func intOf(v any, def int64) int64 {
	if n, ok := v.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			return i
		}
	}
	return def
}

// with returns path extended by keys, leaving path untouched.
func with(path []string, keys ...string) []string {
	return append(append([]string(nil), path...), keys...)
}

// checkCommand applies the name, description and count rules to one command.
func checkCommand(f *formErrors, path []string, cmd map[string]any, partial bool) {
	typ := intOf(cmd["type"], 1)
	name, hasName := str(cmd["name"])
	if hasName || !partial {
		if typ == 1 {
			checkName(f, with(path, "name"), name, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
		} else if n := utf8.RuneCountInString(name); n < 1 || n > 32 {
			f.add(with(path, "name"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
		}
	}
	desc, hasDesc := str(cmd["description"])
	switch {
	case typ == 1 && (hasDesc || !partial):
		checkLength(f, with(path, "description"), desc, 1, maxDescription)
	case typ != 1 && desc != "":
		f.add(with(path, "description"), "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION", "Context menu commands cannot have description")
	}
	checkOptions(f, with(path, "options"), arr(cmd["options"]))
}

// checkOptions applies the rules to a list of options and, recursively, to sub-options.
func checkOptions(f *formErrors, path []string, opts []any) {
	if len(opts) > maxOptions {
		f.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxOptions))
	}
	seenOptional := false
	names := map[string]bool{}
	for i, o := range opts {
		opt := obj(o)
		p := with(path, strconv.Itoa(i))
		name, _ := str(opt["name"])
		checkName(f, with(p, "name"), name, "APPLICATION_COMMAND_OPTIONS_NAME_INVALID", "Option name is invalid")
		if names[name] {
			f.add(with(p, "name"), "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME", "Option names must be unique")
		}
		names[name] = true
		desc, _ := str(opt["description"])
		checkLength(f, with(p, "description"), desc, 1, maxDescription)
		if req, _ := opt["required"].(bool); req && seenOptional {
			f.add(with(p, "required"), "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options")
		} else if !req {
			seenOptional = true
		}
		choices := arr(opt["choices"])
		if auto, _ := opt["autocomplete"].(bool); auto && len(choices) > 0 {
			f.add(with(p, "autocomplete"), "APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES", "Autocomplete cannot be set with choices")
		}
		checkChoices(f, with(p, "choices"), choices)
		checkOptions(f, with(p, "options"), arr(opt["options"]))
		if intOf(opt["type"], 0) == optionAttachment {
			checkAttachmentOption(f, p, opt)
		}
	}
}

// checkChoices applies the count and name-length rules to option or autocomplete choices.
func checkChoices(f *formErrors, path []string, choices []any) {
	if len(choices) > maxChoices {
		f.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxChoices))
	}
	for i, c := range choices {
		name, _ := str(obj(c)["name"])
		checkLength(f, with(path, strconv.Itoa(i), "name"), name, 1, maxChoiceName)
	}
}

// checkName applies Discord's pattern and its lower-case rule to a command or option name.
func checkName(f *formErrors, path []string, name, code, msg string) {
	if !commandName.MatchString(name) || strings.ToLower(name) != name {
		f.add(path, code, msg)
	}
}

// checkLength checks that s has between min and max characters.
func checkLength(f *formErrors, path []string, s string, min, max int) {
	if n := utf8.RuneCountInString(s); n < min || n > max {
		f.add(path, "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between %d and %d in length.", min, max))
	}
}

// checkMessage applies the content, file and custom_id limits to a message body with files
// uploaded files.
func checkMessage(f *formErrors, path []string, msg map[string]any, files int) {
	content, _ := str(msg["content"])
	if n := utf8.RuneCountInString(content); n > maxContent {
		f.add(with(path, "content"), "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxContent))
	}
	if files > maxFiles {
		f.add(with(path, "files"), "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxFiles))
	}
	checkComponents(f, with(path, "components"), arr(msg["components"]))
}

// emptyMessage reports whether a new message would have nothing to show, which Discord
// refuses with code 50006.
func emptyMessage(msg map[string]any, files int) bool {
	content, _ := str(msg["content"])
	return content == "" && files == 0 && len(arr(msg["embeds"])) == 0 &&
		len(arr(msg["components"])) == 0 && len(arr(msg["sticker_ids"])) == 0 && msg["poll"] == nil
}

// checkComponents applies the custom_id limit to components at any depth.
func checkComponents(f *formErrors, path []string, comps []any) {
	for i, c := range comps {
		comp := obj(c)
		p := with(path, strconv.Itoa(i))
		if id, ok := str(comp["custom_id"]); ok {
			checkLength(f, with(p, "custom_id"), id, 1, maxCustomID)
		}
		checkComponents(f, with(p, "components"), arr(comp["components"]))
		if acc := obj(comp["accessory"]); acc != nil {
			checkComponents(f, with(p, "accessory"), []any{acc})
		}
	}
}

// normaliseCommand turns the string form of default_member_permissions, which discordgo sends
// and Discord accepts, into the integer the description requires.
func normaliseCommand(cmd map[string]any) {
	if s, ok := cmd["default_member_permissions"].(string); ok {
		if _, err := strconv.ParseUint(s, 10, 64); err == nil {
			cmd["default_member_permissions"] = json.Number(s)
		}
	}
}
