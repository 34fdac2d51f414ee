package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/peerbot/peerbot/bot/crisislines"
)

const crisisLinesUsage = `peerbot crisis-lines shows the crisis lines peerbot gives members: every
country's, or one country's (an ISO code such as GB, an English name, or
INTL for the international directories), in the order members see them.

Each line shows its kind, contact, hours, languages, source and the date it
was last verified. Lines verified more than 12 months ago are marked
STALE: check them again, then correct them in the config's crisis_lines.
Lines the directory is not sure of are marked DOUBLE-CHECK: members see
them with "please double-check".

With -config, the config file's crisis_lines are included, as peerbot
would show them.

Usage:
  peerbot crisis-lines [-config FILE] [COUNTRY]
`

// crisisLinesNow is today for the STALE mark; tests replace it.
var crisisLinesNow = time.Now

// staleAfter is how long a verified line is trusted before it is marked
// for re-checking (care.md: the directory is re-verified on a schedule).
const staleAfter = 12 // months

// runCrisisLines prints the crisis-line directory, or one country of it.
func (m *Main) runCrisisLines(args []string) error {
	fs := m.flags("crisis-lines", crisisLinesUsage)
	configPath := fs.String("config", "", "the config file whose crisis_lines to include")
	// Flags may come after the country too: "crisis-lines new zealand -config x".
	var words []string
	for rest := args; ; rest = fs.Args()[1:] {
		if err := m.parse(fs, rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		words = append(words, fs.Arg(0))
	}
	dir := crisislines.Default()
	if *configPath != "" {
		cfg, err := LoadConfig(*configPath, m.Getenv)
		if err != nil {
			return err
		}
		if dir, err = cfg.Directory(); err != nil {
			return err
		}
	}
	r := crisisReport{now: crisisLinesNow()}
	var b strings.Builder
	if len(words) == 0 {
		for _, c := range dir.Countries() {
			e, _ := dir.Lookup(c.Code)
			r.country(&b, e)
		}
		r.international(&b, dir.International())
	} else {
		asked := strings.Join(words, " ")
		switch c, ok := crisislines.ParseCountry(asked); {
		case strings.EqualFold(asked, "INTL") || strings.EqualFold(asked, "international"):
			r.international(&b, dir.International())
		case !ok:
			return &usageError{unknownCountry(asked)}
		default:
			e, found := dir.Lookup(c.Code)
			if !found {
				e = crisislines.Entry{Country: c.Code, Name: c.Name}
			}
			r.country(&b, e)
		}
	}
	r.summary(&b)
	_, err := io.WriteString(m.Stdout, b.String())
	return err
}

// unknownCountry says that asked names no country, with the closest ones.
func unknownCountry(asked string) string {
	msg := fmt.Sprintf("crisis-lines: %q is not a country: use an ISO code (GB), an English name (United Kingdom) or INTL", asked)
	var names []string
	for _, c := range crisislines.Suggest(asked) {
		names = append(names, fmt.Sprintf("%s (%s)", c.Name, c.Code))
	}
	if len(names) > 0 {
		msg += "; did you mean " + strings.Join(names, " or ") + "?"
	}
	return msg
}

// crisisReport writes the directory for an operator and counts what needs
// attention.
type crisisReport struct {
	now                        time.Time
	lines, stale, undated, dbl int
}

func (r *crisisReport) country(b *strings.Builder, e crisislines.Entry) {
	fmt.Fprintf(b, "%s (%s)\n", e.Name, e.Country)
	switch {
	case e.Emergency == "":
		b.WriteString("  emergency number: not known; members are told to call their local emergency number\n")
	case e.EmergencyDoubleCheck:
		fmt.Fprintf(b, "  emergency number: %s  DOUBLE-CHECK: not verified; members see \"please double-check\"\n", e.Emergency)
	default:
		fmt.Fprintf(b, "  emergency number: %s\n", e.Emergency)
	}
	if len(e.Lines) == 0 {
		b.WriteString("  no lines: members are shown the international directories\n")
	}
	for i, l := range e.Lines {
		r.line(b, i+1, l)
	}
	b.WriteString("\n")
}

func (r *crisisReport) international(b *strings.Builder, lines []crisislines.Line) {
	b.WriteString("International directories (INTL)\n")
	for i, l := range lines {
		r.line(b, i+1, l)
	}
	b.WriteString("\n")
}

func (r *crisisReport) line(b *strings.Builder, n int, l crisislines.Line) {
	r.lines++
	fmt.Fprintf(b, "  %d. %s\n", n, l.Service)
	field := func(name, value string) { fmt.Fprintf(b, "     %-10s %s\n", name+":", value) }
	field("kind", l.Kind)
	field("contact", l.Contact)
	field("hours", orUnknown(l.Hours))
	field("languages", orUnknown(l.Languages))
	var facts []string
	if l.Free {
		facts = append(facts, "free")
	}
	if l.Confidential {
		facts = append(facts, "confidential")
	}
	if l.Audience != "" {
		facts = append(facts, "for "+l.Audience)
	}
	if len(facts) > 0 {
		field("about", strings.Join(facts, ", "))
	}
	field("source", l.Source)
	field("verified", orUnknown(l.Verified)+" (confidence "+l.Confidence+")")
	switch verified, err := time.Parse(time.DateOnly, l.Verified); {
	case err != nil:
		r.undated++
		b.WriteString("     UNDATED: no verified date; check the line and give it one\n")
	case r.isStale(verified):
		r.stale++
		fmt.Fprintf(b, "     STALE: verified more than %d months ago; check it again\n", staleAfter)
	}
	if l.DoubleCheck {
		r.dbl++
		b.WriteString("     DOUBLE-CHECK: not known for certain; members see \"please double-check\"\n")
	}
}

// isStale reports whether a line verified on that day is more than
// staleAfter months old today.
func (r *crisisReport) isStale(verified time.Time) bool {
	y, mo, d := r.now.Date()
	today := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	return today.After(verified.AddDate(0, staleAfter, 0))
}

func (r *crisisReport) summary(b *strings.Builder) {
	lines := "lines"
	if r.lines == 1 {
		lines = "line"
	}
	fmt.Fprintf(b, "%d %s; %d stale (verified more than %d months before %s); %d undated; %d to double-check.\n",
		r.lines, lines, r.stale, staleAfter, r.now.Format(time.DateOnly), r.undated, r.dbl)
}

func orUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return "unknown"
	}
	return s
}
