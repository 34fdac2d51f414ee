package storetest_test

import (
	"context"
	"testing"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store/storetest"
)

// Each Open gives a fresh, usable store of its own.
func TestOpenIsFreshAndIsolated(t *testing.T) {
	ctx := context.Background()
	a, b := storetest.Open(t), storetest.Open(t)
	if err := a.SaveGroup(ctx, bot.Group{ID: "console:g", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	if g, err := a.Group(ctx, "console:g"); err != nil || g.Name != "A" {
		t.Errorf("Group = %+v, %v; want A", g, err)
	}
	if _, err := b.Group(ctx, "console:g"); err == nil {
		t.Error("second store sees the first store's group")
	}
}
