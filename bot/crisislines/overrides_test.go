package crisislines

import (
	"strings"
	"testing"
)

// Operators can add a local service; it joins the country's lines in the
// right place and the shared default directory is untouched.
func TestWithOverridesAdd(t *testing.T) {
	local := Line{Country: " gb ", Service: "Local Self-Harm Line", Kind: "Phone", Contact: "0161 000 0000", Hours: "daily 18:00-22:00"}
	text := Line{Country: "GB", Service: "Local Text", Kind: KindText, Contact: "Text TALK to 80800", Confidence: "medium", Verified: "2026-10-01", Source: "leaflet"}
	d, err := Default().WithOverrides([]Line{local, text}, false)
	if err != nil {
		t.Fatalf("WithOverrides: %v", err)
	}
	e, _ := d.Lookup("GB")
	if e.Lines[0].Contact != "116 123" {
		t.Errorf("first GB line = %q, want Samaritans 116 123 still first", e.Lines[0].Contact)
	}
	var got *Line
	for i := range e.Lines {
		if e.Lines[i].Service == "Local Self-Harm Line" {
			got = &e.Lines[i]
		}
	}
	if got == nil {
		t.Fatalf("added line missing from %+v", e.Lines)
	}
	if got.Country != "GB" || got.Kind != KindPhone || got.Confidence != High || got.Source != OperatorSource || got.DoubleCheck {
		t.Errorf("added line not normalised: %+v", *got)
	}
	if msg := checkOrder(e.Lines); msg != "" {
		t.Errorf("order after override: %s", msg)
	}
	if len(e.Lines) != 4 {
		t.Errorf("GB has %d lines, want 2 embedded + 2 added", len(e.Lines))
	}
	orig, _ := Default().Lookup("GB")
	if len(orig.Lines) != 2 {
		t.Errorf("default GB has %d lines after an override on a copy, want 2", len(orig.Lines))
	}
}

// Replacing swaps out only the countries named; a country with no embedded
// data gets an entry; INTL can be replaced too.
func TestWithOverridesReplace(t *testing.T) {
	lines := []Line{
		{Country: "DE", Service: "Ortsdienst", Kind: KindPhone, Contact: "030 000000", Hours: "24/7"},
		{Country: "DE", Service: "Ortsdienst Chat", Kind: KindChat, Contact: "https://example.org/chat"},
		{Country: "LU", Service: "SOS Détresse", Kind: KindPhone, Contact: "454545", Confidence: "low"},
		{Country: "intl", Service: "Our directory", Kind: KindWeb, Contact: "https://example.org/help"},
	}
	d, err := Default().WithOverrides(lines, true)
	if err != nil {
		t.Fatalf("WithOverrides: %v", err)
	}
	de, _ := d.Lookup("DE")
	if len(de.Lines) != 2 || de.Lines[0].Service != "Ortsdienst" || de.Lines[1].Kind != KindChat {
		t.Errorf("DE lines = %+v, want only the two overrides, phone first", de.Lines)
	}
	if de.Emergency != "112 (police 110)" {
		t.Errorf("DE emergency = %q, replacing lines must keep it", de.Emergency)
	}
	lu, ok := d.Lookup("lu")
	if !ok || lu.Name != "Luxembourg" || lu.Emergency != "" || len(lu.Lines) != 1 {
		t.Fatalf("LU = %+v, %v; want a new entry with the one line", lu, ok)
	}
	if !lu.Lines[0].DoubleCheck {
		t.Error("low-confidence override not marked DoubleCheck")
	}
	if gb, _ := d.Lookup("GB"); len(gb.Lines) != 2 {
		t.Errorf("GB has %d lines, want the embedded 2 (not named in overrides)", len(gb.Lines))
	}
	intl := d.International()
	if len(intl) != 1 || intl[0].Contact != "https://example.org/help" {
		t.Errorf("International() = %+v, want only the override", intl)
	}
	found := false
	for _, c := range d.Countries() {
		found = found || c.Code == "LU"
	}
	if !found {
		t.Error("Countries() does not list the new country")
	}
	if len(Default().International()) != 2 {
		t.Error("replacing INTL on a copy changed the default directory")
	}
}

// Bad override lines are refused with one error naming each of them.
func TestWithOverridesInvalid(t *testing.T) {
	tests := []struct {
		name string
		line Line
		want string
	}{
		{"unknown country", Line{Country: "XX", Service: "A", Kind: KindPhone, Contact: "116 123"}, `"XX"`},
		{"country name instead of code", Line{Country: "Germany", Service: "A", Kind: KindPhone, Contact: "116 123"}, `"GERMANY"`},
		{"empty contact", Line{Country: "GB", Service: "A", Kind: KindPhone, Contact: "  "}, "contact is empty"},
		{"unknown kind", Line{Country: "GB", Service: "A", Kind: "pager", Contact: "116 123"}, `unknown kind "pager"`},
		{"bad phone", Line{Country: "GB", Service: "A", Kind: KindPhone, Contact: "call 116 123"}, "phone contact"},
		{"plain http chat", Line{Country: "GB", Service: "A", Kind: KindChat, Contact: "http://example.org"}, "https"},
		{"empty service", Line{Country: "GB", Kind: KindPhone, Contact: "116 123"}, "service name is empty"},
		{"bad confidence", Line{Country: "GB", Service: "A", Kind: KindPhone, Contact: "116 123", Confidence: "sure"}, `"sure"`},
		{"bad date", Line{Country: "GB", Service: "A", Kind: KindPhone, Contact: "116 123", Verified: "yesterday"}, `"yesterday"`},
	}
	good := Line{Country: "GB", Service: "Good", Kind: KindPhone, Contact: "116 123"}
	for _, tt := range tests {
		d, err := Default().WithOverrides([]Line{good, tt.line}, false)
		if err == nil || d != nil {
			t.Errorf("%s: WithOverrides = %v, %v; want an error", tt.name, d, err)
			continue
		}
		if !strings.Contains(err.Error(), "override 2") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %q should name override 2 and mention %q", tt.name, err, tt.want)
		}
		if strings.Contains(err.Error(), "override 1") {
			t.Errorf("%s: error %q blames the good line", tt.name, err)
		}
	}
	_, err := Default().WithOverrides([]Line{tests[0].line, good, tests[3].line}, true)
	if err == nil || !strings.Contains(err.Error(), "override 1") || !strings.Contains(err.Error(), "override 3") {
		t.Errorf("two bad lines: error %v should name overrides 1 and 3", err)
	}
}
