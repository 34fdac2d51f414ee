package crisislines

import (
	"strings"
	"testing"
	"time"
)

// allLines returns every embedded line, international ones included.
func allLines(t *testing.T, d *Directory) []Line {
	t.Helper()
	out := d.International()
	for _, c := range d.Countries() {
		e, ok := d.Lookup(c.Code)
		if !ok {
			t.Fatalf("Countries lists %s but Lookup does not find it", c.Code)
		}
		out = append(out, e.Lines...)
	}
	return out
}

// Every embedded line says where it comes from and when it was verified.
func TestEmbeddedLinesHaveSourceAndVerifiedDate(t *testing.T) {
	lines := allLines(t, Default())
	if len(lines) < 100 {
		t.Fatalf("embedded directory has %d lines, want the researched table's 100+", len(lines))
	}
	for _, l := range lines {
		if strings.TrimSpace(l.Source) == "" {
			t.Errorf("%s %q: no source", l.Country, l.Service)
		}
		d, err := time.Parse(time.DateOnly, l.Verified)
		if err != nil {
			t.Errorf("%s %q: verified %q is not YYYY-MM-DD", l.Country, l.Service, l.Verified)
			continue
		}
		if d.Year() < 2020 {
			t.Errorf("%s %q: verified %s is implausibly old", l.Country, l.Service, l.Verified)
		}
	}
}

// Every country in the directory is a real ISO 3166-1 code (or INTL).
func TestEmbeddedCountryCodesAreISO(t *testing.T) {
	d := Default()
	for _, l := range allLines(t, d) {
		if l.Country == "INTL" {
			continue
		}
		c, ok := isoByCode(l.Country)
		if !ok {
			t.Errorf("%q: country %q is not ISO 3166-1", l.Service, l.Country)
			continue
		}
		e, _ := d.Lookup(l.Country)
		if e.Name != c.name {
			t.Errorf("%s: entry name %q, ISO table says %q", l.Country, e.Name, c.name)
		}
	}
	for _, l := range d.International() {
		if l.Country != "INTL" {
			t.Errorf("international line %q has country %q", l.Service, l.Country)
		}
	}
}

// Every contact a member could be shown is well-formed for its kind, and no
// annotation from the research table leaks into what members see.
func TestEmbeddedContactsWellFormed(t *testing.T) {
	d := Default()
	for _, l := range allLines(t, d) {
		if err := ValidContact(l.Kind, l.Contact); err != nil {
			t.Errorf("%s %q: %v", l.Country, l.Service, err)
		}
		for _, s := range []string{l.Contact, l.Hours, l.Languages} {
			if strings.ContainsAny(s, "[]") || strings.Contains(s, "CONFLICT") || strings.Contains(s, "not verified") {
				t.Errorf("%s %q: annotation left in %q", l.Country, l.Service, s)
			}
		}
	}
	for _, c := range d.Countries() {
		e, _ := d.Lookup(c.Code)
		if e.Emergency == "" || strings.ContainsAny(e.Emergency, "[]") || strings.Contains(e.Emergency, "verified") {
			t.Errorf("%s: emergency number %q is missing or annotated", c.Code, e.Emergency)
		}
	}
}

// Low-confidence lines never reach a caller without DoubleCheck.
func TestLowConfidenceAlwaysDoubleCheck(t *testing.T) {
	for _, l := range allLines(t, Default()) {
		if l.Confidence == Low && !l.DoubleCheck {
			t.Errorf("%s %q: low confidence without DoubleCheck", l.Country, l.Service)
		}
		switch l.Confidence {
		case High, Medium, Low:
		default:
			t.Errorf("%s %q: confidence %q", l.Country, l.Service, l.Confidence)
		}
	}
}

// checkOrder reports how lines break care.md's order, or "".
func checkOrder(lines []Line) string {
	has247Phone := false
	for _, l := range lines {
		if l.Kind == KindPhone && l.Is247() {
			has247Phone = true
		}
	}
	if has247Phone && (lines[0].Kind != KindPhone || !lines[0].Is247()) {
		return "first line is not a 24/7 phone line: " + lines[0].Service
	}
	start := 0
	if has247Phone {
		start = 1
	}
	for i := start + 1; i < len(lines); i++ {
		a, b := lines[i-1], lines[i]
		if kindRank(a.Kind) > kindRank(b.Kind) {
			return b.Kind + " " + b.Service + " comes after " + a.Kind + " " + a.Service
		}
		if kindRank(a.Kind) == kindRank(b.Kind) && confidenceRank(a.Confidence) > confidenceRank(b.Confidence) {
			return b.Confidence + " " + b.Service + " comes after " + a.Confidence + " " + a.Service
		}
	}
	return ""
}

