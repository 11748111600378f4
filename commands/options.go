package commands

import (
	"github.com/bwmarrin/discordgo"
)

// options gives a command's options by name. Subcommands and groups are
// flattened into path, e.g. ["engines", "allow"].
type options struct {
	path    []string
	byName  map[string]*discordgo.ApplicationCommandInteractionDataOption
	focused *discordgo.ApplicationCommandInteractionDataOption
}

func parseOptions(data discordgo.ApplicationCommandInteractionData) options {
	o := options{byName: map[string]*discordgo.ApplicationCommandInteractionDataOption{}}
	list := data.Options
	for len(list) == 1 && (list[0].Type == discordgo.ApplicationCommandOptionSubCommand ||
		list[0].Type == discordgo.ApplicationCommandOptionSubCommandGroup) {
		o.path = append(o.path, list[0].Name)
		list = list[0].Options
	}
	for _, opt := range list {
		o.byName[opt.Name] = opt
		if opt.Focused {
			o.focused = opt
		}
	}
	return o
}

// string returns a string option's value, "" when absent or of another type.
func (o options) string(name string) string {
	opt, ok := o.byName[name]
	if !ok {
		return ""
	}
	s, _ := opt.Value.(string)
	return s
}

// int returns an integer option's value and whether it was given.
func (o options) int(name string) (int64, bool) {
	opt, ok := o.byName[name]
	if !ok {
		return 0, false
	}
	f, ok := opt.Value.(float64) // JSON numbers decode as float64
	return int64(f), ok
}

// number returns a number option's value and whether it was given.
func (o options) number(name string) (float64, bool) {
	opt, ok := o.byName[name]
	if !ok {
		return 0, false
	}
	f, ok := opt.Value.(float64)
	return f, ok
}

// bool returns a boolean option's value, false when absent.
func (o options) bool(name string) bool {
	opt, ok := o.byName[name]
	if !ok {
		return false
	}
	b, _ := opt.Value.(bool)
	return b
}

// sub returns the subcommand path joined by spaces, e.g. "engines allow".
func (o options) sub() string {
	s := ""
	for i, p := range o.path {
		if i > 0 {
			s += " "
		}
		s += p
	}
	return s
}
