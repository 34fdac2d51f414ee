package source

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/peerbot/peerbot/bot/crisislines"
)

// audiences says who a service is for (a group, or the region a regional
// line serves), keyed by "CC|contact" as written in
// the table. Only services meant for a group get one; the table's notes are
// free text, so this is read by a person, not parsed. A key that matches no
// row is an error, so the list cannot go stale silently.
var audiences = map[string]string{
	"US|1-866-488-7386": "LGBTQ+ young people",
	"US|1-877-565-8860": "trans people",
	"CA|1-800-668-6868": "young people",
	"CA|Text CONNECT/HOME to 686868 (PARLER for French)": "young people",
	"AU|1800 55 1800":                 "ages 5 to 25",
	"NZ|0800 376 633 (free text 234)": "young people",
	"CZ|116 111":                      "children and students up to 26",
	"PL|116 111":                      "under-18s",
	"PL|800 12 12 12":                 "children and young people",
	"CH|147":                          "children and young people",
	"AT|147":                          "children, young people and carers",
	"TW|0800-013-999":                 "men",
	"MY|15999":                        "women, children and families",
	// Regional lines: the audience says where they work.
	"AR|135":                   "callers in Buenos Aires city and Greater Buenos Aires",
	"AR|(011) 5275-1135":       "callers in the rest of Argentina",
	"CO|106":                   "callers in Bogotá",
	"CO|WhatsApp 300 754 8933": "people in Bogotá",
}

func checkAudiences(rows []row) error {
	seen := map[string]bool{}
	for _, rw := range rows {
		seen[rw.code+"|"+rw.contact] = true
	}
	for k := range audiences {
		if !seen[k] {
			return fmt.Errorf("audience for %q matches no row", k)
		}
	}
	return nil
}

