package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

const (
	defaultMinutes = 30
	maxMinutes     = 1440
	maxWords       = 500
	maxPrompt      = 200
)

func statusKey(id int64) string { return fmt.Sprintf("round/%d/status", id) }

// zone returns the group's time zone, else the configured default.
func (b *Bot) zone(g Group) *time.Location {
	name := g.Timezone
	if name == "" {
		name = b.timezone
	}
	if loc, ok := b.zones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	b.zones.Store(name, loc)
	return loc
}

// roundStart reads a round's minutes and prompt, with their defaults.
func roundStart(cmd Command) (int, string) {
	minutes, ok := cmd.Int("minutes")
	if !ok {
		minutes = defaultMinutes
	}
	prompt := cmd.Text("prompt")
	if prompt == "" {
		prompt = defaultPrompt
	}
	return minutes, prompt
}

func (b *Bot) cmdRoundStart(c *call) error {
	if c.ev.Channel == "" {
		return Userf(textRoundNeedsChannel())
	}
	minutes, prompt := roundStart(c.cmd)
	if open, err := c.st.OpenRound(c.ctx, c.ev.Channel); err == nil {
		return Userf(textRoundAlreadyOpen(open, b.zoneOf(c)))
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	r, err := c.st.CreateRound(c.ctx, Round{
		Group: c.group, Channel: c.ev.Channel, Prompt: prompt, OpenedBy: c.ev.Member.ID,
		OpenedAt: c.now, ClosesAt: c.now.Add(time.Duration(minutes) * time.Minute),
	})
	if errors.Is(err, ErrAlreadyExists) {
		return Userf(textRoundOpenMeanwhile())
	} else if err != nil {
		return fmt.Errorf("start round: %w", err)
	}
	c.say(Reply{Visibility: Public, Channel: r.Channel, Key: statusKey(r.ID),
		Text: roundStatusText(r, nil, b.zoneOf(c), b.textLimit(r.Group)), Actions: roundActions(), InReplyTo: c.ev.ID})
	reminders, err := b.reminders(c.ctx, c.st, r, b.zoneOf(c), c.ev.Member.ID)
	c.replies = append(c.replies, reminders...)
	return err
}

// reminders are the private notes to members who asked to hear when a
// round opens in their group (except the member who opened it).
func (b *Bot) reminders(ctx context.Context, st Store, r Round, zone *time.Location, except MemberID) ([]Reply, error) {
	ms, err := st.Reminded(ctx, r.Group)
	if err != nil {
		return nil, fmt.Errorf("reminders: %w", err)
	}
	var out []Reply
	for _, m := range ms {
		if m.ID != except {
			out = append(out, Reply{Visibility: Private, Group: r.Group, To: m.ID, ToName: m.Name, Text: textRoundReminder(r, zone)})
		}
	}
	return out, nil
}

func (b *Bot) zoneOf(c *call) *time.Location {
	g, err := c.st.Group(c.ctx, c.group)
	if err != nil {
		return b.zone(Group{})
	}
	return b.zone(g)
}

func (b *Bot) cmdRoundEnd(c *call) error {
	r, err := c.st.OpenRound(c.ctx, c.ev.Channel)
	if errors.Is(err, ErrNotFound) {
		return Userf(textNoRoundToEnd())
	} else if err != nil {
		return err
	}
	if err := c.st.CloseRound(c.ctx, r.ID, c.now); err != nil {
		return fmt.Errorf("end round: %w", err)
	}
	r.ClosedAt = c.now
	return b.roundClosed(c.ctx, c.st, r, c.say)
}

// roundClosed queues the final status edit and the summary of a round.
func (b *Bot) roundClosed(ctx context.Context, st Store, r Round, say func(Reply)) error {
	b.status.forget(r.ID)
	cs, err := st.CheckIns(ctx, r.ID)
	if err != nil {
		return fmt.Errorf("close round: %w", err)
	}
	g, err := b.groupOf(ctx, st, r.Group)
	if err != nil {
		return err
	}
	say(Reply{Visibility: Public, Group: r.Group, Channel: r.Channel, Key: statusKey(r.ID), Text: roundStatusText(r, cs, b.zone(g), b.textLimit(r.Group)), Actions: []Action{}})
	if r.Closing {
		say(Reply{Visibility: Public, Group: r.Group, Channel: r.Channel, Text: closingSummaryText(cs)})
		return nil
	}
	say(Reply{Visibility: Public, Group: r.Group, Channel: r.Channel, Text: summaryText(cs)})
	return nil
}

// closeRound closes a round whose time ran out (called from Tick).
func (b *Bot) closeRound(ctx context.Context, r Round) error {
	defer b.groupLocks.lock(r.Group)()
	var out []Reply
	err := b.store.InTx(ctx, func(st Store) error {
		out = nil
		if err := st.CloseRound(ctx, r.ID, r.ClosesAt); err != nil {
			return err
		}
		r.ClosedAt = r.ClosesAt
		return b.roundClosed(ctx, st, r, func(rp Reply) { out = append(out, rp) })
	})
	if errors.Is(err, ErrNotFound) {
		return nil // closed meanwhile by a facilitator or another process
	}
	if err != nil {
		return err
	}
	b.deliver(ctx, nil, out)
	return nil
}

func (b *Bot) cmdRoundStatus(c *call) error {
	r, err := b.roundFor(c)
	if errors.Is(err, ErrNotFound) {
		return Userf(textNoRound(c))
	} else if err != nil {
		return err
	}
	cs, err := c.st.CheckIns(c.ctx, r.ID)
	if err != nil {
		return err
	}
	c.private(roundStatusText(r, cs, b.zoneOf(c), b.textLimit(r.Group)))
	return nil
}

// roundFor finds the open round a member's command is about: the one in
// the channel, or for a private command the group's newest open round.
func (b *Bot) roundFor(c *call) (Round, error) {
	if c.ev.Channel != "" {
		return c.st.OpenRound(c.ctx, c.ev.Channel)
	}
	rs, err := c.st.OpenRounds(c.ctx, c.group)
	if err != nil {
		return Round{}, err
	}
	if len(rs) == 0 {
		return Round{}, ErrNotFound
	}
	newest := rs[0]
	for _, r := range rs[1:] {
		if r.OpenedAt.After(newest.OpenedAt) {
			newest = r
		}
	}
	return newest, nil
}
