package bot

import (
	"context"
	"sync"
	"time"
)

// Leases is what a store offers when several peerbot processes share it
// (Discord shards on one PostgreSQL database): each group's timed work —
// status edits, closing rounds, opening scheduled rounds — is done by the
// one process holding the group's lease. Commands are handled by whichever
// process receives them; only what the clock does is owned.
type Leases interface {
	// HoldGroups renews holder's leases until now+ttl, takes those that
	// are free or ran out (of every group the store knows, and of the keys
	// in extra) and returns what holder holds.
	HoldGroups(ctx context.Context, holder string, now time.Time, ttl time.Duration, extra ...GroupID) (map[GroupID]bool, error)
	// ReleaseGroups gives holder's leases up at once.
	ReleaseGroups(ctx context.Context, holder string) error
	// MarkStatus asks for an edit of r's status message, no earlier than
	// delay after its last one.
	MarkStatus(ctx context.Context, r Round, now time.Time, delay time.Duration) error
	// TakeStatuses returns the rounds of holder's groups whose status edit
	// is due, recording them as edited now.
	TakeStatuses(ctx context.Context, holder string, now time.Time) ([]Round, error)
}

// RetentionKey is the lease of the retention job, which belongs to no
// group: with shared leases, only its holder runs it.
const RetentionKey GroupID = "~retention"

// Lease timing: a process renews its leases every leaseRenew and they run
// out after leaseTTL, so a process that died hands its groups over within
// about leaseTTL+leaseRenew.
const (
	defaultLeaseTTL = 30 * time.Second
	leaseRenew      = 5 * time.Second
)

// leaseState is the process's view of what it holds.
type leaseState struct {
	store  Leases
	holder string
	ttl    time.Duration

	mu      sync.Mutex
	held    map[GroupID]bool
	renewed time.Time // by the core's clock; zero: never
	failed  bool      // the last renewal failed: hold nothing until one works
}

// refresh renews the leases when leaseRenew has passed (or force), by the
// core's clock.
func (l *leaseState) refresh(ctx context.Context, now time.Time, force bool) error {
	l.mu.Lock()
	due := force || l.renewed.IsZero() || !now.Before(l.renewed.Add(leaseRenew)) || now.Before(l.renewed)
	l.mu.Unlock()
	if !due {
		return nil
	}
	held, err := l.store.HoldGroups(ctx, l.holder, now, l.ttl, RetentionKey)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		// Without a renewal the leases may run out and another process
		// take them: do nothing timed until a renewal works.
		l.held, l.failed = nil, true
		return err
	}
	l.held, l.renewed, l.failed = held, now, false
	return nil
}

func (l *leaseState) holds(g GroupID) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.held[g]
}

// Holds reports whether this process does group g's timed work (always
// true without shared leases). RetentionKey asks about the retention job.
func (b *Bot) Holds(g GroupID) bool {
	if b.leases == nil {
		return true
	}
	return b.leases.holds(g)
}

// releaseLeases hands this process's groups over at once (clean shutdown).
func (b *Bot) releaseLeases() {
	if b.leases == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := b.leases.store.ReleaseGroups(ctx, b.leases.holder); err != nil {
		b.log.Warn().Err(err).Msg("Releasing this process's groups failed; other processes take them when the leases run out")
	}
}
