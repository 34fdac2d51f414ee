package matrix

import (
	"context"
	"errors"
	"strings"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// initialSync reports whether ctx belongs to the first sync of a fresh
// store, whose timeline is backlog the bot must not answer.
func initialSync(ctx context.Context) bool {
	since, _ := ctx.Value(mautrix.SyncTokenContextKey).(string)
	return since == ""
}

// fresh reports whether evt should be acted on: it is in a timeline (not
// room state or backlog of the first sync), was not sent by the bot, and is
// not older than the bot's join of the room.
func (a *Adapter) fresh(ctx context.Context, evt *event.Event) bool {
	return evt.Sender != a.cli.UserID && a.recent(ctx, evt)
}

// recent is fresh without the check of the sender.
func (a *Adapter) recent(ctx context.Context, evt *event.Event) bool {
	if initialSync(ctx) {
		return false
	}
	if evt.Mautrix.EventSource&event.SourceTimeline == 0 {
		return false
	}
	joined, err := a.t.joined(ctx, evt.RoomID)
	if err != nil {
		a.log.Error().Err(err).Str("room_id", evt.RoomID.String()).Msg("Could not read room join time")
		return false
	}
	// An unknown room: the bot has not seen itself join, so everything in
	// it so far is from before.
	return !joined.IsZero() && !time.UnixMilli(evt.Timestamp).Before(joined)
}

// onFirstSync runs on every sync batch and acts on the first one of a fresh
// store: the bot may already be in rooms whose join time it never saw, so
// it counts as joined now and only what comes later is answered.
func (a *Adapter) onFirstSync(ctx context.Context, resp *mautrix.RespSync, since string) bool {
	if since != "" {
		return true
	}
	for room := range resp.Rooms.Join {
		joined, err := a.t.joined(ctx, room)
		if err == nil && joined.IsZero() {
			err = a.t.setJoined(ctx, room, time.Now())
		}
		if err != nil {
			a.log.Error().Err(err).Str("room_id", room.String()).Msg("Could not record room join")
		}
	}
	return true
}

// onMember handles invites of the bot, its own joins, and members joining
// and leaving groups and DM rooms.
func (a *Adapter) onMember(ctx context.Context, evt *event.Event) {
	mem := evt.Content.AsMember()
	prev := event.MembershipLeave
	if evt.Unsigned.PrevContent != nil {
		_ = evt.Unsigned.PrevContent.ParseRaw(event.StateMember)
		prev = evt.Unsigned.PrevContent.AsMember().Membership
	}
	if evt.GetStateKey() == a.cli.UserID.String() {
		a.onOwnMember(ctx, evt, mem, prev)
		return
	}
	user := id.UserID(evt.GetStateKey())
	dmUser, err := a.t.dmMember(ctx, evt.RoomID)
	if err != nil {
		a.log.Error().Err(err).Msg("Could not look up DM room")
		return
	}
	if dmUser != "" {
		a.onDMMember(ctx, evt.RoomID, dmUser, user, mem.Membership)
		return
	}
	if !a.recent(ctx, evt) {
		return
	}
	var kind bot.EventKind
	switch {
	case mem.Membership == event.MembershipJoin && prev != event.MembershipJoin:
		kind = bot.EventJoin
	case (mem.Membership == event.MembershipLeave || mem.Membership == event.MembershipBan) && prev == event.MembershipJoin:
		kind = bot.EventLeave
	default:
		return
	}
	name := mem.Displayname
	if name == "" {
		name = a.displayName(ctx, evt.RoomID, user)
	}
	a.handle(ctx, bot.Event{
		ID:        evt.ID.String(),
		Kind:      kind,
		Group:     groupID(evt.RoomID),
		Channel:   channelID(evt.RoomID),
		GroupName: a.roomName(ctx, evt.RoomID),
		Member:    bot.Member{ID: memberID(user), Name: name, Facilitator: a.isFacilitator(ctx, evt.RoomID, evt.RoomID, user)},
	})
}

// onDMMember follows the members of dmUser's direct chat, from the
// timeline or from room state: the member leaving or rejecting it marks it
// declined; anyone else joining or being invited ends its use as a direct
// chat (see retireDM).
func (a *Adapter) onDMMember(ctx context.Context, room id.RoomID, dmUser, user id.UserID, m event.Membership) {
	switch {
	case user == dmUser && (m == event.MembershipLeave || m == event.MembershipBan):
		if err := a.t.declineDM(ctx, user, room); err != nil {
			a.log.Error().Err(err).Msg("Could not mark DM room declined")
		}
		a.log.Info().Str("room_id", room.String()).Msg("Member left or rejected their DM room")
	case user != dmUser && user != a.cli.UserID && (m == event.MembershipJoin || m == event.MembershipInvite):
		a.dmMu.Lock()
		a.retireDM(ctx, dmUser, room)
		a.dmMu.Unlock()
	}
}

// onOwnMember accepts or rejects invites and records when the bot joined.
func (a *Adapter) onOwnMember(ctx context.Context, evt *event.Event, mem *event.MemberEventContent, prev event.Membership) {
	log := a.log.With().Str("room_id", evt.RoomID.String()).Str("inviter", evt.Sender.String()).Logger()
	switch mem.Membership {
	case event.MembershipInvite:
		// The invite also shows up in the room's timeline once joined.
		if evt.Mautrix.EventSource&event.SourceInvite == 0 {
			return
		}
		direct := mem.IsDirect
		var allowed bool
		if direct {
			// A direct chat only from a member of a group, joined now.
			var err error
			if allowed, err = a.joinedInGroup(ctx, evt.Sender); err != nil {
				log.Error().Err(err).Msg("Could not check the inviter's groups")
			}
		} else {
			allowed = a.cfg.inviterAllowed(evt.Sender.String())
		}
		if !allowed {
			log.Info().Bool("direct", direct).Msg("Rejecting invite from someone not allowed to invite the bot")
			if _, err := a.cli.LeaveRoom(ctx, evt.RoomID); err != nil {
				log.Warn().Err(err).Msg("Could not reject invite")
			}
			return
		}
		if err := a.join(ctx, evt.RoomID); err != nil {
			log.Warn().Err(err).Msg("Could not join room after invite")
			return
		}
		if err := a.t.setJoined(ctx, evt.RoomID, time.Now()); err != nil {
			log.Error().Err(err).Msg("Could not record room join")
		}
		if direct {
			if two, err := a.onlyTwo(ctx, evt.RoomID, evt.Sender); !two {
				log.Info().AnErr("check_error", err).Msg("Leaving a direct chat that has someone else in it")
				if _, err := a.cli.LeaveRoom(ctx, evt.RoomID); err != nil {
					log.Warn().Err(err).Msg("Could not leave room")
				}
				return
			}
			if err := a.t.setDM(ctx, evt.Sender, evt.RoomID); err != nil {
				log.Error().Err(err).Msg("Could not record DM room")
			}
			a.addDirect(ctx, evt.Sender, evt.RoomID)
		}
		log.Info().Bool("direct", direct).Msg("Joined room after invite")
	case event.MembershipJoin:
		if prev == event.MembershipJoin || evt.Mautrix.EventSource&event.SourceTimeline == 0 {
			return
		}
		if err := a.t.setJoined(ctx, evt.RoomID, time.UnixMilli(evt.Timestamp)); err != nil {
			log.Error().Err(err).Msg("Could not record room join")
		}
	}
}

// join joins room, trying again after server errors: joining twice is
// harmless, and an invite not acted on now would wait for a restart.
func (a *Adapter) join(ctx context.Context, room id.RoomID) error {
	var err error
	for attempt := 1; attempt <= 4; attempt++ {
		if _, err = a.cli.JoinRoomByID(ctx, room); err == nil {
			return nil
		}
		var he mautrix.HTTPError
		if !errors.As(err, &he) || he.Response == nil || he.Response.StatusCode < 500 {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt) * 500 * time.Millisecond):
		}
	}
	return err
}

