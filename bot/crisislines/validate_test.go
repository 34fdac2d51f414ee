package crisislines

import (
	"strings"
	"testing"
)

// ValidContact accepts the forms members are shown and rejects anything a
// phone or browser could not use.
func TestValidContact(t *testing.T) {
	tests := []struct {
		kind, contact string
		ok            bool
	}{
		{"phone", "116 123", true},
		{"phone", "988", true},
		{"phone", "*4141", true},
		{"phone", "+254 722 178 177", true},
		{"phone", "+91-22-27546669", true},
		{"phone", "1-800-668-6868", true},
		{"phone", "(55) 5259 8121", true},
		{"phone", "(011) 5275-1135", true},
		{"phone", "213 544 545 / 912 802 669", true},
		{"phone", "0800-0113", true},
		{"phone", "", false},
		{"phone", "12", false},                  // too short to be a number
		{"phone", "1234567890123456", false},    // longer than E.164 allows
		{"phone", "0508 TAUTOKO", false},        // vanity spelling
		{"phone", "116  123", false},            // double space
		{"phone", "116 123 (free)", false},      // annotation
		{"phone", "++44 116 123", false},        // doubled prefix
		{"phone", "116-", false},                // dangling separator
		{"phone", "Text HOME to 741741", false}, // text form on a phone line
		{"phone", "https://example.org", false},
		{"text", "Text HOME to 741741", true},
		{"text", "Text 1737", true},
		{"text", "SMS 31393", true},
		{"text", "Text CONNECT/HOME to 686868 (PARLER for French)", true},
		{"text", "Text HELLO (or TALK) to 50808", true},
		{"text", "WhatsApp 9151 1767", true},
		{"text", "741741", false}, // bare number: say how to use it
		{"text", "Text home to 741741", false},
		{"text", "Text HOME to", false},
		{"text", "Text HOME to call me", false},
		{"text", "WhatsApp 9151 1767 (daytime)", false},
		{"chat", "https://www.113.nl", true},
		{"chat", "https://chat.onlineberatung-telefonseelsorge.at", true},
		{"chat", "WhatsApp 076 882 2775", true},
		{"chat", "http://www.113.nl", false}, // not https
		{"chat", "www.113.nl", false},
		{"chat", "https://", false},
		{"chat", "https://exa mple.org", false},
		{"web", "https://findahelpline.com", true},
		{"web", "WhatsApp 076 882 2775", false},
		{"web", "javascript:alert(1)", false},
		{"sms", "Text HOME to 741741", false}, // unknown kind
		{"", "116 123", false},
	}
	for _, tt := range tests {
		err := ValidContact(tt.kind, tt.contact)
		if (err == nil) != tt.ok {
			t.Errorf("ValidContact(%q, %q) = %v, want ok=%v", tt.kind, tt.contact, err, tt.ok)
		}
	}
}

// Validate names the line and every problem with it.
func TestLineValidate(t *testing.T) {
	good := Line{Country: "GB", Service: "Samaritans", Kind: KindPhone, Contact: "116 123", Source: "x", Verified: "2026-11-26", Confidence: High}
	if err := good.Validate(); err != nil {
		t.Fatalf("valid line: %v", err)
	}
	intl := good
	intl.Country = "INTL"
	if err := intl.Validate(); err != nil {
		t.Errorf("INTL line: %v", err)
	}
	tests := []struct {
		name   string
		change func(*Line)
		want   []string
	}{
		{"unknown country", func(l *Line) { l.Country = "XX" }, []string{`"XX"`, "ISO 3166-1"}},
		{"lower-case country", func(l *Line) { l.Country = "gb" }, []string{`"gb"`}},
		{"empty service", func(l *Line) { l.Service = " " }, []string{"service name is empty"}},
		{"empty contact", func(l *Line) { l.Contact = "" }, []string{"contact is empty"}},
		{"unknown kind", func(l *Line) { l.Kind = "fax" }, []string{`unknown kind "fax"`}},
		{"bad confidence", func(l *Line) { l.Confidence = "certain" }, []string{`confidence "certain"`}},
		{"low without double-check", func(l *Line) { l.Confidence = Low }, []string{"double-check"}},
		{"bad date", func(l *Line) { l.Verified = "26/11/2026" }, []string{`"26/11/2026"`, "YYYY-MM-DD"}},
		{"two problems", func(l *Line) { l.Kind = "fax"; l.Verified = "2026-13-01" }, []string{"fax", "2026-13-01"}},
	}
	for _, tt := range tests {
		l := good
		tt.change(&l)
		err := l.Validate()
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		want := tt.want
		if l.Service == good.Service {
			want = append(want, "Samaritans") // the error names the line
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", tt.name, err, w)
			}
		}
	}
}
