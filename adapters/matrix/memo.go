package matrix

import (
	"sync"
	"time"

	"maunium.net/go/mautrix/id"
)

// memo keeps in memory the adapter's own rows read for every message: when
// the bot joined each room, and whose DM room each room is. The tables are
// written only by this process (one per database, see lock.go) and only
// through tables' methods, each of which drops the memo after its write; a
// read that raced with a write does not keep what it read (gen).
type memo struct {
	mu       sync.Mutex
	gen      uint64
	joined   map[id.RoomID]time.Time
	dmMember map[id.RoomID]id.UserID
}

// read runs f under the lock and returns the generation for keep.
func (m *memo) read(f func()) uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	f()
	return m.gen
}

// keep runs f under the lock unless a write came after gen.
func (m *memo) keep(gen uint64, f func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gen == gen {
		if m.joined == nil {
			m.joined = map[id.RoomID]time.Time{}
			m.dmMember = map[id.RoomID]id.UserID{}
		}
		f()
	}
}

// drop forgets everything; writes are rare (joins, DM rooms).
func (m *memo) drop() {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.gen++
	m.joined, m.dmMember = nil, nil
	m.mu.Unlock()
}
