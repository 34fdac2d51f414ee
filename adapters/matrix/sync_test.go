package matrix

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix"
)

// TestRateLimitTransport ensures a 429 M_LIMIT_EXCEEDED is retried after the
// retry_after_ms the server gave, with the request body intact.
func TestRateLimitTransport(t *testing.T) {
	var calls atomic.Int32
	var gotBody atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 64)
		n, _ := r.Body.Read(b)
		gotBody.Store(string(b[:n]))
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"errcode":"M_LIMIT_EXCEEDED","error":"slow down","retry_after_ms":20}`))
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c := &http.Client{Transport: &rateLimitTransport{next: http.DefaultTransport, log: zerolog.Nop()}}
	res, err := c.Post(srv.URL, "application/json", strings.NewReader(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK || calls.Load() != 2 || gotBody.Load() != `{"a":1}` {
		t.Errorf("status %d after %d calls, last body %q; want 200 after 2 with the body resent", res.StatusCode, calls.Load(), gotBody.Load())
	}
}

// TestTransportRetriesFailedPut ensures a PUT (idempotent by its
// transaction id) answered with 500 is tried again, and a POST is not.
func TestTransportRetriesFailedPut(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 || r.Method == http.MethodPost {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c := &http.Client{Transport: &rateLimitTransport{next: http.DefaultTransport, log: zerolog.Nop()}}
	req, _ := http.NewRequest(http.MethodPut, srv.URL+"/send/txn1", strings.NewReader(`{}`))
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK || calls.Load() != 2 {
		t.Errorf("PUT: status %d after %d calls, want 200 after 2", res.StatusCode, calls.Load())
	}
	calls.Store(10)
	res, err = c.Post(srv.URL, "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusInternalServerError || calls.Load() != 11 {
		t.Errorf("POST: status %d after %d calls, want the 500 after 1", res.StatusCode, calls.Load()-10)
	}
}

// TestRateLimitTransportGivesUp ensures a wait longer than the cap is
// handed back to the caller as the 429 it was.
func TestRateLimitTransportGivesUp(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":600000}`))
	}))
	defer srv.Close()
	c := &http.Client{Transport: &rateLimitTransport{next: http.DefaultTransport, log: zerolog.Nop(), maxWait: time.Second}}
	res, err := c.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("status %d, want the 429 back", res.StatusCode)
	}
}

// TestOnFailedSync ensures sync failures back off exponentially up to the
// cap, honour retry_after_ms, and stop on a rejected token.
func TestOnFailedSync(t *testing.T) {
	a := &Adapter{maxBackoff: 8 * time.Second, log: zerolog.Nop()}
	s := newSyncer(a)
	var got []time.Duration
	for range 5 {
		d, err := s.OnFailedSync(nil, errors.New("connection refused"))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, d)
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("backoff = %v, want %v", got, want)
		}
	}
	limited := mautrix.HTTPError{RespError: &mautrix.RespError{ErrCode: "M_LIMIT_EXCEEDED", ExtraData: map[string]any{"retry_after_ms": float64(1500)}}}
	if d, _ := s.OnFailedSync(nil, limited); d != 1500*time.Millisecond {
		t.Errorf("429 wait = %v, want 1.5s", d)
	}
	if _, err := s.OnFailedSync(nil, mautrix.MUnknownToken); err == nil {
		t.Error("a rejected token did not stop the sync")
	}
}

// TestSyncStoreCommitsAfterProcessing ensures the sync token is only saved
// once its batch was processed.
func TestSyncStoreCommitsAfterProcessing(t *testing.T) {
	ctx := context.Background()
	tb := tables{db: openDB(t, filepath.Join(t.TempDir(), "s.db"))}
	if err := tb.migrate(ctx, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	s := &syncStore{t: tb}
	if err := s.SaveNextBatch(ctx, "@b:x", "s1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.LoadNextBatch(ctx, "@b:x"); got != "" {
		t.Errorf("token %q saved before processing", got)
	}
	if err := s.commit(ctx, "@b:x"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.LoadNextBatch(ctx, "@b:x"); got != "s1" {
		t.Errorf("token after commit = %q, want s1", got)
	}
	// The token's commit goes without its own fsync; every other write on
	// the shared connection still has full durability (2 = FULL).
	var level int
	if err := tb.db.QueryRow(`PRAGMA synchronous`).Scan(&level); err != nil || level != 2 {
		t.Errorf("synchronous after the token's commit = %d, %v; want 2 (FULL)", level, err)
	}
}

// TestDeviceLock ensures a second process cannot take a device another one
// holds, and can once it was released.
func TestDeviceLock(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	db := openDB(t, filepath.Join(t.TempDir(), "l.db"))
	if err := (tables{db: db}).migrate(ctx, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	l, err := acquireLock(ctx, db, "DEV", zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acquireLock(ctx, db, "DEV", zerolog.Nop()); err == nil || !strings.Contains(err.Error(), "matrix.device_id") {
		t.Errorf("second lock: %v, want a matrix.device_id error", err)
	}
	cancel()
	l.release()
	ctx2, cancel2 := context.WithCancel(context.Background())
	l2, err := acquireLock(ctx2, db, "DEV", zerolog.Nop())
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	cancel2()
	l2.release()
}
