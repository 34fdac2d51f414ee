package discord

import (
	"context"
	"sync"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// How far an interaction's one response has got.
type responseState uint8

const (
	notAnswered   responseState = iota
	answered                    // type 4: a message, or a modal
	deferred                    // type 5: "thinking…", to be replaced by editing @original
	deferredQuiet               // type 6: a button acknowledged without a message
)

// pending is an interaction being handled. Its mutex orders everything
// sent for it, so that the response is sent once and follow-ups come after.
type pending struct {
	mu    sync.Mutex
	i     *discordgo.Interaction
	state responseState
	// private is set once the member has been answered privately.
	private bool
}

// user returns the id of the person who caused the interaction.
func (p *pending) user() string {
	if p.i.Member != nil && p.i.Member.User != nil {
		return p.i.Member.User.ID
	}
	if p.i.User != nil {
		return p.i.User.ID
	}
	return ""
}

// component reports whether the interaction came from a message's button
// (or a modal opened by one), which may be acknowledged without a message.
func (p *pending) component() bool {
	return p.i.Type == discordgo.InteractionMessageComponent ||
		(p.i.Type == discordgo.InteractionModalSubmit && p.i.Message != nil)
}

// interactions are the ones being handled, by event id.
type interactions struct {
	mu sync.Mutex
	m  map[string]*pending
}

func (in *interactions) begin(i *discordgo.Interaction) *pending {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.m == nil {
		in.m = map[string]*pending{}
	}
	p := &pending{i: i}
	in.m["discord:"+i.ID] = p
	return p
}

func (in *interactions) end(id string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	delete(in.m, "discord:"+id)
}

// byUser returns an interaction of user's being handled, if any.
func (in *interactions) byUser(user string) *pending {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, p := range in.m {
		if p.user() == user {
			return p
		}
	}
	return nil
}

func (in *interactions) get(eventID string) *pending {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.m[eventID]
}

// ephemeral is the flag that shows a message to its member only.
const ephemeral = discordgo.MessageFlagsEphemeral

// noMentions is the "ping nobody" form: an empty, non-nil list.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// deferResponse tells Discord the answer is coming when the core is slow:
// "thinking…" (shown to the member only) for a slash command, a silent
// acknowledgement for a button.
func (a *Adapter) deferResponse(ctx context.Context, p *pending) {
	defer a.recoverPanic("defer")
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state != notAnswered {
		return
	}
	r := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: ephemeral, AllowedMentions: noMentions()}}
	st := deferred
	if p.component() {
		r = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
		st = deferredQuiet
	}
	if a.respond(ctx, p.i, r) == nil {
		p.state = st
	}
}

// sendPrivate shows content to the interaction's member only: as its
// response if none was sent yet, else in place of "thinking…", else as an
// ephemeral follow-up. It returns an empty reference: ephemeral messages
// cannot be edited once the interaction token expires.
func (a *Adapter) sendPrivate(ctx context.Context, p *pending, content string, comps []discordgo.MessageComponent) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, _, err := a.session()
	if err != nil {
		return err
	}
	rctx, cancel := context.WithTimeout(ctx, restTimeout)
	defer cancel()
	opts := []discordgo.RequestOption{discordgo.WithContext(rctx), discordgo.WithRetryOnRatelimit(false)}
	switch {
	case p.state == notAnswered:
		err = a.respond(ctx, p.i, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: content, Components: comps, Flags: ephemeral, AllowedMentions: noMentions()},
		})
		if err == nil {
			p.state = answered
		}
	case p.state == deferred && !p.private:
		_, err = s.InteractionResponseEdit(p.i, &discordgo.WebhookEdit{Content: &content, Components: &comps, AllowedMentions: noMentions()}, opts...)
	default:
		_, err = s.FollowupMessageCreate(p.i, true, &discordgo.WebhookParams{Content: content, Components: comps, Flags: ephemeral, AllowedMentions: noMentions()}, opts...)
	}
	if err == nil {
		p.private = true
	}
	return err
}

// finish gives an interaction its response if the core's replies did not:
// a silent acknowledgement for a button, else a short private text. A
// "thinking…" left with nothing to say is removed.
func (a *Adapter) finish(ctx context.Context, p *pending, fallback bot.Text) {
	p.mu.Lock()
	state, private := p.state, p.private
	p.mu.Unlock()
	switch {
	case state == notAnswered && p.component():
		p.mu.Lock()
		if p.state == notAnswered && a.respond(ctx, p.i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}) == nil {
			p.state = deferredQuiet
		}
		p.mu.Unlock()
	case state == notAnswered, state == deferred && !private:
		if err := a.sendPrivate(ctx, p, a.render(fallback, false), nil); err != nil {
			a.log.Warn().Err(err).Str("interaction_id", p.i.ID).Msg("Answering an interaction failed")
		}
	}
}

// respond sends an interaction's one response. It never waits out a rate
// limit: Discord wants the response within 3 s.
func (a *Adapter) respond(ctx context.Context, i *discordgo.Interaction, r *discordgo.InteractionResponse) error {
	s, _, err := a.session()
	if err != nil {
		return err
	}
	rctx, cancel := context.WithTimeout(ctx, restTimeout)
	defer cancel()
	err = s.InteractionRespond(i, r, discordgo.WithContext(rctx), discordgo.WithRetryOnRatelimit(false))
	if err != nil {
		a.log.Warn().Err(err).Str("interaction_id", i.ID).Int("response_type", int(r.Type)).Msg("Interaction response failed")
	}
	return err
}
