package jobs_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"

	"dreambot/jobs"
)

// crashEnv names the database of TestCrashHelper, and makes it run.
const crashEnv = "JOBS_TEST_CRASH_DB"

// TestCrashResumes kills a process while it works a job, as SIGKILL or a
// power cut would, and checks that the next Open works the job again, soon,
// as a second attempt that sees the first one's progress.
func TestCrashResumes(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs a child process")
	}
	path := tempPath(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe() // the child exits when it closes
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var id int64
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if _, err := fmt.Sscanf(lines.Text(), "working %d", &id); err == nil {
			break
		}
	}
	if id == 0 {
		cmd.Process.Kill()
		t.Fatalf("child ended before working its job: %v, %v", lines.Err(), cmd.Wait())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	q := MustOpen(t, jobs.Options{Path: path})
	got := make(chan jobs.Job, 1)
	MustStart(t, q, handlerFunc(func(_ context.Context, j jobs.Job) error {
		got <- j
		return nil
	}))
	j := receive(t, got, "run after the crash")
	if j.ID != id || j.Attempt != 2 || !sameJSON(j.Progress, []byte(`{"saved":"x.png"}`)) {
		t.Errorf("got job %d attempt %d progress %s; want job %d attempt 2 with the first run's progress",
			j.ID, j.Attempt, j.Progress, id)
	}
}

// TestCrashHelper is the process that TestCrashResumes kills: it enqueues a
// job and works it, recording progress, until it is killed or its standard
// input closes.
func TestCrashHelper(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("run by TestCrashResumes")
	}
	q, err := jobs.Open(context.Background(), jobs.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	err = q.Start(context.Background(), handlerFunc(func(ctx context.Context, j jobs.Job) error {
		if err := q.SetProgress(ctx, j.ID, []byte(`{"saved":"x.png"}`)); err != nil {
			return err
		}
		fmt.Fprintf(os.Stdout, "working %d\n", j.ID)
		<-ctx.Done()
		return jobs.Later(0)
	}))
	if err != nil {
		t.Fatal(err)
	}
	MustEnqueue(t, q, "g", "m", `{}`)
	io.Copy(io.Discard, os.Stdin)
	q.Close()
	t.Fatal("stdin closed before the parent killed this process")
}

// TestOpenRefusesSecondUser checks that a file in use stays this process's
// alone, as rescue needs: a second Open fails, after waiting for the first to
// let go.
func TestOpenRefusesSecondUser(t *testing.T) {
	t.Parallel()
	opts := jobs.Options{Path: tempPath(t)}
	MustOpen(t, opts)
	if q, err := jobs.Open(context.Background(), opts); err == nil {
		q.Close()
		t.Fatal("second open: got nil error, want one")
	}
}
