package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// locks serialises the handling of events per group, so that the live
// round status delivered last is computed from the latest state.
type locks struct {
	mu sync.Mutex
	m  map[GroupID]*sync.Mutex
}

func (l *locks) lock(g GroupID) func() {
	l.mu.Lock()
	if l.m == nil {
		l.m = map[GroupID]*sync.Mutex{}
	}
	m, ok := l.m[g]
	if !ok {
		m = &sync.Mutex{}
		l.m[g] = m
	}
	l.mu.Unlock()
	m.Lock()
	return m.Unlock
}

// Handle handles one event: it ignores a redelivered event, applies the
// event's effect to the store in one transaction, and then delivers the
// replies through the Platform. It returns what became of the event, for
// the adapter to act on (Discord grants the agreed role only when /agree
// was Done). A member's mistake is answered with a kind private reply and
// changes nothing (Invalid, or Refused when they may not run the command).
// When the store fails the failure is logged and the member is told
// something went wrong (Failed).
func (b *Bot) Handle(ctx context.Context, ev Event) (out Outcome) {
	defer b.observeHandled(ev, time.Now(), &out)
	if ev.Member.ID == "" {
		b.log.Error().Str("event_id", ev.ID).Msg("Event without member")
		return Failed
	}
	// Display names are whatever members chose: no zero-width or bidi
	// tricks, no line breaks, before anything stores or shows them.
	ev.Member.Name, ev.GroupName = CleanName(ev.Member.Name), CleanName(ev.GroupName)
	if ev.Member.Name == "" {
		ev.Member.Name = handleOf(ev.Member)
	}
	c := &call{ctx: ctx, b: b, ev: ev, now: b.now()}
	var userErr *UserError
	err := b.resolve(c)
	if errors.As(err, &userErr) {
		return b.answerUserError(c, userErr)
	} else if err != nil {
		return b.fail(c, fmt.Errorf("resolve: %w", err))
	}
	defer b.groupLocks.lock(c.group)()
	dup := false
	err = b.store.InTx(ctx, func(st Store) error {
		c.st = st
		first, err := b.begin(c)
		if err != nil || !first {
			dup = !first
			return err
		}
		return b.dispatch(c)
	})
	if dup {
		b.log.Debug().Str("event_id", ev.ID).Msg("Ignored redelivered event")
		return Duplicate
	}
	if errors.As(err, &userErr) {
		return b.answerUserError(c, userErr)
	}
	if err != nil {
		return b.fail(c, err)
	}
	for _, f := range c.after {
		f()
	}
	b.deliver(ctx, c, c.replies)
	for _, f := range c.delivered {
		f()
	}
	return Done
}

// resolve finds the command's spec in this core's table and, for private
// commands that act on a group, the member's group. The spec is looked up
// again by name, so a Command parsed by another table (CommandTable) runs
// this core's handler.
func (b *Bot) resolve(c *call) error {
	c.group = c.ev.Group
	if c.ev.Kind == EventMessage {
		// Answered the same whatever it said; nothing about it is read.
		return Userf(textPrivateMessage())
	}
	if c.ev.Kind != EventCommand {
		return nil
	}
	c.cmd = c.ev.Command
	if c.cmd.Name == "" {
		return errors.New("command without name")
	}
	if err := c.cmd.Err(); err != nil {
		if c.cmd.spec == nil && c.ev.Private && c.cmd.Name != "?" {
			return Userf(textPrivateMessage())
		}
		return err
	}
	spec, ok := b.commands.Lookup(c.cmd.Name)
	if !ok || spec.run == nil {
		return Userf(textUnknownCommand())
	}
	c.spec = spec
	if spec.Access == FacilitatorsOnly && !c.ev.Member.Facilitator {
		return &UserError{Text: textFacilitatorsOnly(), refused: true}
	}
	if c.group == "" && spec.NeedsGroup {
		g, err := b.memberGroup(c.ctx, b.store, c.ev.Member.ID)
		if err != nil {
			return err
		}
		c.group = g
	}
	if spec.prepare != nil {
		return spec.prepare(c)
	}
	return nil
}

// begin records the event as handled and the member as seen. It returns
// false for a redelivered event.
func (b *Bot) begin(c *call) (bool, error) {
	if c.ev.ID != "" {
		first, err := c.st.MarkHandled(c.ctx, c.ev.ID, c.ev.Member.ID, c.now)
		if err != nil || !first {
			return first, err
		}
	}
	if c.ev.Kind == EventCommand && c.cmd.Name == "forgetme confirm" {
		return true, nil // about to forget this member: don't store them again
	}
	if c.ev.Kind == EventLeave || c.ev.Kind == EventRoles {
		return true, nil // about someone who may never have used the bot: store nothing new
	}
	return true, b.touchMember(c)
}

