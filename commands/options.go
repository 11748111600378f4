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

// int returns an integer option's value and whether it was given. A value
// that is not a whole number in [lo, hi] (Discord enforces the declared
// range, but payloads can be forged) is an *InputError.
func (o options) int(name string, lo, hi int64) (int64, bool, error) {
	opt, ok := o.byName[name]
	if !ok {
		return 0, false, nil
	}
	f, isNumber := opt.Value.(float64) // JSON numbers decode as float64
	if !isNumber || !(f >= float64(lo) && f <= float64(hi)) || f != float64(int64(f)) {
		return 0, true, inputErrorf("`%s` must be a whole number from %d to %d.", name, lo, hi)
	}
	return int64(f), true, nil
}

// number returns a number option's value and whether it was given; a value
// that is not a number in [lo, hi] is an *InputError.
func (o options) number(name string, lo, hi float64) (float64, bool, error) {
	opt, ok := o.byName[name]
	if !ok {
		return 0, false, nil
	}
	f, isNumber := opt.Value.(float64) // JSON numbers decode as float64
	if !isNumber || !(f >= lo && f <= hi) {
		return 0, true, inputErrorf("`%s` must be a number from %g to %g.", name, lo, hi)
	}
	return f, true, nil
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
