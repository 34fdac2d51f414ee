package bot

import (
	"context"
	"errors"
	"sync"
	"time"
)

// statusQueue holds rounds whose live status message needs an edit, when
// edits are debounced (Options.StatusDelay > 0): however many members check
// in, the status is edited at most once per delay, with the latest state.
type statusQueue struct {
	mu   sync.Mutex
	due  map[int64]pendingStatus
	last map[int64]time.Time
}

type pendingStatus struct {
	round Round
	at    time.Time
}

// mark asks for an edit of r's status no earlier than delay after the last.
func (q *statusQueue) mark(r Round, now time.Time, delay time.Duration) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.due == nil {
		q.due, q.last = map[int64]pendingStatus{}, map[int64]time.Time{}
	}
	if _, ok := q.due[r.ID]; ok {
		return
	}
	at := now
	if last, ok := q.last[r.ID]; ok && last.Add(delay).After(now) {
		at = last.Add(delay)
	}
	q.due[r.ID] = pendingStatus{round: r, at: at}
}

// take removes and returns the rounds whose edit is due at now.
func (q *statusQueue) take(now time.Time) []Round {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []Round
	for id, p := range q.due {
		if !p.at.After(now) {
			out = append(out, p.round)
			delete(q.due, id)
			q.last[id] = now
		}
	}
	return out
}

// forget drops a round (closed: its final status is posted at once).
func (q *statusQueue) forget(id int64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.due, id)
	delete(q.last, id)
}

// statusChanged queues the status edit of r: at once, or debounced.
func (b *Bot) statusChanged(c *call, r Round) error {
	if b.statusDelay <= 0 {
		cs, err := c.st.CheckIns(c.ctx, r.ID)
		if err != nil {
			return err
		}
		c.say(Reply{Visibility: Public, Group: r.Group, Channel: r.Channel, Key: statusKey(r.ID), Text: roundStatusText(r, cs, b.zoneOf(c), b.textLimit(r.Group))})
		return nil
	}
	if b.leases != nil {
		// The edit is done by the group's lease holder, which may be
		// another process: the mark goes into the database.
		c.after = append(c.after, func() {
			if err := b.leases.store.MarkStatus(c.ctx, r, b.now(), b.statusDelay); err != nil {
				b.log.Error().Err(err).Msg("Queueing a round's status edit failed")
			}
		})
		return nil
	}
	c.after = append(c.after, func() { b.status.mark(r, b.now(), b.statusDelay) })
	return nil
}

// flushStatuses edits the status messages whose debounced edit is due.
func (b *Bot) flushStatuses(ctx context.Context, fail func(error, string)) {
	due := b.status.take(b.now())
	if b.leases != nil {
		var err error
		if due, err = b.leases.store.TakeStatuses(ctx, b.leases.holder, b.now()); err != nil {
			fail(err, "Listing due status edits failed")
			return
		}
	}
	for _, r := range due {
		if err := b.flushStatus(ctx, r); err != nil {
			fail(err, "Editing a round's status failed")
		}
	}
}

func (b *Bot) flushStatus(ctx context.Context, r Round) error {
	defer b.groupLocks.lock(r.Group)()
	open, err := b.store.OpenRound(ctx, r.Channel)
	if errors.Is(err, ErrNotFound) || (err == nil && open.ID != r.ID) {
		return nil // closed meanwhile; closing posted the final state
	} else if err != nil {
		return err
	}
	cs, err := b.store.CheckIns(ctx, r.ID)
	if err != nil {
		return err
	}
	g, err := b.groupOf(ctx, b.store, r.Group)
	if err != nil {
		return err
	}
	b.deliver(ctx, nil, []Reply{{Visibility: Public, Group: r.Group, Channel: r.Channel, Key: statusKey(r.ID), Text: roundStatusText(open, cs, b.zone(g), b.textLimit(open.Group))}})
	return nil
}

// textLimit is the platform's message size for group g (0: none).
func (b *Bot) textLimit(g GroupID) int {
	if l, ok := b.platform.(TextLimiter); ok {
		return l.TextLimit(g)
	}
	return 0
}
