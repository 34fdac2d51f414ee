package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store/storetest"
)

// benchMembers is how many members the benchmarked round already holds.
const benchMembers = 1000

// BenchmarkRawInsert is the floor for a check-in: the same row PutCheckIn
// writes, as one bare autocommit INSERT … ON CONFLICT DO UPDATE on a store
// opened like the real one (same pragmas, a file in b.TempDir()), into an
// open round whose 1,000 members have all checked in already.
func BenchmarkRawInsert(b *testing.B) {
	ctx := context.Background()
	s := storetest.Open(b)
	round, members := storetest.SeedRound(b, s, "console:bench", "console:bench", benchMembers)
	db := s.DB()
	at := time.Date(2026, 1, 1, 12, 30, 0, 0, time.UTC).UnixMilli()
	for i := 0; b.Loop(); i++ {
		_, err := db.ExecContext(ctx, `
			INSERT INTO check_ins (round_id, member_id, member_name, colour, words, private, passed, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (round_id, member_id) DO UPDATE SET
				member_name = excluded.member_name, colour = excluded.colour, words = excluded.words,
				private = excluded.private, passed = excluded.passed, at = excluded.at`,
			round.ID, members[i%len(members)], "Seed", "amber", "benchmark words", 0, 0, at)
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutCheckIn is the same write through Store.PutCheckIn, to show
// the store's own cost over BenchmarkRawInsert.
func BenchmarkPutCheckIn(b *testing.B) {
	ctx := context.Background()
	s := storetest.Open(b)
	round, members := storetest.SeedRound(b, s, "console:bench", "console:bench", benchMembers)
	at := time.Date(2026, 1, 1, 12, 30, 0, 0, time.UTC)
	for i := 0; b.Loop(); i++ {
		err := s.PutCheckIn(ctx, bot.CheckIn{Round: round.ID, Member: members[i%len(members)],
			MemberName: "Seed", Colour: bot.Amber, Words: "benchmark words", At: at})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutCheckInTx is PutCheckIn inside InTx together with
// MarkHandled, the shape of one handled check-in event.
func BenchmarkPutCheckInTx(b *testing.B) {
	ctx := context.Background()
	s := storetest.Open(b)
	round, members := storetest.SeedRound(b, s, "console:bench", "console:bench", benchMembers)
	at := time.Date(2026, 1, 1, 12, 30, 0, 0, time.UTC)
	for i := 0; b.Loop(); i++ {
		err := s.InTx(ctx, func(tx bot.Store) error {
			if _, err := tx.MarkHandled(ctx, "bench-"+strconv.Itoa(i), at); err != nil {
				return err
			}
			return tx.PutCheckIn(ctx, bot.CheckIn{Round: round.ID, Member: members[i%len(members)],
				MemberName: "Seed", Colour: bot.Amber, Words: "benchmark words", At: at})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
