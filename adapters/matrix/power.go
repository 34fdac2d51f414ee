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
// fetching them from the homeserver when the store has none.
func (a *Adapter) powerLevels(ctx context.Context, room id.RoomID) (*event.PowerLevelsEventContent, error) {
	pl, err := a.cli.StateStore.GetPowerLevels(ctx, room)
	if err == nil && pl != nil {
		return pl, nil
	}
	pl = &event.PowerLevelsEventContent{}
	if err := a.cli.StateEvent(ctx, room, event.StatePowerLevels, "", pl); err != nil {
		return nil, fmt.Errorf("fetch power levels: %w", err)
	}
	if err := a.cli.StateStore.SetPowerLevels(ctx, room, pl); err != nil {
		return nil, fmt.Errorf("store power levels: %w", err)
	}
	return pl, nil
}

// threshold is the power level from which a member of group room is a
// facilitator: the configured level, else the room's kick level.
func (a *Adapter) threshold(pl *event.PowerLevelsEventContent) int {
	if a.cfg.FacilitatorPowerLevel != nil {
		return *a.cfg.FacilitatorPowerLevel
	}
	return pl.Kick()
}

// isFacilitator reports whether user's power level in room reaches the
// threshold of group room.
func (a *Adapter) isFacilitator(ctx context.Context, group, room id.RoomID, user id.UserID) bool {
	gpl, err := a.powerLevels(ctx, group)
	if err != nil {
		a.log.Warn().Err(err).Str("room_id", group.String()).Msg("Could not read power levels")
		return false
	}
	pl := gpl
	if room != group {
		if pl, err = a.powerLevels(ctx, room); err != nil {
			return false
		}
	}
	return pl.GetUserLevel(user) >= a.threshold(gpl)
}

// facilitators lists the joined members of room (not the bot) whose power
// level reaches the threshold.
func (a *Adapter) facilitators(ctx context.Context, room id.RoomID) ([]id.UserID, error) {
	pl, err := a.powerLevels(ctx, room)
	if err != nil {
		return nil, err
	}
	members, err := a.cli.StateStore.GetRoomJoinedOrInvitedMembers(ctx, room)
	if err != nil {
		return nil, fmt.Errorf("list room members: %w", err)
	}
	var out []id.UserID
	for _, u := range members {
		if u != a.cli.UserID && pl.GetUserLevel(u) >= a.threshold(pl) &&
			a.cli.StateStore.IsMembership(ctx, room, u, event.MembershipJoin) {
			out = append(out, u)
		}
	}
	return out, nil
}

// FacilitatorsOnly reports whether only facilitators of group g can read
// room ch: the bot is in it, nobody can join without an invite or read it
// without joining, and every other member (joined or invited) has a power
// level at or above g's facilitator threshold. A false answer comes with a
// *bot.PlaceError saying why; other errors are failures to find out.
func (a *Adapter) FacilitatorsOnly(ctx context.Context, g bot.GroupID, ch bot.ChannelID) (bool, error) {
	room, group := roomOf(string(ch)), roomOf(string(g))
	if !a.cli.StateStore.IsMembership(ctx, room, a.cli.UserID, event.MembershipJoin) {
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
	members, err := a.cli.JoinedMembers(ctx, room)
	if err != nil {
		return false, fmt.Errorf("list room members: %w", err)
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

// ResolveChannel turns a room id ("!abc:server") or alias ("#team:server")
// into a channel. It returns a *bot.PlaceError when ref is neither or names
// no room; whether the room may be the facilitators' place is for
// FacilitatorsOnly, which the core asks next.
func (a *Adapter) ResolveChannel(ctx context.Context, _ bot.GroupID, ref string) (bot.ChannelID, error) {
	ref = strings.TrimSpace(ref)
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
