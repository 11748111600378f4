// Command dreambot is a Discord bot that makes images with DreamStudio
// (the Stability AI REST API v1).
//
//	dreambot                               run the bot
//	dreambot engines                       list the engines the API key can use
//	dreambot imagine --engine ID "prompt"  make one image and print where it was saved
//	dreambot usage                         show every server's images and credits
//
// Configuration comes from the environment and a .env file; see
// .env.example.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/joho/godotenv"
)

func main() {
	// A .env file is optional; variables already in the environment win.
	if err := godotenv.Load(); err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(os.Stderr, "dreambot: reading .env: %v\n", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // while shutting down, a second signal ends the process at once
	}()
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage:
  dreambot                                run the Discord bot
  dreambot engines                        list the engines your API key can use
  dreambot imagine [flags] "prompt"       make one image, save it, print its path
                                          (dreambot imagine -h lists the flags)
  dreambot usage                          show every server's images and credits
                                          today, this week and this month (UTC)

Configuration comes from the environment or a .env file: see .env.example.
`

// run is main without the process: it returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "":
		err = runBot(ctx, getenv, stderr)
	case "engines":
		err = runEngines(ctx, getenv, stdout, stderr)
	case "imagine":
		err = runImagine(ctx, args, getenv, stdout, stderr)
	case "usage":
		err = runUsage(ctx, getenv, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "dreambot: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		if !errors.Is(err, errReported) {
			fmt.Fprintf(stderr, "dreambot: %v\n", err)
		}
		return 1
	}
	return 0
}

// errReported means the failure was already explained on stderr.
var errReported = errors.New("reported")
