package matrix

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

var _ bot.MemberDataKeeper = (*Adapter)(nil)

// undecryptablePrefix starts the once-key of the note asking a member to
// resend a message the bot could not decrypt: "undecryptable:USER:SESSION".
const undecryptablePrefix = "undecryptable:"

// undecryptableKey is the once-key for user's messages in one Megolm
// session. The session id is the sender's to choose, so a colon in it is
// replaced: the user id must stay the text between the prefix and the
// last colon (see onceKeyUser).
func undecryptableKey(user id.UserID, session id.SessionID) string {
	return undecryptablePrefix + user.String() + ":" + strings.ReplaceAll(session.String(), ":", "_")
}

// onceKeyUser returns the member a once-key is about, or false for a key
// about a room ("redact-power:!room:server").
func onceKeyUser(key string) (id.UserID, bool) {
	rest, ok := strings.CutPrefix(key, undecryptablePrefix)
	if !ok {
		return "", false
	}
	i := strings.LastIndexByte(rest, ':')
	if i <= 0 {
		return "", false
	}
	return id.UserID(rest[:i]), true
}

// MemberData lists what the adapter keeps about m: the DM room with them
// (also when they left it) and how many once-notes it remembers sending
// them.
func (a *Adapter) MemberData(ctx context.Context, m bot.MemberID) ([]bot.DataItem, error) {
	user := userOf(m)
	room, _, err := a.t.dm(ctx, user)
	if err != nil {
		return nil, err
	}
	keys, err := a.t.onceKeysOf(ctx, user)
	if err != nil {
		return nil, err
	}
	var out []bot.DataItem
	if room != "" {
		out = append(out, bot.DataItem{Kind: bot.DataDirectChat, Value: room.String()})
	}
	if len(keys) > 0 {
		out = append(out, bot.DataItem{Kind: bot.DataOnceNotes, Value: strconv.Itoa(len(keys))})
	}
	return out, nil
}

// ForgetMember deletes what the adapter keeps about m: the record of their
// DM room (and of when the bot joined it) and their once-notes. Then, on
// the homeserver, the bot leaves that room and drops it from its m.direct;
// a failure there is only logged, since nothing of it stays in peerbot.
//
// Afterwards the old DM room is unknown, so anything said there is ignored
// as from before the bot joined. The next private message to the member
// opens a new DM room: the core must deliver its answer to the member's
// !forgetme before calling ForgetMember.
func (a *Adapter) ForgetMember(ctx context.Context, m bot.MemberID) error {
	user := userOf(m)
	a.dmMu.Lock()
	room, err := a.t.forget(ctx, user)
	a.dmMu.Unlock()
	if err != nil {
		return err
	}
	if room == "" {
		return nil
	}
	log := a.log.With().Str("room_id", room.String()).Logger()
	if _, err := a.cli.LeaveRoom(ctx, room); err != nil && !errors.Is(err, mautrix.MForbidden) {
		log.Warn().Err(err).Msg("Could not leave a forgotten member's DM room")
	}
	a.removeDirect(ctx, user, room)
	log.Info().Msg("Forgot a member's DM room")
	return nil
}

// removeDirect drops room from the member's entry in the bot's m.direct.
func (a *Adapter) removeDirect(ctx context.Context, user id.UserID, room id.RoomID) {
	direct := map[id.UserID][]id.RoomID{}
	if err := a.cli.GetAccountData(ctx, event.AccountDataDirectChats.Type, &direct); err != nil {
		if !errors.Is(err, mautrix.MNotFound) {
			a.log.Warn().Err(err).Msg("Could not read m.direct")
		}
		return
	}
	rooms := direct[user]
	kept := rooms[:0:0]
	for _, r := range rooms {
		if r != room {
			kept = append(kept, r)
		}
	}
	if len(kept) == len(rooms) {
		return
	}
	if len(kept) == 0 {
		delete(direct, user)
	} else {
		direct[user] = kept
	}
	if err := a.cli.SetAccountData(ctx, event.AccountDataDirectChats.Type, direct); err != nil {
		a.log.Warn().Err(err).Msg("Could not update m.direct")
	}
}
