package matrix

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// Content warnings (!cw) on Matrix: a facilitator names a member's post by
// replying to it with "!cw <topic>", or by its event id or matrix.to link.
// The bot reads the post (decrypting it in an encrypted room), the core
// reposts it as a spoiler whose reason is the topic (data-mx-spoiler), and
// the bot redacts the original where its power level allows.

// FindPost reads the post ref names in group g: an event id ("$…") or a
// matrix.to link to an event in the group's room.
func (a *Adapter) FindPost(ctx context.Context, g bot.GroupID, _ bot.ChannelID, ref string) (bot.Post, error) {
	room := roomOf(string(g))
	evID, ok := eventRef(ref, room)
	if !ok {
		return bot.Post{}, bot.ErrNotFound
	}
	evt, err := a.cli.GetEvent(ctx, room, evID)
	if errors.Is(err, mautrix.MNotFound) || errors.Is(err, mautrix.MForbidden) {
		return bot.Post{}, bot.ErrNotFound
	} else if err != nil {
		return bot.Post{}, err
	}
	evt.RoomID = room
	if evt.Type == event.EventEncrypted {
		if a.crypto == nil {
			return bot.Post{}, bot.ErrPostUnreadable
		}
		if err := evt.Content.ParseRaw(evt.Type); err != nil {
			return bot.Post{}, bot.ErrPostUnreadable
		}
		if evt, err = a.crypto.Decrypt(ctx, evt); err != nil {
			return bot.Post{}, bot.ErrPostUnreadable
		}
	}
	if evt.Type != event.EventMessage || evt.Sender == a.cli.UserID {
		return bot.Post{}, bot.ErrNotFound
	}
	if err := evt.Content.ParseRaw(evt.Type); err != nil && !errors.Is(err, event.ErrContentAlreadyParsed) {
		return bot.Post{}, bot.ErrNotFound
	}
	msg := evt.Content.AsMessage()
	if msg.MsgType != event.MsgText && msg.MsgType != event.MsgEmote {
		return bot.Post{}, bot.ErrNotFound
	}
	msg.RemoveReplyFallback()
	return bot.Post{
		Channel: channelID(room),
		Ref:     evt.ID.String(),
		Author:  bot.Member{ID: memberID(evt.Sender), Name: a.displayName(ctx, room, evt.Sender)},
		Text:    msg.Body,
	}, nil
}

// eventRef reads an event id, or a matrix.to link to an event in room.
func eventRef(ref string, room id.RoomID) (id.EventID, bool) {
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, "$") {
		return id.EventID(ref), true
	}
	if !strings.HasPrefix(ref, "https://matrix.to/#/") {
		return "", false
	}
	path := strings.TrimPrefix(ref, "https://matrix.to/#/")
	path, _, _ = strings.Cut(path, "?")
	parts := strings.Split(path, "/")
	if len(parts) != 2 {
		return "", false
	}
	r, err1 := url.PathUnescape(parts[0])
	e, err2 := url.PathUnescape(parts[1])
	if err1 != nil || err2 != nil || id.RoomID(r) != room || !strings.HasPrefix(e, "$") {
		return "", false
	}
	return id.EventID(e), true
}

// RemovePost redacts the original post when the bot's power level allows
// redacting others' events; otherwise false, with no error.
func (a *Adapter) RemovePost(ctx context.Context, g bot.GroupID, p bot.Post) (bool, error) {
	room := roomOf(string(g))
	pl, err := a.powerLevels(ctx, room)
	if err != nil {
		return false, err
	}
	need := max(pl.Redact(), pl.GetEventLevel(event.EventRedaction))
	if pl.GetUserLevel(a.cli.UserID) < need {
		return false, nil
	}
	// No reason: it would be words of the adapter's own in the room.
	if _, err := a.cli.RedactEvent(ctx, room, id.EventID(p.Ref)); err != nil {
		return false, err
	}
	return true, nil
}
