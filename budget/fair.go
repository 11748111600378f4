package budget

import "slices"

// fair holds the non-priority tickets in fair turns: a ring of guilds, each with a ring of its
// members, each member's tickets in arrival order. Each turn goes to the front member of the
// front guild, and both then move to the back of their rings. A guild or member joins the back
// of its ring with its first waiting ticket and leaves with its last, so a newcomer waits at
// most one round, not behind everyone's whole queue.
type fair struct {
	ring   []*guild // the front guild is served next
	guilds map[string]*guild
	n      int // tickets in all
}

// guild is one server's waiting tickets; DMs and the shell share the guild "".
type guild struct {
	name    string
	ring    []*member // the front member is served next
	members map[string]*member
}

// member is one member's waiting tickets in a guild, in arrival order.
type member struct {
	name string
	jobs []*waiter
}

func newFair() *fair {
	return &fair{guilds: make(map[string]*guild)}
}

// push queues w behind its member's other tickets.
func (f *fair) push(w *waiter) {
	g := f.guilds[w.t.Guild]
	if g == nil {
		g = &guild{name: w.t.Guild, members: make(map[string]*member)}
		f.guilds[g.name] = g
		f.ring = append(f.ring, g)
	}
	m := g.members[w.t.Member]
	if m == nil {
		m = &member{name: w.t.Member}
		g.members[m.name] = m
		g.ring = append(g.ring, m)
	}
	m.jobs = append(m.jobs, w)
	f.n++
}

// pop takes the ticket whose turn it is. f must not be empty.
func (f *fair) pop() *waiter {
	g := f.ring[0]
	m := g.ring[0]
	var w *waiter
	w, m.jobs = popFront(m.jobs)
	f.n--
	if len(m.jobs) == 0 {
		delete(g.members, m.name)
	}
	g.ring = rotate(g.ring, len(m.jobs) > 0)
	if len(g.ring) == 0 {
		delete(f.guilds, g.name)
	}
	f.ring = rotate(f.ring, len(g.ring) > 0)
	return w
}

// remove takes w out of its member's queue, wherever it stands, and reports whether it was there.
func (f *fair) remove(w *waiter) bool {
	g := f.guilds[w.t.Guild]
	if g == nil {
		return false
	}
	m := g.members[w.t.Member]
	if m == nil {
		return false
	}
	i := slices.Index(m.jobs, w)
	if i < 0 {
		return false
	}
	m.jobs = slices.Delete(m.jobs, i, i+1)
	f.n--
	if len(m.jobs) == 0 {
		delete(g.members, m.name)
		g.ring = slices.DeleteFunc(g.ring, func(x *member) bool { return x == m })
	}
	if len(g.ring) == 0 {
		delete(f.guilds, g.name)
		f.ring = slices.DeleteFunc(f.ring, func(x *guild) bool { return x == g })
	}
	return true
}

// order returns the tickets in the order pop would hand them out if nobody else came. It runs
// the same rotation as pop over copies of the rings.
func (f *fair) order() []*waiter {
	guilds := make([][][]*waiter, len(f.ring))
	for i, g := range f.ring {
		members := make([][]*waiter, len(g.ring))
		for j, m := range g.ring {
			members[j] = m.jobs
		}
		guilds[i] = members
	}
	out := make([]*waiter, 0, f.n)
	for len(guilds) > 0 {
		members := guilds[0]
		jobs := members[0]
		out = append(out, jobs[0])
		members[0] = jobs[1:]
		members = rotate(members, len(jobs) > 1)
		guilds = rotate(guilds, len(members) > 0)
		if len(members) > 0 {
			guilds[len(guilds)-1] = members
		}
	}
	return out
}

// rotate moves ring's front element to the back, or drops it if keep is false.
func rotate[T any](ring []T, keep bool) []T {
	front := ring[0]
	var zero T
	ring[0] = zero
	ring = ring[1:]
	if keep {
		ring = append(ring, front)
	}
	return ring
}
