package schedule

import (
	"fmt"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Tests must pass on machines without system zoneinfo.
)

// Transition instants used below, as printed by `zdump -v -c 2027,2028`:
//
//	Europe/London      2027-03-28 01:00Z GMT→BST (01:00→02:00)  2027-10-31 01:00Z BST→GMT (02:00→01:00)
//	America/New_York   2027-03-14 07:00Z EST→EDT (02:00→03:00)  2027-11-07 06:00Z EDT→EST (02:00→01:00)
//	Australia/Sydney   2027-04-03 16:00Z AEDT→AEST (03:00→02:00, Sun 4 Apr)
//	                   2027-10-02 16:00Z AEST→AEDT (02:00→03:00, Sun 3 Oct)
//	Australia/Lord_Howe  2027-04-03 15:00Z 02:00→01:30   2027-10-02 15:30Z 02:00→02:30
//	America/Santiago   2027-04-04 03:00Z Sat 24:00→23:00  2027-09-05 04:00Z Sun 00:00→01:00
//	Pacific/Apia       2011-12-30 10:00Z Thu 29 Dec 24:00 → Sat 31 Dec 00:00 (Fri 30 Dec skipped)

const localLayout = "Mon 2006-01-02 15:04 MST"

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := LoadZone(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func mustWeekly(t testing.TB, zone, days, clock string) Weekly {
	t.Helper()
	d, err := ParseDays(days)
	if err != nil {
		t.Fatal(err)
	}
	hh, mm, err := ParseClock(clock)
	if err != nil {
		t.Fatal(err)
	}
	return Weekly{Days: d, Hour: hh, Minute: mm, Zone: mustZone(t, zone)}
}

// utc parses "2027-03-28 01:00" as a UTC instant.
func utc(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

type nextCase struct {
	zone, days, clock string
	after             string // UTC
	want              string // UTC instant
	wantLocal         string // as a member in that zone would read it
}

func checkNext(t *testing.T, cases []nextCase) {
	t.Helper()
	for _, c := range cases {
		w := mustWeekly(t, c.zone, c.days, c.clock)
		got := w.Next(utc(t, c.after))
		if want := utc(t, c.want); !got.Equal(want) || got.Format(localLayout) != c.wantLocal {
			t.Errorf("%s %s %s: Next(%sZ) = %s (%s), want %sZ (%s)", c.zone, c.days, c.clock, c.after,
				got.UTC().Format("2006-01-02 15:04"), got.Format(localLayout), c.want, c.wantLocal)
		}
	}
}

// TestNextLondon ensures London meetings keep local time across both 2027
// changes, fire at 02:00 BST for a time in the spring gap and fire once, at
// the BST instant, for a time that happens twice in autumn.
func TestNextLondon(t *testing.T) {
	checkNext(t, []nextCase{
		// 19:00 on Sundays: the week before, the day of, and the week after each change.
		{"Europe/London", "sun", "19:00", "2027-03-20 12:00", "2027-03-21 19:00", "Sun 2027-03-21 19:00 GMT"},
		{"Europe/London", "sun", "19:00", "2027-03-21 19:00", "2027-03-28 18:00", "Sun 2027-03-28 19:00 BST"},
		{"Europe/London", "sun", "19:00", "2027-03-28 18:00", "2027-04-04 18:00", "Sun 2027-04-04 19:00 BST"},
		{"Europe/London", "sun", "19:00", "2027-10-20 00:00", "2027-10-24 18:00", "Sun 2027-10-24 19:00 BST"},
		{"Europe/London", "sun", "19:00", "2027-10-24 18:00", "2027-10-31 19:00", "Sun 2027-10-31 19:00 GMT"},
		{"Europe/London", "sun", "19:00", "2027-10-31 19:00", "2027-11-07 19:00", "Sun 2027-11-07 19:00 GMT"},
		// Spring gap: 01:00–01:59 do not exist on 28 March; they fire at 02:00 BST.
		{"Europe/London", "sun", "01:30", "2027-03-27 12:00", "2027-03-28 01:00", "Sun 2027-03-28 02:00 BST"},
		{"Europe/London", "sun", "01:00", "2027-03-27 12:00", "2027-03-28 01:00", "Sun 2027-03-28 02:00 BST"},
		{"Europe/London", "sun", "01:59", "2027-03-27 12:00", "2027-03-28 01:00", "Sun 2027-03-28 02:00 BST"},
		{"Europe/London", "sun", "00:59", "2027-03-27 12:00", "2027-03-28 00:59", "Sun 2027-03-28 00:59 GMT"},
		{"Europe/London", "sun", "02:00", "2027-03-27 12:00", "2027-03-28 01:00", "Sun 2027-03-28 02:00 BST"},
		{"Europe/London", "sun", "01:30", "2027-03-28 01:00", "2027-04-04 00:30", "Sun 2027-04-04 01:30 BST"},
		// Autumn double: 01:30 happens at 00:30Z (BST) and 01:30Z (GMT); only the first counts.
		{"Europe/London", "sun", "01:30", "2027-10-30 12:00", "2027-10-31 00:30", "Sun 2027-10-31 01:30 BST"},
		{"Europe/London", "sun", "01:30", "2027-10-31 00:30", "2027-11-07 01:30", "Sun 2027-11-07 01:30 GMT"},
		{"Europe/London", "sun", "01:30", "2027-10-31 01:15", "2027-11-07 01:30", "Sun 2027-11-07 01:30 GMT"},
		{"Europe/London", "sun", "01:00", "2027-10-30 12:00", "2027-10-31 00:00", "Sun 2027-10-31 01:00 BST"},
		{"Europe/London", "sun", "02:00", "2027-10-30 12:00", "2027-10-31 02:00", "Sun 2027-10-31 02:00 GMT"},
	})
}

// TestNextNewYork ensures the same for New York's March and November changes.
func TestNextNewYork(t *testing.T) {
	checkNext(t, []nextCase{
		{"America/New_York", "sun", "19:00", "2027-03-06 00:00", "2027-03-08 00:00", "Sun 2027-03-07 19:00 EST"},
		{"America/New_York", "sun", "19:00", "2027-03-08 00:00", "2027-03-14 23:00", "Sun 2027-03-14 19:00 EDT"},
		{"America/New_York", "sun", "19:00", "2027-03-14 23:00", "2027-03-21 23:00", "Sun 2027-03-21 19:00 EDT"},
		{"America/New_York", "sun", "19:00", "2027-10-30 00:00", "2027-10-31 23:00", "Sun 2027-10-31 19:00 EDT"},
		{"America/New_York", "sun", "19:00", "2027-10-31 23:00", "2027-11-08 00:00", "Sun 2027-11-07 19:00 EST"},
		{"America/New_York", "sun", "19:00", "2027-11-08 00:00", "2027-11-15 00:00", "Sun 2027-11-14 19:00 EST"},
		// Spring gap: 02:00–02:59 do not exist on 14 March.
		{"America/New_York", "sun", "02:30", "2027-03-13 12:00", "2027-03-14 07:00", "Sun 2027-03-14 03:00 EDT"},
		{"America/New_York", "sun", "02:30", "2027-03-14 07:00", "2027-03-21 06:30", "Sun 2027-03-21 02:30 EDT"},
		// Autumn double: 01:30 happens at 05:30Z (EDT) and 06:30Z (EST).
		{"America/New_York", "sun", "01:30", "2027-11-06 12:00", "2027-11-07 05:30", "Sun 2027-11-07 01:30 EDT"},
		{"America/New_York", "sun", "01:30", "2027-11-07 05:30", "2027-11-14 06:30", "Sun 2027-11-14 01:30 EST"},
		// Weekday meetings across the change keep 19:00 local.
		{"America/New_York", "mon-fri", "19:00", "2027-03-12 12:00", "2027-03-13 00:00", "Fri 2027-03-12 19:00 EST"},
		{"America/New_York", "mon-fri", "19:00", "2027-03-13 00:00", "2027-03-15 23:00", "Mon 2027-03-15 19:00 EDT"},
	})
}

// TestNextSydney ensures southern-hemisphere changes work: clocks go back on
// the first Sunday of April and forward on the first Sunday of October.
func TestNextSydney(t *testing.T) {
	checkNext(t, []nextCase{
		{"Australia/Sydney", "sun", "19:00", "2027-03-27 00:00", "2027-03-28 08:00", "Sun 2027-03-28 19:00 AEDT"},
		{"Australia/Sydney", "sun", "19:00", "2027-03-28 08:00", "2027-04-04 09:00", "Sun 2027-04-04 19:00 AEST"},
		{"Australia/Sydney", "sun", "19:00", "2027-04-04 09:00", "2027-04-11 09:00", "Sun 2027-04-11 19:00 AEST"},
		{"Australia/Sydney", "sun", "19:00", "2027-09-25 00:00", "2027-09-26 09:00", "Sun 2027-09-26 19:00 AEST"},
		{"Australia/Sydney", "sun", "19:00", "2027-09-26 09:00", "2027-10-03 08:00", "Sun 2027-10-03 19:00 AEDT"},
		{"Australia/Sydney", "sun", "19:00", "2027-10-03 08:00", "2027-10-10 08:00", "Sun 2027-10-10 19:00 AEDT"},
		// Autumn double on 4 April: 02:30 happens at 15:30Z (AEDT) and 16:30Z (AEST) on 3 April UTC.
		{"Australia/Sydney", "sun", "02:30", "2027-04-02 00:00", "2027-04-03 15:30", "Sun 2027-04-04 02:30 AEDT"},
		{"Australia/Sydney", "sun", "02:30", "2027-04-03 15:30", "2027-04-10 16:30", "Sun 2027-04-11 02:30 AEST"},
		// Spring gap on 3 October: 02:00–02:59 do not exist.
		{"Australia/Sydney", "sun", "02:30", "2027-10-01 00:00", "2027-10-02 16:00", "Sun 2027-10-03 03:00 AEDT"},
		{"Australia/Sydney", "sun", "02:00", "2027-10-01 00:00", "2027-10-02 16:00", "Sun 2027-10-03 03:00 AEDT"},
		{"Australia/Sydney", "sun", "03:00", "2027-10-01 00:00", "2027-10-02 16:00", "Sun 2027-10-03 03:00 AEDT"},
		{"Australia/Sydney", "sun", "01:59", "2027-10-01 00:00", "2027-10-02 15:59", "Sun 2027-10-03 01:59 AEST"},
	})
}

// TestNextNoDST ensures zones without daylight saving keep a fixed UTC time
// on the dates other zones change.
func TestNextNoDST(t *testing.T) {
	checkNext(t, []nextCase{
		{"Asia/Tokyo", "sun", "19:00", "2027-03-20 00:00", "2027-03-21 10:00", "Sun 2027-03-21 19:00 JST"},
		{"Asia/Tokyo", "sun", "19:00", "2027-03-21 10:00", "2027-03-28 10:00", "Sun 2027-03-28 19:00 JST"},
		{"Asia/Tokyo", "sun", "01:30", "2027-10-30 00:00", "2027-10-30 16:30", "Sun 2027-10-31 01:30 JST"},
		{"Asia/Tokyo", "sun", "01:30", "2027-10-30 16:30", "2027-11-06 16:30", "Sun 2027-11-07 01:30 JST"},
		{"Asia/Tokyo", "tue,thu", "07:05", "2027-12-31 22:05", "2028-01-03 22:05", "Tue 2028-01-04 07:05 JST"},
		{"UTC", "sun", "01:30", "2027-03-27 12:00", "2027-03-28 01:30", "Sun 2027-03-28 01:30 UTC"},
		{"UTC", "sun", "01:30", "2027-03-28 01:30", "2027-04-04 01:30", "Sun 2027-04-04 01:30 UTC"},
		{"UTC", "daily", "00:00", "2028-02-28 00:00", "2028-02-29 00:00", "Tue 2028-02-29 00:00 UTC"},
	})
}

// TestNextUnusualZones covers a 30-minute daylight-saving shift, changes at
// midnight, and a day a zone skipped entirely.
func TestNextUnusualZones(t *testing.T) {
	checkNext(t, []nextCase{
		// Lord Howe Island moves its clocks by 30 minutes.
		{"Australia/Lord_Howe", "sun", "01:45", "2027-04-02 00:00", "2027-04-03 14:45", "Sun 2027-04-04 01:45 +11"},
		{"Australia/Lord_Howe", "sun", "01:45", "2027-04-03 14:45", "2027-04-10 15:15", "Sun 2027-04-11 01:45 +1030"},
		{"Australia/Lord_Howe", "sun", "02:15", "2027-10-01 00:00", "2027-10-02 15:30", "Sun 2027-10-03 02:30 +11"},
		// Chile changes at midnight: Sat 23:00–23:59 repeats in April, Sun 00:00–00:59 is missing in September.
		{"America/Santiago", "sat", "23:30", "2027-04-01 00:00", "2027-04-04 02:30", "Sat 2027-04-03 23:30 -03"},
		{"America/Santiago", "sat", "23:30", "2027-04-04 02:30", "2027-04-11 03:30", "Sat 2027-04-10 23:30 -04"},
		{"America/Santiago", "sun", "00:30", "2027-09-01 00:00", "2027-09-05 04:00", "Sun 2027-09-05 01:00 -03"},
		{"America/Santiago", "sun", "00:00", "2027-09-01 00:00", "2027-09-05 04:00", "Sun 2027-09-05 01:00 -03"},
		{"America/Santiago", "sat", "23:59", "2027-09-01 00:00", "2027-09-05 03:59", "Sat 2027-09-04 23:59 -04"},
		// Samoa skipped Friday 30 December 2011: no meeting that day, the next is a week on.
		{"Pacific/Apia", "fri", "19:00", "2011-12-29 00:00", "2012-01-06 05:00", "Fri 2012-01-06 19:00 +14"},
		{"Pacific/Apia", "thu,sat", "19:00", "2011-12-30 05:00", "2011-12-31 05:00", "Sat 2011-12-31 19:00 +14"},
	})
}

// TestNextLeapYearEnd ensures 31 December of leap years works in zones
// whose future changes come from the TZ rule: Go's Time.ZoneBounds gets
// those wrong (golang/go#81583), which once made Next loop forever.
func TestNextLeapYearEnd(t *testing.T) {
	checkNext(t, []nextCase{
		{"Europe/London", "daily", "19:00", "2028-12-30 19:00", "2028-12-31 19:00", "Sun 2028-12-31 19:00 GMT"},
		{"Europe/London", "daily", "19:00", "2028-12-31 19:00", "2029-01-01 19:00", "Mon 2029-01-01 19:00 GMT"},
		{"Europe/London", "daily", "19:00", "2040-12-30 19:00", "2040-12-31 19:00", "Mon 2040-12-31 19:00 GMT"},
		{"Europe/London", "mon", "00:00", "2040-12-30 12:00", "2040-12-31 00:00", "Mon 2040-12-31 00:00 GMT"},
		{"America/New_York", "daily", "23:59", "2040-12-31 05:00", "2041-01-01 04:59", "Mon 2040-12-31 23:59 EST"},
		{"Australia/Sydney", "daily", "19:00", "2040-12-30 08:00", "2040-12-31 08:00", "Mon 2040-12-31 19:00 AEDT"},
	})
}

// TestOccurrencesAcrossTransitions ensures a catch-up over a change returns
// each scheduled local day exactly once, at the documented time.
func TestOccurrencesAcrossTransitions(t *testing.T) {
	tests := []struct {
		zone, days, clock string
		from, to          string
		want              []string
	}{
		{"Europe/London", "daily", "01:30", "2027-03-25 12:00", "2027-03-31 12:00", []string{
			"Fri 2027-03-26 01:30 GMT", "Sat 2027-03-27 01:30 GMT", "Sun 2027-03-28 02:00 BST",
			"Mon 2027-03-29 01:30 BST", "Tue 2027-03-30 01:30 BST", "Wed 2027-03-31 01:30 BST",
		}},
		{"Europe/London", "daily", "01:30", "2027-10-29 12:00", "2027-11-02 12:00", []string{
			"Sat 2027-10-30 01:30 BST", "Sun 2027-10-31 01:30 BST", "Mon 2027-11-01 01:30 GMT", "Tue 2027-11-02 01:30 GMT",
		}},
		{"America/New_York", "fri-mon", "02:30", "2027-03-12 00:00", "2027-03-16 00:00", []string{
			"Fri 2027-03-12 02:30 EST", "Sat 2027-03-13 02:30 EST", "Sun 2027-03-14 03:00 EDT", "Mon 2027-03-15 02:30 EDT",
		}},
		{"America/New_York", "weekends", "01:30", "2027-11-05 00:00", "2027-11-15 00:00", []string{
			"Sat 2027-11-06 01:30 EDT", "Sun 2027-11-07 01:30 EDT", "Sat 2027-11-13 01:30 EST", "Sun 2027-11-14 01:30 EST",
		}},
		{"Australia/Sydney", "daily", "02:30", "2027-04-02 12:00", "2027-04-05 12:00", []string{
			"Sat 2027-04-03 02:30 AEDT", "Sun 2027-04-04 02:30 AEDT", "Mon 2027-04-05 02:30 AEST",
		}},
		{"Australia/Sydney", "daily", "02:30", "2027-10-01 12:00", "2027-10-04 12:00", []string{
			"Sat 2027-10-02 02:30 AEST", "Sun 2027-10-03 03:00 AEDT", "Mon 2027-10-04 02:30 AEDT",
		}},
		{"Asia/Tokyo", "tue,thu", "19:00", "2027-03-22 00:00", "2027-04-02 00:00", []string{
			"Tue 2027-03-23 19:00 JST", "Thu 2027-03-25 19:00 JST", "Tue 2027-03-30 19:00 JST", "Thu 2027-04-01 19:00 JST",
		}},
		{"America/Santiago", "daily", "23:30", "2027-04-02 12:00", "2027-04-05 12:00", []string{
			"Fri 2027-04-02 23:30 -03", "Sat 2027-04-03 23:30 -03", "Sun 2027-04-04 23:30 -04",
		}},
		{"Pacific/Apia", "daily", "19:00", "2011-12-29 06:00", "2012-01-01 12:00", []string{
			"Thu 2011-12-29 19:00 -10", "Sat 2011-12-31 19:00 +14", "Sun 2012-01-01 19:00 +14",
		}},
	}
	for _, tt := range tests {
		w := mustWeekly(t, tt.zone, tt.days, tt.clock)
		var got []string
		for _, o := range w.Occurrences(utc(t, tt.from), utc(t, tt.to)) {
			got = append(got, o.Format(localLayout))
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s %s %s: Occurrences(%s, %s) =\n%s\nwant\n%s", tt.zone, tt.days, tt.clock, tt.from, tt.to,
				strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}

// TestOccurrencesBounds ensures the range is (from, to]: an occurrence at
// from is left out, one at to is included, and an empty range gives nil.
func TestOccurrencesBounds(t *testing.T) {
	w := mustWeekly(t, "Europe/London", "sun", "19:00")
	at := utc(t, "2027-03-28 18:00") // Sun 19:00 BST
	week := 7 * 24 * time.Hour
	if got := w.Occurrences(at, at.Add(week)); len(got) != 1 || !got[0].Equal(at.Add(week)) {
		t.Errorf("Occurrences(at, at+1w) = %v, want only %v", got, at.Add(week))
	}
	if got := w.Occurrences(at.Add(-time.Minute), at); len(got) != 1 || !got[0].Equal(at) {
		t.Errorf("Occurrences(at-1m, at) = %v, want only %v", got, at)
	}
	if got := w.Occurrences(at, at); got != nil {
		t.Errorf("Occurrences(at, at) = %v, want nil", got)
	}
	if got := w.Occurrences(at, at.Add(-week)); got != nil {
		t.Errorf("Occurrences with to before from = %v, want nil", got)
	}
	if got := w.Occurrences(at, at.Add(52*week)); len(got) != 52 {
		t.Errorf("a year of Sundays has %d occurrences, want 52", len(got))
	}
}

// TestLast ensures Last finds the meeting that most recently started,
// including during the repeated hour after it fired.
func TestLast(t *testing.T) {
	w := mustWeekly(t, "Europe/London", "sun", "01:30")
	tests := []struct{ upTo, want string }{
		{"2027-10-31 00:30", "Sun 2027-10-31 01:30 BST"}, // exactly at the meeting
		{"2027-10-31 00:29", "Sun 2027-10-24 01:30 BST"}, // a minute before it
		{"2027-10-31 01:45", "Sun 2027-10-31 01:30 BST"}, // 01:45 GMT, after the clock went back past 01:30 again
		{"2027-03-28 01:10", "Sun 2027-03-28 02:00 BST"}, // the gap day's meeting fired at 02:00 BST
	}
	for _, tt := range tests {
		if got := w.Last(utc(t, tt.upTo)).Format(localLayout); got != tt.want {
			t.Errorf("Last(%sZ) = %s, want %s", tt.upTo, got, tt.want)
		}
	}
}

// TestInvalidWeekly ensures a schedule that cannot happen reports why and
// has no occurrences rather than looping or panicking.
func TestInvalidWeekly(t *testing.T) {
	at := utc(t, "2027-01-01 00:00")
	tests := []struct {
		w    Weekly
		want string
	}{
		{Weekly{Hour: 19}, "no days"},
		{Weekly{Days: []time.Weekday{7}, Hour: 19}, "weekday 7 out of range"},
		{Weekly{Days: []time.Weekday{time.Monday}, Hour: 24}, "24:00 is not a time of day"},
		{Weekly{Days: []time.Weekday{time.Monday}, Minute: -1}, "is not a time of day"},
	}
	for _, tt := range tests {
		err := tt.w.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v.Validate() = %v, want %q", tt.w, err, tt.want)
		}
		if n := tt.w.Next(at); !n.IsZero() {
			t.Errorf("%+v.Next = %v, want zero", tt.w, n)
		}
		if l := tt.w.Last(at); !l.IsZero() {
			t.Errorf("%+v.Last = %v, want zero", tt.w, l)
		}
		if o := tt.w.Occurrences(at, at.AddDate(1, 0, 0)); o != nil {
			t.Errorf("%+v.Occurrences = %v, want nil", tt.w, o)
		}
	}
	// A nil zone means UTC.
	w := Weekly{Days: []time.Weekday{time.Friday}, Hour: 7, Minute: 5}
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := w.Next(at).Format(localLayout); got != "Fri 2027-01-01 07:05 UTC" {
		t.Errorf("nil-zone Next = %s", got)
	}
}

// TestString ensures the description a member sees in !schedule list.
func TestString(t *testing.T) {
	tests := []struct{ zone, days, clock, want string }{
		{"Europe/London", "thu,tue", "19:00", "Tue, Thu at 19:00 (Europe/London)"},
		{"UTC", "daily", "7:05", "Every day at 07:05 (UTC)"},
		{"America/New_York", "mon-fri", "08:30", "Weekdays at 08:30 (America/New_York)"},
		{"Australia/Sydney", "sat-sun", "10:00", "Weekends at 10:00 (Australia/Sydney)"},
		{"Asia/Tokyo", "sun,mon,sat", "0:00", "Mon, Sat, Sun at 00:00 (Asia/Tokyo)"},
	}
	for _, tt := range tests {
		if got := mustWeekly(t, tt.zone, tt.days, tt.clock).String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	if got := fmt.Sprint(Weekly{Days: []time.Weekday{time.Wednesday}, Hour: 9}); got != "Wed at 09:00 (UTC)" {
		t.Errorf("nil-zone String() = %q", got)
	}
}