// toLines turns one kept row into its line, plus a text line when a phone
// row also gives a text or WhatsApp number in brackets.
func toLines(rw row) ([]crisislines.Line, error) {
	hours, err := cleanHours(rw.hours)
	if err != nil {
		return nil, err
	}
	base := crisislines.Line{
		Country:      rw.code,
		Service:      rw.service,
		Kind:         rw.kind,
		Hours:        hours,
		Languages:    cleanLanguages(rw.languages),
		Audience:     audiences[rw.code+"|"+rw.contact],
		Free:         rw.kind != crisislines.KindWeb && saysFree(rw),
		Confidential: rw.kind != crisislines.KindWeb && confidentialRe.MatchString(rw.notes),
		Source:       rw.source,
		Verified:     Checked,
		Confidence:   rw.confidence,
		DoubleCheck:  doubleCheck(rw),
	}
	contact, extra, err := cleanContact(rw.kind, rw.contact)
	if err != nil {
		return nil, err
	}
	base.Contact = contact
	out := []crisislines.Line{base}
	if extra != nil {
		l := base
		l.Kind, l.Contact, l.Service = crisislines.KindText, extra.contact, rw.service+" ("+extra.label+")"
		l.Free = l.Free || extra.free
		out = append(out, l)
	}
	for _, l := range out {
		if err := l.Validate(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

var (
	verifyRe   = regexp.MustCompile(`(?i)verify before shipping|check status`)
	conflictRe = regexp.MustCompile(`CONFLICT`)
)

// doubleCheck reports whether the row is not known for certain.
func doubleCheck(rw row) bool {
	return rw.confidence == crisislines.Low ||
		verifyRe.MatchString(rw.notes) ||
		(conflictRe.MatchString(rw.notes) && rw.confidence != crisislines.High)
}

var (
	freeRe         = regexp.MustCompile(`(?i)\b(free|freephone|toll-free)\b`)
	freeLimitRe    = regexp.MustCompile(`(?i)\bonly\b|from mobiles|\blandline\b`)
	confidentialRe = regexp.MustCompile(`(?i)confidential|anonymous`)
	sentenceRe     = regexp.MustCompile(`[.;]\s+`)
)

// saysFree reports whether the row says the service is free to everyone: a
// sentence of the notes (or the service name) says free, and that sentence
// does not limit it ("free from mobiles", "from CABA only", "toll-free
// landline").
func saysFree(rw row) bool {
	for _, s := range append(sentenceRe.Split(rw.notes, -1), rw.service) {
		if freeRe.MatchString(s) && !freeLimitRe.MatchString(s) {
			return true
		}
	}
	return false
}

// extraText is a text option found inside a phone row's contact.
type extraText struct {
	contact, label string
	free           bool
}

var (
	bracketRe  = regexp.MustCompile(`^(.*?) \(([^()]*)\)$`)
	freeTextRe = regexp.MustCompile(`^free text (\d+)$`)
	waRe       = regexp.MustCompile(`^WhatsApp ([\d ]+)$`)
	bareNumRe  = regexp.MustCompile(`^[+*]?[\d ()-]+$`)
)

// cleanContact returns the contact without annotations and, for a phone row
// that also names a text option, that option. Bracketed vanity spellings
// ("0508 TAUTOKO") are dropped; a bare number on a text row becomes
// "Text <number>".
func cleanContact(kind, contact string) (string, *extraText, error) {
	switch kind {
	case crisislines.KindPhone:
		m := bracketRe.FindStringSubmatch(contact)
		if m == nil {
			return contact, nil, nil
		}
		num, inner := m[1], m[2]
		if f := freeTextRe.FindStringSubmatch(inner); f != nil {
			return num, &extraText{contact: "Text " + f[1], label: "text", free: true}, nil
		}
		if w := waRe.FindStringSubmatch(inner); w != nil {
			return num, &extraText{contact: "WhatsApp " + w[1], label: "WhatsApp"}, nil
		}
		if isVanity(num, inner) {
			return num, nil, nil
		}
		return "", nil, fmt.Errorf("phone contact %q: unknown bracketed note", contact)
	case crisislines.KindText:
		if bareNumRe.MatchString(contact) {
			return "Text " + contact, nil, nil
		}
	}
	return contact, nil, nil
}

// isVanity reports whether inner spells num with letters ("0508 TAUTOKO" for
// "0508 828 865"): it starts with num's first digit group and has letters.
func isVanity(num, inner string) bool {
	group := strings.FieldsFunc(num, func(r rune) bool { return r == ' ' || r == '-' })
	return len(group) > 0 && strings.HasPrefix(inner, group[0]) && strings.ContainsAny(inner, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}

// hoursFixes are the table's irregular hours, rewritten by hand.
var hoursFixes = map[string]string{
	"counsellor calls back":                  "",
	"limited (Fri 09:00-13:00 per mieli.fi)": "Fri 09:00-13:00",
	"evenings (18:30-22:30 per 2019; 18:30-22:00 per 2021 Wikipedia) - CONFLICT": "evenings (may have changed)",
}

var (
	oldSourceRe     = regexp.MustCompile(`(?i)^(\d{4}|old source|per code|per \d{4} wikipedia)$`)
	currentSourceRe = regexp.MustCompile(`(?i)^(per [^()]+|nonstop since \d{4})$`)
)

// cleanHours applies the hours rules in the package comment.
func cleanHours(h string) (string, error) {
	if fix, ok := hoursFixes[h]; ok {
		return fix, nil
	}
	switch {
	case h == "" || h == "n/a" || strings.HasPrefix(h, "hours not verified"):
		return "", nil
	case h == "24/7" || strings.HasPrefix(h, "varies"):
		return h, nil
	}
	m := bracketRe.FindStringSubmatch(h)
	if m == nil {
		if strings.ContainsAny(h, "[]") || strings.Contains(h, "CONFLICT") {
			return "", fmt.Errorf("hours %q: unknown annotation", h)
		}
		return h, nil
	}
	base, note := m[1], m[2]
	if base == "24h" {
		base = "24/7"
	}
	switch {
	case oldSourceRe.MatchString(note):
		return base + " (may have changed)", nil
	case currentSourceRe.MatchString(note):
		return base, nil
	}
	return "", fmt.Errorf("hours %q: unknown annotation", h)
}

var unverifiedLangRe = regexp.MustCompile(`\s*\(([^()]*)\)`)

// cleanLanguages drops bracketed notes that say a language is not verified
// or cite a source ("English (others not verified)" → "English"); a bare
// "(not verified)" also drops the language before it.
func cleanLanguages(s string) string {
	var drop []string
	out := unverifiedLangRe.ReplaceAllStringFunc(s, func(m string) string {
		inner := unverifiedLangRe.FindStringSubmatch(m)[1]
		switch {
		case inner == "not verified":
			drop = append(drop, m)
			return "\x00"
		case strings.Contains(inner, "not verified") || strings.Contains(inner, " per "):
			return ""
		}
		return m
	})
	if len(drop) > 0 {
		var keep []string
		for _, part := range strings.Split(out, ", ") {
			if !strings.Contains(part, "\x00") {
				keep = append(keep, part)
			}
		}
		out = strings.Join(keep, ", ")
	}
	return strings.TrimSpace(out)
}

var (
	annotationRe = regexp.MustCompile(`\s*\[[^\]]*\]`)
	digitsRe     = regexp.MustCompile(`\d+`)
)

// cleanEmergency merges one country's emergency-number cells: annotations in
// square brackets are dropped (and make the result double-check), every
// cell must name the same numbers in the same order, and the most
// descriptive cell ("10111 (police) / 10177 (ambulance)") wins.
func cleanEmergency(cells []string) (string, bool, error) {
	best, dc := "", false
	want := ""
	for _, c := range cells {
		clean := strings.TrimSpace(annotationRe.ReplaceAllString(c, ""))
		if clean != c {
			dc = true
		}
		if strings.ContainsAny(clean, "[]") {
			return "", false, fmt.Errorf("%q: unbalanced annotation", c)
		}
		got := strings.Join(digitsRe.FindAllString(clean, -1), " ")
		if want == "" {
			want = got
		} else if got != want {
			return "", false, fmt.Errorf("rows disagree: %q vs %q", want, got)
		}
		if len(clean) > len(best) {
			best = clean
		}
	}
	if best == "" {
		return "", false, errors.New("no emergency number")
	}
	return best, dc, nil
}
