package matrix

import (
	"context"
	"fmt"
	"strings"

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
// *bot.UserError saying why.
func (a *Adapter) FacilitatorsOnly(ctx context.Context, g bot.GroupID, ch bot.ChannelID) (bool, error) {
	room, group := roomOf(string(ch)), roomOf(string(g))
	if !a.cli.StateStore.IsMembership(ctx, room, a.cli.UserID, event.MembershipJoin) {
		return false, bot.Userf(bot.T("I'm not in that room. Invite me there first, then try again."))
	}
	gpl, err := a.powerLevels(ctx, group)
	if err != nil {
		return false, err
	}
	need := a.threshold(gpl)
	var rules event.JoinRulesEventContent
	if err := a.cli.StateEvent(ctx, room, event.StateJoinRules, "", &rules); err == nil && rules.JoinRule != event.JoinRuleInvite && rules.JoinRule != "" {
		return false, bot.Userf(bot.T("Anyone can join that room, so it isn't private to facilitators. Make it invite-only first."))
	}
	var hist event.HistoryVisibilityEventContent
	if err := a.cli.StateEvent(ctx, room, event.StateHistoryVisibility, "", &hist); err == nil && hist.HistoryVisibility == event.HistoryVisibilityWorldReadable {
		return false, bot.Userf(bot.T("Anyone can read that room's history without joining. Change its history visibility first."))
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
	var below []string
	for _, u := range users {
		if u != a.cli.UserID && pl.GetUserLevel(u) < need {
			below = append(below, u.String())
		}
	}
	if len(below) > 0 {
		return false, bot.Userf(bot.T(fmt.Sprintf("Some people in that room are not facilitators (below power level %d), so it can't be the facilitators' room: ", need)).U(strings.Join(below, ", ")).P("."))
	}
	return true, nil
}

// ResolveChannel turns a room id ("!abc:server") or alias ("#team:server")
// into a channel, if the bot is in that room and only facilitators of g can
// read it; otherwise it returns a *bot.UserError.
func (a *Adapter) ResolveChannel(ctx context.Context, g bot.GroupID, ref string) (bot.ChannelID, error) {
	ref = strings.TrimSpace(ref)
	var room id.RoomID
	switch {
	case strings.HasPrefix(ref, "!"):
		room = id.RoomID(ref)
	case strings.HasPrefix(ref, "#"):
		res, err := a.cli.ResolveAlias(ctx, id.RoomAlias(ref))
		if err != nil {
			return "", bot.Userf(bot.T("I couldn't find a room called ").U(ref).P("."))
		}
		room = res.RoomID
	default:
		return "", bot.Userf(bot.T("Give the room's id (starting with !) or its address (starting with #)."))
	}
	ch := channelID(room)
	if ok, err := a.FacilitatorsOnly(ctx, g, ch); !ok {
		return "", err
	}
	return ch, nil
}
