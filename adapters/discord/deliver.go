package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// Discord's JSON error code for "Cannot send messages to this user": the
// member has closed DMs from server members.
const codeCannotDM = 50007

// Deliver shows r on Discord. Private replies to a member's own
// interaction are ephemeral (its response, then follow-ups); other private
// replies are DMs. Public replies are channel messages. Facilitators'
// replies go to the facilitators' channel when set, else by DM to r.To. An
// edit (r.Edit) is debounced: it returns at once and the message shows the
// latest state within a few seconds. Every payload pings nobody. Deliver
// returns a reference for channel and DM messages, "" for ephemeral ones.
func (a *Adapter) Deliver(ctx context.Context, r bot.Reply) (bot.MessageRef, error) {
	if _, _, err := a.session(); err != nil {
		return "", err
	}
	content := render(r.Text)
	comps := a.buttons(r.Actions, "")
	if r.Actions != nil && comps == nil {
		comps = []discordgo.MessageComponent{} // an edit that removes the buttons
	}
	if r.Edit != "" {
		if ch, msg, ok := parseRef(r.Edit); ok && !a.edits.isGone(ch, msg) {
			a.edits.want(ch, msg, truncate(content), comps)
			return r.Edit, nil
		}
		// A deleted message is replaced by a new one; the core keeps the
		// new reference under r.Key.
	}
	parts := splitContent(content)
	if r.Key != "" {
		parts = []string{truncate(content)} // one message, so it can be edited
	}
	switch r.Visibility {
	case bot.Private:
		p := a.inter.get(r.InReplyTo)
		if p != nil && (r.To == "" || string(r.To) == "discord:"+p.user()) {
			return "", a.sendPrivateParts(ctx, p, parts, comps)
		}
		return a.sendDM(ctx, r.To, parts, a.buttons(r.Actions, guildOf(r.Group)), p)
	case bot.Public:
		return a.sendChannel(ctx, r.Channel, parts, comps, r.Pin)
	case bot.Facilitators:
		if r.Channel != "" {
			return a.sendChannel(ctx, r.Channel, parts, comps, r.Pin)
		}
		if r.To != "" {
			return a.sendDM(ctx, r.To, parts, comps, a.inter.get(r.InReplyTo))
		}
		return "", errors.New("discord: deliver to facilitators: no facilitators' channel and no facilitator to tell")
	}
	return "", fmt.Errorf("discord: deliver: unknown visibility %d", r.Visibility)
}

// sendPrivateParts sends each part privately, buttons on the last.
func (a *Adapter) sendPrivateParts(ctx context.Context, p *pending, parts []string, comps []discordgo.MessageComponent) error {
	for n, part := range parts {
		var c []discordgo.MessageComponent
		if n == len(parts)-1 {
			c = comps
		}
		if err := a.sendPrivate(ctx, p, part, c); err != nil {
			return fmt.Errorf("discord: answer interaction: %w", err)
		}
	}
	return nil
}

// sendChannel posts parts to a channel, pins the first if asked, and
// returns the first message's reference.
func (a *Adapter) sendChannel(ctx context.Context, ch bot.ChannelID, parts []string, comps []discordgo.MessageComponent, pin bool) (bot.MessageRef, error) {
	id, ok := strings.CutPrefix(string(ch), "discord:")
	if !ok || id == "" {
		return "", fmt.Errorf("discord: send message: not a discord channel: %q", ch)
	}
	s, _, err := a.session()
	if err != nil {
		return "", err
	}
	rctx, cancel := context.WithTimeout(ctx, restTimeout)
	defer cancel()
	var ref bot.MessageRef
	for n, part := range parts {
		m := &discordgo.MessageSend{Content: part, AllowedMentions: noMentions()}
		if n == len(parts)-1 && len(comps) > 0 {
			m.Components = comps
		}
		msg, err := s.ChannelMessageSendComplex(id, m, discordgo.WithContext(rctx))
		if err != nil {
			return ref, fmt.Errorf("discord: send message to channel %s: %w", id, err)
		}
		if n == 0 {
			ref = makeRef(id, msg.ID)
			if pin {
				a.pin(rctx, s, id, msg.ID)
			}
		}
	}
	return ref, nil
}

// pin pins a message with Discord's current route; a failure (no Pin
// Messages permission) is logged and the message stays.
func (a *Adapter) pin(ctx context.Context, s *discordgo.Session, ch, msg string) {
	ep := discordgo.EndpointChannel(ch) + "/messages/pins/" + msg
	_, err := s.RequestWithBucketID(http.MethodPut, ep, nil, discordgo.EndpointChannel(ch)+"/messages/pins/", discordgo.WithContext(ctx))
	if err != nil {
		a.log.Warn().Err(err).Str("channel_id", ch).Str("message_id", msg).Msg("Pinning a message failed")
	}
}

// sendDM sends parts privately to a member by direct message. When the
// member has closed DMs (403, code 50007) and an interaction of theirs is
// being handled, it is shown there ephemerally instead.
func (a *Adapter) sendDM(ctx context.Context, to bot.MemberID, parts []string, comps []discordgo.MessageComponent, p *pending) (bot.MessageRef, error) {
	uid, ok := strings.CutPrefix(string(to), "discord:")
	if !ok || uid == "" {
		return "", fmt.Errorf("discord: send DM: not a discord member: %q", to)
	}
	ch, err := a.dmChannel(ctx, uid)
	if err == nil {
		var ref bot.MessageRef
		ref, err = a.sendChannel(ctx, bot.ChannelID("discord:"+ch), parts, comps, false)
		if err == nil {
			return ref, nil
		}
	}
	if p == nil || p.user() != uid {
		p = a.inter.byUser(uid)
	}
	if isCode(err, codeCannotDM) && p != nil {
		a.log.Info().Str("user_id", uid).Msg("Member has DMs closed; answering ephemerally instead")
		return "", a.sendPrivateParts(ctx, p, parts, comps)
	}
	return "", fmt.Errorf("discord: send DM to %s: %w", uid, err)
}

// dmChannel opens (or recalls) the DM channel with a user.
func (a *Adapter) dmChannel(ctx context.Context, uid string) (string, error) {
	if v, ok := a.dms.Load(uid); ok {
		return v.(string), nil
	}
	s, _, err := a.session()
	if err != nil {
		return "", err
	}
	rctx, cancel := context.WithTimeout(ctx, restTimeout)
	defer cancel()
	c, err := s.UserChannelCreate(uid, discordgo.WithContext(rctx))
	if err != nil {
		return "", fmt.Errorf("open DM channel: %w", err)
	}
	a.dms.Store(uid, c.ID)
	return c.ID, nil
}

// guildOf returns the server id of a Discord group id, or "".
func guildOf(g bot.GroupID) string {
	id, ok := strings.CutPrefix(string(g), "discord:")
	if !ok || !isSnowflake(id) {
		return ""
	}
	return id
}

// isCode reports whether err is a Discord REST error with JSON code code.
func isCode(err error, code int) bool {
	var re *discordgo.RESTError
	return errors.As(err, &re) && re.Message != nil && re.Message.Code == code
}

// makeRef and parseRef build and read message references:
// "discord:CHANNEL/MESSAGE".
func makeRef(ch, msg string) bot.MessageRef { return bot.MessageRef("discord:" + ch + "/" + msg) }

func parseRef(r bot.MessageRef) (ch, msg string, ok bool) {
	rest, ok := strings.CutPrefix(string(r), "discord:")
	if !ok {
		return "", "", false
	}
	ch, msg, ok = strings.Cut(rest, "/")
	return ch, msg, ok && ch != "" && msg != ""
}
