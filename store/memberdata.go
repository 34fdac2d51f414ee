package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/peerbot/peerbot/bot"
)

// MemberData returns everything stored about m, for !mydata, read in one
// transaction. A member with no record is returned with only the ID set (and
// whatever memberships, acceptances and check-ins name them); that is not an
// error.
func (s *Store) MemberData(ctx context.Context, m bot.MemberID) (bot.MemberData, error) {
	var d bot.MemberData
	err := s.InTx(ctx, func(st bot.Store) error {
		tx := st.(*Store)
		var err error
		d.Member, err = tx.Member(ctx, m)
		if errors.Is(err, bot.ErrNotFound) {
			d.Member, err = bot.MemberRecord{ID: m}, nil
		}
		if err != nil {
			return err
		}
		if d.Groups, err = tx.GroupsOf(ctx, m); err != nil {
			return err
		}
		if d.Acceptances, err = tx.acceptances(ctx, `WHERE member_id = ?`, m); err != nil {
			return fmt.Errorf("list acceptances: %w", err)
		}
		if d.CheckIns, err = tx.checkIns(ctx, `WHERE member_id = ? ORDER BY round_id, id`, m); err != nil {
			return fmt.Errorf("list check-ins: %w", err)
		}
		if d.Reminders, err = tx.reminderGroups(ctx, m); err != nil {
			return fmt.Errorf("list reminders: %w", err)
		}
		if d.ThreadWords, err = tx.memberThreadWords(ctx, m); err != nil {
			return fmt.Errorf("list thread words: %w", err)
		}
		if d.Tips, err = tx.memberTips(ctx, m); err != nil {
			return fmt.Errorf("list tips: %w", err)
		}
		return nil
	})
	if err != nil {
		return bot.MemberData{}, fmt.Errorf("member data: %w", err)
	}
	return d, nil
}

// forgetStatements delete every row about a member, and blank the places
// where another row names them (who set an agreement, opened a round, last
// acted as facilitator). Message references whose key contains the member's
// id are dropped too (such a key is about the member), and the ids of the
// member's handled events, by exact member.
var forgetStatements = []string{
	`DELETE FROM check_ins WHERE member_id = ?1`,
	`DELETE FROM acceptances WHERE member_id = ?1`,
	`DELETE FROM memberships WHERE member_id = ?1`,
	`DELETE FROM reminders WHERE member_id = ?1`,
	`UPDATE schedules SET created_by = '' WHERE created_by = ?1`,
	`DELETE FROM members WHERE id = ?1`,
	`UPDATE groups SET last_facilitator = '' WHERE last_facilitator = ?1`,
	`UPDATE agreements SET set_by = '', sealed = NULL WHERE set_by = ?1`,
	`UPDATE rounds SET opened_by = '' WHERE opened_by = ?1`,
	`DELETE FROM message_refs WHERE instr(key, ?1) > 0`,
	`DELETE FROM handled_events WHERE member_id = ?1`,
}

// ForgetMember deletes everything stored about m, in one transaction: the
// record, memberships, acceptances and check-ins, and m's id wherever another
// row names them. Forgetting an unknown member is not an error.
func (s *Store) ForgetMember(ctx context.Context, m bot.MemberID) error {
	if m == "" {
		return errors.New("forget member: empty member id")
	}
	err := s.InTx(ctx, func(st bot.Store) error {
		tx := st.(*Store)
		for _, q := range forgetStatements {
			if _, err := tx.exec(ctx, q, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("forget member: %w", err)
	}
	return nil
}
