package discord

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
)

// TestClosingRoundForm: /facilitator round closing opens a form for the
// prompt (empty: the default question); the status offers Pass and Add
// words, no colours; a word added in the form and a pass are counted, and
// the summary repeats nobody's words.
func TestClosingRoundForm(t *testing.T) {
	h := newHarness(t)
	open := h.slash(fac, groupCh, "facilitator", "round closing")
	if open.Response != 9 {
		t.Fatalf("/facilitator round closing answered with response type %d, want a form (9)", open.Response)
	}
	var form struct {
		Components []dt.Component `json:"components"`
	}
	_ = json.Unmarshal(open.Data, &form)
	if len(form.Components) != 1 || form.Components[0].Components[0].Label != "Closing question (optional)" {
		t.Errorf("form: %s", open.Data)
	}
	h.submit(fac, open.ID, "One word for the week ahead")
	status := h.lastMessage(groupCh)
	if !strings.Contains(status.Content, "**Closing round**: One word for the week ahead") || strings.Contains(status.Content, "green") {
		t.Errorf("status: %q", status.Content)
	}
	ids := buttonIDs(status)
	if !slices.Equal(ids, []string{"pb:pass", "pbi:checkin"}) {
		t.Errorf("closing round buttons %v, want pass and add words only", ids)
	}

	add := h.click(ana, status.ID, "pbi:checkin")
	if add.Response != 9 {
		t.Fatalf("Add words: response %d, want a form", add.Response)
	}
	h.submit(ana, add.ID, "lighter")
	h.click(ben, status.ID, "pb:pass")
	h.flush()

	h.clock.Advance(16 * time.Minute)
	var summary dt.Message
	h.f.WaitFor("the closing summary", func() bool {
		for _, m := range h.f.ChannelMessages(groupCh) {
			if strings.Contains(m.Content, "The closing round has closed.") {
				summary = m
				return true
			}
		}
		return false
	})
	if !strings.Contains(summary.Content, "1 person shared a word, 1 passed.") || strings.Contains(summary.Content, "lighter") {
		t.Errorf("summary: %q", summary.Content)
	}
	for _, m := range h.f.ChannelMessages(groupCh) {
		if strings.Contains(m.Content, "lighter") {
			t.Errorf("a word was repeated in the channel: %q", m.Content)
		}
	}
}
