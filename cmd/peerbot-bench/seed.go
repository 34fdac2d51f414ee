package main

import (
	"context"
	"fmt"
	"time"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
)

const (
	seedGroups  = 1000
	seedMembers = 10000
)

// seedStore fills peerbot's database with 1,000 groups and 10,000 members
// (ten groups each) through the store package, before peerbot starts.
func seedStore(ctx context.Context, path string) error {
	key, err := store.ParseKey(secretKey)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, path, store.WithKey(key))
	if err != nil {
		return err
	}
	now := time.Now()
	err = st.InTx(ctx, func(s bot.Store) error {
		for g := range seedGroups {
			if err := s.SaveGroup(ctx, bot.Group{ID: bot.GroupID(fmt.Sprintf("matrix:!seed%04d:localhost", g)), Name: fmt.Sprintf("Group %d", g)}); err != nil {
				return err
			}
		}
		for m := range seedMembers {
			id := bot.MemberID(fmt.Sprintf("matrix:@seed%05d:localhost", m))
			if err := s.SaveMember(ctx, bot.MemberRecord{ID: id, Name: fmt.Sprintf("Member %d", m)}); err != nil {
				return err
			}
			for k := range 10 {
				g := bot.GroupID(fmt.Sprintf("matrix:!seed%04d:localhost", (m+k*101)%seedGroups))
				if _, err := s.AddMembership(ctx, g, id, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		_ = st.Close()
		return fmt.Errorf("seed store: %w", err)
	}
	return st.Close()
}
