package discord

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
	"github.com/peerbot/peerbot/bot"
)

// roundMembers is the size of the benchmarked round.
const roundMembers = 50

// addRoundMembers adds n members to the fake and returns their ids.
func addRoundMembers(h *harness, n int) []string {
	var ids []string
	for i := range n {
		id := strconv.Itoa(410000000000000000 + i)
		h.f.AddUser(dt.User{ID: id, Name: "Member " + strconv.Itoa(i)})
		ids = append(ids, id)
	}
	return ids
}

// checkInRound has every member press a colour button on the status
// message, spread evenly over 2 seconds, waits until all are handled and
// the status shows the final state, and returns the REST calls made per
// check-in and each interaction's response latency.
func checkInRound(h *harness, status string, members []string) (perCheckIn float64, lat []time.Duration) {
	before := len(h.f.Requests())
	var ids []string
	gap := 2 * time.Second / time.Duration(len(members))
	for _, m := range members {
		ids = append(ids, h.f.Click(m, status, "pb:checkin green"))
		time.Sleep(gap)
	}
	for _, id := range ids {
		h.wait(id)
	}
	h.flush()
	calls := len(h.f.Requests()) - before
	for _, id := range ids {
		lat = append(lat, responseLatency(h, id))
	}
	return float64(calls) / float64(len(members)), lat
}

// responseLatency is the time from the interaction's dispatch to the
// fake's receipt of its response.
func responseLatency(h *harness, id string) time.Duration {
	in := h.f.Interaction(id)
	for _, r := range h.f.RequestsTo("POST", `^/api/v9/interactions/`+id+`/`) {
		return r.At.Sub(in.Created)
	}
	return 0
}

func percentile(d []time.Duration, p float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[int(float64(len(s)-1)*p)]
}

// BenchmarkCheckInRound measures a 50-member round with the real core and
// a real SQLite store: REST calls per check-in (goal ≤ 1.1) and response
// latency.
func BenchmarkCheckInRound(b *testing.B) {
	h := newHarness(b)
	members := addRoundMembers(h, roundMembers)
	var calls float64
	var lat []time.Duration
	for b.Loop() {
		h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
		status := h.lastMessage(groupCh)
		c, l := checkInRound(h, status.ID, members)
		calls += c
		lat = append(lat, l...)
		h.ephemeral(h.slash(fac, groupCh, "facilitator", "round end"))
		got, _ := h.f.Message(status.ID)
		if strings.Count(got.Content, "Member ") != roundMembers {
			b.Fatalf("final status shows %d members", strings.Count(got.Content, "Member "))
		}
	}
	b.ReportMetric(calls/float64(b.N), "rest/checkin")
	b.ReportMetric(float64(percentile(lat, 0.5).Microseconds()), "p50-µs")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds()), "p99-µs")
	h.checkPayloads()
}

// BenchmarkCheckInFloor is the fake's own floor: the same round against a
// handler that answers every press with a constant, privately.
func BenchmarkCheckInFloor(b *testing.B) {
	var h *harness
	sc := &scriptedCore{script: func(ctx context.Context, ev bot.Event) bot.Outcome {
		_, err := h.a.Deliver(ctx, bot.Reply{Visibility: bot.Private, To: ev.Member.ID, InReplyTo: ev.ID, Text: bot.T("Thanks.")})
		return outcomeOf(err)
	}}
	h = newHarnessWith(b, sc)
	members := addRoundMembers(h, roundMembers)
	ref, err := h.a.Deliver(context.Background(), bot.Reply{Visibility: bot.Public, Group: "discord:" + guildID,
		Channel: "discord:" + groupCh, Text: bot.T("Round"), Actions: []bot.Action{{Command: "checkin green", Label: "Green"}}})
	if err != nil {
		b.Fatal(err)
	}
	_, status, _ := parseRef(ref)
	var calls float64
	var lat []time.Duration
	for b.Loop() {
		c, l := checkInRound(h, status, members)
		calls += c
		lat = append(lat, l...)
	}
	b.ReportMetric(calls/float64(b.N), "rest/checkin")
	b.ReportMetric(float64(percentile(lat, 0.5).Microseconds()), "p50-µs")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds()), "p99-µs")
}