// Every country's lines come in care.md's order: main 24/7 phone line, other
// phone lines, text, chat; high before medium before low within a kind.
func TestEmbeddedOrder(t *testing.T) {
	d := Default()
	for _, c := range d.Countries() {
		e, _ := d.Lookup(c.Code)
		if len(e.Lines) == 0 {
			t.Errorf("%s: entry without lines", c.Code)
			continue
		}
		if msg := checkOrder(e.Lines); msg != "" {
			t.Errorf("%s: %s", c.Code, msg)
		}
	}
	if msg := checkOrder(d.International()); msg != "" {
		t.Errorf("INTL: %s", msg)
	}
}

// What a member in a few countries would be shown first.
func TestEmbeddedAnswers(t *testing.T) {
	tests := []struct {
		code, emergency, service, contact string
		emergencyDoubleCheck, free        bool
	}{
		{"GB", "999 / 112", "Samaritans", "116 123", false, true},
		{"US", "911", "988 Suicide & Crisis Lifeline", "988", false, true},
		{"DE", "112 (police 110)", "TelefonSeelsorge", "0800 111 0 111", false, true},
		{"AU", "000", "Lifeline Australia", "13 11 14", false, false},
		{"ZA", "10111 (police) / 10177 (ambulance) / 112 (mobile)", "SADAG Suicide Crisis Helpline", "0800 567 567", true, true},
		{"KE", "999 / 112", "Kenya Red Cross tele-counselling", "1199", true, false},
		{"CL", "131 (SAMU) / 133 (police)", "Línea de Prevención del Suicidio *4141 ('No estás solo, no estás sola')", "*4141", true, false},
	}
	for _, tt := range tests {
		e, ok := Default().Lookup(strings.ToLower(tt.code))
		if !ok {
			t.Errorf("Lookup(%s) found nothing", tt.code)
			continue
		}
		first := e.Lines[0]
		if e.Emergency != tt.emergency || e.EmergencyDoubleCheck != tt.emergencyDoubleCheck {
			t.Errorf("%s emergency = %q (double-check %v), want %q (%v)", tt.code, e.Emergency, e.EmergencyDoubleCheck, tt.emergency, tt.emergencyDoubleCheck)
		}
		if first.Service != tt.service || first.Contact != tt.contact || first.Free != tt.free {
			t.Errorf("%s first line = %q %q free=%v, want %q %q free=%v", tt.code, first.Service, first.Contact, first.Free, tt.service, tt.contact, tt.free)
		}
	}
	intl := Default().International()
	if len(intl) < 2 || intl[0].Contact != "https://findahelpline.com" || intl[1].Contact != "https://www.befrienders.org" {
		t.Errorf("International() starts %v, want findahelpline.com then befrienders.org", intl)
	}
	for _, l := range intl {
		if l.Confidence == Low {
			t.Errorf("International() includes low-confidence %q", l.Service)
		}
	}
}

// Lookup is case-insensitive, finds only countries with data, and hands out
// copies that cannot change the shared directory.
func TestLookup(t *testing.T) {
	d := Default()
	if _, ok := d.Lookup(" gb "); !ok {
		t.Error(`Lookup(" gb ") found nothing`)
	}
	for _, code := range []string{"", "XX", "INTL", "AQ", "United Kingdom"} {
		if _, ok := d.Lookup(code); ok {
			t.Errorf("Lookup(%q) found an entry", code)
		}
	}
	e, _ := d.Lookup("GB")
	e.Lines[0].Contact = "changed"
	again, _ := d.Lookup("GB")
	if again.Lines[0].Contact != "116 123" {
		t.Errorf("changing a looked-up entry changed the directory: %q", again.Lines[0].Contact)
	}
	cs := d.Countries()
	if len(cs) < 40 {
		t.Errorf("Countries() has %d countries, want the researched table's 40+", len(cs))
	}
	for i := 1; i < len(cs); i++ {
		if cs[i-1].Name >= cs[i].Name {
			t.Errorf("Countries() not sorted by name: %q before %q", cs[i-1].Name, cs[i].Name)
		}
	}
}
