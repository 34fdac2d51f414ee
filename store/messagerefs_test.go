package store

import (
	"context"
	"errors"
	"testing"

	"github.com/peerbot/peerbot/bot"
)

// A reference reads back under its key and is replaced by a later one.
func TestMessageRefs(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if _, err := s.MessageRef(ctx, "round:1:status"); !errors.Is(err, bot.ErrNotFound) {
		t.Fatalf("MessageRef(unset) error = %v, want ErrNotFound", err)
	}
	for _, ref := range []bot.MessageRef{"discord:111/222", "discord:111/333"} {
		if err := s.SetMessageRef(ctx, "round:1:status", ref); err != nil {
			t.Fatal(err)
		}
		if got, err := s.MessageRef(ctx, "round:1:status"); err != nil || got != ref {
			t.Errorf("MessageRef = %q, %v; want %q", got, err, ref)
		}
	}
}
