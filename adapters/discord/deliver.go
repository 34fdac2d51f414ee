package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// Discord's JSON error codes the adapter acts on.
const (
	// codeCannotDM: "Cannot send messages to this user": the member has
	// closed DMs from server members.
	codeCannotDM = discordgo.ErrCodeCannotSendMessagesToThisUser
	// codeUnknownInteraction: the 3 s for an interaction's first response
	// ran out.
	codeUnknownInteraction = discordgo.ErrCodeUnknownInteraction
	// codeUnknownWebhook: an interaction's token (15 minutes) ran out, so
	// it takes no more follow-ups or edits.
	codeUnknownWebhook = discordgo.ErrCodeUnknownWebhook
)

// Deliver shows r on Discord. Private replies to a member's own
// interaction are ephemeral (its response, then follow-ups); other private
// replies are DMs. Public replies are channel messages (in the server's
// system channel when r names no channel). Facilitators' replies go to the
// facilitators' channel when set, else by DM to r.To. An edit (r.Edit) is
// debounced: it returns at once and the message shows the latest state
// within a few seconds. Every payload pings nobody. Deliver returns a
// reference for channel and DM messages, "" for ephemeral ones. When a
// pin fails the message stays and the core is told (bot.CannotPin).
//
// When nothing was shown because of the member or Discord, the error is a
// *bot.Condition: Unreachable (DMs closed and no interaction of theirs to
// answer instead), InteractionExpired, or RateLimited (an interaction
// answer, which cannot wait out a rate limit).
func (a *Adapter) Deliver(ctx context.Context, r bot.Reply) (bot.MessageRef, error) {
	_, c, err := a.session()
	if err != nil {
		return "", err
	}
	content := a.render(r.Text, false)
	if (r.Key != "" || r.Edit != "") && utf8.RuneCountInString(content) > maxContent {
		// One message, edited later (the round status): the core kept it
		// within TextLimit, which leaves room for the bot's own markup
		// but not for backslashes before members' words.
		content = a.render(r.Text, true)
	}
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
			return "", condition(a.sendPrivateParts(ctx, p, parts, comps), r)
		}
		return a.sendDM(ctx, r, parts, a.buttons(r.Actions, guildOf(r.Group)), p)
	case bot.Public:
		ch := r.Channel
		if ch == "" {
			if sys := a.guild(guildOf(r.Group)).systemChannel; sys != "" {
				ch = bot.ChannelID("discord:" + sys)
			}
		}
		return a.post(ctx, c, r, ch, parts, comps)
	case bot.Facilitators:
		if r.Channel != "" {
			return a.post(ctx, c, r, r.Channel, parts, comps)
		}
		if r.To != "" {
			return a.sendDM(ctx, r, parts, comps, a.inter.get(r.InReplyTo))
		}
		return "", errors.New("discord: deliver to facilitators: no facilitators' channel and no facilitator to tell")
	}
	return "", fmt.Errorf("discord: deliver: unknown visibility %d", r.Visibility)
}

// statusMarkup is the room TextLimit leaves for what render adds to the
// bot's own words in a round status: "**" around the title, "`/…`"
// around each command (16 characters in all today). Members' names and
// the round's prompt are rendered one character for one there when they
// would not fit otherwise (compactUser), so a status the core kept
// within TextLimit always fits in one message.
const statusMarkup = 100

// TextLimit is how many characters of the core's text (Text.String()) a
// round status may have on Discord: the 2,000 of a message, less room for
// markup (statusMarkup).
func (a *Adapter) TextLimit(bot.GroupID) int { return maxContent - statusMarkup }

// render renders t for Discord, with commands as Discord runs them and,
// when compact, members' words escaped by substitution (renderer).
func (a *Adapter) render(t bot.Text, compact bool) string {
	return renderer{slash: a.slashSet().line, compact: compact}.render(t)
}

