package bot

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/peerbot/peerbot/bot/crisislines"
)

// The catalogs: every language has every message of the English source,
// nothing more, with the same placeholders; every message parses; the
// commands a message names are commands members can type, English in
// every language; nothing the bot says in any language is over a
// platform's size limit.

// Platform limits on Text.String(), from the adapters' TextLimit: Discord
// 1900 characters, Matrix 2600.
const (
	discordLimit = 1900
	matrixLimit  = 2600
)

func TestCatalogComplete(t *testing.T) {
	if len(catalogs) != 5 {
		t.Errorf("languages %v, want en, de, es, fr and pt-BR", LanguageCodes())
	}
	for _, l := range catalogs[1:] {
		for _, k := range english.Keys() {
			if !l.Has(k) {
				t.Errorf("%s: missing %q (English: %q)", l.code, k, english.Raw(k))
			}
		}
		for _, k := range l.Keys() {
			if !english.Has(k) {
				t.Errorf("%s: %q is not an English message (renamed or removed?)", l.code, k)
			}
		}
	}
}

func TestCatalogParses(t *testing.T) {
	for _, l := range catalogs {
		for k, err := range l.Check() {
			t.Errorf("%s %q: %v", l.code, k, err)
		}
		for _, k := range l.Keys() {
			if strings.TrimSpace(l.Raw(k)) == "" {
				t.Errorf("%s %q is empty", l.code, k)
			}
		}
	}
}

func TestCatalogPlaceholders(t *testing.T) {
	for _, k := range english.Keys() {
		want := english.Placeholders(k)
		for _, l := range catalogs[1:] {
			if got := l.Placeholders(k); l.Has(k) && !slices.Equal(got, want) {
				t.Errorf("%s %q has placeholders %v, English %v", l.code, k, got, want)
			}
		}
	}
}

// Commands named in messages, and examples, are lines members can type:
// the command's name is English in every language, and an example parses
// without a problem.
func TestCatalogCommands(t *testing.T) {
	table := CommandTable()
	for _, l := range catalogs {
		for _, k := range l.Keys() {
			for _, line := range l.Commands(k) {
				name, _, _ := strings.Cut(line, " ")
				if _, ok := table.Lookup(name); !ok {
					t.Errorf("%s %q names %q, not a command", l.code, k, line)
				}
			}
			if strings.HasPrefix(k, "cmd.") && strings.HasSuffix(k, ".example") {
				cmd, ok := table.ParseLine(l.Raw(k))
				if !ok || cmd.Err() != nil {
					t.Errorf("%s %q: example %q does not parse: %v", l.code, k, l.Raw(k), cmd.Err())
				}
				if en := english.Raw(k); ok && !strings.HasPrefix(l.Raw(k), strings.Fields(en)[0]) {
					t.Errorf("%s %q: example %q does not start with the English command", l.code, k, l.Raw(k))
				}
			}
		}
	}
}

// care.md: no exclamation marks about distress; the bot uses none at all.
// An exclamation mark may only be a literal the member types ("!" starts
// a Matrix room id).
func TestCatalogNoExclamations(t *testing.T) {
	allowed := map[string]bool{"place.badref": true}
	for _, l := range catalogs {
		for _, k := range l.Keys() {
			s := l.Raw(k)
			if strings.ContainsAny(s, "!¡") && !allowed[k] {
				t.Errorf("%s %q: %q", l.code, k, s)
			}
		}
	}
}

// Every msg("key") in the texts names an English message.
func TestCatalogKeysUsed(t *testing.T) {
	files, err := filepath.Glob("texts*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	used := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			id, ok := call.Fun.(*ast.Ident)
			if !ok || (id.Name != "msg" && id.Name != "cmdMsg") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			used++
			if !english.Has(key) {
				t.Errorf("%s: msg(%q) is not in the English catalog", fset.Position(lit.Pos()), key)
			}
			return true
		})
	}
	if used < 200 {
		t.Errorf("found only %d messages used: is the scan broken?", used)
	}
}

