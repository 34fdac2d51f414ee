package matrix

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/store"
)

// syncStore keeps the sync token and filter id in the adapter's table.
// mautrix saves the token before it processes a batch; syncStore only
// remembers it then and writes it after the batch was processed (see
// syncer.ProcessResponse), so a crash mid-batch redelivers the batch and
// the core's handled-event ids keep answers from repeating.
type syncStore struct {
	t       tables
	mu      sync.Mutex
	pending string
	notes   []notedReaction // see noteReaction
}

var _ mautrix.SyncStore = (*syncStore)(nil)

// filterVersion heads the stored filter id, so that a filter made by an
// older peerbot (mautrix's default, before syncFilter) is made anew.
const filterVersion = "f2 "

// syncFilter is the filter the bot syncs with: rooms' timelines and state,
// to-device events and device lists (which the filter does not touch), and
// nothing the bot does not read: no presence, typing, read receipts or
// account data (m.direct is read and written by its own requests, dm.go).
func syncFilter() *mautrix.Filter {
	none := &mautrix.FilterPart{NotTypes: []event.Type{{Type: "*"}}}
	return &mautrix.Filter{
		AccountData: none,
		Presence:    none,
		Room: &mautrix.RoomFilter{
			AccountData: none,
			Ephemeral:   none,
			Timeline:    &mautrix.FilterPart{Limit: 50},
		},
	}
}

func (s *syncStore) SaveFilterID(ctx context.Context, user id.UserID, filterID string) error {
	_, err := s.t.exec(ctx, `INSERT INTO peerbot_matrix_sync (user_id, filter_id) VALUES (?, ?)
		ON CONFLICT (user_id) DO UPDATE SET filter_id = excluded.filter_id`, user.String(), filterVersion+filterID)
	if err != nil {
		return fmt.Errorf("save filter id: %w", err)
	}
	return nil
}

func (s *syncStore) LoadFilterID(ctx context.Context, user id.UserID) (string, error) {
	v, err := s.load(ctx, user, "filter_id")
	if err != nil {
		return "", err
	}
	f, _ := strings.CutPrefix(v, filterVersion)
	if f == v {
		return "", nil // none yet, or an older peerbot's: make ours
	}
	return f, nil
}

func (s *syncStore) SaveNextBatch(_ context.Context, _ id.UserID, token string) error {
	s.mu.Lock()
	s.pending = token
	s.mu.Unlock()
	return nil
}

func (s *syncStore) LoadNextBatch(ctx context.Context, user id.UserID) (string, error) {
	return s.load(ctx, user, "next_batch")
}

// commit writes the token remembered by SaveNextBatch, and in the same
// transaction the ids of the action reactions sent meanwhile (noteReaction):
// one commit per batch instead of one more per reaction.
func (s *syncStore) commit(ctx context.Context, user id.UserID) error {
	s.mu.Lock()
	token := s.pending
	s.mu.Unlock()
	return s.write(ctx, user, token)
}

// flushReactions writes the reaction ids noted so far, without the token.
func (s *syncStore) flushReactions(ctx context.Context) error {
	return s.write(ctx, "", "")
}

func (s *syncStore) write(ctx context.Context, user id.UserID, token string) error {
	s.mu.Lock()
	notes := s.notes
	s.notes = nil
	s.mu.Unlock()
	if token == "" && len(notes) == 0 {
		return nil
	}
	err := s.writeTx(ctx, user, token, notes)
	if err != nil && len(notes) > 0 {
		s.mu.Lock()
		s.notes = append(notes, s.notes...)
		s.mu.Unlock()
	}
	return err
}

const (
	saveSyncToken = `INSERT INTO peerbot_matrix_sync (user_id, next_batch) VALUES (?, ?)
		ON CONFLICT (user_id) DO UPDATE SET next_batch = excluded.next_batch`
	saveReaction = `UPDATE peerbot_matrix_actions SET reaction_id = ? WHERE event_id = ? AND emoji = ?`
)

