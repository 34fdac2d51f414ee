package matrix

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// pins carries out the pins the bot promised, in the background: a pin
// that fails (the homeserver restarting or overloaded; Dendrite on SQLite
// answers 500 "database is locked") is tried again with backoff until it
// lands, the bot learns it may not pin (the core is told, CannotPin), the
// patience runs out (logged, and reported to the core: CannotPin) or the
// adapter stops.
type pins struct {
	ctx  context.Context // ends when the adapter stops
	stop context.CancelFunc
	wg   sync.WaitGroup
	mu   sync.Mutex // one read-modify-write of a room's pinned events at a time

	first, ceiling, patience time.Duration
}

func newPins() *pins {
	ctx, stop := context.WithCancel(context.Background())
	return &pins{ctx: ctx, stop: stop, first: time.Second, ceiling: 30 * time.Second, patience: 2 * time.Minute}
}

// close cancels the pins still being retried and waits for them.
func (p *pins) close() {
	p.stop()
	p.wg.Wait()
}

// pin adds ev to the room's pinned events in the background, or reports to
// the core what power the bot needs for that (the core tells the
// facilitators). It does not wait: the command's answer is already out.
func (a *Adapter) pin(room id.RoomID, ev id.EventID, g bot.GroupID) {
	log := a.log.With().Str("room_id", room.String()).Str("event_id", ev.String()).Logger()
	p := a.pins
	if p.ctx.Err() != nil {
		log.Warn().Msg("Adapter stopped; not pinning message")
		return
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		n := 0
		err := retryBackoff(p.ctx, p.first, p.ceiling, p.patience, func() error {
			n++
			err := a.pinOnce(p.ctx, room, ev, g)
			if err != nil && p.ctx.Err() == nil {
				log.Warn().Err(err).Int("attempt", n).Msg("Could not pin message yet; retrying")
			}
			return err
		})
		switch {
		case err != nil && p.ctx.Err() != nil:
			log.Warn().Int("attempts", n).Msg("Adapter stopped before the message was pinned")
		case err != nil:
			// A pin the bot promised did not happen: the facilitators are
			// told, not only the operator's log.
			log.Error().Err(err).Int("attempts", n).Msg("Gave up pinning message")
			if c := a.getCore(); c != nil {
				c.Report(p.ctx, bot.Condition{Kind: bot.CannotPin, Group: g, Err: err})
			}
		}
	}()
}

// pinOnce makes one attempt at pinning ev. It returns nil when ev is
// pinned (by this attempt or an earlier one whose answer was lost) or when
// the bot may not pin, which it reports to the core.
func (a *Adapter) pinOnce(ctx context.Context, room id.RoomID, ev id.EventID, g bot.GroupID) error {
	a.pins.mu.Lock()
	defer a.pins.mu.Unlock()
	pl, err := a.powerLevels(ctx, room)
	if err != nil {
		return fmt.Errorf("read power levels to pin: %w", err)
	}
	need := pl.GetEventLevel(event.StatePinnedEvents)
	if pl.GetUserLevel(a.cli.UserID) < need {
		a.cannotPin(ctx, room, g, need)
		return nil
	}
	var pinned event.PinnedEventsEventContent
	if err := a.cli.StateEvent(ctx, room, event.StatePinnedEvents, "", &pinned); err != nil {
		if !errors.Is(err, mautrix.MNotFound) {
			// Writing a list read wrongly would unpin the others.
			return fmt.Errorf("read pinned events: %w", err)
		}
		pinned = event.PinnedEventsEventContent{}
	}
	if slices.Contains(pinned.Pinned, ev) {
		return nil
	}
	pinned.Pinned = append(pinned.Pinned, ev)
	if _, err := a.cli.SendStateEvent(ctx, room, event.StatePinnedEvents, "", &pinned); err != nil {
		if errors.Is(err, mautrix.MForbidden) {
			// The power levels the bot knew were out of date.
			a.cannotPin(ctx, room, g, need)
			return nil
		}
		return fmt.Errorf("pin message: %w", err)
	}
	// Done only when the room's state shows it: a homeserver that lost the
	// event after accepting it (a restart, a state reset) gets it again.
	pinned = event.PinnedEventsEventContent{}
	if err := a.cli.StateEvent(ctx, room, event.StatePinnedEvents, "", &pinned); err != nil {
		return fmt.Errorf("check pin: %w", err)
	}
	if !slices.Contains(pinned.Pinned, ev) {
		return errors.New("check pin: the room's pinned events do not show it")
	}
	a.log.Info().Str("room_id", room.String()).Str("event_id", ev.String()).Msg("Pinned message")
	return nil
}

// cannotPin tells the core the bot needs power level need to pin in room.
func (a *Adapter) cannotPin(ctx context.Context, room id.RoomID, g bot.GroupID, need int) {
	a.log.Info().Str("room_id", room.String()).Int("need", need).Msg("Not allowed to pin; reporting it")
	if g == "" {
		g = groupID(room)
	}
	if c := a.getCore(); c != nil {
		c.Report(ctx, bot.Condition{Kind: bot.CannotPin, Group: g, Need: need})
	}
}

// retryBackoff runs f until it succeeds, waiting first after the first failure
// and twice as long after each further one, up to ceiling. It returns nil
// once f succeeds, and f's last error when the next try would come after
// patience or ctx ended.
func retryBackoff(ctx context.Context, first, ceiling, patience time.Duration, f func() error) error {
	deadline := time.Now().Add(patience)
	wait := first
	for {
		err := f()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil || !time.Now().Add(wait).Before(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(wait*2, ceiling)
	}
}