// sample gives every placeholder a long value, and plurals 1 and 99.
func sample(l *Lang, k string, n int) Text {
	var args []any
	for _, p := range l.Placeholders(k) {
		args = append(args, p, sampleValue(p, n))
	}
	return msg(k, args...)
}

func sampleValue(name string, n int) any {
	switch name {
	case "n", "in", "passed", "total", "green", "amber", "red", "none", "version", "id", "minutes", "level", "max", "day", "year":
		return n
	}
	return T("").U(strings.Repeat("x", 100))
}

// Every message of every language, with long arguments, and every whole
// answer that grows with data (crisis lines of every country, the red
// note, the agreement, the help of each command, the round status) fits
// each platform in one message. (The full command list for facilitators
// is longer than one Discord message in every language; the Discord
// adapter splits it at a line break.)
func TestCatalogWithinLimits(t *testing.T) {
	for _, l := range catalogs {
		for _, k := range l.Keys() {
			for _, n := range []int{1, 99} {
				if got := utf8.RuneCountInString(l.Resolve(sample(l, k, n)).String()); got > discordLimit {
					t.Errorf("%s %q is %d characters", l.code, k, got)
				}
			}
		}
	}
	d := crisislines.Default()
	intl := d.International()
	zone := time.UTC
	var whole []Text
	for _, c := range d.Countries() {
		e, _ := d.Lookup(c.Code)
		for _, from := range []crisisFrom{crisisAsked, crisisSaved, crisisGroup, crisisConfigured} {
			whole = append(whole, textCrisis(crisisPick{entry: e, from: from}, intl))
		}
		whole = append(whole, T("").Add(msg("red.note")).NL().Add(crisisLinesText(e, intl, 2)).NL().Add(msg("red.more")).NL().NL().Add(msg("red.support")))
		whole = append(whole, textHelpRoute(e, intl))
	}
	var lines []helpLine
	for _, spec := range CommandTable().Specs() {
		lines = helpLines(lines, spec, spec.Name, false)
	}
	whole = append(whole, textHelp(lines), agreementText(Agreement{}, zone), welcomeText(strings.Repeat("n", 32), Agreement{}, zone))
	for _, spec := range CommandTable().Specs() {
		whole = append(whole, textHelpFor(spec.Name, spec, spec.Sub))
	}
	var cs []CheckIn
	for i := range 200 {
		cs = append(cs, CheckIn{MemberName: fmt.Sprintf("member-with-a-long-name-%03d", i), Colour: Amber})
	}
	whole = append(whole, roundStatusText(Round{Prompt: strings.Repeat("p", maxPrompt), OpenedAt: time.Unix(0, 0), ClosesAt: time.Unix(3600*30, 0)}, cs, zone, discordLimit))
	whole = append(whole, textMyData(MemberData{Member: MemberRecord{Name: "n", Country: "GB", Language: "de"}}, nil, zone))
	for _, l := range catalogs {
		for i, w := range whole {
			got := utf8.RuneCountInString(l.Resolve(w).String())
			if got > discordLimit {
				t.Errorf("%s: text %d is %d characters, over Discord's %d:\n%s", l.code, i, got, discordLimit, l.Resolve(w).String())
			}
			if got > matrixLimit {
				t.Errorf("%s: text %d is %d characters, over Matrix's %d", l.code, i, got, matrixLimit)
			}
		}
	}
}

// Discord shows command summaries, argument help and choice labels in at
// most 100 characters.
func TestCatalogDiscordDescriptions(t *testing.T) {
	var walk func(l *Lang, s *CommandSpec)
	walk = func(l *Lang, s *CommandSpec) {
		if n := utf8.RuneCountInString(l.Summary(s)); n > 100 {
			t.Errorf("%s: summary of %s is %d characters", l.code, s.path, n)
		}
		for _, a := range s.Args {
			if n := utf8.RuneCountInString(l.ArgHelp(s, a)); n > 100 {
				t.Errorf("%s: help of %s %s is %d characters", l.code, s.path, a.Name, n)
			}
			for _, ch := range a.Choices {
				if n := utf8.RuneCountInString(l.ChoiceLabel(s, a, ch)); n > 100 {
					t.Errorf("%s: label of %s %s %s is %d characters", l.code, s.path, a.Name, ch.Value, n)
				}
			}
			if a.Input != nil && utf8.RuneCountInString(l.InputLabel(s, a)) > 45 {
				t.Errorf("%s: form label of %s %s is over Discord's 45", l.code, s.path, a.Name)
			}
		}
		for _, sub := range s.Sub {
			walk(l, sub)
		}
	}
	for _, l := range catalogs {
		for _, s := range CommandTable().Specs() {
			walk(l, s)
		}
		for _, a := range roundActions() {
			a = l.localiseActions([]Action{a})[0]
			if utf8.RuneCountInString(a.Label) > 80 || (a.Input != nil && utf8.RuneCountInString(a.Input.Label) > 45) {
				t.Errorf("%s: action %s labels too long for Discord: %q", l.code, a.Command, a.Label)
			}
		}
	}
}

