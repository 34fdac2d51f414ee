package store

import (
	"context"
	"errors"
	"testing"

	"github.com/peerbot/peerbot/bot"
)

// A saved group reads back exactly; saving again replaces it; an unknown
// group is ErrNotFound.
func TestGroupSaveAndReplace(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if _, err := s.Group(ctx, "console:g"); !errors.Is(err, bot.ErrNotFound) {
		t.Fatalf("Group(unknown) error = %v, want ErrNotFound", err)
	}
	g := bot.Group{ID: "console:g", Name: "Tuesday group", DefaultCountry: "GB",
		FacilitatorsChannel: "console:facilitators", LastFacilitator: "console:fay", Timezone: "Europe/London"}
	if err := s.SaveGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Group(ctx, g.ID); err != nil || got != g {
		t.Fatalf("Group = %+v, %v; want %+v", got, err, g)
	}
	g2 := bot.Group{ID: "console:g", Name: "Renamed"}
	if err := s.SaveGroup(ctx, g2); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Group(ctx, g.ID); err != nil || got != g2 {
		t.Errorf("Group after replace = %+v, %v; want %+v", got, err, g2)
	}
}