// touchMember keeps the member's name current and records their group and,
// for facilitators, that they acted last.
func (b *Bot) touchMember(c *call) error {
	m := c.ev.Member
	if c.group == "" {
		return nil // a private message outside any group: store nothing
	}
	key := seenKey{group: c.group, groupName: c.ev.GroupName, member: m.ID, name: m.Name, facilitator: m.Facilitator}
	if c.ev.Kind == EventCommand && b.seen.has(key) {
		return nil
	}
	if c.ev.Kind == EventCommand {
		// Only a command skips this next time: a join must not hide the
		// member's first command (which makes a facilitator the fallback).
		c.after = append(c.after, func() { b.seen.add(key) })
	}
	rec, err := c.st.Member(c.ctx, m.ID)
	if errors.Is(err, ErrNotFound) {
		rec = MemberRecord{ID: m.ID}
	} else if err != nil {
		return fmt.Errorf("touch member: %w", err)
	}
	if rec.Name != m.Name || err != nil {
		rec.Name = m.Name
		if err := c.st.SaveMember(c.ctx, rec); err != nil {
			return fmt.Errorf("touch member: %w", err)
		}
	}
	if c.group == "" || c.ev.Kind != EventCommand {
		return nil // joins and leaves change membership themselves
	}
	if _, err := c.st.AddMembership(c.ctx, c.group, m.ID, c.now); err != nil {
		return fmt.Errorf("touch member: %w", err)
	}
	g, err := b.groupOf(c.ctx, c.st, c.group)
	if err != nil {
		return err
	}
	changed := false
	if c.ev.GroupName != "" && g.Name != c.ev.GroupName {
		g.Name, changed = c.ev.GroupName, true
	}
	if m.Facilitator && g.LastFacilitator != m.ID {
		g.LastFacilitator, changed = m.ID, true
	}
	if !m.Facilitator && g.LastFacilitator == m.ID {
		// No longer a facilitator: private words must not reach them.
		g.LastFacilitator, changed = "", true
	}
	if changed {
		return c.st.SaveGroup(c.ctx, g)
	}
	return nil
}

// groupOf returns a group's settings, or defaults for a group not stored
// yet (it is stored on first change).
func (b *Bot) groupOf(ctx context.Context, st Store, id GroupID) (Group, error) {
	g, err := st.Group(ctx, id)
	if errors.Is(err, ErrNotFound) {
		g, err = Group{ID: id}, st.SaveGroup(ctx, Group{ID: id})
	}
	if err != nil {
		return Group{}, fmt.Errorf("group %s: %w", id, err)
	}
	return g, nil
}

func (b *Bot) dispatch(c *call) error {
	switch c.ev.Kind {
	case EventCommand:
		return c.spec.run(c)
	case EventJoin:
		return b.onJoin(c)
	case EventLeave:
		c.after = append(c.after, b.seen.reset)
		if err := b.dropFallback(c); err != nil {
			return err
		}
		return c.st.RemoveMembership(c.ctx, c.group, c.ev.Member.ID)
	case EventRoles:
		c.after = append(c.after, b.seen.reset)
		if c.ev.Member.Facilitator {
			return nil // they become the fallback when they next act
		}
		return b.dropFallback(c)
	}
	return fmt.Errorf("dispatch: unknown event kind %d", c.ev.Kind)
}

// dropFallback stops private words going to the event's member as the
// group's fallback facilitator (they left, were removed or demoted).
func (b *Bot) dropFallback(c *call) error {
	if c.group == "" {
		return nil
	}
	g, err := c.st.Group(c.ctx, c.group)
	if errors.Is(err, ErrNotFound) {
		return nil
	} else if err != nil {
		return fmt.Errorf("drop fallback facilitator: %w", err)
	}
	if g.LastFacilitator != c.ev.Member.ID {
		return nil
	}
	g.LastFacilitator = ""
	c.b.forgetCheck(c.group, c.ev.Member.ID)
	return c.st.SaveGroup(c.ctx, g)
}

// answerUserError records the event as handled (so a redelivery does not
// answer twice) and tells the member, privately, what went wrong.
func (b *Bot) answerUserError(c *call, ue *UserError) Outcome {
	dup := false
	err := b.store.InTx(c.ctx, func(st Store) error {
		if c.ev.ID == "" {
			return nil
		}
		first, err := st.MarkHandled(c.ctx, c.ev.ID, c.ev.Member.ID, c.now)
		dup = !first
		return err
	})
	if err != nil {
		return b.fail(c, err)
	}
	if dup {
		return Duplicate
	}
	c.replies = nil
	if c.distress() {
		c.private(b.withRoute(c.ctx, c, ue.Text), supportAction)
	} else {
		c.private(ue.Text)
	}
	b.deliver(c.ctx, c, c.replies)
	if ue.refused {
		return Refused
	}
	return Invalid
}

// fail logs a failure (never content) and tells the member briefly.
func (b *Bot) fail(c *call, err error) Outcome {
	b.log.Error().Err(err).Str("event_id", c.ev.ID).Str("command", c.ev.Command.Name).Msg("Handling event failed")
	if c.ev.Kind == EventCommand || c.ev.Kind == EventMessage {
		c.replies = nil
		if c.distress() {
			// Help never waits on the database: the lines are embedded.
			c.private(b.withRoute(c.ctx, c, textSorryBrief()), supportAction)
		} else {
			c.private(textSorry())
		}
		b.deliver(c.ctx, c, c.replies)
	}
	return Failed
}
