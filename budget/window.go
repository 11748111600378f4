package budget

import "time"

// window is the log of the admissions still inside the sliding window, oldest first. A request
// is admitted at t only if fewer than n admissions happened in (t-per, t], so the log never
// needs more than n entries: it is a ring buffer that grows on demand up to n, because n may be
// huge while the traffic is not.
type window struct {
	n   int
	per time.Duration

	log   []time.Time // ring buffer
	head  int         // index of the oldest admission in log
	count int         // admissions in log
}

// at returns the i-th oldest admission in the log.
func (w *window) at(i int) time.Time {
	return w.log[(w.head+i)%len(w.log)]
}

// expire drops the admissions that have left the window at now.
func (w *window) expire(now time.Time) {
	cutoff := now.Add(-w.per)
	for w.count > 0 && !w.at(0).After(cutoff) {
		w.head = (w.head + 1) % len(w.log)
		w.count--
	}
}

// room reports whether a request may be admitted at now.
func (w *window) room(now time.Time) bool {
	w.expire(now)
	return w.count < w.n
}

// admit logs an admission at now, which room(now) allowed.
func (w *window) admit(now time.Time) {
	if w.count == len(w.log) {
		w.grow()
	}
	w.log[(w.head+w.count)%len(w.log)] = now
	w.count++
}

// grow doubles the ring buffer, up to n entries.
func (w *window) grow() {
	log := make([]time.Time, min(max(2*len(w.log), 8), w.n))
	for i := range w.count {
		log[i] = w.at(i)
	}
	w.log, w.head = log, 0
}

// free returns when the oldest admission leaves the window: the next moment room can say yes
// after it said no.
func (w *window) free() time.Time {
	return w.at(0).Add(w.per)
}

// refund takes back an admission logged at t that was never used. If it has left the window
// already there is nothing to take back.
func (w *window) refund(t time.Time) {
	for i := w.count - 1; i >= 0; i-- {
		if !w.at(i).Equal(t) {
			continue
		}
		for j := i; j < w.count-1; j++ {
			w.log[(w.head+j)%len(w.log)] = w.at(j + 1)
		}
		w.count--
		return
	}
}

// slot returns when the k-th next request (k >= 1) could be admitted if nobody else came: the
// log and the requests before it each keep their place for per, and nothing starts before
// now or before the pause ends.
func (w *window) slot(now, pausedUntil time.Time, k int) time.Time {
	w.expire(now)
	start := now
	if pausedUntil.After(start) {
		start = pausedUntil
	}
	// seq is the log followed by the k requests to come; only its last n entries matter.
	seq := make([]time.Time, 0, w.count+k)
	for i := range w.count {
		seq = append(seq, w.at(i))
	}
	s := start
	for range k {
		s = start
		if j := len(seq) - w.n; j >= 0 && seq[j].Add(w.per).After(s) {
			s = seq[j].Add(w.per)
		}
		seq = append(seq, s)
	}
	return s
}
