package source

import (
	"strings"
	"testing"

	"github.com/peerbot/peerbot/bot/crisislines"
)

func TestCleanHours(t *testing.T) {
	tests := []struct{ in, want string }{
		{"24/7", "24/7"},
		{"24/7 (per Lifeline 2024)", "24/7"},
		{"24/7 (nonstop since 2019)", "24/7"},
		{"24/7 (2021)", "24/7 (may have changed)"},
		{"24/7 (per 2021 Wikipedia)", "24/7 (may have changed)"},
		{"24/7 (per code)", "24/7 (may have changed)"},
		{"24h (2021)", "24/7 (may have changed)"},
		{"Mon-Fri 14:00-22:00 (old source)", "Mon-Fri 14:00-22:00 (may have changed)"},
		{"daily 10:00-22:00", "daily 10:00-22:00"},
		{"hours not verified", ""},
		{"hours not verified (24/7 chat funding uncertain in 2022)", ""},
		{"n/a", ""},
		{"varies by prefecture", "varies by prefecture"},
		{"limited (Fri 09:00-13:00 per mieli.fi)", "Fri 09:00-13:00"},
	}
	for _, tt := range tests {
		got, err := cleanHours(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("cleanHours(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"24/7 (rumoured)", "daily - CONFLICT", "24/7 [unsure]"} {
		if got, err := cleanHours(in); err == nil {
			t.Errorf("cleanHours(%q) = %q, want an error for an unknown annotation", in, got)
		}
	}
}

func TestCleanLanguages(t *testing.T) {
	tests := []struct{ in, want string }{
		{"English (others not verified)", "English"},
		{"English (Welsh line not verified)", "English"},
		{"English, Swahili (not verified)", "English"},
		{"English (text/chat English-only per 2022 source)", "English"},
		{"English, Malay (others not verified)", "English, Malay"},
		{"English (Hausa & Yoruba lines exist)", "English (Hausa & Yoruba lines exist)"},
		{"20 languages (caller selects)", "20 languages (caller selects)"},
		{"German, French, Italian", "German, French, Italian"},
	}
	for _, tt := range tests {
		if got := cleanLanguages(tt.in); got != tt.want {
			t.Errorf("cleanLanguages(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanEmergency(t *testing.T) {
	tests := []struct {
		cells []string
		want  string
		dc    bool
	}{
		{[]string{"999 / 112", "999 / 112"}, "999 / 112", false},
		{[]string{"999 / 112 [2021 Wikipedia says 911 - CONFLICT]", "999 / 112"}, "999 / 112", true},
		{[]string{"10111 (police) / 10177 (ambulance) / 112 (mobile) [emergency numbers not verified in corpus]", "10111 / 10177 / 112 [not verified in corpus]"},
			"10111 (police) / 10177 (ambulance) / 112 (mobile)", true},
		{[]string{"112 [per progress.guide; not independently verified]"}, "112", true},
	}
	for _, tt := range tests {
		got, dc, err := cleanEmergency(tt.cells)
		if err != nil || got != tt.want || dc != tt.dc {
			t.Errorf("cleanEmergency(%q) = %q, %v, %v; want %q, %v", tt.cells, got, dc, err, tt.want, tt.dc)
		}
	}
	for _, cells := range [][]string{{"999", "911"}, {""}, {"112 [open"}} {
		if got, _, err := cleanEmergency(cells); err == nil {
			t.Errorf("cleanEmergency(%q) = %q, want an error", cells, got)
		}
	}
}

func TestSaysFreeAndDoubleCheck(t *testing.T) {
	tests := []struct {
		notes, service, confidence string
		free, dc                   bool
	}{
		{"Free, confidential.", "988", "high", true, false},
		{"Freephone anywhere on the island of Ireland.", "Samaritans", "high", true, false},
		{"Free from CABA & Greater Buenos Aires only.", "CAS", "high", false, false},
		{"Free from mobiles; MINSAL psychologists.", "*4141", "high", false, false},
		{"Toll-free landline; Dept of Health.", "NCMH", "high", false, false},
		{"Caller pays normal rate.", "MIELI", "high", false, false},
		{"Navi-dial (charged).", "Inochi", "medium", false, false},
		{"Alternate number.", "Tele MANAS (toll-free alternate)", "high", true, false},
		{"Old number superseded - CONFLICT.", "Telefono Amico", "medium", false, true},
		{"CONFLICT note: older sources say 113 is charged.", "113", "high", false, false},
		{"Service cut weekends - check status.", "Linka", "high", false, true},
		{"Verify before shipping.", "Befrienders", "medium", false, true},
		{"", "Livslinien", "low", false, true},
	}
	for _, tt := range tests {
		rw := row{notes: tt.notes, service: tt.service, confidence: tt.confidence}
		if got := saysFree(rw); got != tt.free {
			t.Errorf("saysFree(%q, %q) = %v, want %v", tt.notes, tt.service, got, tt.free)
		}
		if got := doubleCheck(rw); got != tt.dc {
			t.Errorf("doubleCheck(%q, %s) = %v, want %v", tt.notes, tt.confidence, got, tt.dc)
		}
	}
}

func TestCleanContact(t *testing.T) {
	tests := []struct {
		kind, in, want, extra string
	}{
		{"phone", "116 123", "116 123", ""},
		{"phone", "(55) 5259 8121", "(55) 5259 8121", ""},
		{"phone", "0508 828 865 (0508 TAUTOKO)", "0508 828 865", ""},
		{"phone", "0917 899 8727 (0917-899-USAP)", "0917 899 8727", ""},
		{"phone", "0800 376 633 (free text 234)", "0800 376 633", "Text 234"},
		{"phone", "1771 (WhatsApp 6669 1771)", "1771", "WhatsApp 6669 1771"},
		{"text", "988", "Text 988", ""},
		{"text", "0477 13 11 14", "Text 0477 13 11 14", ""},
		{"text", "Text HOME to 741741", "Text HOME to 741741", ""},
		{"chat", "https://www.113.nl", "https://www.113.nl", ""},
	}
	for _, tt := range tests {
		got, extra, err := cleanContact(tt.kind, tt.in)
		gotExtra := ""
		if extra != nil {
			gotExtra = extra.contact
		}
		if err != nil || got != tt.want || gotExtra != tt.extra {
			t.Errorf("cleanContact(%s, %q) = %q, %q, %v; want %q, %q", tt.kind, tt.in, got, gotExtra, err, tt.want, tt.extra)
		}
	}
	if _, _, err := cleanContact("phone", "116 123 (evenings)"); err == nil {
		t.Error("cleanContact accepted an unknown bracketed note")
	}
}

const head = "country_code\tcountry_name\tservice_name\tkind\tcontact\thours\tlanguages\tnotes\temergency_number\tsource\tconfidence\n"

// A low-confidence row stays out when its country has something better, and
// stays in, marked double-check, when it is all there is.
func TestCleanLowConfidence(t *testing.T) {
	tsv := head +
		"GB\tUnited Kingdom\tSamaritans\tphone\t116 123\t24/7\tEnglish\tFree.\t999 / 112\tsrc-a\thigh\n" +
		"GB\tUnited Kingdom\tCALM\tphone\t0800 58 58 58\t17:00-midnight daily (2021)\tEnglish\t\t999 / 112\tsrc-b\tlow\n" +
		"DK\tDenmark\tLivslinien\tphone\t70 201 201\t11:00-04:00 (2021)\tDanish\t\t112\tsrc-c\tlow\n" +
		"INTL\tInternational\tWikipedia list\tweb\thttps://en.wikipedia.org/x\tn/a\tEnglish\tCrowd-edited; useful cross-check only.\t\tsrc-d\tmedium\n"
	f, err := Clean(strings.NewReader(tsv))
	if err != nil {
		t.Fatalf("Clean: %v", err)
	}
	if len(f.Lines) != 2 || f.Lines[0].Service != "Samaritans" || f.Lines[1].Service != "Livslinien" {
		t.Fatalf("lines = %+v, want Samaritans and Livslinien", f.Lines)
	}
	dk := f.Lines[1]
	if !dk.DoubleCheck || dk.Hours != "11:00-04:00 (may have changed)" || dk.Verified != Checked || dk.Source != "src-c" {
		t.Errorf("Livslinien = %+v", dk)
	}
	if !f.Lines[0].Free || f.Lines[0].DoubleCheck {
		t.Errorf("Samaritans = %+v, want free and not double-check", f.Lines[0])
	}
	if len(f.LeftOut) != 2 || f.LeftOut[0].Service != "CALM" || f.LeftOut[1].Service != "Wikipedia list" {
		t.Errorf("left out = %+v, want CALM and the Wikipedia list", f.LeftOut)
	}
	if len(f.Countries) != 2 || f.Countries[0].Code != "DK" || f.Countries[1].Name != "United Kingdom" {
		t.Errorf("countries = %+v", f.Countries)
	}
	for _, l := range f.Lines {
		if err := l.Validate(); err != nil {
			t.Error(err)
		}
		if l.Confidence == crisislines.Low && !l.DoubleCheck {
			t.Errorf("%s: low without double-check", l.Service)
		}
	}
}

// Rows the rules cannot clean stop generation, naming the line.
func TestCleanRejects(t *testing.T) {
	tests := []struct{ name, tsv, want string }{
		{"bad header", "code\tname\n", "line 1"},
		{"short row", head + "GB\tUnited Kingdom\tSamaritans\n", "line 2"},
		{"bad code", head + "XX\tNowhere\tS\tphone\t116 123\t24/7\tEnglish\t\t112\tsrc\thigh\n", `"XX"`},
		{"name mismatch", head + "DE\tAustria\tS\tphone\t116 123\t24/7\tGerman\t\t112\tsrc\thigh\n", `"Austria"`},
		{"bad confidence", head + "DE\tGermany\tS\tphone\t116 123\t24/7\tGerman\t\t112\tsrc\tsure\n", `"sure"`},
		{"no source", head + "DE\tGermany\tS\tphone\t116 123\t24/7\tGerman\t\t112\t\thigh\n", "source"},
		{"bad phone", head + "DE\tGermany\tS\tphone\tcall 116 123\t24/7\tGerman\t\t112\tsrc\thigh\n", "line 2"},
		{"unknown hours", head + "DE\tGermany\tS\tphone\t116 123\t24/7 (rumoured)\tGerman\t\t112\tsrc\thigh\n", "rumoured"},
		{"emergency disagrees", head + "DE\tGermany\tS\tphone\t116 123\t24/7\tGerman\t\t112\tsrc\thigh\n" +
			"DE\tGermany\tT\tphone\t116 111\t24/7\tGerman\t\t110\tsrc\thigh\n", "DE"},
		{"no rows", head, "no rows"},
	}
	for _, tt := range tests {
		_, err := Clean(strings.NewReader(tt.tsv))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Clean error = %v, want one mentioning %q", tt.name, err, tt.want)
		}
	}
}
