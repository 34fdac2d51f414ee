package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

// The review gate: a suggested tip is never shown to a member until a
// facilitator approves it; approved tips carry no name; a declined tip is
// deleted and its author gets a kind private note.
func TestTipReviewGate(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!agreement")
	h.join("alex")
	h.join("kit")

	out := h.dm("kit", "!tip")
	mustHave(t, out, "dm kit", "The group's toolbox is empty for now.")

	out = h.dm("alex", "!tip add A cold shower and loud music")
	mustHave(t, out, "dm alex", "A facilitator will look at it first; if they add it to the toolbox, it's shared without your name.")
	mustHave(t, out, "facilitators", "A member suggested a tip for the toolbox. !tip review shows it to you privately.")
	mustNot(t, out, "facilitators", "cold shower")
	mustNot(t, out, "facilitators", "alex")

	// Pending: never shown to a member.
	for i := 0; i < 3; i++ {
		out = h.dm("kit", "!tip")
		mustHave(t, out, "dm kit", "The group's toolbox is empty for now.")
		mustNot(t, out, "dm kit", "cold shower")
	}
	out = h.dm("kit", "!tip review")
	mustHave(t, out, "dm kit", "That one is for facilitators")
	mustNot(t, out, "dm kit", "cold shower")

	out = h.dm("dana", "!tip review")
	mustHave(t, out, "dm dana", "One tip is waiting for review.")
	mustHave(t, out, "dm dana", "1. A cold shower and loud music")
	mustHave(t, out, "dm dana", "no graphic detail (no methods, tools, body locations, numbers, medication names or doses) and no harmful alternatives")
	mustHave(t, out, "dm dana", "(buttons: Add 1 · Decline 1)")
	mustNot(t, out, "dm dana", "alex")

	out = h.dm("dana", "!tip approve 1")
	mustHave(t, out, "dm dana", "Added. Tip 1 is in the toolbox now, without a name.")
	mustHave(t, out, "dm alex", "The tip you suggested is in the group's toolbox now")
	out = h.dm("kit", "!tip")
	mustHave(t, out, "dm kit", "Something that helped someone in the group:")
	mustHave(t, out, "dm kit", "A cold shower and loud music")
	mustNot(t, out, "dm kit", "alex")
	if pub := publicLines(h.p.Sent()); strings.Contains(pub, "cold shower") {
		t.Fatalf("a tip in public:\n%s", pub)
	}

	// Declined: deleted, the author told kindly, never shown.
	h.dm("alex", "!tip add something I'd rather not have shared")
	out = h.dm("dana", "!tip decline 2")
	mustHave(t, out, "dm dana", "Declined. I've deleted tip 2")
	mustHave(t, out, "dm alex", "Thank you for suggesting a tip. The facilitators decided not to add this one")
	for i := 0; i < 3; i++ {
		mustNot(t, h.dm("kit", "!tip"), "dm kit", "rather not")
	}
	out = h.dm("dana", "!tip approve 2")
	mustHave(t, out, "dm dana", "No tip 2 is waiting for review.")
	out = h.dm("dana", "!tip decline 1")
	mustHave(t, out, "dm dana", "Tip 1 is in the toolbox already.")
}

// !tip never sends the same tip twice in a row; the starter set is off
// by default, can be switched on and off, and tips can be removed.
func TestTipRotationStarterRemove(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!agreement")
	h.join("kit")

	out := h.dm("dana", "!tip list")
	mustHave(t, out, "dm dana", "The toolbox is empty.")
	out = h.dm("dana", "!tip starter on")
	mustHave(t, out, "dm dana", "The 5 starter tips are in the toolbox.")
	h.dm("dana", "!tip starter on") // twice: still five
	out = h.dm("dana", "!tip list")
	mustHave(t, out, "dm dana", "The toolbox has 5 tips:")
	mustHave(t, out, "dm dana", "1. Grounding: name five things you can see")

	last := ""
	seen := map[string]bool{}
	for i := 0; i < 10; i++ {
		out := h.dm("kit", "!tip")
		ls := lines(out, "dm kit")
		if len(ls) < 2 {
			t.Fatalf("no tip:\n%s", out)
		}
		if ls[1] == last {
			t.Fatalf("the same tip twice in a row: %q", last)
		}
		last = ls[1]
		seen[last] = true
	}
	if len(seen) != 5 {
		t.Fatalf("saw %d different tips in 10, want all 5", len(seen))
	}

	out = h.dm("dana", "!tip remove 3")
	mustHave(t, out, "dm dana", "Removed tip 3 from the toolbox.")
	out = h.dm("dana", "!tip remove 3")
	mustHave(t, out, "dm dana", "There's no tip 3.")
	out = h.dm("dana", "!tip starter off")
	mustHave(t, out, "dm dana", "The starter tips are out of the toolbox.")
	out = h.dm("kit", "!tip")
	mustHave(t, out, "dm kit", "The group's toolbox is empty for now.")

	// In another language, the starter set is in that language.
	h.say("dana", "!language de")
	h.dm("dana", "!tip starter on")
	out = h.dm("kit", "!tip")
	mustHave(t, out, "dm kit", "Etwas, das jemandem in der Gruppe geholfen hat:")
}

// Tips are sealed at rest, listed by !mydata, go with !forgetme, and
// retention deletes pending ones and unlinks approved ones.
func TestTipDataForgetRetention(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!agreement")
	h.join("alex")
	h.dm("alex", "!tip add sitting by the river")
	h.dm("alex", "!tip add calling my sister")
	h.dm("dana", "!tip approve 1")

	out := h.dm("alex", "!mydata")
	mustHave(t, out, "dm alex", "Tips you suggested: 2")
	mustHave(t, out, "dm alex", "(in the toolbox): sitting by the river")
	mustHave(t, out, "dm alex", "(waiting for review): calling my sister")
	raw := rawDatabase(t, h)
	if strings.Contains(raw, "sitting by the river") || strings.Contains(raw, "calling my sister") {
		t.Fatal("a tip is in the database file in plain text")
	}

	h.clock.Advance(time.Hour)
	if _, err := h.st.PurgeWords(context.Background(), h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	out = h.dm("alex", "!mydata")
	mustHave(t, out, "dm alex", "Tips you suggested: none")
	out = h.dm("dana", "!tip list")
	mustHave(t, out, "dm dana", "1. sitting by the river") // still in the toolbox, without a name
	out = h.dm("dana", "!tip review")
	mustHave(t, out, "dm dana", "No tips are waiting for review.")

	// !forgetme takes the member's tips that still name them.
	h.dm("alex", "!tip add a warm drink")
	out = h.dm("dana", "!tip approve 2") // numbers are never reused
	mustHave(t, out, "dm dana", "No tip 2 is waiting for review.")
	h.dm("dana", "!tip approve 3")
	h.dm("alex", "!forgetme confirm")
	out = h.dm("dana", "!tip list")
	mustNot(t, out, "dm dana", "a warm drink")
	mustHave(t, out, "dm dana", "sitting by the river")
}
