package bot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store/storetest"
)

// nopPlatform accepts every reply, as a fast platform would.
type nopPlatform struct{ n int }

func (p *nopPlatform) Deliver(_ context.Context, r bot.Reply) (bot.MessageRef, error) {
	if r.Edit != "" {
		return r.Edit, nil
	}
	p.n++
	return bot.MessageRef(fmt.Sprint(p.n)), nil
}

// BenchmarkCheckIn measures the core plus the SQLite store handling one
// check-in event into an open round of 1,000 members who have all checked
// in: de-duplication, the write (words encrypted) and the acknowledgement,
// with status edits debounced as on Matrix and Discord (the edit itself is
// made at most once per StatusDelay, not per check-in). Compare with store's
// BenchmarkRawInsert (the same row written with a bare SQL insert) in the
// same `go test -bench` run.
func BenchmarkCheckIn(b *testing.B) { benchCheckIn(b, 2*time.Second) }

// BenchmarkCheckInImmediate is BenchmarkCheckIn with the status message
// re-rendered from all 1,000 check-ins on every check-in (the console).
func BenchmarkCheckInImmediate(b *testing.B) { benchCheckIn(b, 0) }

func benchCheckIn(b *testing.B, delay time.Duration) {
	ctx := context.Background()
	st := storetest.Open(b)
	const g, ch = bot.GroupID("console:bench"), bot.ChannelID("console:bench")
	round, members := storetest.SeedRound(b, st, g, ch, 1000)
	clock := bot.NewManualClock(round.OpenedAt.Add(time.Minute))
	core, err := bot.New(bot.Options{Store: st, Platform: &nopPlatform{}, Clock: clock, StatusDelay: delay})
	if err != nil {
		b.Fatal(err)
	}
	cmd, _ := core.Commands().ParseLine("checkin amber benchmark words")
	for i := 0; b.Loop(); i++ {
		m := members[i%len(members)]
		ev := bot.Event{ID: fmt.Sprintf("bench-%d", i), Kind: bot.EventCommand, Group: g, Channel: ch,
			Member:  bot.Member{ID: m, Name: fmt.Sprintf("Seed %d", i%len(members))},
			Command: cmd}
		if o := core.Handle(ctx, ev); o != bot.Done {
			b.Fatal(o)
		}
	}
}
