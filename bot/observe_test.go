package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// recorder is an Observer that writes down what it is told, as text.
type recorder struct {
	mu   sync.Mutex
	seen []string
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	r.seen = append(r.seen, s)
	r.mu.Unlock()
}

func (r *recorder) Handled(cmd string, o bot.Outcome, took time.Duration) {
	if took <= 0 {
		r.add("no duration")
	}
	r.add(fmt.Sprintf("handled %s %s", cmd, o))
}
func (r *recorder) Delivered(v bot.Visibility, result string) {
	r.add(fmt.Sprintf("delivered %s %s", v, result))
}
func (r *recorder) Condition(k bot.ConditionKind) { r.add("condition " + k.String()) }

func (r *recorder) take() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := strings.Join(r.seen, "\n")
	r.seen = nil
	return s
}

// The observer hears commands by their names in the table, outcomes,
// visibilities and condition kinds: never a member, group or any words.
func TestObserver(t *testing.T) {
	h := newHarness(t)
	rec := &recorder{}
	b, err := bot.New(bot.Options{Store: h.st, Platform: h.p, Clock: h.clock, DefaultCountry: "GB", Observer: rec})
	if err != nil {
		t.Fatal(err)
	}
	h.b = b
	h.facil["dana"] = true

	const words = "secretwordsnobodyelse"
	h.say("dana", "!round start 30 How are you arriving?")
	h.say("kit", "!checkin amber "+words)
	h.say("kit", "!round end")           // kit is not a facilitator
	h.say("kit", "!checkin purple haze") // not a colour: words are fine, so this is a check-in too
	h.p.FailNext = &bot.Condition{Kind: bot.Unreachable, Err: errors.New("dm closed")}
	h.dm("kit", "!crisis")
	h.join("newcomer")
	h.b.Report(context.Background(), bot.Condition{Kind: bot.RateLimitWaited})
	ev := h.event("kit", "!agree", false)
	ev.Command.Name = "zzz " + words // a name no table has: never passed on
	h.b.Handle(context.Background(), ev)

	got := rec.take()
	for _, want := range []string{
		"handled round start done",
		"handled checkin done",
		"handled round end refused",
		"delivered private unreachable",
		"condition unreachable",
		"handled crisis done",
		"handled join done",
		"condition rate_limit_waited",
		"handled unknown invalid",
		"delivered public ok",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("observer did not hear %q; heard:\n%s", want, got)
		}
	}
	for _, never := range []string{words, "kit", "dana", "newcomer", string(group), "arriving", "no duration"} {
		if strings.Contains(got, never) {
			t.Errorf("observer heard %q:\n%s", never, got)
		}
	}
}
