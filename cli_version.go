package main

import (
	"cmp"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// runVersion prints which dreambot this is.
func runVersion(args []string, stdout, stderr io.Writer) error {
	cmd := command{name: "version",
		about: "Prints dreambot's module version, the VCS revision it was built from, and the Go that built it."}
	if err := cmd.noArgs(args, stdout, stderr); err != nil {
		return err
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return fmt.Errorf("this binary carries no build information")
	}
	_, err := io.WriteString(stdout, versionText(info, stampedRevision))
	return err
}

// stampedRevision is the revision a build without the repository was given with
// -ldflags "-X main.stampedRevision=<commit>" (the Dockerfile's REVISION build argument). It is
// set at link time and never changes: a build-time constant, not state.
var stampedRevision string

// versionText is the module's version, the VCS revision and time it was built from ("+ local
// changes" when the tree was modified), and the Go that built it. A binary built without the
// repository (a source archive, or a Docker build context without .git) has no revision.
func versionText(info *debug.BuildInfo, stamped string) string {
	vcs := map[string]string{}
	for _, s := range info.Settings {
		if k, ok := strings.CutPrefix(s.Key, "vcs."); ok {
			vcs[k] = s.Value
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "dreambot %s\n", cmp.Or(info.Main.Version, "(devel)"))
	if rev := vcs["revision"]; rev != "" {
		fmt.Fprintf(&b, "revision %s", rev)
		if t := vcs["time"]; t != "" {
			fmt.Fprintf(&b, " (%s)", t)
		}
		if vcs["modified"] == "true" {
			b.WriteString(" + local changes")
		}
		b.WriteString("\n")
	} else if stamped != "" {
		fmt.Fprintf(&b, "revision %s (stamped at build)\n", stamped)
	} else {
		b.WriteString("revision unknown (built without VCS information)\n")
	}
	fmt.Fprintf(&b, "built with %s\n", info.GoVersion)
	return b.String()
}
