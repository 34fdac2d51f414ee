package matrix

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/id"
)

// Two processes syncing one device would each advance its one-time keys and
// Megolm sessions and corrupt them for the other, so a process takes a lease
// on the device in the shared database and renews it while it runs. A
// process that died leaves a lease that expires after lockTTL.
const (
	lockTTL   = 45 * time.Second
	lockRenew = 15 * time.Second
)

// deviceLock is a held lease. lost receives an error if the lease is taken
// away or cannot be renewed.
type deviceLock struct {
	db     *sql.DB
	device id.DeviceID
	owner  string
	lost   chan error
	done   chan struct{}
	log    zerolog.Logger
}

// acquireLock takes the lease on device, or fails naming the key if another
// process holds it. The adapter's tables must exist. The lease is renewed until ctx ends; call release after.
func acquireLock(ctx context.Context, db *sql.DB, device id.DeviceID, log zerolog.Logger) (*deviceLock, error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	l := &deviceLock{db: db, device: device, owner: hex.EncodeToString(b[:]), lost: make(chan error, 1), done: make(chan struct{}), log: log}
	now := time.Now()
	res, err := db.ExecContext(ctx, `INSERT INTO peerbot_matrix_lock (device_id, owner, expires_ms) VALUES (?, ?, ?)
		ON CONFLICT (device_id) DO UPDATE SET owner = excluded.owner, expires_ms = excluded.expires_ms
		WHERE peerbot_matrix_lock.expires_ms < ?`,
		device.String(), l.owner, now.Add(lockTTL).UnixMilli(), now.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("device lock: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, fmt.Errorf("matrix.device_id: device %s is in use by another peerbot process (its lock expires within %s of that process stopping)", device, lockTTL)
	}
	go l.renew(ctx)
	return l, nil
}

func (l *deviceLock) renew(ctx context.Context) {
	defer close(l.done)
	t := time.NewTicker(lockRenew)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		res, err := l.db.ExecContext(ctx, `UPDATE peerbot_matrix_lock SET expires_ms = ? WHERE device_id = ? AND owner = ?`,
			time.Now().Add(lockTTL).UnixMilli(), l.device.String(), l.owner)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			if n, _ := res.RowsAffected(); n == 1 {
				continue
			}
			err = errors.New("another process took it over")
		}
		l.lost <- fmt.Errorf("matrix device lock lost: %w", err)
		return
	}
}

// release waits for renewal to stop (its context must be done) and gives
// the lease up.
func (l *deviceLock) release() {
	<-l.done
	if _, err := l.db.Exec(`DELETE FROM peerbot_matrix_lock WHERE device_id = ? AND owner = ?`, l.device.String(), l.owner); err != nil {
		l.log.Warn().Err(err).Msg("Could not release the Matrix device lock")
	}
}
