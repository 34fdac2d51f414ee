package discord

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// editor paces message edits (the live round status) as Discord's rate
// limits need: at most one edit per message every `every`, the latest
// wanted state wins, and a state that could not be shown (a 429, a
// network error) is kept and sent later, so the final state is never lost.
// The core already debounces status edits (bot.Options.StatusDelay); the
// editor adds only what Discord itself demands, and lets Deliver return
// without waiting for the edit.
type editor struct {
	a     *Adapter
	every time.Duration // guarded by mu
	now   func() time.Time

	mu   sync.Mutex
	msgs map[string]*editMsg
	// gone are messages Discord says no longer exist (or may not be
	// edited): the next update is sent as a new message instead.
	gone map[string]bool
}

// editMsg is one message's edit queue of length one.
type editMsg struct {
	sending     sync.Mutex // one edit in flight per message
	channel, id string
	want        *editPayload // guarded by editor.mu
	next        time.Time    // guarded by editor.mu: no edit before this
}

type editPayload struct {
	content string
	comps   []discordgo.MessageComponent
}

func newEditor(a *Adapter, every time.Duration) *editor {
	return &editor{a: a, every: every, now: time.Now, msgs: map[string]*editMsg{}, gone: map[string]bool{}}
}

// isGone reports whether a message was found deleted when last edited.
func (e *editor) isGone(ch, id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.gone[ch+"/"+id]
}

// want records the state a message should show, and sends it at once if
// the message was not edited recently.
func (e *editor) want(ch, id, content string, comps []discordgo.MessageComponent) {
	e.mu.Lock()
	m := e.msgs[ch+"/"+id]
	if m == nil {
		m = &editMsg{channel: ch, id: id}
		e.msgs[ch+"/"+id] = m
	}
	m.want = &editPayload{content: content, comps: comps}
	due := !e.now().Before(m.next)
	e.mu.Unlock()
	if due {
		go e.send(e.a.ctx(), m, false)
	}
}

// flush sends every wanted state that is due, and forgets idle messages.
// With force (at shutdown, and in tests) it sends every wanted state now,
// after waiting for edits in flight, so that each message shows its latest
// state when flush returns (unless Discord refused it).
func (e *editor) flush(ctx context.Context, force bool) {
	e.mu.Lock()
	now := e.now()
	var due []*editMsg
	for k, m := range e.msgs {
		switch {
		case force || (m.want != nil && !now.Before(m.next)):
			due = append(due, m)
		case m.want == nil && now.After(m.next.Add(e.every)):
			delete(e.msgs, k)
		}
	}
	e.mu.Unlock()
	for _, m := range due {
		e.send(ctx, m, force)
	}
}

// send shows a message's wanted state, if it still has one and is due.
func (e *editor) send(ctx context.Context, m *editMsg, force bool) {
	defer e.a.recoverPanic("edit")
	m.sending.Lock()
	defer m.sending.Unlock()
	e.mu.Lock()
	p := m.want
	if p == nil || (!force && e.now().Before(m.next)) {
		e.mu.Unlock()
		return
	}
	m.want = nil
	m.next = e.now().Add(e.every)
	e.mu.Unlock()

	err := e.edit(ctx, m, p)
	if err == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var rl *discordgo.RateLimitError
	var re *discordgo.RESTError
	switch {
	case errors.As(err, &rl):
		e.a.rateLimitWaited() // health.go
		if m.want == nil {
			m.want = p
		}
		if t := e.now().Add(rl.RetryAfter); t.After(m.next) {
			m.next = t
		}
		e.a.log.Info().Str("channel_id", m.channel).Str("message_id", m.id).Dur("retry_after", rl.RetryAfter).Msg("Status edit rate limited; will retry")
	case errors.As(err, &re) && re.Response != nil && (re.Response.StatusCode == http.StatusNotFound || re.Response.StatusCode == http.StatusForbidden):
		e.gone[m.channel+"/"+m.id] = true
		e.a.log.Warn().Err(err).Str("channel_id", m.channel).Str("message_id", m.id).Msg("Status message can no longer be edited; the next update is a new message")
	default:
		if m.want == nil {
			m.want = p
		}
		e.a.log.Warn().Err(err).Str("channel_id", m.channel).Str("message_id", m.id).Msg("Status edit failed; will retry")
	}
}

func (e *editor) edit(ctx context.Context, m *editMsg, p *editPayload) error {
	s, _, err := e.a.session()
	if err != nil {
		return err
	}
	rctx, cancel := context.WithTimeout(ctx, restTimeout)
	defer cancel()
	content := p.content
	edit := &discordgo.MessageEdit{Channel: m.channel, ID: m.id, Content: &content, AllowedMentions: noMentions()}
	if p.comps != nil {
		// An edit without actions keeps the message's buttons (the core
		// sends the round's buttons with its first status only); an empty
		// set removes them (the round closed).
		edit.Components = &p.comps
	}
	_, err = s.ChannelMessageEditComplex(edit, discordgo.WithContext(rctx), discordgo.WithRetryOnRatelimit(false))
	return err
}
