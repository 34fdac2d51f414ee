package matrix

import (
	"context"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// Room version 12 (MSC4289, spec v1.16) gives a room's creators — the
// sender of its m.room.create event and the users in the event's
// additional_creators — a power level above any number, without listing
// them in m.room.power_levels (the spec forbids listing them there). The
// same holds for every later version that keeps the rule: mautrix decides
// it from the room version (id.RoomVersion.PrivilegedRoomCreators) and
// counts creators in PowerLevelsEventContent.GetUserLevel when the levels
// carry the create event. Everything in this package that reads levels
// goes through powerLevels, which attaches it, so creators count as
// facilitators and the bot, if it created the room, may pin and redact.

// createEvent returns room's m.room.create event: from the state store,
// which takes it from sync, else from the homeserver. It returns nil when
// neither has it; levels without it rank creators by their listed level,
// which is right for rooms before version 12 and, in a version 12 room,
// errs on the side of fewer facilitators.
func (a *Adapter) createEvent(ctx context.Context, room id.RoomID) *event.Event {
	if evt, err := a.cli.StateStore.GetCreate(ctx, room); err == nil && evt != nil {
		return evt
	}
	// FullStateEvent stores what it fetched in the state store.
	evt, err := a.cli.FullStateEvent(ctx, room, event.StateCreate, "")
	if err != nil || evt == nil || evt.Type != event.StateCreate || evt.Sender == "" {
		a.log.Debug().Err(err).Str("room_id", room.String()).Msg("Could not read the room's create event; creators count only by their listed power level")
		return nil
	}
	return evt
}

// withCreate attaches room's create event to pl, when pl lacks it, so that
// pl.GetUserLevel ranks the creators of version 12 rooms above everyone.
func (a *Adapter) withCreate(ctx context.Context, room id.RoomID, pl *event.PowerLevelsEventContent) *event.PowerLevelsEventContent {
	if pl != nil && pl.CreateEvent == nil {
		pl.CreateEvent = a.createEvent(ctx, room)
	}
	return pl
}

// v12RoomID reports whether ref is a room id of the form version 12 rooms
// have (MSC4291): "!" and the create event's reference hash, 43 characters
// of unpadded URL-safe base64, with no server name.
func v12RoomID(ref string) bool {
	if len(ref) != 44 || ref[0] != '!' {
		return false
	}
	for _, c := range ref[1:] {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
