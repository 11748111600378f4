package metrics

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// Check reports why the bot is not healthy, as an error whose text is one line for an operator
// ("not connected to Discord yet"); nil when all is well.
type Check func(ctx context.Context) error

// checkTimeout bounds one run of the checks: a container's health check gives up after a few
// seconds, and a database that takes longer than this is not healthy.
const checkTimeout = 2 * time.Second

// maxReason bounds the reason sent back: it is for one line of a terminal or a `docker inspect`.
const maxReason = 300

// Health answers 200 "ok" when every check passes, else 503 with the first failing check's reason
// on one line. The checks run in order, at each request.
func Health(checks ...Check) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), checkTimeout)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		for _, check := range checks {
			if err := check(ctx); err != nil {
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte(oneLine(err.Error()) + "\n"))
				return
			}
		}
		_, _ = w.Write([]byte("ok\n"))
	})
}

// oneLine is s on one line, cut to maxReason bytes.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > maxReason {
		s = strings.ToValidUTF8(s[:maxReason-3], "") + "..."
	}
	return s
}
