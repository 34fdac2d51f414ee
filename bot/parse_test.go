package bot

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// The parser turns text into the command every platform shares.
func TestParse(t *testing.T) {
	cases := []struct {
		prefix, in string
		ok         bool
		want       Command
	}{
		{"!", "!checkin green had a good week", true, Command{Name: "checkin", Args: []string{"green", "had", "a", "good", "week"}, Raw: "green had a good week"}},
		{"!", "  !CheckIn   amber  ", true, Command{Name: "checkin", Args: []string{"amber"}, Raw: "amber"}},
		{"!", "!checkin", true, Command{Name: "checkin", Raw: ""}},
		{"!", "!agreement set line one\nline two\n", true, Command{Name: "agreement", Args: []string{"set", "line", "one", "line", "two"}, Raw: "set line one\nline two"}},
		{"!", "!checkin 🟢", true, Command{Name: "checkin", Args: []string{"🟢"}, Raw: "🟢"}},
		{"!", "checkin green", false, Command{}},
		{"!", "! checkin", false, Command{}},
		{"!", "!!checkin", false, Command{}},
		{"!", "!123", false, Command{}},
		{"!", "!check!in", false, Command{}},
		{"!", "", false, Command{}},
		{"!", "!", false, Command{}},
		{"?", "?help crisis", true, Command{Name: "help", Args: []string{"crisis"}, Raw: "crisis"}},
		{"peerbot ", "peerbot help", true, Command{Name: "help", Raw: ""}},
		{"", "help", false, Command{}},
		{"!", "!round-start 5", true, Command{Name: "round-start", Args: []string{"5"}, Raw: "5"}},
	}
	for _, c := range cases {
		got, ok := Parse(c.prefix, c.in)
		if ok != c.ok {
			t.Errorf("Parse(%q, %q) ok = %v, want %v", c.prefix, c.in, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		if got.Args == nil {
			got.Args = nil
		}
		if len(got.Args) == 0 {
			got.Args = nil
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Parse(%q, %q) = %#v, want %#v", c.prefix, c.in, got, c.want)
		}
	}
}

// Check-in arguments: [private] [colour] [words], with the lone-"a" rule.
func TestParseCheckIn(t *testing.T) {
	cases := []struct {
		in   string
		want checkInInput
	}{
		{"green had a good week", checkInInput{colour: Green, words: "had a good week"}},
		{"G", checkInInput{colour: Green}},
		{"a", checkInInput{colour: Amber}},
		{"a bit tired", checkInInput{words: "a bit tired"}},
		{"r", checkInInput{colour: Red}},
		{"🔴 rough", checkInInput{colour: Red, words: "rough"}},
		{"🟠", checkInInput{colour: Amber}},
		{"🟢", checkInInput{colour: Green}},
		{"tired but here", checkInInput{words: "tired but here"}},
		{"", checkInInput{}},
		{"private amber my words", checkInInput{private: true, colour: Amber, words: "my words"}},
		{"PRIVATE red", checkInInput{private: true, colour: Red}},
		{"private just words", checkInInput{private: true, words: "just words"}},
		{"amber line one\nline two", checkInInput{colour: Amber, words: "line one\nline two"}},
		{"redder days", checkInInput{words: "redder days"}},
	}
	for _, c := range cases {
		cmd, _ := ParseLine("checkin " + c.in)
		got, err := parseCheckIn(cmd)
		if err != nil || got != c.want {
			t.Errorf("parseCheckIn(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	long, _ := ParseLine("checkin amber " + strings.Repeat("é", 501))
	if _, err := parseCheckIn(long); err == nil {
		t.Error("501 characters of words accepted")
	}
	ok, _ := ParseLine("checkin amber " + strings.Repeat("é", 500))
	if _, err := parseCheckIn(ok); err != nil {
		t.Errorf("500 characters refused: %v", err)
	}
}

// Round start: [minutes] [prompt]; minutes 1..1440.
func TestParseRoundStart(t *testing.T) {
	cases := []struct {
		in      string
		minutes int
		prompt  string
		bad     bool
	}{
		{"", 30, defaultPrompt, false},
		{"45", 45, defaultPrompt, false},
		{"45m One word", 45, "One word", false},
		{"1 x", 1, "x", false},
		{"1440", 1440, defaultPrompt, false},
		{"How are you?", 30, "How are you?", false},
		{"0", 0, "", true},
		{"1441", 0, "", true},
		{"-3", 0, "", true},
		{"2.5", 0, "", true},
		{"30x", 0, "", true},
	}
	for _, c := range cases {
		cmd, _ := ParseLine("start " + c.in)
		m, p, err := parseRoundStart(cmd)
		if (err != nil) != c.bad || (!c.bad && (m != c.minutes || p != c.prompt)) {
			t.Errorf("parseRoundStart(%q) = %d, %q, %v", c.in, m, p, err)
		}
	}
}

// No input makes the parser panic, and what it returns is well-formed.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"!checkin green words", "!agreement set a\nb", "!", "", "!🟢", "!a\x00b", "!checkin private r  x", "! \t\n", "!x" + strings.Repeat(" y", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cmd, ok := Parse("!", s)
		if !ok {
			return
		}
		if cmd.Name == "" || cmd.Name != strings.ToLower(cmd.Name) {
			t.Fatalf("bad name %q", cmd.Name)
		}
		if utf8.ValidString(s) && !utf8.ValidString(cmd.Raw) {
			t.Fatalf("raw not valid UTF-8: %q", cmd.Raw)
		}
		if len(strings.Fields(cmd.Raw)) != len(cmd.Args) {
			t.Fatalf("args %q do not match raw %q", cmd.Args, cmd.Raw)
		}
		_, _ = parseCheckIn(cmd)
		_, _, _ = parseRoundStart(cmd)
		_ = restAfter(cmd.Raw, 2)
	})
}
