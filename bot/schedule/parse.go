package schedule

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Errors returned (wrapped) by the parsers, so callers can tell which part of
// a command was wrong with errors.Is. The wrapping error's text says what was
// expected and is safe to show to the member who typed it.
var (
	// ErrDays: the days part was not understood.
	ErrDays = errors.New("invalid days")
	// ErrClock: the time of day was not understood.
	ErrClock = errors.New("invalid time of day")
	// ErrZone: the time zone name is not a known IANA zone.
	ErrZone = errors.New("invalid time zone")
)

// weekOrder is Monday-first, the order days are listed and sorted in.
var weekOrder = []time.Weekday{
	time.Monday, time.Tuesday, time.Wednesday, time.Thursday,
	time.Friday, time.Saturday, time.Sunday,
}

var dayNames = map[string]time.Weekday{
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "weds": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
	"sun": time.Sunday, "sunday": time.Sunday,
}

var dayWords = map[string][]time.Weekday{
	"daily":    weekOrder,
	"everyday": weekOrder,
	"weekdays": weekOrder[:5],
	"weekday":  weekOrder[:5],
	"weekends": weekOrder[5:],
	"weekend":  weekOrder[5:],
}

const daysHint = "use day names like tue,thu or a range like mon-fri, or daily, weekdays or weekends"

// ParseDays reads a set of weekdays: a comma-separated list of day names
// ("tue,thu", "Tuesday,Thursday"), ranges ("mon-fri", "fri-mon" wraps past
// Sunday), or one of "daily", "weekdays", "weekends". Case is ignored and
// spaces around items are allowed. The result has no duplicates and is in
// Monday-first order. An error wraps ErrDays.
func ParseDays(s string) ([]time.Weekday, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return nil, fmt.Errorf("parse days: no days given (%s): %w", daysHint, ErrDays)
	}
	if days, ok := dayWords[s]; ok {
		return slices.Clone(days), nil
	}
	var set [7]bool
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, fmt.Errorf("parse days: empty item in the list (%s): %w", daysHint, ErrDays)
		}
		if days, ok := dayWords[item]; ok {
			for _, d := range days {
				set[d] = true
			}
			continue
		}
		first, last, isRange := strings.Cut(item, "-")
		from, err := parseDay(first)
		if err != nil {
			return nil, err
		}
		if !isRange {
			set[from] = true
			continue
		}
		to, err := parseDay(last)
		if err != nil {
			return nil, err
		}
		for d := from; ; d = (d + 1) % 7 {
			set[d] = true
			if d == to {
				break
			}
		}
	}
	var days []time.Weekday
	for _, d := range weekOrder {
		if set[d] {
			days = append(days, d)
		}
	}
	return days, nil
}

func parseDay(s string) (time.Weekday, error) {
	d, ok := dayNames[strings.TrimSpace(s)]
	if !ok {
		return 0, fmt.Errorf("parse days: %q is not a day (%s): %w", clip(s), daysHint, ErrDays)
	}
	return d, nil
}

// FormatDays writes days in the canonical form ParseDays reads back
// ("tue,thu"), Monday-first, without duplicates. It is meant for storage.
func FormatDays(days []time.Weekday) string {
	var parts []string
	for _, d := range normalise(days) {
		parts = append(parts, strings.ToLower(d.String()[:3]))
	}
	return strings.Join(parts, ",")
}

// ParseClock reads a 24-hour time of day "HH:MM" or "H:MM" ("19:00",
// "7:05"). Hours run 0–23 and minutes 00–59 (always two digits). An error
// wraps ErrClock.
func ParseClock(s string) (hour, minute int, err error) {
	s = strings.TrimSpace(s)
	hs, ms, ok := strings.Cut(s, ":")
	if !ok || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 || !digits(hs) || !digits(ms) {
		return 0, 0, fmt.Errorf("parse time: %q is not a time (use 24-hour HH:MM, like 19:00): %w", clip(s), ErrClock)
	}
	hour, _ = strconv.Atoi(hs)
	minute, _ = strconv.Atoi(ms)
	if hour > 23 || minute > 59 {
		return 0, 0, fmt.Errorf("parse time: %q is not a time of day (hours 0-23, minutes 00-59): %w", clip(s), ErrClock)
	}
	return hour, minute, nil
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// LoadZone loads an IANA time zone by name ("Europe/London", "UTC"). It
// rejects "" and "Local" (the machine's zone is not a group's zone) and any
// name the embedded IANA database does not know. Names are case-sensitive,
// as in the database. An error wraps ErrZone.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	switch name {
	case "":
		return nil, fmt.Errorf("load zone: no zone name given (use an IANA name like Europe/London): %w", ErrZone)
	case "Local":
		return nil, fmt.Errorf("load zone: \"Local\" is the machine's zone, not a place (use an IANA name like Europe/London): %w", ErrZone)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("load zone: %q is not a known IANA zone name (like Europe/London or America/New_York): %w: %w", clip(name), ErrZone, err)
	}
	return loc, nil
}

// clip shortens user input quoted in an error so a long argument cannot
// flood a reply.
func clip(s string) string {
	const limit = 24
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}
