package bot

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var table = CommandTable()

// parse reads a line the way a private message is read, failing the test
// when it is not a command at all.
func parse(t *testing.T, line string) Command {
	t.Helper()
	cmd, ok := table.ParseLine(line)
	if !ok {
		t.Fatalf("ParseLine(%q) is not a command", line)
	}
	return cmd
}

// Which text is addressed to the bot, and which command it names.
func TestParseText(t *testing.T) {
	cases := []struct {
		prefix, in string
		ok         bool
		name       string
	}{
		{"!", "!checkin green had a good week", true, "checkin"},
		{"!", "  !CheckIn   amber  ", true, "checkin"},
		{"!", "!checkin", true, "checkin"},
		{"!", "!agreement set line one\nline two\n", true, "agreement set"},
		{"!", "!round start 5", true, "round start"},
		{"!", "!round", true, "round"},
		{"!", "!checkin start 5", true, "checkin start"},
		{"!", "!checkin start of a better week", true, "checkin"},
		{"!", "!checkin end", true, "checkin end"},
		{"!", "!checkin end of a long week", true, "checkin"},
		{"!", "!forgetme confirm", true, "forgetme confirm"},
		{"!", "!nonsense here", true, "nonsense"},
		{"!", "checkin green", false, ""},
		{"!", "! checkin", false, ""},
		{"!", "!!checkin", false, ""},
		{"!", "!123", false, ""},
		{"!", "!check!in", false, ""},
		{"!", "", false, ""},
		{"!", "!", false, ""},
		{"?", "?help crisis", true, "help"},
		{"peerbot ", "peerbot help", true, "help"},
		{"", "help", false, ""},
	}
	for _, c := range cases {
		got, ok := table.ParseText(c.prefix, c.in)
		if ok != c.ok || got.Name != c.name {
			t.Errorf("ParseText(%q, %q) = %q, %v; want %q, %v", c.prefix, c.in, got.Name, ok, c.name, c.ok)
		}
	}
}

// Check-in arguments: [private] [colour] [words], with the lone-"a" rule.
func TestParseCheckIn(t *testing.T) {
	cases := []struct {
		in      string
		private bool
		colour  Colour
		words   string
	}{
		{"green had a good week", false, Green, "had a good week"},
		{"G", false, Green, ""},
		{"a", false, Amber, ""},
		{"a bit tired", false, NoColour, "a bit tired"},
		{"r", false, Red, ""},
		{"🔴 rough", false, Red, "rough"},
		{"🟠", false, Amber, ""},
		{"🟢", false, Green, ""},
		{"tired but here", false, NoColour, "tired but here"},
		{"", false, NoColour, ""},
		{"private amber my words", true, Amber, "my words"},
		{"PRIVATE red", true, Red, ""},
		{"private just words", true, NoColour, "just words"},
		{"amber line one\nline two", false, Amber, "line one\nline two"},
		{"redder days", false, NoColour, "redder days"},
		{"end of a long week", false, NoColour, "end of a long week"},
		{"start of a better week", false, NoColour, "start of a better week"},
		{"red private matter", false, Red, "private matter"},
	}
	for _, c := range cases {
		cmd := parse(t, "checkin "+c.in)
		if cmd.Err() != nil || cmd.Name != "checkin" || cmd.Flag("private") != c.private || cmd.Colour("colour") != c.colour || cmd.Text("words") != c.words {
			t.Errorf("checkin %q = %v; want private=%v colour=%v words=%q", c.in, cmd, c.private, c.colour, c.words)
		}
	}
	if !parse(t, "checkin private amber x").Sensitive() || parse(t, "checkin amber private").Sensitive() {
		t.Error("only a leading private flag makes a check-in sensitive")
	}
}

// Limits are checked on the whole input: nothing is cut, and the refusal
// names the limit.
func TestParseLimits(t *testing.T) {
	// Check-in words are a distress path when red: kept cut at the limit
	// and marked, for the handler to refuse (amber) or forward (red).
	long := parse(t, "checkin amber "+strings.Repeat("é", 501))
	if n, cut := long.Over("words"); long.Err() != nil || !cut || n != 501 || utf8.RuneCountInString(long.Text("words")) != 500 {
		t.Errorf("501 characters of words: %v (over %d %v)", long.Err(), n, cut)
	}
	prompt := parse(t, "round start 5 "+strings.Repeat("é", maxPrompt+1))
	if prompt.Err() == nil || !strings.Contains(prompt.Err().(*UserError).Text.String(), "200") {
		t.Errorf("prompt over the limit: %v", prompt.Err())
	}
	if ok := parse(t, "checkin amber "+strings.Repeat("é", 500)); ok.Err() != nil || utf8.RuneCountInString(ok.Text("words")) != 500 {
		t.Errorf("500 characters refused or cut: %v", ok.Err())
	}
	// 3,000 characters of a 3-byte script: 9,000 bytes, kept whole.
	agreement := strings.Repeat("愛", 3000)
	a := parse(t, "agreement set "+agreement)
	if a.Err() != nil || a.Text("text") != agreement {
		t.Errorf("3,000-character agreement: err %v, kept %d characters", a.Err(), utf8.RuneCountInString(a.Text("text")))
	}
	over := parse(t, "agreement set "+strings.Repeat("愛", maxAgreement+1))
	if over.Err() == nil || !strings.Contains(over.Err().Error(), "4000") {
		t.Errorf("agreement over the limit: %v", over.Err())
	}
}

