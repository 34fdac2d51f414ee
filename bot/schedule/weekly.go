package schedule

import (
	"fmt"
	"strings"
	"time"
)

// Weekly is "every <Days> at Hour:Minute local time in Zone". A nil Zone
// means UTC. Occurrences follow the local wall clock across daylight-saving
// changes; see the package documentation for the rules on days when the
// time does not exist or exists twice.
type Weekly struct {
	Days         []time.Weekday
	Hour, Minute int
	Zone         *time.Location
}

// Validate reports whether w can have occurrences: at least one day, every
// day a real weekday, Hour in 0–23 and Minute in 0–59. Its error wraps
// ErrDays or ErrClock.
func (w Weekly) Validate() error {
	if len(w.Days) == 0 {
		return fmt.Errorf("validate schedule: no days: %w", ErrDays)
	}
	for _, d := range w.Days {
		if d < time.Sunday || d > time.Saturday {
			return fmt.Errorf("validate schedule: weekday %d out of range: %w", d, ErrDays)
		}
	}
	if w.Hour < 0 || w.Hour > 23 || w.Minute < 0 || w.Minute > 59 {
		return fmt.Errorf("validate schedule: %d:%02d is not a time of day: %w", w.Hour, w.Minute, ErrClock)
	}
	return nil
}

// Next returns the first occurrence strictly after the instant after, in
// w's zone (compare instants with Equal/Before, not ==). It returns the zero
// Time if w is not valid (see Validate).
func (w Weekly) Next(after time.Time) time.Time {
	days, ok := w.daySet()
	if !ok {
		return time.Time{}
	}
	loc := w.zone()
	y, m, d := after.In(loc).Date()
	// Start a day early: around a fall-back over midnight the local date can
	// step backwards. Occurrences grow with the date, so the first one found
	// after `after` is the earliest. 16 dates cover two weeks plus a day the
	// zone skipped entirely.
	for i := -1; i < 16; i++ {
		date := time.Date(y, m, d+i, 0, 0, 0, 0, time.UTC)
		if !days[date.Weekday()] {
			continue
		}
		if t, ok := w.on(date, loc); ok && t.After(after) {
			return t
		}
	}
	return time.Time{}
}

// Last returns the latest occurrence at or before the instant upTo, in w's
// zone; after a restart it tells whether a meeting's window is still open.
// It returns the zero Time if w is not valid (see Validate).
func (w Weekly) Last(upTo time.Time) time.Time {
	days, ok := w.daySet()
	if !ok {
		return time.Time{}
	}
	loc := w.zone()
	y, m, d := upTo.In(loc).Date()
	for i := 1; i > -16; i-- {
		date := time.Date(y, m, d+i, 0, 0, 0, 0, time.UTC)
		if !days[date.Weekday()] {
			continue
		}
		if t, ok := w.on(date, loc); ok && !t.After(upTo) {
			return t
		}
	}
	return time.Time{}
}

// Occurrences returns every occurrence in the half-open interval (from, to],
// earliest first, each local date at most once; for catching up after
// downtime. It returns nil if there are none or w is not valid. The result
// grows with the interval (about one entry per scheduled day), so callers
// should bound it.
func (w Weekly) Occurrences(from, to time.Time) []time.Time {
	var out []time.Time
	for t := w.Next(from); !t.IsZero() && !t.After(to); t = w.Next(t) {
		out = append(out, t)
	}
	return out
}

// String describes w for members: "Tue, Thu at 19:00 (Europe/London)",
// "Every day at 07:05 (UTC)", "Weekdays at …", "Weekends at …".
func (w Weekly) String() string {
	return fmt.Sprintf("%s at %02d:%02d (%s)", describeDays(w.Days), w.Hour, w.Minute, w.zone())
}

func describeDays(days []time.Weekday) string {
	days = normalise(days)
	switch FormatDays(days) {
	case "":
		return "No days"
	case "mon,tue,wed,thu,fri,sat,sun":
		return "Every day"
	case "mon,tue,wed,thu,fri":
		return "Weekdays"
	case "sat,sun":
		return "Weekends"
	}
	names := make([]string, len(days))
	for i, d := range days {
		names[i] = d.String()[:3]
	}
	return strings.Join(names, ", ")
}