// onMessage turns a member's text message into a command, if it is one.
// In a member's DM room anything else they send (words, a picture, a voice
// message) is a private message to the bot, handed to the core without its
// content; in a group room it is chat and is not read.
func (a *Adapter) onMessage(ctx context.Context, evt *event.Event) {
	if !a.fresh(ctx, evt) {
		return
	}
	msg := evt.Content.AsMessage()
	// An edit is not a new message; a notice is another bot's; a
	// verification request is the member's client talking to the bot's.
	if msg.RelatesTo.GetReplaceID() != "" || msg.MsgType == event.MsgNotice || msg.MsgType == event.MsgVerificationRequest {
		return
	}
	dmUser, ignore, err := a.dmMemberNow(ctx, evt.RoomID)
	if err != nil {
		a.log.Error().Err(err).Msg("Could not look up DM room")
		return
	}
	if ignore {
		return
	}
	var cmd bot.Command
	isCmd := false
	if msg.MsgType == event.MsgText {
		// A structured command (MSC4391, experimental) is read by its
		// arguments; its body is the client's rendering of them.
		if c := a.getCore(); c != nil {
			var err error
			cmd, isCmd, err = structuredCommand(c.Commands(), a.cli.UserID, msg)
			if err != nil {
				a.log.Info().Err(err).Str("room_id", evt.RoomID.String()).Str("event_id", evt.ID.String()).
					Msg("Ignored a structured command (experimental MSC4391) that could not be read")
				return
			}
		}
		if !isCmd {
			msg.RemoveReplyFallback()
			cmd, isCmd = a.parse(msg.Body, dmUser != "")
		}
	}
	if !isCmd && dmUser == "" {
		return
	}
	ev, ok := a.baseEvent(ctx, evt, dmUser)
	if !ok {
		return
	}
	if !isCmd {
		ev.Kind = bot.EventMessage
		a.handle(ctx, ev)
		return
	}
	ev.Command = cmd
	ev.ReplyTo = msg.RelatesTo.GetReplyTo().String() // the post a !cw answers (warn.go)
	if !ev.Private && cmd.Sensitive() {
		// Removed before the core answers, so its answer can say so.
		ev.Removed = a.hideSensitive(ctx, evt)
	}
	a.handle(ctx, ev)
}

