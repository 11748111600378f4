package dreamstudiotest_test

import (
	"net/http"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
)

func TestFailNext(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	s.FailNext(http.StatusInternalServerError, "server_error", "An unexpected server error occurred.")

	a := send(t, s, generate(sized(1024, 1024)))
	if a.status != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", a.status)
	}
	if name, msg := a.apiError(t); name != "server_error" || msg != "An unexpected server error occurred." {
		t.Errorf("error = %q %q", name, msg)
	}
	if a := send(t, s, generate(sized(1024, 1024))); a.status != http.StatusOK {
		t.Errorf("second request: status %d, want 200", a.status)
	}
	if got := s.Generations(); got != 1 {
		t.Errorf("Generations() = %d, want 1", got)
	}
}

func TestFaultTimesAndOrder(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	s.AddFault(dreamstudiotest.Fault{Status: http.StatusForbidden, Name: "permission_denied", Message: "no", Times: 2})
	s.FailNext(http.StatusNotFound, "not_found", "gone")
	s.AddFault(dreamstudiotest.Fault{Status: http.StatusServiceUnavailable, Name: "unavailable", Message: "later", Times: dreamstudiotest.Always})

	for i, want := range []int{403, 403, 404, 503, 503, 503} {
		if a := send(t, s, call{method: http.MethodGet, path: "/v1/user/balance"}); a.status != want {
			t.Errorf("request %d: status %d, want %d", i, a.status, want)
		}
	}
	s.ClearFaults()
	if a := send(t, s, call{method: http.MethodGet, path: "/v1/user/balance"}); a.status != http.StatusOK {
		t.Errorf("after ClearFaults: status %d, want 200", a.status)
	}
}

func TestFaultRawBodyAndHeader(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	page := []byte("<html><body>502 Bad Gateway</body></html>")
	s.AddFault(dreamstudiotest.Fault{
		Status: http.StatusBadGateway,
		Body:   page,
		Header: http.Header{"Retry-After": {"7"}},
	})
	a := send(t, s, call{method: http.MethodGet, path: "/v1/engines/list"})
	if a.status != http.StatusBadGateway || string(a.body) != string(page) {
		t.Errorf("got %d %q, want 502 %q", a.status, a.body, page)
	}
	if got := a.header.Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	if got := a.header.Get("Retry-After"); got != "7" {
		t.Errorf("Retry-After = %q, want 7", got)
	}
}

func TestFaultsDoNotHideInvalidRequests(t *testing.T) {
	t.Parallel()
	rec := newRecordingTB(t)
	s := dreamstudiotest.NewServer(rec)
	s.FailNext(http.StatusInternalServerError, "server_error", "boom")
	a := send(t, s, generate(`{"width":1024,"height":1024}`))
	if a.status != http.StatusBadRequest {
		t.Errorf("status %d, want 400", a.status)
	}
	if len(rec.failures()) != 1 {
		t.Errorf("failures = %q, want 1", rec.failures())
	}
	// The fault is still queued for the next well-formed request.
	if a := send(t, s, generate(sized(1024, 1024))); a.status != http.StatusInternalServerError {
		t.Errorf("next request: status %d, want 500", a.status)
	}
}
