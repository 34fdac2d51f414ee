package matrix

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// powerLevels returns the room's power levels from the state store,
// fetching them from the homeserver when the store has none, with the
// room's create event attached so that the creators of version 12 rooms
// rank above everyone (see v12.go).
func (a *Adapter) powerLevels(ctx context.Context, room id.RoomID) (*event.PowerLevelsEventContent, error) {
	pl, err := a.cli.StateStore.GetPowerLevels(ctx, room)
	if err == nil && pl != nil {
		return a.withCreate(ctx, room, pl), nil
	}
	pl = &event.PowerLevelsEventContent{}
	if err := a.cli.StateEvent(ctx, room, event.StatePowerLevels, "", pl); err != nil {
		return nil, fmt.Errorf("fetch power levels: %w", err)
	}
	if err := a.cli.StateStore.SetPowerLevels(ctx, room, pl); err != nil {
		return nil, fmt.Errorf("store power levels: %w", err)
	}
	return a.withCreate(ctx, room, pl), nil
}

// threshold is the power level from which a member of group room is a
// facilitator: the configured level, else the room's kick level.
func (a *Adapter) threshold(pl *event.PowerLevelsEventContent) int {
	if a.cfg.FacilitatorPowerLevel != nil {
		return *a.cfg.FacilitatorPowerLevel
	}
	return pl.Kick()
}

// facilitatorLevel returns the threshold of a group room with power levels
// pl, and whether it tells facilitators apart: it must be above
// users_default. A room whose default level reaches it would make every
// member a facilitator, and every private check-in would go to everyone;
// so in such a room nobody is a facilitator by level.
func (a *Adapter) facilitatorLevel(pl *event.PowerLevelsEventContent) (int, bool) {
	need := a.threshold(pl)
	return need, need > pl.UsersDefault
}

// isFacilitator reports whether user's power level in room reaches the
// threshold of group room. It is false in a group whose threshold does not
// tell facilitators apart (see facilitatorLevel).
func (a *Adapter) isFacilitator(ctx context.Context, group, room id.RoomID, user id.UserID) bool {
	gpl, err := a.powerLevels(ctx, group)
	if err != nil {
		a.log.Warn().Err(err).Str("room_id", group.String()).Msg("Could not read power levels")
		return false
	}
	need, ok := a.facilitatorLevel(gpl)
	if !ok {
		a.levelUnclear(ctx, group, gpl)
		return false
	}
	pl := gpl
	if room != group {
		if pl, err = a.powerLevels(ctx, room); err != nil {
			return false
		}
	}
	return pl.GetUserLevel(user) >= need
}

// IsFacilitator reports whether member m is a facilitator of group g now:
// joined in the group's room, with a power level at or above its threshold,
// in a room whose threshold tells facilitators apart. It returns an error
// only when the power levels cannot be read.
func (a *Adapter) IsFacilitator(ctx context.Context, g bot.GroupID, m bot.MemberID) (bool, error) {
	room, user := roomOf(string(g)), userOf(m)
	pl, err := a.powerLevels(ctx, room)
	if err != nil {
		return false, err
	}
	need, ok := a.facilitatorLevel(pl)
	if !ok {
		a.levelUnclear(ctx, room, pl)
		return false, nil
	}
	return user != a.cli.UserID && pl.GetUserLevel(user) >= need &&
		a.cli.StateStore.IsMembership(ctx, room, user, event.MembershipJoin), nil
}

// facilitators lists the joined members of room (not the bot) whose power
// level reaches the threshold; none when the threshold does not tell
// facilitators apart.
func (a *Adapter) facilitators(ctx context.Context, room id.RoomID) ([]id.UserID, error) {
	pl, err := a.powerLevels(ctx, room)
	if err != nil {
		return nil, err
	}
	need, ok := a.facilitatorLevel(pl)
	if !ok {
		a.levelUnclear(ctx, room, pl)
		return nil, nil
	}
	members, err := a.cli.StateStore.GetRoomJoinedOrInvitedMembers(ctx, room)
	if err != nil {
		return nil, fmt.Errorf("list room members: %w", err)
	}
	slices.Sort(members)
	var out []id.UserID
	for _, u := range members {
		if u != a.cli.UserID && pl.GetUserLevel(u) >= need &&
			a.cli.StateStore.IsMembership(ctx, room, u, event.MembershipJoin) {
			out = append(out, u)
		}
	}
	return out, nil
}

