package bot

import "sync"

// seenMembers remembers which (group, member, name, facilitator) facts the
// store already holds, so that a busy round does not rewrite them on every
// check-in. It is only an optimisation: forgetting is always safe.
type seenMembers struct {
	mu sync.Mutex
	m  map[seenKey]struct{}
}

type seenKey struct {
	group       GroupID
	groupName   string
	member      MemberID
	name        string
	facilitator bool
}

const maxSeen = 50000

func (s *seenMembers) has(k seenKey) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.m[k]
	return ok
}

func (s *seenMembers) add(k seenKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil || len(s.m) >= maxSeen {
		s.m = map[seenKey]struct{}{}
	}
	s.m[k] = struct{}{}
}

// reset forgets everything (after a member is forgotten or leaves).
func (s *seenMembers) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m = nil
}
