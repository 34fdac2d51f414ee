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

// benchWords are the words every benchmarked check-in carries.
const benchWords = "benchmark words"

// BenchmarkRawInsert is the floor for a check-in: the same row PutCheckIn
// writes, as one bare autocommit INSERT … ON CONFLICT DO UPDATE on a store
// opened like the real one (same pragmas, a file in b.TempDir()), into an
// open round whose 1,000 members have all checked in already. The sealed
// state and words columns get values as long as PutCheckIn's (version byte,
// 24-byte nonce, the padded state or the words, 16-byte tag), not
// encrypted, so that BenchmarkPutCheckIn / BenchmarkRawInsert is the cost
// of the store, encryption included. Each write differs from the row it
// replaces (the time moves on, as PutCheckIn's random nonce does): SQLite
// skips writing a page when a row is overwritten with identical bytes,
// which would make the floor a no-op.
func BenchmarkRawInsert(b *testing.B) {
	ctx := context.Background()
	s := storetest.Open(b)
	round, members := storetest.SeedRound(b, s, "console:bench", "console:bench", benchMembers)
	db := s.DB()
	at := time.Date(2026, 1, 1, 12, 30, 0, 0, time.UTC).UnixMilli()
	state := make([]byte, 1+24+32+16)
	words := make([]byte, 1+24+len(benchWords)+16)
	copy(words[25:], benchWords)
	for i := 0; b.Loop(); i++ {
		words[1], words[2] = byte(i), byte(i>>8)
		state[1], state[2] = byte(i), byte(i>>8)
		_, err := db.ExecContext(ctx, `
			INSERT INTO check_ins (round_id, member_id, sealed, words, at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (round_id, member_id) DO UPDATE SET
				sealed = excluded.sealed, words = excluded.words, at = excluded.at`,
			round.ID, members[i%len(members)], state, words, at+int64(i))
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutCheckIn is the same write through Store.PutCheckIn, words
// encrypted, to show the store's own cost over BenchmarkRawInsert (goal:
// at most 1.2 times).
func BenchmarkPutCheckIn(b *testing.B) {
	ctx := context.Background()
	s := storetest.Open(b)
	round, members := storetest.SeedRound(b, s, "console:bench", "console:bench", benchMembers)
	at := time.Date(2026, 1, 1, 12, 30, 0, 0, time.UTC)
	for i := 0; b.Loop(); i++ {
		err := s.PutCheckIn(ctx, bot.CheckIn{Round: round.ID, Member: members[i%len(members)],
			MemberName: "Seed", Colour: bot.Amber, Words: benchWords, At: at.Add(time.Duration(i) * time.Millisecond)})
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
			if _, err := tx.MarkHandled(ctx, "bench-"+strconv.Itoa(i), "test:m", at); err != nil {
				return err
			}
			return tx.PutCheckIn(ctx, bot.CheckIn{Round: round.ID, Member: members[i%len(members)],
				MemberName: "Seed", Colour: bot.Amber, Words: benchWords, At: at})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckIns lists the 1,000 check-ins of the benchmarked round, as
// the core does to render a round's status: every row's words and (since
// schema version 6) its colour, flags and name are opened.
func BenchmarkCheckIns(b *testing.B) {
	ctx := context.Background()
	s := storetest.Open(b)
	round, _ := storetest.SeedRound(b, s, "console:bench", "console:bench", benchMembers)
	for b.Loop() {
		cs, err := s.CheckIns(ctx, round.ID)
		if err != nil || len(cs) != benchMembers {
			b.Fatal(len(cs), err)
		}
	}
}

// BenchmarkMemberCheckIn reads one member's check-in in the busy round, as
// the core does before every check-in.
func BenchmarkMemberCheckIn(b *testing.B) {
	ctx := context.Background()
	s := storetest.Open(b)
	round, members := storetest.SeedRound(b, s, "console:bench", "console:bench", benchMembers)
	for i := 0; b.Loop(); i++ {
		if _, err := s.MemberCheckIn(ctx, round.ID, members[i%len(members)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoundCounts counts the 1,000 check-ins of the benchmarked round
// by colour, as a round's summary does.
func BenchmarkRoundCounts(b *testing.B) {
	ctx := context.Background()
	s := storetest.Open(b)
	round, _ := storetest.SeedRound(b, s, "console:bench", "console:bench", benchMembers)
	for b.Loop() {
		c, err := s.RoundCounts(ctx, round.ID)
		if err != nil || c.Total() != benchMembers {
			b.Fatal(c, err)
		}
	}
}

// BenchmarkGroupMembers lists the 1,000 members of the benchmarked group by
// name, as the agreement's acceptance list does.
func BenchmarkGroupMembers(b *testing.B) {
	ctx := context.Background()
	s := storetest.Open(b)
	storetest.SeedRound(b, s, "console:bench", "console:bench", benchMembers)
	for b.Loop() {
		ms, err := s.GroupMembers(ctx, "console:bench")
		if err != nil || len(ms) != benchMembers {
			b.Fatal(len(ms), err)
		}
	}
}