// The directory's hours and audiences have messages in every language
// (care.md: hours translated); its language lists name what they can.
func TestCatalogDirectoryWords(t *testing.T) {
	d := crisislines.Default()
	lines := d.International()
	for _, c := range d.Countries() {
		e, _ := d.Lookup(c.Code)
		lines = append(lines, e.Lines...)
	}
	for _, l := range lines {
		if l.Hours != "" {
			if h := hoursText(l.Hours); h[0].Style != Msg || h[0].msg.country != "" {
				t.Errorf("hours %q have no message", l.Hours)
			}
		}
		if l.Audience != "" && !english.Has("audience: "+l.Audience) {
			t.Errorf("audience %q has no message", l.Audience)
		}
	}
	de, _ := LanguageOf("de")
	if got := de.Resolve(spokenList("English, French (Shimaoré in development in Mayotte)")).String(); got != "Englisch, Französisch (Shimaoré in development in Mayotte)" {
		t.Errorf("languages in German: %q", got)
	}
}

func TestLanguageOf(t *testing.T) {
	for in, want := range map[string]string{
		"de": "de", "DE": "de", "de-AT": "de", "de_CH": "de", "es": "es", "es-419": "es", "es-ES": "es",
		"fr": "fr", "fr-CA": "fr", "pt-BR": "pt-BR", "pt_br": "pt-BR", "pt": "pt-BR", "en-GB": "en", "en-US": "en", "EN": "en",
	} {
		if l, ok := LanguageOf(in); !ok || l.code != want {
			t.Errorf("LanguageOf(%q) = %v, %v; want %s", in, l, ok, want)
		}
	}
	for _, in := range []string{"", "xx", "ja", "klingon", "auto", "me"} {
		if l, ok := LanguageOf(in); ok {
			t.Errorf("LanguageOf(%q) = %s, want none", in, l.code)
		}
	}
}

// Plural forms follow each language's rules (French counts 0 as one).
func TestCatalogPlurals(t *testing.T) {
	de, _ := LanguageOf("de")
	for n, want := range map[int]string{1: "1 Person hat", 2: "2 Personen haben", 0: "0 Personen haben"} {
		if got := de.Resolve(summaryText(make([]CheckIn, n))).String(); !strings.Contains(got, want) {
			t.Errorf("de, %d: %q lacks %q", n, got, want)
		}
	}
	en := english
	for n, want := range map[int]string{1: "1 person checked", 2: "2 people checked", 0: "0 people checked"} {
		if got := en.Resolve(summaryText(make([]CheckIn, n))).String(); !strings.Contains(got, want) {
			t.Errorf("en, %d: %q lacks %q", n, got, want)
		}
	}
}

// Arguments are never read as markup: a member's name with braces and
// asterisks stays as it is, in a User span.
func TestMessageArgumentsAreNotMarkup(t *testing.T) {
	name := "**{cmd:forgetme confirm}** {name}"
	got := english.Resolve(textAgreed(name))
	var users []string
	for _, s := range got {
		if s.Style == Cmd || s.Style == Bold {
			t.Errorf("member text became markup: %+v", got)
		}
		if s.Style == User {
			users = append(users, s.Text)
		}
	}
	if len(users) != 1 || users[0] != name {
		t.Errorf("user spans %q", users)
	}
}