// levelUnclear notes, once per room until its power levels are fixed, that
// room's threshold does not tell facilitators apart.
//
// The room's admins are told in the room, by the core
// (bot.FacilitatorsUnclear), once: reported from its own goroutine, since
// this runs inside deliveries and checks the core is making.
func (a *Adapter) levelUnclear(ctx context.Context, room id.RoomID, pl *event.PowerLevelsEventContent) {
	first, err := a.t.once(ctx, levelUnclearKey(room))
	if err != nil {
		a.log.Error().Err(err).Str("room_id", room.String()).Msg("Could not record the note about facilitator levels")
		return
	}
	if first {
		a.log.Warn().Str("room_id", room.String()).Int("users_default", pl.UsersDefault).Int("threshold", a.threshold(pl)).
			Msg("Every member of this room reaches the facilitator power level by default; nobody is a facilitator by level until the threshold is raised above users_default")
		if c := a.getCore(); c != nil {
			cond := bot.Condition{Kind: bot.FacilitatorsUnclear, Group: groupID(room), Need: pl.UsersDefault + 1}
			go c.Report(context.WithoutCancel(ctx), cond)
		}
	}
}

func levelUnclearKey(room id.RoomID) string { return "facilitator-level:" + room.String() }

// onPowerLevels runs before the state store takes a group room's new power
// levels: it stores them first (so that what the core asks next sees them),
// then tells the core about each joined member whose facilitator status
// changed (bot.EventRoles), so that a demoted fallback facilitator gets no
// more private words.
//
// It sees every event, before the state store does; so it also has the
// commands offered (commands.go) after the bot's own join and after a
// change of power levels, once those are stored.
func (a *Adapter) onPowerLevels(ctx context.Context, evt *event.Event) {
	defer a.onCommandsState(ctx, evt)
	if evt.Type != event.StatePowerLevels || evt.GetStateKey() != "" || evt.Mautrix.IgnoreState || initialSync(ctx) {
		return
	}
	if evt.Mautrix.EventSource&(event.SourceJoin) == 0 {
		return
	}
	room := evt.RoomID
	if dm, err := a.t.dmMember(ctx, room); err != nil || dm != "" {
		return
	}
	newPL := evt.Content.AsPowerLevels()
	oldPL, err := a.cli.StateStore.GetPowerLevels(ctx, room)
	if err != nil || oldPL == nil {
		oldPL = nil
	}
	// The event's levels do not carry the create event; the stored ones
	// may (the state store joins it in).
	newPL = a.withCreate(ctx, room, newPL)
	oldPL = a.withCreate(ctx, room, oldPL)
	if err := a.cli.StateStore.SetPowerLevels(ctx, room, newPL); err != nil {
		a.log.Error().Err(err).Str("room_id", room.String()).Msg("Could not store new power levels")
		return
	}
	newNeed, newOK := a.facilitatorLevel(newPL)
	if newOK {
		if err := a.t.forgetOnce(ctx, levelUnclearKey(room)); err != nil {
			a.log.Error().Err(err).Msg("Could not clear the note about facilitator levels")
		}
	} else {
		a.levelUnclear(ctx, room, newPL)
	}
	if oldPL == nil {
		return
	}
	oldNeed, oldOK := a.facilitatorLevel(oldPL)
	members, err := a.state.GetRoomMembers(ctx, room, event.MembershipJoin)
	if err != nil {
		a.log.Error().Err(err).Str("room_id", room.String()).Msg("Could not list members after a power level change")
		return
	}
	users := make([]id.UserID, 0, len(members))
	for u := range members {
		users = append(users, u)
	}
	slices.Sort(users)
	for _, u := range users {
		was := oldOK && oldPL.GetUserLevel(u) >= oldNeed
		is := newOK && newPL.GetUserLevel(u) >= newNeed
		if u == a.cli.UserID || was == is {
			continue
		}
		a.log.Info().Str("room_id", room.String()).Str("user_id", u.String()).Bool("facilitator", is).Msg("A member's facilitator status changed")
		a.handle(ctx, bot.Event{
			ID:        evt.ID.String() + " " + u.String(),
			Kind:      bot.EventRoles,
			Group:     groupID(room),
			Channel:   channelID(room),
			GroupName: a.roomName(ctx, room),
			Member:    bot.Member{ID: memberID(u), Name: a.displayName(ctx, room, u), Facilitator: is},
		})
	}
}

