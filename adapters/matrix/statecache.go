package matrix

import (
	"context"
	"sync"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
	"maunium.net/go/mautrix/sqlstatestore"
)

// cachedState is mautrix's SQL state store with what the adapter reads for
// every message kept in memory: a room's power levels, its create event,
// whether it is encrypted, and its members (display names). Every write to
// the store goes through it (the sync's state events through UpdateState →
// the Set methods, fetched state likewise) and drops what it cached about
// that room, after the write; a read that raced with a write does not keep
// what it read (gen). The SQL store stays the truth: a restart starts cold.
type cachedState struct {
	*sqlstatestore.SQLStateStore

	mu    sync.Mutex
	gen   uint64
	rooms map[id.RoomID]*roomState
}

type roomState struct {
	pl        *event.PowerLevelsEventContent
	create    *event.Event
	encrypted *bool
	members   map[id.UserID]*event.MemberEventContent // nil value: no member event
}

func newCachedState(s *sqlstatestore.SQLStateStore) *cachedState {
	return &cachedState{SQLStateStore: s, rooms: map[id.RoomID]*roomState{}}
}

// look returns room's cache entry (made if needed) and the generation to
// pass to keep, under c.mu.
func (c *cachedState) look(room id.RoomID, f func(r *roomState)) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.rooms[room]
	if r == nil {
		r = &roomState{}
		c.rooms[room] = r
	}
	f(r)
	return c.gen
}

// keep stores what a read found, unless a write came in between.
func (c *cachedState) keep(room id.RoomID, gen uint64, f func(r *roomState)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	r := c.rooms[room]
	if r == nil {
		r = &roomState{}
		c.rooms[room] = r
	}
	f(r)
}

// drop forgets what is cached about room.
func (c *cachedState) drop(room id.RoomID) {
	c.mu.Lock()
	c.gen++
	delete(c.rooms, room)
	c.mu.Unlock()
}

func (c *cachedState) GetPowerLevels(ctx context.Context, room id.RoomID) (*event.PowerLevelsEventContent, error) {
	var pl *event.PowerLevelsEventContent
	gen := c.look(room, func(r *roomState) { pl = r.pl })
	if pl != nil {
		return pl.Clone(), nil // callers attach the create event
	}
	pl, err := c.SQLStateStore.GetPowerLevels(ctx, room)
	if err != nil || pl == nil {
		return pl, err
	}
	keep := pl.Clone()
	c.keep(room, gen, func(r *roomState) { r.pl = keep })
	return pl, nil
}

func (c *cachedState) GetCreate(ctx context.Context, room id.RoomID) (*event.Event, error) {
	var evt *event.Event
	gen := c.look(room, func(r *roomState) { evt = r.create })
	if evt != nil {
		return evt, nil
	}
	evt, err := c.SQLStateStore.GetCreate(ctx, room)
	if err != nil || evt == nil {
		return evt, err
	}
	c.keep(room, gen, func(r *roomState) { r.create = evt })
	return evt, nil
}

func (c *cachedState) IsEncrypted(ctx context.Context, room id.RoomID) (bool, error) {
	var enc *bool
	gen := c.look(room, func(r *roomState) { enc = r.encrypted })
	if enc != nil {
		return *enc, nil
	}
	is, err := c.SQLStateStore.IsEncrypted(ctx, room)
	if err != nil {
		return is, err
	}
	c.keep(room, gen, func(r *roomState) { r.encrypted = &is })
	return is, nil
}

func (c *cachedState) GetMember(ctx context.Context, room id.RoomID, user id.UserID) (*event.MemberEventContent, error) {
	var m *event.MemberEventContent
	var ok bool
	gen := c.look(room, func(r *roomState) { m, ok = r.members[user] })
	if ok {
		if m == nil {
			return &event.MemberEventContent{Membership: event.MembershipLeave}, nil // as the SQL store says
		}
		cp := *m
		return &cp, nil
	}
	m, err := c.SQLStateStore.TryGetMember(ctx, room, user)
	if err != nil {
		return nil, err
	}
	c.keep(room, gen, func(r *roomState) {
		if r.members == nil {
			r.members = map[id.UserID]*event.MemberEventContent{}
		}
		r.members[user] = m
	})
	if m == nil {
		return &event.MemberEventContent{Membership: event.MembershipLeave}, nil
	}
	cp := *m
	return &cp, nil
}

// The writes: each drops the room's cache after the store has it.

func (c *cachedState) SetMembership(ctx context.Context, room id.RoomID, user id.UserID, m event.Membership) error {
	defer c.drop(room)
	return c.SQLStateStore.SetMembership(ctx, room, user, m)
}

func (c *cachedState) SetMember(ctx context.Context, room id.RoomID, user id.UserID, m *event.MemberEventContent) error {
	defer c.drop(room)
	return c.SQLStateStore.SetMember(ctx, room, user, m)
}

func (c *cachedState) ClearCachedMembers(ctx context.Context, room id.RoomID, ms ...event.Membership) error {
	defer c.drop(room)
	return c.SQLStateStore.ClearCachedMembers(ctx, room, ms...)
}

func (c *cachedState) ReplaceCachedMembers(ctx context.Context, room id.RoomID, evts []*event.Event, ms ...event.Membership) error {
	defer c.drop(room)
	return c.SQLStateStore.ReplaceCachedMembers(ctx, room, evts, ms...)
}

func (c *cachedState) SetPowerLevels(ctx context.Context, room id.RoomID, pl *event.PowerLevelsEventContent) error {
	defer c.drop(room)
	return c.SQLStateStore.SetPowerLevels(ctx, room, pl)
}

func (c *cachedState) SetCreate(ctx context.Context, evt *event.Event) error {
	defer c.drop(evt.RoomID)
	return c.SQLStateStore.SetCreate(ctx, evt)
}

func (c *cachedState) SetEncryptionEvent(ctx context.Context, room id.RoomID, content *event.EncryptionEventContent) error {
	defer c.drop(room)
	return c.SQLStateStore.SetEncryptionEvent(ctx, room, content)
}

func (c *cachedState) SetJoinRules(ctx context.Context, room id.RoomID, rules *event.JoinRulesEventContent) error {
	defer c.drop(room)
	return c.SQLStateStore.SetJoinRules(ctx, room, rules)
}

func (c *cachedState) SetHistoryVisibility(ctx context.Context, room id.RoomID, content *event.HistoryVisibilityEventContent) error {
	defer c.drop(room)
	return c.SQLStateStore.SetHistoryVisibility(ctx, room, content)
}