// onReaction runs the action behind a member's reaction on a bot message.
func (a *Adapter) onReaction(ctx context.Context, evt *event.Event) {
	if !a.fresh(ctx, evt) {
		return
	}
	rel := evt.Content.AsReaction().GetRelatesTo()
	target, key := rel.GetAnnotationID(), rel.GetAnnotationKey()
	if target == "" {
		return
	}
	line, err := a.t.action(ctx, target, key)
	if err != nil {
		a.log.Error().Err(err).Msg("Could not look up reaction action")
		return
	}
	if line == "" {
		return
	}
	c := a.getCore()
	if c == nil {
		return
	}
	// The line is one the core offered (an Action's Command), not member
	// text.
	cmd, ok := c.Commands().ParseLine(line)
	if !ok {
		return
	}
	dmUser, ignore, err := a.dmMemberNow(ctx, evt.RoomID)
	if err != nil {
		a.log.Error().Err(err).Msg("Could not look up DM room")
		return
	}
	if ignore {
		return
	}
	ev, ok := a.baseEvent(ctx, evt, dmUser)
	if !ok {
		return
	}
	ev.Command = cmd
	if !ev.Private && cmd.Sensitive() {
		// Everyone in the room sees a reaction, as they see a command.
		ev.Removed = a.hideSensitive(ctx, evt)
	}
	a.handle(ctx, ev)
}

// parse reads "!checkin green" or "peerbot: checkin green", and in a
// member's DM room also a command without prefix ("checkin green"). It
// returns false for chat, and in a DM room for a line without prefix that
// does not start with a command's name: "I want to die" is a message, not
// a mistyped command "i", and its first word is not passed on.
func (a *Adapter) parse(body string, private bool) (bot.Command, bool) {
	c := a.getCore()
	if c == nil {
		return bot.Command{}, false
	}
	table := c.Commands()
	if cmd, ok := table.ParseText(a.getPrefix(), body); ok {
		return cmd, true
	}
	text := strings.TrimSpace(body)
	lower := strings.ToLower(text)
	a.mu.RLock()
	names := a.names
	a.mu.RUnlock()
	for _, n := range names {
		if n == "" || !strings.HasPrefix(lower, n) {
			continue
		}
		rest := text[len(n):]
		if strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, ",") {
			return table.ParseLine(rest[1:])
		}
	}
	if private {
		if cmd, ok := table.ParseLine(text); ok && cmd.Spec() != nil {
			return cmd, true
		}
	}
	return bot.Command{}, false
}