// normalise drops invalid and repeated days and sorts Monday-first.
func normalise(days []time.Weekday) []time.Weekday {
	var set [7]bool
	for _, d := range days {
		if d >= time.Sunday && d <= time.Saturday {
			set[d] = true
		}
	}
	var out []time.Weekday
	for _, d := range weekOrder {
		if set[d] {
			out = append(out, d)
		}
	}
	return out
}

func (w Weekly) daySet() (set [7]bool, ok bool) {
	if w.Validate() != nil {
		return set, false
	}
	for _, d := range w.Days {
		set[d] = true
	}
	return set, true
}

func (w Weekly) zone() *time.Location {
	if w.Zone == nil {
		return time.UTC
	}
	return w.Zone
}

// on returns the occurrence on a local calendar date (given as midnight UTC
// of that date): the earliest instant whose local clock reads Hour:Minute or
// later. That is the time itself, the first valid minute after it when it
// falls in a spring-forward gap, or the earlier of two instants on a
// fall-back. ok is false if the rest of that local date does not exist (a
// gap running past midnight, as when Samoa skipped 30 December 2011).
func (w Weekly) on(date time.Time, loc *time.Location) (t time.Time, ok bool) {
	wall := date.Add(time.Duration(w.Hour)*time.Hour + time.Duration(w.Minute)*time.Minute)
	t = firstAtOrAfter(wall, loc).In(loc)
	ty, tm, td := t.Date()
	if ty != date.Year() || tm != date.Month() || td != date.Day() {
		return time.Time{}, false
	}
	return t, true
}

// firstAtOrAfter returns the earliest instant whose local clock in loc reads
// wall (a wall-clock reading stored as a UTC time) or later, rounded up to a
// whole local minute.
//
// It does not trust time.Date, whose choice in gaps and overlaps is not
// guaranteed, nor Time.ZoneBounds, which in Go 1.26 can return an end before
// the instant on 31 December of leap years (golang/go#81583). It only asks
// for the offset at an instant. While the offset stays the same the local
// clock is the instant plus that offset, so the clock first reads wall at
// wall-offset; if the offset has changed by then, it finds the change by
// bisection and carries on from there. (A change and a change back within
// one day would go unseen; no zone in the IANA database has one.)
func firstAtOrAfter(wall time.Time, loc *time.Location) time.Time {
	// Offsets stay within ±15h15m (even historical local mean time), so 16h
	// before wall-as-UTC the clock reads earlier than wall and no earlier
	// instant can read wall or later.
	lo := wall.Add(-16 * time.Hour).Unix()
	w := wall.Unix()
	for range 8 { // each round passes one change; real zones have at most two a day
		off := offsetAt(lo, loc)
		u := w - off
		if u <= lo {
			// The clock jumped to wall or past it at lo: a spring-forward gap.
			return ceilMinute(time.Unix(lo, 0), loc)
		}
		if offsetAt(u, loc) == off {
			return time.Unix(u, 0)
		}
		lo = nextChange(lo, u, off, loc)
	}
	return ceilMinute(time.Unix(lo, 0), loc) // not reached for any zone in the IANA database
}

// offsetAt returns loc's UTC offset in seconds at a Unix time.
func offsetAt(unix int64, loc *time.Location) int64 {
	_, off := time.Unix(unix, 0).In(loc).Zone()
	return int64(off)
}

// nextChange returns the first second in (lo, hi] whose offset differs from
// off, given that lo has offset off and hi does not. Offsets change only on
// whole seconds.
func nextChange(lo, hi, off int64, loc *time.Location) int64 {
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if offsetAt(mid, loc) == off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// ceilMinute rounds t up to the next whole minute of local time. Only
// transitions at odd seconds (historical local mean time) need it.
func ceilMinute(t time.Time, loc *time.Location) time.Time {
	local := t.In(loc)
	rest := time.Duration(local.Second())*time.Second + time.Duration(local.Nanosecond())
	if rest == 0 {
		return t
	}
	return t.Add(time.Minute - rest)
}
