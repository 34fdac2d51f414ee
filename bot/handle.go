package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// call is one command being handled: the event, the resolved group, and the
// replies collected so far.
type call struct {
	ctx     context.Context
	b       *Bot
	st      Store // the transaction's store
	ev      Event
	cmd     Command // with the subcommand word removed
	spec    *CommandSpec
	group   GroupID
	now     time.Time
	replies []Reply
	// after runs once the transaction has committed.
	after []func()
	// place is the facilitators' place checked by prepare.
	place ChannelID
}

// say queues a reply.
func (c *call) say(r Reply) {
	if r.InReplyTo == "" && r.Visibility == Private && r.To == c.ev.Member.ID {
		r.InReplyTo = c.ev.ID
	}
	if r.Group == "" {
		r.Group = c.group
	}
	c.replies = append(c.replies, r)
}

// private queues a reply only the member who asked will see.
func (c *call) private(t Text, actions ...Action) {
	c.say(Reply{Visibility: Private, To: c.ev.Member.ID, ToName: c.ev.Member.Name, Text: t, Actions: actions})
}

// public queues a reply in the channel the command came from (or ch).
func (c *call) public(ch ChannelID, t Text, actions ...Action) {
	c.say(Reply{Visibility: Public, Channel: ch, Text: t, Actions: actions, InReplyTo: c.ev.ID})
}

