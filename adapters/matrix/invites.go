package matrix

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// Who may bring the bot into a room, and which rooms are direct chats.
//
// A room becomes a group when someone in allowed_inviters invites the bot.
// A direct chat is accepted only from someone joined in a group room the bot
// is in (not someone who left, was banned or is only invited), and a room
// is a member's direct chat only while nobody but the member and the bot is
// joined or invited: private words never go where a third person reads.

// registration is what the homeserver says about signing up.
type registration int

const (
	registrationUnknown registration = iota
	registrationOpen
	registrationClosed
)

// registrationState asks the homeserver whether anyone may register. An
// empty POST /register, without the bot's token, creates nothing: servers
// answer 401 with the steps to sign up when registration is open (by
// token or e-mail included), and 403 when it is disabled.
func (a *Adapter) registrationState(ctx context.Context) registration {
	url := strings.TrimSuffix(a.cfg.Homeserver, "/") + "/_matrix/client/v3/register"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader([]byte("{}")))
	if err != nil {
		return registrationUnknown
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := a.cli.Client.Do(req)
	if err != nil {
		return registrationUnknown
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	_ = res.Body.Close()
	switch res.StatusCode {
	case http.StatusUnauthorized:
		return registrationOpen
	case http.StatusForbidden:
		return registrationClosed
	}
	return registrationUnknown
}

// checkInviters refuses to start with the default allowed_inviters (the
// bot's whole server) on a homeserver where anyone can register: anyone
// could then make the bot join their room and call it a group. When the
// server does not say, it warns.
func (a *Adapter) checkInviters(ctx context.Context) error {
	if !a.cfg.defaultInviters {
		return nil
	}
	switch a.registrationState(ctx) {
	case registrationOpen:
		return fmt.Errorf("matrix.allowed_inviters: required, because %s lets anyone register: with the default (everyone on %s) anyone could add the bot to a room of theirs; list the user ids (@alice:%s) or servers who may", a.cfg.Homeserver, a.cfg.AllowedInviters[0], a.cfg.AllowedInviters[0][1:])
	case registrationUnknown:
		a.log.Warn().Strs("allowed_inviters", a.cfg.AllowedInviters).
			Msg("matrix.allowed_inviters is empty, so everyone on the bot's server may make groups, and the homeserver did not say whether anyone can register there; set matrix.allowed_inviters")
	default:
		a.log.Info().Strs("allowed_inviters", a.cfg.AllowedInviters).Msg("matrix.allowed_inviters is empty: everyone on the bot's server (where registration is closed) may make groups")
	}
	return nil
}

// joinedInGroup reports whether user is joined in a group room the bot is
// joined in, as the state store knows it.
func (a *Adapter) joinedInGroup(ctx context.Context, user id.UserID) (bool, error) {
	rows, err := a.state.Query(ctx, `SELECT room_id FROM mx_user_profile WHERE user_id = $1 AND membership = 'join'`, user)
	if err != nil {
		return false, fmt.Errorf("list rooms of inviter: %w", err)
	}
	var rooms []id.RoomID
	for rows.Next() {
		var r id.RoomID
		if err := rows.Scan(&r); err != nil {
			_ = rows.Close()
			return false, fmt.Errorf("list rooms of inviter: %w", err)
		}
		rooms = append(rooms, r)
	}
	_ = rows.Close()
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("list rooms of inviter: %w", err)
	}
	for _, r := range rooms {
		if !a.state.IsMembership(ctx, r, a.cli.UserID, event.MembershipJoin) {
			continue
		}
		dm, err := a.t.dmMember(ctx, r)
		if err != nil {
			return false, err
		}
		joined, err := a.t.joined(ctx, r)
		if err != nil {
			return false, err
		}
		if dm == "" && !joined.IsZero() {
			return true, nil
		}
	}
	return false, nil
}

// othersInDM lists who, besides user and the bot, is joined in or invited
// to room, as the state store knows it.
func (a *Adapter) othersInDM(ctx context.Context, room id.RoomID, user id.UserID) ([]id.UserID, error) {
	members, err := a.cli.StateStore.GetRoomJoinedOrInvitedMembers(ctx, room)
	if err != nil {
		return nil, fmt.Errorf("list dm room members: %w", err)
	}
	var out []id.UserID
	for _, u := range members {
		if u != user && u != a.cli.UserID {
			out = append(out, u)
		}
	}
	return out, nil
}

// onlyTwo asks the homeserver whether room has nobody but user and the bot
// joined or invited, for a direct chat just joined, whose members the
// state store may not know yet.
func (a *Adapter) onlyTwo(ctx context.Context, room id.RoomID, user id.UserID) (bool, error) {
	resp, err := a.cli.Members(ctx, room)
	if err != nil {
		return false, fmt.Errorf("list dm room members: %w", err)
	}
	for _, e := range resp.Chunk {
		_ = e.Content.ParseRaw(event.StateMember)
		who := id.UserID(e.GetStateKey())
		switch e.Content.AsMember().Membership {
		case event.MembershipJoin, event.MembershipInvite:
			if who != user && who != a.cli.UserID {
				return false, nil
			}
		}
	}
	return true, nil
}

// retireDM stops using room as user's direct chat, because someone else is
// in it now: the bot leaves it, drops it from m.direct, and ignores it from
// now on; the next private message to the member opens a new direct chat.
// The caller holds dmMu.
func (a *Adapter) retireDM(ctx context.Context, user id.UserID, room id.RoomID) {
	log := a.log.With().Str("room_id", room.String()).Logger()
	if err := a.t.retireDM(ctx, user, room); err != nil {
		log.Error().Err(err).Msg("Could not retire a direct chat that has someone else in it")
		return
	}
	if _, err := a.cli.LeaveRoom(ctx, room); err != nil && !errors.Is(err, mautrix.MForbidden) {
		log.Warn().Err(err).Msg("Could not leave a direct chat that has someone else in it")
	}
	a.removeDirect(ctx, user, room)
	log.Info().Msg("Someone else is in a member's direct chat; no longer using it")
}

// dmMemberNow returns the member whose direct chat room is, or "" for a
// group room. When someone else is in the direct chat now it retires it
// and reports ignore: what is said there is neither private nor a group's.
func (a *Adapter) dmMemberNow(ctx context.Context, room id.RoomID) (user id.UserID, ignore bool, err error) {
	user, err = a.t.dmMember(ctx, room)
	if err != nil || user == "" {
		return user, false, err
	}
	others, err := a.othersInDM(ctx, room, user)
	if err != nil {
		return "", true, err
	}
	if len(others) > 0 {
		a.dmMu.Lock()
		a.retireDM(ctx, user, room)
		a.dmMu.Unlock()
		return "", true, nil
	}
	return user, false, nil
}