// post sends parts to channel ch and pins the first if r asks; a pin that
// fails is reported to the core.
func (a *Adapter) post(ctx context.Context, c bot.Core, r bot.Reply, ch bot.ChannelID, parts []string, comps []discordgo.MessageComponent) (bot.MessageRef, error) {
	ref, err := a.sendChannel(ctx, ch, parts, comps)
	if err != nil || !r.Pin {
		return ref, err
	}
	if cid, msg, ok := parseRef(ref); ok {
		if err := a.pin(ctx, cid, msg); err != nil {
			a.log.Warn().Err(err).Str("channel_id", cid).Str("message_id", msg).Msg("Pinning a message failed")
			c.Report(ctx, bot.Condition{Kind: bot.CannotPin, Group: r.Group, Err: err})
		}
	}
	return ref, nil
}

// condition returns err as the *bot.Condition it stands for, if any, with
// what the core needs to know about r's member.
func condition(err error, r bot.Reply) error {
	if err == nil {
		return nil
	}
	var kind bot.ConditionKind
	var rl *discordgo.RateLimitError
	switch {
	case errors.As(err, &rl):
		kind = bot.RateLimited
	case isCode(err, codeUnknownInteraction), isCode(err, codeUnknownWebhook):
		kind = bot.InteractionExpired
	case isCode(err, codeCannotDM):
		kind = bot.Unreachable
	default:
		return err
	}
	return &bot.Condition{Kind: kind, Group: r.Group, Member: r.To, MemberName: r.ToName, Err: err}
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

// sendChannel posts parts to a channel and returns the first message's
// reference.
func (a *Adapter) sendChannel(ctx context.Context, ch bot.ChannelID, parts []string, comps []discordgo.MessageComponent) (bot.MessageRef, error) {
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
		}
	}
	return ref, nil
}

// pin pins a message with Discord's current route. A failure (no Pin
// Messages permission) leaves the message as it is.
func (a *Adapter) pin(ctx context.Context, ch, msg string) error {
	s, _, err := a.session()
	if err != nil {
		return err
	}
	rctx, cancel := context.WithTimeout(ctx, restTimeout)
	defer cancel()
	ep := discordgo.EndpointChannel(ch) + "/messages/pins/" + msg
	_, err = s.RequestWithBucketID(http.MethodPut, ep, nil, discordgo.EndpointChannel(ch)+"/messages/pins/", discordgo.WithContext(rctx))
	return err
}

// sendDM sends parts privately to r.To by direct message. When the member
// has closed DMs (403, code 50007) and an interaction of theirs is being
// handled, it is shown there ephemerally instead; otherwise the member is
// Unreachable.
func (a *Adapter) sendDM(ctx context.Context, r bot.Reply, parts []string, comps []discordgo.MessageComponent, p *pending) (bot.MessageRef, error) {
	uid, ok := strings.CutPrefix(string(r.To), "discord:")
	if !ok || uid == "" {
		return "", fmt.Errorf("discord: send DM: not a discord member: %q", r.To)
	}
	ch, err := a.dmChannel(ctx, uid)
	if err == nil {
		var ref bot.MessageRef
		ref, err = a.sendChannel(ctx, bot.ChannelID("discord:"+ch), parts, comps)
		if err == nil {
			return ref, nil
		}
	}
	if !isCode(err, codeCannotDM) {
		return "", fmt.Errorf("discord: send DM to %s: %w", uid, err)
	}
	if p == nil || p.user() != uid {
		p = a.inter.byUser(uid)
	}
	if p != nil {
		a.log.Info().Str("user_id", uid).Msg("Member has DMs closed; answering ephemerally instead")
		perr := a.sendPrivateParts(ctx, p, parts, comps)
		if perr == nil {
			return "", nil
		}
		err = errors.Join(err, perr)
	}
	return "", &bot.Condition{Kind: bot.Unreachable, Group: r.Group, Member: r.To, MemberName: r.ToName, Err: fmt.Errorf("discord: send DM to %s: %w", uid, err)}
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
