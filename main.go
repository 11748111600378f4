// Command dreambot is a Discord bot that makes images with DreamStudio
// (the Stability AI REST API v1).
//
//	dreambot                               run the bot
//	dreambot engines                       list the engines the API key can use
//	dreambot imagine --engine ID "prompt"  make one image and print where it was saved
//	dreambot usage                         show every server's images and credits
//	dreambot version                       print the version and the revision built from
//
// Every command answers -h with its help.
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
  dreambot version                        print the version and the revision built from
  dreambot healthcheck                    exit 0 if the running bot is healthy (METRICS_ADDR)

Every command answers -h with its help.

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
		err = runEngines(ctx, args, getenv, stdout, stderr)
	case "imagine":
		err = runImagine(ctx, args, getenv, stdout, stderr)
	case "usage":
		err = runUsage(ctx, args, getenv, stdout, stderr)
	case "healthcheck":
		err = runHealthcheck(ctx, args, getenv, stdout, stderr)
	case "version", "-version", "--version":
		err = runVersion(args, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "dreambot: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil, errors.Is(err, errHelped):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintf(stderr, "dreambot: %v\n", err)
	return 1
}
