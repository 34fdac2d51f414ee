package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// SeedRound fills s with a group g of n members and an open round in
// channel ch, in which every member has already checked in (green, no
// words), all in one transaction. Member i has ID "console:seed<i>" and name
// "Seed <i>". It returns the round and the member ids, for benchmarks that
// measure a check-in into a busy round.
func SeedRound(tb testing.TB, s bot.Store, g bot.GroupID, ch bot.ChannelID, n int) (bot.Round, []bot.MemberID) {
	tb.Helper()
	ctx := context.Background()
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var round bot.Round
	ids := make([]bot.MemberID, n)
	err := s.InTx(ctx, func(tx bot.Store) error {
		if err := tx.SaveGroup(ctx, bot.Group{ID: g, Name: "Seeded group"}); err != nil {
			return err
		}
		var err error
		round, err = tx.CreateRound(ctx, bot.Round{Group: g, Channel: ch, Prompt: "How are you doing?",
			OpenedAt: at, ClosesAt: at.Add(time.Hour)})
		if err != nil {
			return err
		}
		for i := range ids {
			ids[i] = bot.MemberID(fmt.Sprintf("console:seed%d", i))
			name := fmt.Sprintf("Seed %d", i)
			if err := tx.SaveMember(ctx, bot.MemberRecord{ID: ids[i], Name: name}); err != nil {
				return err
			}
			if _, err := tx.AddMembership(ctx, g, ids[i], at); err != nil {
				return err
			}
			if err := tx.PutCheckIn(ctx, bot.CheckIn{Round: round.ID, Member: ids[i], MemberName: name,
				Colour: bot.Green, At: at}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("storetest: seed round: %v", err)
	}
	return round, ids
}
