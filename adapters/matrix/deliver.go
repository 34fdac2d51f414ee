package matrix

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// Deliver shows r on Matrix as an m.notice: Public in the group's room,
// Private in the member's DM room, Facilitators in the facilitators' room
// (r.Channel) or by DM to each member of the group's room whose power level
// reaches the threshold. Actions become reactions plus the core's hint
// naming the text commands; Edit becomes an m.replace; Pin pins the message
// when the bot may (else it reports CannotPin), in the background and
// retried until it lands (see pins). It returns the reference of
// the message (for Facilitators by DM, the first one), or a *bot.Condition
// (Unreachable) when the member declined their DM room.
func (a *Adapter) Deliver(ctx context.Context, r bot.Reply) (bot.MessageRef, error) {
	switch r.Visibility {
	case bot.Public:
		target := string(r.Channel)
		if target == "" {
			target = string(r.Group)
		}
		if target == "" {
			return "", errors.New("deliver public: no channel")
		}
		return a.send(ctx, roomOf(target), r)
	case bot.Private:
		return a.deliverPrivate(ctx, r)
	case bot.Facilitators:
		return a.deliverFacilitators(ctx, r)
	}
	return "", fmt.Errorf("deliver: unknown visibility %d", r.Visibility)
}

// deliverPrivate sends r to its member's DM room. When the member left or
// rejected that room it returns a *bot.Condition (Unreachable): the core
// then tells the group, never with the content.
func (a *Adapter) deliverPrivate(ctx context.Context, r bot.Reply) (bot.MessageRef, error) {
	ref, err := a.sendPrivate(ctx, r)
	if errors.Is(err, errDeclined) {
		name := r.ToName
		if name == "" && r.Group != "" {
			name = a.displayName(ctx, roomOf(string(r.Group)), userOf(r.To))
		}
		return "", &bot.Condition{Kind: bot.Unreachable, Group: r.Group, Member: r.To, MemberName: name, Err: err}
	}
	return ref, err
}

// sendPrivate sends r to its member's DM room, creating the room the first
// time. It returns an error wrapping errDeclined when the member left or
// rejected it.
func (a *Adapter) sendPrivate(ctx context.Context, r bot.Reply) (bot.MessageRef, error) {
	if r.To == "" {
		return "", errors.New("deliver private: no member")
	}
	if r.Edit != "" {
		return a.send(ctx, "", r)
	}
	room, err := a.dmRoom(ctx, userOf(r.To))
	if err != nil {
		return "", fmt.Errorf("deliver private: %w", err)
	}
	return a.send(ctx, room, r)
}

// deliverFacilitators sends r to the facilitators' room, or else to each
// facilitator's DM room. A facilitator who cannot be reached is only
// logged: the group is never told about them. It returns an Unreachable
// condition only when no facilitator could be reached because all of them
// declined their DM rooms.
func (a *Adapter) deliverFacilitators(ctx context.Context, r bot.Reply) (bot.MessageRef, error) {
	if r.Channel != "" {
		return a.send(ctx, roomOf(string(r.Channel)), r)
	}
	if r.Edit != "" {
		return a.send(ctx, "", r)
	}
	var users []id.UserID
	if r.Group != "" {
		var err error
		users, err = a.facilitators(ctx, roomOf(string(r.Group)))
		if err != nil {
			return "", fmt.Errorf("deliver to facilitators: %w", err)
		}
	}
	if len(users) == 0 && r.To != "" {
		// The core's fallback facilitator, only while they still are one.
		ok := r.Group == ""
		if !ok {
			var err error
			if ok, err = a.IsFacilitator(ctx, r.Group, r.To); err != nil {
				return "", fmt.Errorf("deliver to facilitators: %w", err)
			}
		}
		if ok {
			users = []id.UserID{userOf(r.To)}
		}
	}
	if len(users) == 0 {
		return "", errors.New("deliver to facilitators: the group has no facilitators to tell")
	}
	var first bot.MessageRef
	var errs []error
	allDeclined := true
	for _, u := range users {
		p := r
		p.Visibility, p.To, p.ToName = bot.Private, memberID(u), ""
		ref, err := a.sendPrivate(ctx, p)
		if err != nil {
			errs = append(errs, err)
			allDeclined = allDeclined && errors.Is(err, errDeclined)
			continue
		}
		if first == "" {
			first = ref
		}
	}
	if first == "" {
		err := fmt.Errorf("deliver to facilitators: %w", errors.Join(errs...))
		if allDeclined {
			return "", &bot.Condition{Kind: bot.Unreachable, Group: r.Group, Err: err}
		}
		return "", err
	}
	for _, err := range errs {
		a.log.Warn().Err(err).Msg("Could not reach one facilitator")
	}
	return first, nil
}