// baseEvent fills the parts of a command event that come from where it was
// sent: a DM room (dmUser is the member whose DM room it is) makes it
// private with no group; a group room makes it public there. It returns
// false for someone else's message in a member's DM room.
func (a *Adapter) baseEvent(ctx context.Context, evt *event.Event, dmUser id.UserID) (bot.Event, bool) {
	ev := bot.Event{ID: evt.ID.String(), Kind: bot.EventCommand}
	ev.Member = bot.Member{ID: memberID(evt.Sender), Name: a.displayName(ctx, evt.RoomID, evt.Sender)}
	if dmUser != "" {
		if dmUser != evt.Sender {
			return bot.Event{}, false // someone else in a member's DM room
		}
		ev.Private = true
		return ev, true
	}
	ev.Group = groupID(evt.RoomID)
	ev.Channel = channelID(evt.RoomID)
	ev.GroupName = a.roomName(ctx, evt.RoomID)
	ev.Member.Facilitator = a.isFacilitator(ctx, evt.RoomID, evt.RoomID, evt.Sender)
	return ev, true
}

// handle passes ev to the core. The core logs failures and answers the
// member itself; the outcome is only logged here, without content.
func (a *Adapter) handle(ctx context.Context, ev bot.Event) {
	c := a.getCore()
	if c == nil {
		return
	}
	out := c.Handle(ctx, ev)
	a.log.Debug().Str("event_id", ev.ID).Str("group_id", string(ev.Group)).Stringer("outcome", out).Msg("Handled a Matrix event")
}

// displayName returns the member's display name in room, or their localpart.
func (a *Adapter) displayName(ctx context.Context, room id.RoomID, user id.UserID) string {
	if m, err := a.cli.StateStore.GetMember(ctx, room, user); err == nil && m != nil && m.Displayname != "" {
		return m.Displayname
	}
	return user.Localpart()
}

// onDecryptError has the core ask the sender, once per Megolm session, to
// send again.
func (a *Adapter) onDecryptError(evt *event.Event, err error) {
	ctx := context.Background()
	if evt.Sender == a.cli.UserID {
		return
	}
	if joined, jerr := a.t.joined(ctx, evt.RoomID); jerr != nil || joined.IsZero() || time.UnixMilli(evt.Timestamp).Before(joined) {
		return
	}
	a.log.Warn().Err(err).Str("event_id", evt.ID.String()).Str("room_id", evt.RoomID.String()).Msg("Could not decrypt a Matrix message")
	first, oerr := a.t.once(ctx, undecryptableKey(evt.Sender, evt.Content.AsEncrypted().SessionID))
	if oerr != nil {
		a.log.Error().Err(oerr).Msg("Could not record the note about an undecryptable message")
		return
	}
	c := a.getCore()
	if !first || c == nil {
		return
	}
	c.Report(ctx, bot.Condition{
		Kind: bot.Undecryptable, Group: a.groupOrEmpty(ctx, evt.RoomID),
		Member: memberID(evt.Sender), MemberName: a.displayName(ctx, evt.RoomID, evt.Sender),
	})
}

// groupOrEmpty returns room's group id, or "" for a DM room.
func (a *Adapter) groupOrEmpty(ctx context.Context, room id.RoomID) bot.GroupID {
	if u, err := a.t.dmMember(ctx, room); err != nil || u != "" {
		return ""
	}
	return groupID(room)
}

// roomName returns the room's name (m.room.name), or "" when it has none.
// Names are cached for the life of the process; a rename shows after a
// restart.
func (a *Adapter) roomName(ctx context.Context, room id.RoomID) string {
	a.namesMu.Lock()
	name, ok := a.roomNames[room]
	a.namesMu.Unlock()
	if ok {
		return name
	}
	var c event.RoomNameEventContent
	if err := a.cli.StateEvent(ctx, room, event.StateRoomName, "", &c); err != nil && !errors.Is(err, mautrix.MNotFound) {
		return ""
	}
	a.namesMu.Lock()
	a.roomNames[room] = c.Name
	a.namesMu.Unlock()
	return c.Name
}
