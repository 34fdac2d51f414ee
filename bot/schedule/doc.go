// Package schedule computes when weekly meetings happen in a group's local
// wall-clock time.
//
// A Weekly is "every <days> at HH:MM in a time zone". Its occurrences follow
// the local clock across daylight-saving changes: a 19:00 meeting stays at
// 19:00 local time all year. On a spring-forward day a time that does not
// exist fires at the first valid minute after it (01:30 in London on the
// day clocks jump from 01:00 to 02:00 fires at 02:00 BST); on a fall-back day
// a time that exists twice fires once, at the earlier instant.
//
// The package is pure: it never reads the clock, so callers pass "now" in.
// It imports time/tzdata, so any binary using it can load IANA zones even on
// machines without a zoneinfo database.
package schedule

import _ "time/tzdata" // Embed the IANA database: hosts may have no zoneinfo.