// send posts (or edits) r in room and adds its reactions and pin.
func (a *Adapter) send(ctx context.Context, room id.RoomID, r bot.Reply) (bot.MessageRef, error) {
	if r.Edit != "" {
		return a.edit(ctx, r)
	}
	text, offered := a.withActions(r.Language, r.Text, r.Actions)
	resp, err := a.cli.SendMessageEvent(ctx, room, event.EventMessage, content(text))
	if err != nil {
		return "", fmt.Errorf("send message: %w", err)
	}
	if err := a.offer(ctx, room, resp.EventID, offered, nil); err != nil {
		return "", err
	}
	if r.Pin {
		a.pin(room, resp.EventID, r.Group)
	}
	return messageRef(room, resp.EventID), nil
}

// edit replaces the message r.Edit with r. Nil r.Actions keeps the actions
// the message offers; an empty list removes them (and the bot's reactions).
func (a *Adapter) edit(ctx context.Context, r bot.Reply) (bot.MessageRef, error) {
	room, orig, ok := parseRef(r.Edit)
	if !ok {
		return "", fmt.Errorf("edit message: bad reference %q", r.Edit)
	}
	// The reactions offered on it so far are out and stored.
	a.reacts.wait(room)
	had, err := a.t.actions(ctx, orig)
	if err != nil {
		return "", err
	}
	had = a.sync.withNoted(orig, had)
	actions := r.Actions
	if actions == nil {
		for _, h := range had {
			actions = append(actions, bot.Action{Command: h.Command, Emoji: h.Emoji})
		}
	}
	text, offered := a.withActions(r.Language, r.Text, actions)
	c := content(text)
	c.SetEdit(orig)
	if _, err := a.cli.SendMessageEvent(ctx, room, event.EventMessage, c); err != nil {
		return "", fmt.Errorf("edit message: %w", err)
	}
	if err := a.offer(ctx, room, orig, offered, had); err != nil {
		return "", err
	}
	return r.Edit, nil
}

// offer makes the actions on ev exactly offered: it records each and adds
// the bot's reaction for new ones, and withdraws those no longer offered.
// Actions are recorded before reacting, so a quick member's reaction is
// understood; the reactions themselves go out in the background (see
// reactions), so that the sync loop is not held up by them.
func (a *Adapter) offer(ctx context.Context, room id.RoomID, ev id.EventID, offered []bot.Action, had []storedAction) error {
	have := map[string]bool{}
	for _, h := range had {
		if slices.ContainsFunc(offered, func(o bot.Action) bool { return o.Emoji == h.Emoji }) {
			have[h.Emoji] = true
			continue
		}
		if err := a.t.deleteAction(ctx, ev, h.Emoji); err != nil {
			return err
		}
		if h.Reaction != "" {
			if _, err := a.cli.RedactEvent(ctx, room, h.Reaction); err != nil {
				a.log.Warn().Err(err).Str("room_id", room.String()).Msg("Could not withdraw action reaction")
			}
		}
	}
	react := map[string]bool{}
	for _, o := range offered {
		react[o.Emoji] = !have[o.Emoji]
	}
	if err := a.t.saveActions(ctx, room, ev, offered, react); err != nil {
		return err
	}
	for _, o := range offered {
		if react[o.Emoji] {
			a.react(room, ev, o.Emoji)
		}
	}
	return nil
}

// withActions appends the core's hint naming the actions to t (in lang) and returns
// the actions that work as reactions (one per emoji, not asking for words);
// the others are to be typed.
func (a *Adapter) withActions(lang string, t bot.Text, actions []bot.Action) (bot.Text, []bot.Action) {
	var reacts, types []bot.Action
	for _, act := range actions {
		if act.Emoji != "" && act.Input == nil &&
			!slices.ContainsFunc(reacts, func(r bot.Action) bool { return r.Emoji == act.Emoji }) {
			reacts = append(reacts, act)
			continue
		}
		types = append(types, act)
	}
	hint := bot.ActionHint(lang, a.getPrefix(), reacts, types)
	if len(hint) == 0 {
		return t, reacts
	}
	return append(append(bot.Text{}, t...).NL(), hint...), reacts
}
