package bot

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Command is a command read from any platform: which command it is (Name,
// the full path such as "round start") and its arguments as named, typed
// values. Build one with Table.ParseText, Table.ParseLine or
// Table.FromOptions; handlers read it with the typed getters and never see
// the text it came from.
//
// A Command may carry a problem (Err): the input named a command but could
// not be read (an unknown command, a value over its limit, a missing
// argument). Handle answers such a command with the problem's kind text and
// changes nothing.
type Command struct {
	// Name is the command's full name, lower case, without prefix:
	// "checkin", "round start", "crisis country".
	Name string
	spec *CommandSpec
	vals map[string]value
	bad  *UserError
}

// value is one argument's typed value. Which fields mean something depends
// on the argument's kind.
type value struct {
	text   string // ArgWord, ArgText, ArgCountry, ArgZone, ArgChoice
	n      int    // ArgMinutes, ArgNumber, ArgTime (minutes after midnight)
	flag   bool
	colour Colour
	days   []time.Weekday
	// over is the length in characters of an ArgText value that was over
	// its limit and kept cut (Arg.KeepOver); 0 otherwise.
	over int
}

// Err returns the problem reading the command, or nil. Its text is what
// the member is told.
func (c Command) Err() error {
	if c.bad == nil {
		return nil
	}
	return c.bad
}

// Spec returns the command's table entry (nil for an unknown command).
func (c Command) Spec() *CommandSpec { return c.spec }

// Has reports whether argument name was given.
func (c Command) Has(name string) bool {
	_, ok := c.vals[name]
	return ok
}

// Text returns a text argument (ArgText, ArgWord, ArgCountry, ArgZone,
// ArgChoice) as given, or "".
func (c Command) Text(name string) string { return c.vals[name].text }

// Int returns a number argument (ArgMinutes, ArgNumber) and whether it was
// given.
func (c Command) Int(name string) (int, bool) {
	v, ok := c.vals[name]
	return v.n, ok
}

// Over reports whether a KeepOver text argument was longer than its limit
// and was cut to it, and how long it was.
func (c Command) Over(name string) (length int, cut bool) {
	v := c.vals[name]
	return v.over, v.over > 0
}

// Flag returns a flag argument (false when not given).
func (c Command) Flag(name string) bool { return c.vals[name].flag }

// Colour returns a colour argument (NoColour when not given).
func (c Command) Colour(name string) Colour { return c.vals[name].colour }

// Days returns a days argument (nil when not given).
func (c Command) Days(name string) []time.Weekday { return c.vals[name].days }

// Clock returns a time argument as hour and minute, and whether it was
// given.
func (c Command) Clock(name string) (hour, minute int, ok bool) {
	v, ok := c.vals[name]
	return v.n / 60, v.n % 60, ok
}

// Sensitive reports whether the command reveals something about the member
// who sent it: a Sensitive command, or a Sensitive flag set ("checkin
// private"). Adapters hide such a command when it was typed in public.
func (c Command) Sensitive() bool {
	if c.spec == nil {
		return false
	}
	if c.spec.Sensitive {
		return true
	}
	for _, a := range c.spec.Args {
		if a.Sensitive && c.Flag(a.Name) {
			return true
		}
	}
	return false
}

// String shows the command's name and values in a stable order, for logs
// of tests only: it contains what the member typed. It is a debug
// rendering, not member-facing text, so it is not in the text catalog
// (bot/texts*.go); members never see it.
func (c Command) String() string {
	var b strings.Builder
	b.WriteString(c.Name)
	names := make([]string, 0, len(c.vals))
	for n := range c.vals {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v := c.vals[n]
		fmt.Fprintf(&b, " %s=", n)
		switch {
		case v.colour != NoColour:
			b.WriteString(colourText(v.colour).String())
		case v.days != nil:
			fmt.Fprint(&b, v.days)
		case v.flag:
			b.WriteString("true")
		case v.text != "":
			fmt.Fprintf(&b, "%q", v.text)
		default:
			fmt.Fprint(&b, v.n)
		}
	}
	if c.bad != nil {
		fmt.Fprintf(&b, " (problem: %s)", c.bad.Text.String())
	}
	return b.String()
}

// set records argument a's value.
func (c *Command) set(a Arg, v value) {
	if c.vals == nil {
		c.vals = map[string]value{}
	}
	c.vals[a.Name] = v
}