// FacilitatorsOnly reports whether only facilitators of group g can read
// room ch: the bot is in it, nobody can join without an invite or read it
// without joining, and every other member (joined or invited) has a power
// level at or above g's facilitator threshold. A false answer comes with a
// *bot.PlaceError saying why; other errors are failures to find out.
func (a *Adapter) FacilitatorsOnly(ctx context.Context, g bot.GroupID, ch bot.ChannelID) (bool, error) {
	room, group := roomOf(string(ch)), roomOf(string(g))
	// The homeserver's list, not the state store: while a sync batch is
	// being processed the store can still show the bot's invite before
	// its join.
	members, err := a.cli.JoinedMembers(ctx, room)
	var he mautrix.HTTPError
	if errors.As(err, &he) && he.Response != nil && he.Response.StatusCode >= 400 && he.Response.StatusCode < 500 {
		return false, &bot.PlaceError{Problem: bot.PlaceBotAbsent} // not in the room, or no such room
	} else if err != nil {
		return false, fmt.Errorf("list room members: %w", err)
	}
	if _, in := members.Joined[a.cli.UserID]; !in {
		return false, &bot.PlaceError{Problem: bot.PlaceBotAbsent}
	}
	gpl, err := a.powerLevels(ctx, group)
	if err != nil {
		return false, err
	}
	need := a.threshold(gpl)
	var rules event.JoinRulesEventContent
	if err := a.cli.StateEvent(ctx, room, event.StateJoinRules, "", &rules); err == nil && rules.JoinRule != event.JoinRuleInvite && rules.JoinRule != "" {
		return false, &bot.PlaceError{Problem: bot.PlaceOpen}
	}
	var hist event.HistoryVisibilityEventContent
	if err := a.cli.StateEvent(ctx, room, event.StateHistoryVisibility, "", &hist); err == nil && hist.HistoryVisibility == event.HistoryVisibilityWorldReadable {
		return false, &bot.PlaceError{Problem: bot.PlaceHistoryOpen}
	}
	pl, err := a.powerLevels(ctx, room)
	if err != nil {
		return false, err
	}
	users := make([]id.UserID, 0, len(members.Joined))
	for u := range members.Joined {
		users = append(users, u)
	}
	if inv, err := a.state.GetRoomMembers(ctx, room, event.MembershipInvite); err == nil {
		for u := range inv {
			users = append(users, u)
		}
	}
	slices.Sort(users)
	var below []string
	for _, u := range users {
		if u != a.cli.UserID && pl.GetUserLevel(u) < need {
			below = append(below, a.displayName(ctx, room, u))
		}
	}
	if len(below) > 0 {
		return false, &bot.PlaceError{Problem: bot.PlaceOthersCanRead, Names: below, Need: need}
	}
	return true, nil
}

// ResolveChannel turns a room id ("!abc:server", or a version 12 room's
// "!" and 43 characters of unpadded URL-safe base64) or alias ("#team:server")
// into a channel. It returns a *bot.PlaceError when ref is neither or names
// no room; whether the room may be the facilitators' place is for
// FacilitatorsOnly, which the core asks next.
func (a *Adapter) ResolveChannel(ctx context.Context, _ bot.GroupID, ref string) (bot.ChannelID, error) {
	ref = strings.TrimSpace(ref)
	if v12RoomID(ref) {
		return channelID(id.RoomID(ref)), nil
	}
	// Both forms are a sigil, a local part, ":" and a server name.
	if len(ref) < 4 || !strings.Contains(ref[2:], ":") || strings.ContainsFunc(ref, unicode.IsSpace) {
		return "", &bot.PlaceError{Problem: bot.PlaceBadReference}
	}
	switch ref[0] {
	case '!':
		return channelID(id.RoomID(ref)), nil
	case '#':
		res, err := a.cli.ResolveAlias(ctx, id.RoomAlias(ref))
		var he mautrix.HTTPError
		if errors.Is(err, mautrix.MNotFound) || (errors.As(err, &he) && he.Response != nil && he.Response.StatusCode < 500) {
			return "", &bot.PlaceError{Problem: bot.PlaceNotFound}
		} else if err != nil {
			return "", fmt.Errorf("resolve room alias: %w", err)
		}
		return channelID(res.RoomID), nil
	}
	return "", &bot.PlaceError{Problem: bot.PlaceBadReference}
}
