package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store/storetest"
)

// benchPlatform accepts every reply, as a fast platform would.
type benchPlatform struct{ n int }

func (p *benchPlatform) Deliver(_ context.Context, r bot.Reply) (bot.MessageRef, error) {
	if r.Edit != "" {
		return r.Edit, nil
	}
	p.n++
	return bot.MessageRef(fmt.Sprint(p.n)), nil
}

// BenchmarkCheckInMetrics is bot's BenchmarkCheckIn (one check-in into an
// open round of 1,000 members, status edits debounced) with what
// http.listen adds: the metrics observer and every store call timed.
// Compare with BenchmarkCheckInNoMetrics, the same without, in the same run.
func BenchmarkCheckInMetrics(b *testing.B) { benchCheckInMetrics(b, true) }

// BenchmarkCheckInNoMetrics is BenchmarkCheckInMetrics without metrics.
func BenchmarkCheckInNoMetrics(b *testing.B) { benchCheckInMetrics(b, false) }

func benchCheckInMetrics(b *testing.B, withMetrics bool) {
	ctx := context.Background()
	st := storetest.Open(b)
	const g, ch = bot.GroupID("console:bench"), bot.ChannelID("console:bench")
	round, members := storetest.SeedRound(b, st, g, ch, 1000)
	opts := bot.Options{Store: st, Platform: &benchPlatform{}, Clock: bot.NewManualClock(round.OpenedAt.Add(time.Minute)), StatusDelay: 2 * time.Second}
	if withMetrics {
		met := newMetrics(st.Stats)
		opts.Store, opts.Observer = timedStore{Store: st, h: met.database}, met
	}
	core, err := bot.New(opts)
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
