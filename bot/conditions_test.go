package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/bot/bottest"
)

// Adapters report conditions; the core says the words, to the right people.
func TestReportConditions(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!round start") // dana is the facilitator the platform can reach
	h.p.Take()

	h.b.Report(context.Background(), bot.Condition{Kind: bot.CannotPin, Group: group, Need: 50})
	out := bottest.Transcript(h.p.Take())
	if !strings.Contains(out, "[facilitators] I couldn't pin the agreement") || !strings.Contains(out, "power level 50") {
		t.Errorf("cannot pin:\n%s", out)
	}
	h.b.Report(context.Background(), bot.Condition{Kind: bot.CannotRedact, Group: group})
	if out := bottest.Transcript(h.p.Take()); !strings.HasPrefix(out, "[facilitators] A member typed a private command") || strings.Contains(out, "[group") {
		t.Errorf("cannot redact:\n%s", out)
	}
	h.b.Report(context.Background(), bot.Condition{Kind: bot.Undecryptable, Group: group, Member: "test:kit", MemberName: "kit"})
	if out := bottest.Transcript(h.p.Take()); !strings.HasPrefix(out, "[dm kit] I couldn't read the message you just sent") {
		t.Errorf("undecryptable:\n%s", out)
	}
	h.b.Report(context.Background(), bot.Condition{Kind: bot.FacilitatorsUnclear, Group: group, Need: 1})
	if out := bottest.Transcript(h.p.Take()); !strings.HasPrefix(out, "[group] Everyone in this room has, by default, the power level") || !strings.Contains(out, "kick level to 1 or more") {
		t.Errorf("facilitators unclear:\n%s", out)
	}
	h.b.Report(context.Background(), bot.Condition{Kind: bot.RateLimited, Group: group})
	if out := bottest.Transcript(h.p.Take()); out != "" {
		t.Errorf("rate limited said something:\n%s", out)
	}
}

// A member the platform cannot reach privately: the core says so in the
// group once a day, naming nobody and never what the message said.
func TestDeliveryPlanUnreachable(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!round start")
	h.p.Take()
	h.p.FailNext = &bot.Condition{Kind: bot.Unreachable, Err: errors.New("dm declined")}
	out := h.say("kit", "!checkin amber tired today")
	if !strings.Contains(out, "[group] I couldn't send some private replies just now") || strings.Contains(out, "reach kit") {
		t.Errorf("no neutral note in the group:\n%s", out)
	}
	h.p.FailNext = &bot.Condition{Kind: bot.Unreachable}
	if out := h.say("mo", "!checkin amber"); strings.Contains(out, "[group] I couldn't send") {
		t.Errorf("a second note on the same day:\n%s", out)
	}
	if strings.Contains(publicLines(h.p.Sent()), "tired today") {
		t.Errorf("the private content reached the group:\n%s", out)
	}
	// Any other failure is only logged.
	h.p.FailNext = errors.New("boom")
	if out := h.say("lee", "!checkin green"); strings.Contains(out, "couldn't reach") {
		t.Errorf("a plain failure was reported as unreachable:\n%s", out)
	}
}