// Round start: [minutes] [prompt]; minutes 1..1440.
func TestParseRoundStart(t *testing.T) {
	cases := []struct {
		in      string
		minutes int
		given   bool
		prompt  string
		bad     bool
	}{
		{"", 0, false, "", false},
		{"45", 45, true, "", false},
		{"45m One word", 45, true, "One word", false},
		{"1 x", 1, true, "x", false},
		{"1440", 1440, true, "", false},
		{"How are you?", 0, false, "How are you?", false},
		{"3 good things", 3, true, "good things", false},
		{"0", 0, false, "", true},
		{"1441", 0, false, "", true},
		{"-3", 0, false, "", true},
		{"2.5", 0, false, "", true},
		{"30x", 0, false, "", true},
	}
	for _, c := range cases {
		cmd := parse(t, "round start "+c.in)
		m, given := cmd.Int("minutes")
		if (cmd.Err() != nil) != c.bad || (!c.bad && (m != c.minutes || given != c.given || cmd.Text("prompt") != c.prompt)) {
			t.Errorf("round start %q = %v", c.in, cmd)
		}
	}
	m, p := roundStart(parse(t, "round start"))
	if m != defaultMinutes || p != defaultPrompt {
		t.Errorf("defaults = %d, %q", m, p)
	}
}

// Every other kind, read from text.
func TestParseKinds(t *testing.T) {
	s := parse(t, "schedule round tue,thu 19:05 45 How are you arriving?")
	h, m, _ := s.Clock("time")
	if s.Err() != nil || len(s.Days("days")) != 2 || s.Days("days")[0] != time.Tuesday || h != 19 || m != 5 || s.Text("prompt") != "How are you arriving?" {
		t.Errorf("schedule round = %v", s)
	}
	for _, bad := range []string{"schedule round someday 19:00", "schedule round tue 25:00", "schedule round tue", "schedule remove x", "schedule remove 0",
		"remind maybe", "timezone Not/AZone", "group 0", "remind on please", "timezone Europe/London extra"} {
		if cmd := parse(t, bad); cmd.Err() == nil {
			t.Errorf("%q accepted: %v", bad, cmd)
		}
	}
	if z := parse(t, "timezone Europe/London"); z.Text("zone") != "Europe/London" {
		t.Errorf("zone = %v", z)
	}
	if r := parse(t, "remind ON"); r.Text("switch") != "on" {
		t.Errorf("remind = %v", r)
	}
	if c := parse(t, "crisis new zealand"); c.Text("country") != "new zealand" || !c.Sensitive() {
		t.Errorf("crisis = %v", c)
	}
	if n, _ := parse(t, "schedule remove 2").Int("number"); n != 2 {
		t.Errorf("schedule remove number = %d", n)
	}
	if c := parse(t, "pass thanks everyone"); c.Err() != nil {
		t.Errorf("words after a command without arguments are ignored: %v", c.Err())
	}
	if c := parse(t, "round"); c.Err() != nil || c.Name != "round" {
		t.Errorf("round = %v", c)
	}
	if c := parse(t, "nonsense"); c.Err() == nil || c.Spec() != nil {
		t.Errorf("unknown command = %v", c)
	}
}

// Typed options (Discord) fill only their own argument: no word of a
// free-text option becomes a colour, a flag, minutes or a subcommand.
func TestFromOptions(t *testing.T) {
	cases := []struct {
		name string
		opts map[string]any
		want string
	}{
		{"checkin", map[string]any{"words": "red flag at work today"}, `checkin words="red flag at work today"`},
		{"checkin", map[string]any{"words": "private matter"}, `checkin words="private matter"`},
		{"checkin", map[string]any{"colour": "amber", "private": true, "words": "x"}, `checkin colour=🟠 amber private=true words="x"`},
		{"round start", map[string]any{"prompt": "3 good things"}, `round start prompt="3 good things"`},
		{"round start", map[string]any{"minutes": float64(45)}, `round start minutes=45`},
		{"schedule round", map[string]any{"days": "mon-fri", "time": "7:30"}, `schedule round days=[Monday Tuesday Wednesday Thursday Friday] time=450`},
		{"support", map[string]any{"words": "end"}, `support words="end"`},
	}
	for _, c := range cases {
		cmd, err := table.FromOptions(c.name, c.opts)
		if err != nil || cmd.String() != c.want {
			t.Errorf("FromOptions(%q, %v) = %v, %v; want %s", c.name, c.opts, cmd, err, c.want)
		}
	}
	for _, bad := range []map[string]any{{"minutes": float64(0)}, {"minutes": float64(1441)}, {"minutes": 2.5}, {"prompt": strings.Repeat("x", maxPrompt+1)}} {
		if cmd, err := table.FromOptions("round start", bad); err != nil || cmd.Err() == nil {
			t.Errorf("round start %v accepted: %v, %v", bad, cmd, err)
		}
	}
	for _, wrong := range []map[string]any{{"nope": "x"}, {"minutes": true}, {"prompt": true}} {
		if _, err := table.FromOptions("round start", wrong); err == nil {
			t.Errorf("round start %v: no error", wrong)
		}
	}
	if _, err := table.FromOptions("no such", nil); err == nil {
		t.Error("unknown command: no error")
	}
}

