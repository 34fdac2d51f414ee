package store

import (
	"context"
	"fmt"

	"github.com/peerbot/peerbot/bot"
)

// MessageRef returns the platform reference saved under key, or
// bot.ErrNotFound.
func (s *Store) MessageRef(ctx context.Context, key string) (bot.MessageRef, error) {
	var ref bot.MessageRef
	err := s.queryRow(ctx, `SELECT ref FROM message_refs WHERE key = ?`, key).Scan(&ref)
	if err != nil {
		return "", fmt.Errorf("get message ref: %w", translate(err))
	}
	return ref, nil
}

// SetMessageRef saves a platform reference under key, replacing any earlier
// one.
func (s *Store) SetMessageRef(ctx context.Context, key string, ref bot.MessageRef) error {
	_, err := s.exec(ctx, `
		INSERT INTO message_refs (key, ref) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET ref = excluded.ref`, key, ref)
	if err != nil {
		return fmt.Errorf("set message ref: %w", translate(err))
	}
	return nil
}
