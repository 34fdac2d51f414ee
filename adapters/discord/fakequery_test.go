package discord

import (
	"regexp"
	"strconv"
	"time"
)

// Queries on the fake Discord's world, for tests.

// requestsTo returns the recorded requests whose method matches and whose
// path matches the regular expression.
func (f *fakeDiscord) requestsTo(method, path string) []fakeRequest {
	re := regexp.MustCompile(path)
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeRequest
	for _, r := range f.requests {
		if (method == "" || r.Method == method) && re.MatchString(r.Path) {
			out = append(out, r)
		}
	}
	return out
}

// waitFor blocks until cond (called with f.mu held) is true after some
// request, or fails the test after a generous safety limit.
func (f *fakeDiscord) waitFor(what string, cond func() bool) {
	f.t.Helper()
	expired := false
	deadline := time.AfterFunc(30*time.Second, func() {
		f.mu.Lock()
		expired = true
		f.changed.Broadcast()
		f.mu.Unlock()
	})
	defer deadline.Stop()
	f.mu.Lock()
	defer f.mu.Unlock()
	for !cond() && !expired {
		f.changed.Wait()
	}
	if expired {
		f.t.Fatalf("fake discord: gave up waiting for %s", what)
	}
}

// snapshot returns copies of the pins, role grants and identify intents.
func (f *fakeDiscord) snapshot() (pins []fakePin, roleAdds []fakeRoleAdd, intents int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakePin(nil), f.pins...), append([]fakeRoleAdd(nil), f.roleAdds...), f.intents
}

// allRequests returns a copy of every recorded REST request.
func (f *fakeDiscord) allRequests() []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeRequest(nil), f.requests...)
}

// message returns a copy of a message as the fake holds it now.
func (f *fakeDiscord) message(id string) (fakeMessage, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.messages[id]
	if !ok {
		return fakeMessage{}, false
	}
	return *m, true
}

// channelMessages lists the messages in a channel, oldest first.
func (f *fakeDiscord) channelMessages(ch string) []fakeMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeMessage
	for _, m := range f.messages {
		if m.ChannelID == ch && m.Interaction == "" {
			out = append(out, *m)
		}
	}
	sortMessages(out)
	return out
}

func sortMessages(ms []fakeMessage) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && idLess(ms[j].ID, ms[j-1].ID); j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

func idLess(a, b string) bool {
	x, _ := strconv.ParseInt(a, 10, 64)
	y, _ := strconv.ParseInt(b, 10, 64)
	return x < y
}

// interaction returns a copy of what the fake knows about an interaction.
func (f *fakeDiscord) interaction(id string) fakeInteraction {
	f.mu.Lock()
	defer f.mu.Unlock()
	in := f.interactions[id]
	if in == nil {
		f.t.Fatalf("fake discord: no interaction %s", id)
	}
	c := *in
	if in.Original != nil {
		o := *in.Original
		c.Original = &o
	}
	c.Followups = nil
	for _, m := range in.Followups {
		mm := *m
		c.Followups = append(c.Followups, &mm)
	}
	return c
}