// A form's text fills the command's form argument and nothing else.
func TestWithInput(t *testing.T) {
	cmd := parse(t, "checkin red").WithInput("private a b")
	if cmd.Err() != nil || cmd.Colour("colour") != Red || cmd.Flag("private") || cmd.Text("words") != "private a b" {
		t.Errorf("checkin red + form = %v", cmd)
	}
	a := parse(t, "agreement set").WithInput("Be kind.\nListen.")
	if a.Err() != nil || a.Text("text") != "Be kind.\nListen." {
		t.Errorf("agreement set + form = %v", a)
	}
	if over := parse(t, "support").WithInput(strings.Repeat("x", maxWords+1)); over.Err() != nil || len(over.Text("words")) != maxWords {
		t.Errorf("support words over the limit are kept cut, for the facilitators: %v", over.Err())
	}
	if over := parse(t, "agreement set").WithInput(strings.Repeat("x", maxAgreement+1)); over.Err() == nil {
		t.Error("agreement form text over the limit accepted")
	}
	if p := parse(t, "pass").WithInput("x"); p.Err() == nil {
		t.Error("a form for a command without text accepted")
	}
}

// Spec fields drive help, registration and access.
func TestSpecFields(t *testing.T) {
	spec := func(name string) *CommandSpec {
		s, ok := table.Lookup(name)
		if !ok {
			t.Fatalf("no command %q", name)
		}
		return s
	}
	if !spec("checkin start").Hidden || !spec("checkin end").Hidden || spec("round start").Hidden {
		t.Error("hidden aliases")
	}
	if !spec("schedule").FacilitatorsOnly() || spec("round").FacilitatorsOnly() || !spec("agreement set").FacilitatorsOnly() || spec("checkin").FacilitatorsOnly() {
		t.Error("FacilitatorsOnly")
	}
	if !spec("crisis").WorksPrivately() || !spec("checkin").WorksPrivately() || spec("round").WorksPrivately() {
		t.Error("WorksPrivately")
	}
	if a, ok := spec("agreement set").FormArg(); !ok || a.Name != "text" {
		t.Error("agreement set has no form argument")
	}
	if _, ok := spec("checkin").FormArg(); ok {
		t.Error("checkin has a form argument")
	}
}

// No input makes the parser panic, nothing is cut, and a free-text
// argument holds exactly what was typed after the words before it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"!checkin green words", "!agreement set a\nb", "!", "", "!🟢", "!a\x00b", "!checkin private r  x",
		"! \t\n", "!x" + strings.Repeat(" y", 100), "!round start 45m x", "!schedule round mon-fri 7:00 20 p", "!crisis new zealand",
		"!checkin a", "!checkin a b", "!support " + strings.Repeat("é", 600)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cmd, ok := table.ParseText("!", s)
		if !ok {
			return
		}
		if cmd.Name == "" || cmd.Name != strings.ToLower(cmd.Name) {
			t.Fatalf("bad name %q", cmd.Name)
		}
		if cmd.Err() == nil && cmd.Spec() == nil {
			t.Fatalf("%q: no spec and no problem", s)
		}
		for _, a := range specArgs(cmd.Spec()) {
			v := cmd.Text(a.Name)
			if utf8.ValidString(s) && !utf8.ValidString(v) {
				t.Fatalf("%s not valid UTF-8: %q", a.Name, v)
			}
			if a.Kind == ArgText && v != "" && !strings.Contains(s, v) {
				t.Fatalf("%s = %q is not what was typed in %q", a.Name, v, s)
			}
			if a.Max > 0 && utf8.RuneCountInString(v) > a.Max {
				t.Fatalf("%s over its limit", a.Name)
			}
		}
		if cmd.Err() == nil && cmd.Name == "checkin" {
			rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimLeft(s, " \t\n\r\v\f"), "!"))
			if w := cmd.Text("words"); w != "" && !strings.HasSuffix(strings.TrimRightFunc(rest, isSpace), w) {
				t.Fatalf("words %q are not the end of %q", w, s)
			}
		}
	})
}

func isSpace(r rune) bool {
	return strings.ContainsRune(" \t\n\r\v\f\u0085\u00a0", r) || r == '\u2028' || r == '\u2029'
}

func specArgs(s *CommandSpec) []Arg {
	if s == nil {
		return nil
	}
	return s.Args
}
