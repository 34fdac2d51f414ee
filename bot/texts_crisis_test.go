package bot

import (
	"strings"
	"testing"

	"github.com/peerbot/peerbot/bot/crisislines"
)

func line(service, kind, hours string) crisislines.Line {
	return crisislines.Line{Country: "GB", Service: service, Kind: kind, Contact: "1", Hours: hours, Confidence: crisislines.High}
}

// shortList prefers 24/7 lines, takes a 24/7 text or chat option second,
// a text or chat option over another phone line that is not 24/7, and
// keeps the order it was given (care.md's).
func TestShortList(t *testing.T) {
	tests := []struct {
		name  string
		lines []crisislines.Line
		max   int
		want  string
	}{
		{"fewer than max", []crisislines.Line{line("a", "phone", "")}, 2, "a"},
		{"24/7 phone before a day-time one", []crisislines.Line{
			line("day", "phone", "Mon-Fri 09:00-17:00"), line("night", "phone", "24/7"), line("chat", "chat", "evenings"),
		}, 2, "night chat"},
		{"24/7 text option second", []crisislines.Line{
			line("main", "phone", "24/7"), line("other", "phone", "24/7"), line("text", "text", "24/7"),
		}, 2, "main text"},
		{"24/7 phone over a part-time chat", []crisislines.Line{
			line("main", "phone", "24/7"), line("kids", "phone", "24/7"), line("chat", "chat", "daily 16:00-23:00"),
		}, 2, "main kids"},
		{"nothing 24/7: the first line and a written option", []crisislines.Line{
			line("a", "phone", ""), line("b", "phone", "evenings"), line("c", "chat", ""),
		}, 2, "a c"},
		{"24/7 ones, then a written option, then the rest", []crisislines.Line{
			line("a", "phone", "24/7"), line("b", "phone", ""), line("c", "phone", "24/7"), line("d", "text", ""), line("e", "phone", ""),
		}, 4, "a b c d"},
		{"may have changed is not 24/7", []crisislines.Line{
			line("old", "phone", "24/7 (may have changed)"), line("sure", "phone", "24/7"), line("x", "phone", ""),
		}, 1, "sure"},
	}
	for _, tt := range tests {
		var got []string
		for _, l := range shortList(tt.lines, tt.max) {
			got = append(got, l.Service)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s: shortList = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// lineText shows what the directory knows, says when hours are unknown
// (not for a website, which has no hours), marks what to double-check, and
// links only URLs.
func TestLineText(t *testing.T) {
	full := crisislines.Line{Service: "Helpline", Kind: "phone", Contact: "0800 1", Hours: "24/7", Free: true,
		Confidential: true, Audience: "young people", Languages: "English, Welsh."}
	tests := []struct {
		l    crisislines.Line
		want string
	}{
		{full, "• Helpline: 0800 1 (24/7, free, confidential, for young people). Languages: English, Welsh."},
		{crisislines.Line{Service: "Line", Kind: "phone", Contact: "123"}, "• Line: 123 (hours unknown)"},
		{crisislines.Line{Service: "Text", Kind: "text", Contact: "Text HI to 1"}, "• Text: Text HI to 1 (text, hours unknown)"},
		{crisislines.Line{Service: "Chat", Kind: "chat", Contact: "https://www.example.org/chat", Hours: "evenings"},
			"• Chat: example.org (https://www.example.org/chat) (online chat, evenings)"},
		{crisislines.Line{Service: "Site", Kind: "web", Contact: "https://example.org"}, "• Site: example.org (https://example.org)"},
		{crisislines.Line{Service: "WhatsApp chat", Kind: "chat", Contact: "WhatsApp 076 882 2775", Hours: "daily 08:00-17:00"},
			"• WhatsApp chat: WhatsApp 076 882 2775 (online chat, daily 08:00-17:00)"},
		{crisislines.Line{Service: "Maybe", Kind: "phone", Contact: "9", Languages: "Danish", DoubleCheck: true},
			"• Maybe: 9 (hours unknown) — please double-check this one. Languages: Danish."},
	}
	for _, tt := range tests {
		got := lineText(Text{}, tt.l)
		if got.String() != tt.want {
			t.Errorf("lineText(%s) =\n%q\nwant\n%q", tt.l.Service, got.String(), tt.want)
		}
		for _, s := range got {
			if s.Style == Link && !strings.HasPrefix(s.URL, "https://") {
				t.Errorf("lineText(%s): a link to %q", tt.l.Service, s.URL)
			}
		}
	}
}

// Every answer ends by naming the country it used and why, with how to
// change it; with no country, how to save one.
func TestTextCrisisCountry(t *testing.T) {
	de := crisislines.Entry{Country: "DE", Name: "Germany"}
	tests := []struct {
		p    crisisPick
		want string
	}{
		{crisisPick{}, "I don't know your country yet. To save it: !crisis country <country>. To see a country's lines: !crisis <country>."},
		{crisisPick{entry: de, from: crisisAsked}, "Country you asked for: Germany. To save yours: !crisis country <country>."},
		{crisisPick{entry: de, from: crisisSaved}, "Your saved country: Germany. Another country: !crisis <country>. To change yours: !crisis country <country>."},
		{crisisPick{entry: de, from: crisisGroup}, "Your group's country: Germany. Another country: !crisis <country>. To save yours: !crisis country <country>."},
		{crisisPick{entry: de, from: crisisConfigured}, "This bot's default country: Germany. Another country: !crisis <country>. To save yours: !crisis country <country>."},
		{crisisPick{entry: de}, "Another country: !crisis <country>. To save or change yours: !crisis country <country>."},
	}
	for _, tt := range tests {
		got := prefixed(textCrisisCountry(tt.p))
		if got != tt.want {
			t.Errorf("from %d:\n got %q\nwant %q", tt.p.from, got, tt.want)
		}
		for _, s := range english.Resolve(textCrisisCountry(tt.p)) {
			if strings.Contains(s.Text, "!") {
				t.Errorf("from %d: %q: commands must be Cmd spans, and no exclamation marks", tt.p.from, s.Text)
			}
		}
	}
}

// The international directories follow the country's lines; ones to
// double-check are shown only when there is nothing surer, and marked.
func TestCrisisBodyDirectories(t *testing.T) {
	sure := crisislines.Line{Country: "INTL", Service: "A", Kind: "web", Contact: "https://a.example", Confidence: crisislines.High}
	unsure := crisislines.Line{Country: "INTL", Service: "B", Kind: "web", Contact: "https://b.example", Confidence: crisislines.Low, DoubleCheck: true}
	got := crisisBody(crisislines.Entry{}, []crisislines.Line{sure, unsure}, 0).String()
	if !strings.Contains(got, "Find a helpline in your country: a.example (https://a.example)") || strings.Contains(got, "b.example") {
		t.Errorf("sure and unsure directories: %q", got)
	}
	got = crisisBody(crisislines.Entry{}, []crisislines.Line{unsure}, 0).String()
	if !strings.Contains(got, "b.example (https://b.example) (please double-check)") {
		t.Errorf("only an unsure directory: %q", got)
	}
}

// prefixed renders t as a member on the console would read it.
func prefixed(t Text) string {
	var b strings.Builder
	for _, s := range english.Resolve(t) {
		if s.Style == Cmd {
			b.WriteString("!")
		}
		b.WriteString(s.Text)
	}
	return b.String()
}
