package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
)

// errHelped means help was asked for (-h, --help) and shown on stdout: the command succeeded
// without doing anything else.
var errHelped = errors.New("help shown")

// errUsage means the command line was wrong, and that was explained on stderr.
var errUsage = errors.New("wrong usage")

// command is what a subcommand's help says: how it is called and what it does. Its flags, if
// any, are described by their flag set, each with a `backquoted` word naming its argument.
type command struct {
	name  string // "imagine"
	args  string // what follows the name: `[flags] "prompt"`; "" for nothing
	about string
}

func (c command) synopsis() string {
	if c.args == "" {
		return "dreambot " + c.name
	}
	return "dreambot " + c.name + " " + c.args
}

// flags returns an empty flag set for c: parse shows its help and its mistakes.
func (c command) flags(stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("dreambot "+c.name, flag.ContinueOnError)
	fs.SetOutput(stderr) // where the flag package says what was wrong
	fs.Usage = func() {}
	return fs
}

// parse parses args with fs. Help goes to stdout and returns errHelped; a mistake, which the
// flag package has already named on stderr, returns errUsage.
func (c command) parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.help(fs, stdout)
		return errHelped
	case err != nil:
		return c.misuse(stderr, "")
	}
	return nil
}

// noArgs parses the command line of a command that takes nothing but -h.
func (c command) noArgs(args []string, stdout, stderr io.Writer) error {
	fs := c.flags(stderr)
	if err := c.parse(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return c.misuse(stderr, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	return nil
}

// misuse says on stderr what was wrong (if problem isn't "") and how to get help.
func (c command) misuse(stderr io.Writer, problem string) error {
	if problem != "" {
		fmt.Fprintf(stderr, "dreambot %s: %s\n", c.name, problem)
	}
	fmt.Fprintf(stderr, "usage: %s\nRun 'dreambot %s -h' for help.\n", c.synopsis(), c.name)
	return errUsage
}

// help writes c's help, its flags without the flag package's "(default ...)", which reads oddly
// where the default is the API's or the configuration's: each flag's text says its default.
func (c command) help(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n\nFlags:\n", c.synopsis(), c.about)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fs.VisitAll(func(f *flag.Flag) {
		arg, text := flag.UnquoteUsage(f)
		fmt.Fprintf(tw, "  --%s %s\t%s\n", f.Name, arg, text)
	})
	fmt.Fprintln(tw, "  -h, --help\tshow this help")
	tw.Flush()
}
