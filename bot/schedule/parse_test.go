package schedule

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Tests must pass on machines without system zoneinfo.
)

// TestParseDays ensures every documented way of writing days yields the
// right set, Monday-first and without duplicates.
func TestParseDays(t *testing.T) {
	const (
		mon = time.Monday
		tue = time.Tuesday
		wed = time.Wednesday
		thu = time.Thursday
		fri = time.Friday
		sat = time.Saturday
		sun = time.Sunday
	)
	tests := []struct {
		in   string
		want []time.Weekday
	}{
		{"tue,thu", []time.Weekday{tue, thu}},
		{"thu,tue", []time.Weekday{tue, thu}},
		{"Tuesday,THURSDAY", []time.Weekday{tue, thu}},
		{" tue , thu ", []time.Weekday{tue, thu}},
		{"tues,thurs,weds", []time.Weekday{tue, wed, thu}},
		{"sun", []time.Weekday{sun}},
		{"sunday,mon", []time.Weekday{mon, sun}},
		{"mon-fri", []time.Weekday{mon, tue, wed, thu, fri}},
		{"Monday-Wednesday", []time.Weekday{mon, tue, wed}},
		{"fri-mon", []time.Weekday{mon, fri, sat, sun}},
		{"sat-sun", []time.Weekday{sat, sun}},
		{"wed-wed", []time.Weekday{wed}},
		{"mon-wed,tue-thu", []time.Weekday{mon, tue, wed, thu}},
		{"daily", []time.Weekday{mon, tue, wed, thu, fri, sat, sun}},
		{"Daily", []time.Weekday{mon, tue, wed, thu, fri, sat, sun}},
		{"weekdays", []time.Weekday{mon, tue, wed, thu, fri}},
		{"weekends", []time.Weekday{sat, sun}},
		{"weekends,wed", []time.Weekday{wed, sat, sun}},
		{"mon,mon,monday", []time.Weekday{mon}},
	}
	for _, tt := range tests {
		got, err := ParseDays(tt.in)
		if err != nil {
			t.Errorf("ParseDays(%q): %v", tt.in, err)
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("ParseDays(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestParseDaysErrors ensures bad input is refused with a message that says
// what was wrong and how to write it.
func TestParseDaysErrors(t *testing.T) {
	tests := []struct {
		in, wantText string
	}{
		{"", "no days given"},
		{"   ", "no days given"},
		{"tue,,thu", "empty item"},
		{"tue,", "empty item"},
		{"tuesday thursday", `"tuesday thursday" is not a day`},
		{"funday", `"funday" is not a day`},
		{"mon-", `"" is not a day`},
		{"mon-fri-sun", `"fri-sun" is not a day`},
		{"1", `"1" is not a day`},
		{strings.Repeat("x", 100), `"xxxxxxxxxxxxxxxxxxxxxxxx…" is not a day`},
	}
	for _, tt := range tests {
		got, err := ParseDays(tt.in)
		if err == nil {
			t.Errorf("ParseDays(%q) = %v, want an error", tt.in, got)
			continue
		}
		if !errors.Is(err, ErrDays) {
			t.Errorf("ParseDays(%q) error %v does not wrap ErrDays", tt.in, err)
		}
		if !strings.Contains(err.Error(), tt.wantText) || !strings.Contains(err.Error(), "mon-fri") {
			t.Errorf("ParseDays(%q) error = %q, want it to contain %q and a hint", tt.in, err, tt.wantText)
		}
	}
}

// TestFormatDaysRoundTrip ensures the stored form reads back to the same days.
func TestFormatDaysRoundTrip(t *testing.T) {
	for _, in := range []string{"tue,thu", "daily", "weekends", "fri-mon", "sun"} {
		days, err := ParseDays(in)
		if err != nil {
			t.Fatal(err)
		}
		s := FormatDays(days)
		back, err := ParseDays(s)
		if err != nil || !slices.Equal(back, days) {
			t.Errorf("FormatDays(ParseDays(%q)) = %q, which reads back as %v, %v", in, s, back, err)
		}
	}
	if got := FormatDays([]time.Weekday{time.Sunday, time.Tuesday, time.Tuesday, 9}); got != "tue,sun" {
		t.Errorf("FormatDays(sun,tue,tue,9) = %q, want %q", got, "tue,sun")
	}
}

// TestParseClock ensures 24-hour times parse and everything else is refused.
func TestParseClock(t *testing.T) {
	good := []struct {
		in     string
		hh, mm int
	}{
		{"19:00", 19, 0}, {"7:05", 7, 5}, {"07:05", 7, 5}, {"0:00", 0, 0},
		{"00:00", 0, 0}, {"23:59", 23, 59}, {" 12:30 ", 12, 30},
	}
	for _, tt := range good {
		hh, mm, err := ParseClock(tt.in)
		if err != nil || hh != tt.hh || mm != tt.mm {
			t.Errorf("ParseClock(%q) = %d, %d, %v; want %d, %d", tt.in, hh, mm, err, tt.hh, tt.mm)
		}
	}
	bad := []struct{ in, wantText string }{
		{"", "is not a time"},
		{"19", "is not a time"},
		{"1900", "is not a time"},
		{"19:0", "is not a time"},
		{"19:000", "is not a time"},
		{"7pm", "is not a time"},
		{"7:05pm", "is not a time"},
		{"19.00", "is not a time"},
		{"-1:00", "is not a time"},
		{"+7:00", "is not a time"},
		{"123:00", "is not a time"},
		{"24:00", "hours 0-23"},
		{"19:60", "minutes 00-59"},
		{"١٩:٠٠", "is not a time"}, // Arabic-Indic digits are not accepted
	}
	for _, tt := range bad {
		hh, mm, err := ParseClock(tt.in)
		if err == nil {
			t.Errorf("ParseClock(%q) = %d, %d, want an error", tt.in, hh, mm)
			continue
		}
		if !errors.Is(err, ErrClock) || !strings.Contains(err.Error(), tt.wantText) {
			t.Errorf("ParseClock(%q) error = %q, want ErrClock containing %q", tt.in, err, tt.wantText)
		}
	}
}

// TestLoadZone ensures IANA names load and the machine's zone, empty names
// and unknown names are refused.
func TestLoadZone(t *testing.T) {
	for _, name := range []string{"Europe/London", "America/New_York", "Australia/Sydney", "Asia/Tokyo", "UTC", "America/Argentina/Buenos_Aires"} {
		loc, err := LoadZone(name)
		if err != nil {
			t.Errorf("LoadZone(%q): %v", name, err)
			continue
		}
		if loc.String() != name {
			t.Errorf("LoadZone(%q).String() = %q", name, loc)
		}
	}
	bad := []struct{ in, wantText string }{
		{"", "no zone name"},
		{"Local", "machine's zone"},
		{"Mars/Olympus_Mons", "not a known IANA zone"},
		{"../../etc/passwd", "not a known IANA zone"},
		{"/etc/localtime", "not a known IANA zone"},
	}
	for _, tt := range bad {
		loc, err := LoadZone(tt.in)
		if err == nil {
			t.Errorf("LoadZone(%q) = %v, want an error", tt.in, loc)
			continue
		}
		if !errors.Is(err, ErrZone) || !strings.Contains(err.Error(), tt.wantText) {
			t.Errorf("LoadZone(%q) error = %q, want ErrZone containing %q", tt.in, err, tt.wantText)
		}
	}
}
