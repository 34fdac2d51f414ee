package console

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// inputKind says what one input line asks for.
type inputKind uint8

const (
	inSkip        inputKind = iota // blank line or # comment
	inSay                          // NAME: TEXT
	inDM                           // /dm NAME TEXT
	inJoin                         // /join NAME
	inLeave                        // /leave NAME
	inFacilitator                  // /facilitator NAME
	inClock                        // /clock +DURATION or /clock TIME
	inHelp                         // /help
	inQuit                         // /quit
)

// input is one parsed input line.
type input struct {
	Kind inputKind
	// ID is the event id given with an "@ID " prefix ("" when none).
	ID   string
	Name string
	Text string
	// Advance is the /clock +DURATION step; At is the /clock TIME target.
	Advance time.Duration
	At      time.Time
}

// usageHint is the one-line reminder printed for a line that is not understood.
const usageHint = "type NAME: TEXT, /dm NAME TEXT, /join NAME, /leave NAME, /facilitator NAME, /clock +30m, or /help"

// parseInput reads one input line (without its line break). It returns an
// error with a one-line hint for a line it does not understand.
func parseInput(line string) (input, error) {
	line = strings.TrimRight(line, "\r")
	trimmed := strings.TrimSpace(line)
	if trimmed == "" || strings.HasPrefix(trimmed, "#") {
		return input{Kind: inSkip}, nil
	}
	var in input
	if strings.HasPrefix(trimmed, "@") {
		id, rest, _ := strings.Cut(trimmed[1:], " ")
		if id == "" || strings.TrimSpace(rest) == "" {
			return input{}, errors.New("an @ID prefix needs an id and then a line: @7 alice: !checkin green")
		}
		in.ID = id
		trimmed = strings.TrimSpace(rest)
	}
	if strings.HasPrefix(trimmed, "/") {
		return parseSlash(in, trimmed)
	}
	name, text, ok := strings.Cut(trimmed, ":")
	if !ok || !validName(name) {
		return input{}, errors.New("not understood: " + usageHint)
	}
	in.Kind = inSay
	in.Name = name
	in.Text = strings.TrimSpace(text)
	return in, nil
}

// parseSlash reads a console command line ("/dm alice !crisis").
func parseSlash(in input, line string) (input, error) {
	word, rest, _ := strings.Cut(line[1:], " ")
	rest = strings.TrimSpace(rest)
	switch strings.ToLower(word) {
	case "dm":
		name, text, _ := strings.Cut(rest, " ")
		text = strings.TrimSpace(text)
		if !validName(name) || text == "" {
			return input{}, errors.New("/dm needs a name and a message: /dm alice !crisis")
		}
		in.Kind, in.Name, in.Text = inDM, name, text
	case "join", "leave", "facilitator":
		if !validName(rest) {
			return input{}, fmt.Errorf("/%s needs one name: /%s alice", word, word)
		}
		in.Kind = map[string]inputKind{"join": inJoin, "leave": inLeave, "facilitator": inFacilitator}[strings.ToLower(word)]
		in.Name = rest
	case "clock":
		return parseClock(in, rest)
	case "help":
		in.Kind = inHelp
	case "quit", "exit":
		in.Kind = inQuit
	default:
		return input{}, fmt.Errorf("unknown console command /%s: %s", word, usageHint)
	}
	return in, nil
}

// parseClock reads the argument of /clock: "+DURATION" (a Go duration such
// as +31m or +1h30m, also with a d for days: +2d) or an RFC 3339 time.
func parseClock(in input, arg string) (input, error) {
	in.Kind = inClock
	if strings.HasPrefix(arg, "+") {
		d, err := parseDuration(arg[1:])
		if err != nil || d <= 0 {
			return input{}, errors.New("/clock needs a positive duration such as +31m, +2h or +1d, or a time such as 2030-01-07T19:00:00Z")
		}
		in.Advance = d
		return in, nil
	}
	t, err := time.Parse(time.RFC3339, arg)
	if err != nil {
		return input{}, errors.New("/clock needs a positive duration such as +31m, +2h or +1d, or a time such as 2030-01-07T19:00:00Z")
	}
	in.At = t
	return in, nil
}

// parseDuration is time.ParseDuration plus a leading whole number of days
// ("1d", "2d3h").
func parseDuration(s string) (time.Duration, error) {
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		var n int
		if _, err := fmt.Sscanf(s[:i], "%d", &n); err != nil || fmt.Sprint(n) != s[:i] {
			return 0, errors.New("bad days")
		}
		days = time.Duration(n) * 24 * time.Hour
		s = s[i+1:]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	return days + d, err
}

// validName reports whether s can be a console member name: non-empty, at
// most 64 characters, with no white space, colon or control character.
func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == ':' {
			return false
		}
	}
	return true
}
