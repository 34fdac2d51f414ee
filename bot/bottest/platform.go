// Package bottest has an in-memory bot.Platform that records what the core
// delivers, for tests of the core and of anything built on it.
package bottest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/peerbot/peerbot/bot"
)

// Message is one delivered reply, as the fake platform shows it.
type Message struct {
	Ref   bot.MessageRef
	Reply bot.Reply
}

// Platform records every reply and keeps the current text of every message
// it posted, as a real platform would. Safe for concurrent use.
type Platform struct {
	mu       sync.Mutex
	sent     []Message
	current  map[bot.MessageRef]bot.Reply
	next     int
	taken    int
	pinned   []bot.MessageRef
	Checker  func(g bot.GroupID, ch bot.ChannelID) bool // FacilitatorsOnly answer; nil = not supported
	FailNext error                                      // returned once by the next Deliver
	// NoFacilitators makes every Facilitators reply fail, as on a platform
	// that cannot name anyone to send it to.
	NoFacilitators bool
	// Demoted members are not facilitators any more (IsFacilitator).
	Demoted map[bot.MemberID]bool
	// Limit is the message size TextLimit reports (0: none), and the size
	// over which Deliver refuses a message, as a real platform would.
	Limit int
}

var _ bot.Platform = (*Platform)(nil)

// Deliver records r. An edit of an unknown reference is an error, as on a
// real platform.
func (p *Platform) Deliver(_ context.Context, r bot.Reply) (bot.MessageRef, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.FailNext; err != nil {
		p.FailNext = nil
		return "", err
	}
	if r.Visibility == bot.Facilitators && (p.NoFacilitators || r.Channel == "" && r.To == "" && r.Edit == "") {
		return "", fmt.Errorf("no facilitator to send to")
	}
	if n := utf8.RuneCountInString(r.Text.String()); p.Limit > 0 && n > p.Limit {
		return "", fmt.Errorf("message of %d characters is over the limit of %d", n, p.Limit)
	}
	if p.current == nil {
		p.current = map[bot.MessageRef]bot.Reply{}
	}
	ref := r.Edit
	if ref != "" {
		if _, ok := p.current[ref]; !ok {
			return "", fmt.Errorf("edit: unknown message %s", ref)
		}
	} else {
		p.next++
		ref = bot.MessageRef(fmt.Sprintf("m%d", p.next))
	}
	p.current[ref] = r
	if r.Pin {
		p.pinned = append(p.pinned, ref)
	}
	p.sent = append(p.sent, Message{Ref: ref, Reply: r})
	return ref, nil
}

// FacilitatorsOnly implements bot.FacilitatorPlaceChecker through Checker.
func (p *Platform) FacilitatorsOnly(_ context.Context, g bot.GroupID, ch bot.ChannelID) (bool, error) {
	if p.Checker == nil {
		return false, fmt.Errorf("not supported")
	}
	return p.Checker(g, ch), nil
}

// TextLimit implements bot.TextLimiter.
func (p *Platform) TextLimit(bot.GroupID) int { return p.Limit }

// IsFacilitator implements bot.FacilitatorChecker: everyone but the
// Demoted.
func (p *Platform) IsFacilitator(_ context.Context, _ bot.GroupID, m bot.MemberID) (bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.Demoted[m], nil
}

// Sent returns every delivery so far, edits included, in order.
func (p *Platform) Sent() []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Message(nil), p.sent...)
}

// Take returns the deliveries since the last Take (or the start).
func (p *Platform) Take() []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := append([]Message(nil), p.sent[p.taken:]...)
	p.taken = len(p.sent)
	return out
}

// Current returns what message ref shows now (after edits).
func (p *Platform) Current(ref bot.MessageRef) (bot.Reply, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.current[ref]
	return r, ok
}

// Pinned lists the pinned messages.
func (p *Platform) Pinned() []bot.MessageRef {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]bot.MessageRef(nil), p.pinned...)
}

// Where names where a reply went, like the console does: "group",
// "group edit", "dm NAME" or "facilitators".
func Where(r bot.Reply) string {
	switch r.Visibility {
	case bot.Public:
		if r.Edit != "" {
			return "group edit"
		}
		return "group"
	case bot.Private:
		name := r.ToName
		if name == "" {
			name = string(r.To)
		}
		return "dm " + name
	case bot.Facilitators:
		return "facilitators"
	}
	return "?"
}

// Transcript renders messages as "[where] text" lines, one per line of text.
func Transcript(ms []Message) string {
	var b strings.Builder
	for _, m := range ms {
		for _, line := range strings.Split(m.Reply.Text.String(), "\n") {
			fmt.Fprintf(&b, "[%s] %s\n", Where(m.Reply), line)
		}
		if len(m.Reply.Actions) > 0 {
			var labels []string
			for _, a := range m.Reply.Actions {
				labels = append(labels, a.Label)
			}
			fmt.Fprintf(&b, "[%s]   (buttons: %s)\n", Where(m.Reply), strings.Join(labels, " · "))
		}
	}
	return b.String()
}
