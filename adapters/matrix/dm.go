package matrix

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// errDeclined: the member left or rejected their DM room with the bot.
var errDeclined = errors.New("the member left or rejected their direct chat with the bot")

// dmRoom returns the bot's DM room with user, creating it (is_direct,
// encrypted when encryption is on, recorded in m.direct) the first time,
// and again when someone else is in the old one.
// It returns errDeclined when the member left or rejected it.
func (a *Adapter) dmRoom(ctx context.Context, user id.UserID) (id.RoomID, error) {
	a.dmMu.Lock()
	defer a.dmMu.Unlock()
	room, declined, err := a.t.dm(ctx, user)
	if err != nil {
		return "", err
	}
	if declined {
		return "", errDeclined
	}
	if room != "" {
		if a.cli.StateStore.IsMembership(ctx, room, user, event.MembershipLeave, event.MembershipBan) {
			if err := a.t.declineDM(ctx, user, room); err != nil {
				return "", err
			}
			return "", errDeclined
		}
		others, err := a.othersInDM(ctx, room, user)
		if err != nil {
			return "", err
		}
		if len(others) == 0 {
			return room, nil
		}
		a.retireDM(ctx, user, room) // and open a new one
	}
	req := &mautrix.ReqCreateRoom{
		Preset:   "trusted_private_chat",
		IsDirect: true,
		Invite:   []id.UserID{user},
	}
	enc := &event.EncryptionEventContent{Algorithm: id.AlgorithmMegolmV1}
	if a.crypto != nil {
		req.InitialState = []*event.Event{{
			Type:    event.StateEncryption,
			Content: event.Content{Parsed: enc},
		}}
	}
	resp, err := a.cli.CreateRoom(ctx, req)
	if err != nil {
		return "", fmt.Errorf("create dm room: %w", err)
	}
	room = resp.RoomID
	// The sync that reports the new room may come after the first message,
	// so the state store learns now that it is encrypted and who is in it:
	// otherwise that message would go out unencrypted, or unshared.
	st := a.cli.StateStore
	_ = st.SetMembership(ctx, room, a.cli.UserID, event.MembershipJoin)
	_ = st.SetMembership(ctx, room, user, event.MembershipInvite)
	if a.crypto != nil {
		if err := st.SetEncryptionEvent(ctx, room, enc); err != nil {
			return "", fmt.Errorf("record dm encryption: %w", err)
		}
	}
	if err := a.t.setDM(ctx, user, room); err != nil {
		return "", err
	}
	if err := a.t.setJoined(ctx, room, time.Now()); err != nil {
		return "", err
	}
	a.addDirect(ctx, user, room)
	a.log.Info().Str("room_id", room.String()).Msg("Created DM room")
	return room, nil
}

// addDirect records room as a DM with user in the bot's m.direct account
// data, as clients do. A failure is only logged: the DM works without it.
func (a *Adapter) addDirect(ctx context.Context, user id.UserID, room id.RoomID) {
	direct := map[id.UserID][]id.RoomID{}
	if err := a.cli.GetAccountData(ctx, event.AccountDataDirectChats.Type, &direct); err != nil && !errors.Is(err, mautrix.MNotFound) {
		a.log.Warn().Err(err).Msg("Could not read m.direct")
		return
	}
	if slices.Contains(direct[user], room) {
		return
	}
	direct[user] = append(direct[user], room)
	if err := a.cli.SetAccountData(ctx, event.AccountDataDirectChats.Type, direct); err != nil {
		a.log.Warn().Err(err).Msg("Could not update m.direct")
	}
}

// hideSensitive redacts a sensitive command typed in a group room when the
// bot may, and otherwise has the core tell the facilitators, once per room,
// what power it needs. It reports whether the command was removed: only
// then may the member be told it was.
func (a *Adapter) hideSensitive(ctx context.Context, evt *event.Event) bool {
	log := a.log.With().Str("room_id", evt.RoomID.String()).Str("event_id", evt.ID.String()).Logger()
	pl, err := a.powerLevels(ctx, evt.RoomID)
	if err != nil {
		log.Warn().Err(err).Msg("Could not read power levels to redact")
		return false
	}
	need := max(pl.Redact(), pl.GetEventLevel(event.EventRedaction))
	if pl.GetUserLevel(a.cli.UserID) >= need {
		// No reason: it would be words of the adapter's own in the room.
		if _, err := a.cli.RedactEvent(ctx, evt.RoomID, evt.ID); err != nil {
			log.Warn().Err(err).Msg("Could not redact a private command")
			return false
		}
		return true
	}
	first, err := a.t.once(ctx, "redact-power:"+evt.RoomID.String())
	if err != nil {
		log.Error().Err(err).Msg("Could not record the note about redaction power")
		return false
	}
	if c := a.getCore(); first && c != nil {
		log.Info().Int("need", need).Msg("Not allowed to redact; reporting it")
		c.Report(ctx, bot.Condition{Kind: bot.CannotRedact, Group: groupID(evt.RoomID), Need: need})
	}
	return false
}
