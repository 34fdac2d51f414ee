package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
	"github.com/peerbot/peerbot/store/pgtest"
	"github.com/peerbot/peerbot/store/storetest"
)

// benchGroups is how many groups check in at once in BenchmarkGroupsCheckIn,
// and benchGroupMembers how many members each group's open round holds.
const benchGroups, benchGroupMembers = 50, 20

// BenchmarkGroupsCheckIn is check-in throughput with 50 groups checking in
// at once: each op is one check-in in each of 50 groups' open rounds, made
// by 50 goroutines side by side (as 50 busy meetings would). "store" is the
// shape of one handled check-in event (InTx: MarkHandled + PutCheckIn, the
// words encrypted); "raw" is the floor, the same check_ins row as one bare
// autocommit INSERT … ON CONFLICT DO UPDATE on the same database, also 50
// at once. Both on SQLite (a file in b.TempDir()) and on PostgreSQL (a
// database on the pgtest server, fsync on). ns/op is per 50 check-ins;
// checkins/s is the throughput.
func BenchmarkGroupsCheckIn(b *testing.B) {
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		for _, mode := range []string{"raw", "store"} {
			b.Run(dialect+"/"+mode, func(b *testing.B) {
				s := openBench(b, dialect)
				benchGroupsCheckIn(b, s, mode == "raw")
			})
		}
	}
}

// openBench opens a fresh store of the dialect.
func openBench(b *testing.B, dialect string) *store.Store {
	b.Helper()
	db := filepath.Join(b.TempDir(), "peerbot.db")
	if dialect == store.DialectPostgres {
		db = pgtest.URL(b)
	}
	s, err := store.OpenURL(context.Background(), db, store.WithKey(storetest.Key(b)))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func benchGroupsCheckIn(b *testing.B, s *store.Store, raw bool) {
	ctx := context.Background()
	rounds := make([]bot.Round, benchGroups)
	members := make([][]bot.MemberID, benchGroups)
	for g := range rounds {
		id := fmt.Sprintf("console:bench%d", g)
		rounds[g], members[g] = storetest.SeedRound(b, s, bot.GroupID(id), bot.ChannelID(id), benchGroupMembers)
		// SeedRound's members have the same ids in every group.
	}
	at := time.Date(2026, 1, 1, 12, 30, 0, 0, time.UTC)
	state := make([]byte, 1+24+32+16)
	words := make([]byte, 1+24+len(benchWords)+16)
	copy(words[25:], benchWords)
	var mu sync.Mutex
	var firstErr error
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	n := 0
	for b.Loop() {
		n++
		var wg sync.WaitGroup
		for g := range rounds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m := members[g][n%benchGroupMembers]
				when := at.Add(time.Duration(n) * time.Millisecond)
				if raw {
					st, w := append([]byte(nil), state...), append([]byte(nil), words...)
					st[1], st[2], w[1], w[2] = byte(n), byte(n>>8), byte(n), byte(n>>8)
					_, err := s.DB().ExecContext(ctx, `
						INSERT INTO check_ins (round_id, member_id, sealed, words, at)
						VALUES (?, ?, ?, ?, ?)
						ON CONFLICT (round_id, member_id) DO UPDATE SET
							sealed = excluded.sealed, words = excluded.words, at = excluded.at`,
						rounds[g].ID, m, st, w, when.UnixMilli())
					if err != nil {
						fail(err)
					}
					return
				}
				err := s.InTx(ctx, func(tx bot.Store) error {
					if _, err := tx.MarkHandled(ctx, fmt.Sprintf("bench-%d-%d", g, n), m, when); err != nil {
						return err
					}
					return tx.PutCheckIn(ctx, bot.CheckIn{Round: rounds[g].ID, Member: m, MemberName: "Seed",
						Colour: bot.Amber, Words: benchWords, At: when})
				})
				if err != nil {
					fail(err)
				}
			}()
		}
		wg.Wait()
		if firstErr != nil {
			b.Fatal(firstErr)
		}
	}
	b.ReportMetric(float64(n*benchGroups)/b.Elapsed().Seconds(), "checkins/s")
}
