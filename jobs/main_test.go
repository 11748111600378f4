package jobs_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if any goroutine outlives the tests: every queue is
// stopped and closed by its test's cleanup, and River must be gone then.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