// writeTx writes the token and the noted reactions in one transaction.
// The sync token and the action reactions' ids are committed
// on SQLite with synchronous=NORMAL, for this one transaction, so without
// an fsync of their own: in WAL mode such a commit survives the process
// being killed (it is in the WAL, in the operating system's cache), and it
// reaches the disk with the next fully synchronous commit (the core's, for
// the next thing said), which syncs the whole WAL. Only a power cut or an
// operating system crash before that can lose it, and what is lost then is
// harmless: an older token makes the homeserver send the last batches
// again, whose events the core recognises by their handled ids (committed
// with full durability) and does not answer twice; a reaction id still
// pending is sent again at start with the same transaction id. Every other
// commit, the core's and the actions' own, stays fully synchronous.
func (s *syncStore) writeTx(ctx context.Context, user id.UserID, token string, notes []notedReaction) (err error) {
	// Prepared before the transaction takes the connection.
	s.t.st.get(ctx, s.t.db, saveSyncToken)
	s.t.st.get(ctx, s.t.db, saveReaction)
	conn, err := s.t.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("save sync token: %w", err)
	}
	defer conn.Close()
	if store.DialectOf(s.t.db) == store.DialectSQLite {
		// Without an fsync of its own (see above).
		if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = NORMAL`); err != nil {
			return fmt.Errorf("save sync token: %w", err)
		}
		defer func() {
			if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA synchronous = FULL`); rerr != nil {
				// Never leave the shared connection without full
				// durability: drop it, the pool opens a new one.
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
				if err == nil {
					err = fmt.Errorf("save sync token: restore synchronous: %w", rerr)
				}
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save sync token: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, n := range notes {
		if _, err := s.t.txExec(ctx, tx, saveReaction, n.reaction.String(), n.event.String(), n.emoji); err != nil {
			return fmt.Errorf("save action reaction: %w", err)
		}
	}
	if token != "" {
		if _, err := s.t.txExec(ctx, tx, saveSyncToken, user.String(), token); err != nil {
			return fmt.Errorf("save sync token: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save sync token: %w", err)
	}
	return nil
}

// notedReaction is an action reaction sent (reaction set) or given up on
// (reaction empty) whose id is not yet written.
type notedReaction struct {
	event    id.EventID
	emoji    string
	reaction id.EventID
}

// noteReaction remembers the outcome of an action reaction until the next
// commit writes it. Until then the row says pending: a crash in between
// sends it again at the next start, with the same transaction id.
func (s *syncStore) noteReaction(ev id.EventID, emoji string, reaction id.EventID) {
	s.mu.Lock()
	s.notes = append(s.notes, notedReaction{event: ev, emoji: emoji, reaction: reaction})
	s.mu.Unlock()
}

// withNoted returns had with the reactions noted but not yet written.
func (s *syncStore) withNoted(ev id.EventID, had []storedAction) []storedAction {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.notes {
		if n.event != ev {
			continue
		}
		for i := range had {
			if had[i].Emoji == n.emoji {
				had[i].Reaction = n.reaction
			}
		}
	}
	return had
}

func (s *syncStore) load(ctx context.Context, user id.UserID, col string) (string, error) {
	var v string
	err := s.t.queryRow(ctx, `SELECT `+col+` FROM peerbot_matrix_sync WHERE user_id = ?`, user.String()).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("load %s: %w", col, err)
	}
	return v, nil
}

// syncer is mautrix's DefaultSyncer with peerbot's backoff and token saving.
type syncer struct {
	*mautrix.DefaultSyncer
	a     *Adapter
	mu    sync.Mutex
	fails int
	// offered runs offerCommandsEverywhere once, after the run's first
	// batch is processed (the state store then knows the bot's rooms).
	offered sync.Once
}

func newSyncer(a *Adapter) *syncer {
	s := &syncer{DefaultSyncer: mautrix.NewDefaultSyncer(), a: a}
	s.FilterJSON = syncFilter()
	return s
}

