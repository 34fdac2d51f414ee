package matrix

import (
	"context"
	"errors"
	"fmt"
	"time"

	"maunium.net/go/mautrix"
)

// syncFresh is how recently a sync must have succeeded for the adapter to
// be healthy: a long-polling sync returns at least every 30 seconds, so
// two minutes without one means the homeserver is unreachable or failing.
const syncFresh = 2 * time.Minute

// onSynced records that a sync succeeded (its response arrived and is
// being processed).
func (a *Adapter) onSynced(context.Context, *mautrix.RespSync, string) bool {
	a.synced.Store(time.Now().UnixNano())
	return true
}

// Health returns nil when a sync with the homeserver succeeded within the
// last two minutes, and says briefly what is wrong otherwise (for /readyz:
// no ids, no secrets).
func (a *Adapter) Health() error {
	last := a.synced.Load()
	if last == 0 {
		return errors.New("matrix: no successful sync yet")
	}
	return syncHealth(time.Unix(0, last), time.Now())
}

// syncHealth says whether a last successful sync at last is recent enough
// at now.
func syncHealth(last, now time.Time) error {
	if ago := now.Sub(last); ago > syncFresh {
		return fmt.Errorf("matrix: no successful sync for %s", ago.Round(time.Second))
	}
	return nil
}