// facilitators queues a reply for the group's facilitators. The member is
// then told confirm when it reached them, or fallback when it could not
// (no facilitator the platform can reach): a member is never told their
// words arrived when they did not.
func (c *call) facilitators(t Text, confirm, fallback Text) error {
	g, err := c.b.groupOf(c.ctx, c.st, c.group)
	if err != nil {
		return err
	}
	r := Reply{Visibility: Facilitators, Channel: g.FacilitatorsChannel, To: g.LastFacilitator, Text: t}
	to := func(t Text) *Reply {
		return &Reply{Visibility: Private, Group: c.group, To: c.ev.Member.ID, ToName: c.ev.Member.Name, Text: t, InReplyTo: c.ev.ID}
	}
	r.confirm, r.fallback = to(confirm), to(fallback)
	c.say(r)
	return nil
}

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
// replies through the Platform. A member's mistake is answered with a kind
// private reply, changes nothing and returns nil. Handle returns an error
// only when the store failed; the member is then told something went wrong.
func (b *Bot) Handle(ctx context.Context, ev Event) error {
	if ev.Member.ID == "" {
		return errors.New("handle: event without member")
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
		return nil
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
	b.deliver(ctx, c.replies)
	return nil
}

// resolve finds the command's spec and, for private commands that act on a
// group, the member's group.
func (b *Bot) resolve(c *call) error {
	c.group = c.ev.Group
	if c.ev.Kind != EventCommand {
		return nil
	}
	spec, ok := b.Lookup(c.ev.Command.Name)
	if !ok && c.ev.Private {
		return Userf(textPrivateNotCommand())
	} else if !ok {
		return Userf(textUnknownCommand())
	}
	c.cmd = c.ev.Command
	if len(spec.Sub) > 0 && len(c.cmd.Args) > 0 {
		for _, sub := range spec.Sub {
			if matchName(sub, c.cmd.Args[0]) && (sub.when == nil || sub.when(c.cmd.Args[1:])) {
				spec = sub
				c.cmd = Command{Name: c.cmd.Name + " " + sub.Name, Args: c.cmd.Args[1:], Raw: restAfter(c.cmd.Raw, 1)}
				break
			}
		}
	}
	if spec.run == nil {
		return Userf(textUnknownSub(c.ev.Command.Name, spec))
	}
	c.spec = spec
	if spec.Access == FacilitatorsOnly && !c.ev.Member.Facilitator {
		return Userf(textFacilitatorsOnly())
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

func matchName(spec *CommandSpec, word string) bool {
	word = strings.ToLower(word)
	if spec.Name == word {
		return true
	}
	for _, a := range spec.Aliases {
		if a == word {
			return true
		}
	}
	return false
}

// begin records the event as handled and the member as seen. It returns
// false for a redelivered event.
func (b *Bot) begin(c *call) (bool, error) {
	if c.ev.ID != "" {
		first, err := c.st.MarkHandled(c.ctx, c.ev.ID, c.now)
		if err != nil || !first {
			return first, err
		}
	}
	if c.ev.Kind == EventCommand && c.spec != nil && c.spec.Name == "confirm" && strings.HasPrefix(c.cmd.Name, "forgetme") {
		return true, nil // about to forget this member: don't store them again
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
	c.after = append(c.after, func() { b.seen.add(key) })
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
		return c.st.RemoveMembership(c.ctx, c.group, c.ev.Member.ID)
	}
	return fmt.Errorf("dispatch: unknown event kind %d", c.ev.Kind)
}

// answerUserError records the event as handled (so a redelivery does not
// answer twice) and tells the member, privately, what went wrong.
func (b *Bot) answerUserError(c *call, ue *UserError) error {
	dup := false
	err := b.store.InTx(c.ctx, func(st Store) error {
		if c.ev.ID == "" {
			return nil
		}
		first, err := st.MarkHandled(c.ctx, c.ev.ID, c.now)
		dup = !first
		return err
	})
	if err != nil {
		return b.fail(c, err)
	}
	if dup {
		return nil
	}
	c.replies = nil
	c.private(ue.Text)
	b.deliver(c.ctx, c.replies)
	return nil
}

// fail logs a failure (never content) and tells the member briefly.
func (b *Bot) fail(c *call, err error) error {
	b.log.Error().Err(err).Str("event_id", c.ev.ID).Str("command", c.ev.Command.Name).Msg("Handling event failed")
	if c.ev.Kind == EventCommand {
		c.replies = nil
		c.private(textSorry())
		b.deliver(c.ctx, c.replies)
	}
	return err
}

// deliver hands replies to the platform in order. Replies with a Key edit
// the message sent before under that key.
func (b *Bot) deliver(ctx context.Context, rs []Reply) {
	for _, r := range rs {
		err := b.deliverOne(ctx, r)
		next := r.confirm
		if err != nil && (r.fallback != nil || r.undo != nil) {
			next = r.fallback
			if r.undo != nil {
				r.undo(ctx)
			}
		}
		if next != nil {
			_ = b.deliverOne(ctx, *next)
		}
	}
}

// deliverOne delivers one reply; a failure is logged and returned.
func (b *Bot) deliverOne(ctx context.Context, r Reply) error {
	r.Text = b.localise(r)
	r.confirm, r.fallback, r.undo = nil, nil, nil
	if r.Key != "" {
		ref, err := b.store.MessageRef(ctx, r.Key)
		if err == nil {
			r.Edit = ref
		} else if !errors.Is(err, ErrNotFound) {
			b.log.Error().Err(err).Str("key", r.Key).Msg("Reading message reference failed")
		}
	}
	ref, err := b.platform.Deliver(ctx, r)
	if err != nil {
		b.log.Error().Err(err).Str("visibility", r.Visibility.String()).Str("group_id", string(r.Group)).Msg("Delivering reply failed")
		return err
	}
	if r.Key != "" && ref != "" && ref != r.Edit {
		if err := b.store.SetMessageRef(ctx, r.Key, ref); err != nil {
			b.log.Error().Err(err).Str("key", r.Key).Msg("Saving message reference failed")
		}
	}
	return nil
}

// localise turns Cmd spans into Code with the prefix members type on the
// receiving platform.
func (b *Bot) localise(r Reply) Text {
	id := string(r.Group)
	if id == "" {
		id = string(r.To)
	}
	prefix := b.prefix
	if p, ok := b.prefixes[PlatformOf(id)]; ok {
		prefix = p
	}
	out := make(Text, len(r.Text))
	for i, s := range r.Text {
		if s.Style == Cmd {
			s = Span{Style: Code, Text: prefix + s.Text}
		}
		out[i] = s
	}
	return out
}

// Tick does what has become due by the clock: it closes rounds whose time
// has run out. Adapters call it every second or so; the console calls it
// when its clock moves. Safe to call from several goroutines.
func (b *Bot) Tick(ctx context.Context) error {
	// One failing round or schedule must not hold up the others: each
	// failure is logged, and the first is returned after all were tried.
	var first error
	fail := func(err error, what string) {
		b.log.Error().Err(err).Msg(what)
		if first == nil {
			first = fmt.Errorf("tick: %w", err)
		}
	}
	b.flushStatuses(ctx, fail)
	b.runSchedules(ctx, fail)
	due, err := b.store.DueRounds(ctx, b.now())
	if err != nil {
		fail(err, "Listing due rounds failed")
	}
	for _, r := range due {
		if err := b.closeRound(ctx, r); err != nil {
			fail(err, "Closing a round failed")
		}
	}
	return first
}