// ProcessResponse dispatches a batch, then saves its token even when a
// handler failed, so that one bad event cannot stop the bot for good.
func (s *syncer) ProcessResponse(ctx context.Context, res *mautrix.RespSync, since string) error {
	err := s.DefaultSyncer.ProcessResponse(ctx, res, since)
	s.mu.Lock()
	s.fails = 0
	s.mu.Unlock()
	if cerr := s.a.sync.commit(ctx, s.a.cli.UserID); cerr != nil {
		return cerr
	}
	if err != nil {
		s.a.log.Error().Err(err).Msg("Processing a Matrix sync batch failed")
	}
	s.offered.Do(func() { s.a.offerCommandsEverywhere(ctx) })
	return nil
}

// OnFailedSync waits 1s, 2s, 4s… up to the adapter's cap after each failed
// sync, or what the homeserver asked for with retry_after_ms. A rejected
// token stops the sync.
func (s *syncer) OnFailedSync(_ *mautrix.RespSync, err error) (time.Duration, error) {
	if errors.Is(err, mautrix.MUnknownToken) {
		return 0, err
	}
	s.mu.Lock()
	s.fails++
	n := s.fails
	s.mu.Unlock()
	wait := time.Second << min(n-1, 10)
	wait = min(wait, s.a.maxBackoff)
	var re mautrix.RespError
	if errors.As(err, &re) && re.ErrCode == mautrix.MLimitExceeded.ErrCode {
		if ms, ok := re.ExtraData["retry_after_ms"].(float64); ok && ms > 0 {
			wait = time.Duration(ms) * time.Millisecond
		}
	}
	s.a.log.Warn().Err(err).Int("failures", n).Dur("retry_in", wait).Msg("Matrix sync failed")
	return wait, nil
}

// rateLimitTransport retries requests the homeserver answered with 429
// M_LIMIT_EXCEEDED after the retry_after_ms it gave (mautrix itself only
// reads the Retry-After header), and PUT requests answered with 500: a PUT
// carries its transaction id, so the homeserver applies it at most once,
// and a passing server error (Dendrite on SQLite has some) then costs a
// moment instead of a lost reply. Requests whose body cannot be replayed
// are returned as they are.
type rateLimitTransport struct {
	next http.RoundTripper
	log  zerolog.Logger
	// maxWait caps one wait; maxTries caps the attempts.
	maxWait  time.Duration
	maxTries int
}

func (t *rateLimitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	maxTries, maxWait := t.maxTries, t.maxWait
	if maxTries == 0 {
		maxTries = 5
	}
	if maxWait == 0 {
		maxWait = time.Minute
	}
	for attempt := 1; ; attempt++ {
		res, err := t.next.RoundTrip(req)
		if err != nil || attempt >= maxTries {
			return res, err
		}
		limited := res.StatusCode == http.StatusTooManyRequests
		failedPut := res.StatusCode == http.StatusInternalServerError && req.Method == http.MethodPut
		if !limited && !failedPut {
			return res, nil
		}
		if req.Body != nil && req.GetBody == nil {
			return res, nil
		}
		body, rerr := io.ReadAll(io.LimitReader(res.Body, 64<<10))
		_ = res.Body.Close()
		if rerr != nil {
			return nil, fmt.Errorf("read %d response: %w", res.StatusCode, rerr)
		}
		wait := time.Duration(attempt) * 250 * time.Millisecond
		if limited {
			var e struct {
				RetryAfterMS int64 `json:"retry_after_ms"`
			}
			_ = json.Unmarshal(body, &e)
			wait = time.Duration(e.RetryAfterMS) * time.Millisecond
			if wait <= 0 {
				wait = time.Second
			}
		}
		if wait > maxWait {
			// Too long to hold the caller: give the answer back.
			res.Body = io.NopCloser(bytes.NewReader(body))
			return res, nil
		}
		t.log.Warn().Str("method", req.Method).Str("path", req.URL.Path).Int("status", res.StatusCode).
			Dur("retry_in", wait).Msg("Matrix homeserver refused a request for now; retrying")
		select {
		case <-req.Context().Done():
			return nil, req.Context().Err()
		case <-time.After(wait):
		}
		if req.GetBody != nil {
			b, err := req.GetBody()
			if err != nil {
				return nil, fmt.Errorf("replay request body: %w", err)
			}
			req = req.Clone(req.Context())
			req.Body = b
		}
	}
}
