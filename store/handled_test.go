package store

import (
	"context"
	"testing"
	"time"
)

// An event id is fresh once; it stays handled across a re-open of the file.
func TestMarkHandledAcrossReopen(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	if fresh, err := s.MarkHandled(ctx, "$ev1", "test:m", t0); err != nil || !fresh {
		t.Fatalf("first MarkHandled = %v, %v; want true", fresh, err)
	}
	if fresh, err := s.MarkHandled(ctx, "$ev1", "test:m", t0.Add(time.Second)); err != nil || fresh {
		t.Fatalf("second MarkHandled = %v, %v; want false", fresh, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := OpenURL(ctx, path, WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if fresh, err := s.MarkHandled(ctx, "$ev1", "test:m", t0.Add(time.Hour)); err != nil || fresh {
		t.Errorf("MarkHandled after re-open = %v, %v; want false (redelivery)", fresh, err)
	}
	if fresh, err := s.MarkHandled(ctx, "$ev2", "test:m", t0.Add(time.Hour)); err != nil || !fresh {
		t.Errorf("MarkHandled(new id) after re-open = %v, %v; want true", fresh, err)
	}
}

// PruneHandled forgets only ids recorded before the cut-off.
func TestPruneHandled(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	for i, id := range []string{"old1", "old2", "new"} {
		if _, err := s.MarkHandled(ctx, id, "test:m", t0.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.PruneHandled(ctx, t0.Add(2*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("PruneHandled = %d, %v; want 2", n, err)
	}
	if fresh, _ := s.MarkHandled(ctx, "new", "test:m", t0); fresh {
		t.Error("kept id was forgotten")
	}
	if fresh, _ := s.MarkHandled(ctx, "old1", "test:m", t0); !fresh {
		t.Error("pruned id is still remembered")
	}
}
