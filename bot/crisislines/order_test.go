package crisislines

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func names(lines []Line) string {
	var s []string
	for _, l := range lines {
		s = append(s, l.Service)
	}
	return strings.Join(s, ",")
}

// orderLines puts the main 24/7 phone line first, then phone, text, chat and
// web, sure lines before unsure ones within a kind.
func TestOrderLines(t *testing.T) {
	p := func(name, hours, conf string) Line {
		return Line{Service: name, Kind: KindPhone, Hours: hours, Confidence: conf}
	}
	k := func(name, kind, conf string) Line { return Line{Service: name, Kind: kind, Confidence: conf} }
	tests := []struct {
		name string
		in   []Line
		want string
	}{
		{"main line is the first 24/7 phone line, whatever its confidence rank",
			[]Line{k("chat", KindChat, High), p("kids", "24/7", High), p("evening", "18-22", High), p("main", "24/7", Medium)},
			"kids,evening,main,chat"},
		{"a low-confidence 24/7 line is main only when nothing else is 24/7",
			[]Line{p("unsure", "24/7", Low), p("sure", "24/7", Medium)},
			"sure,unsure"},
		{"low alone is still main",
			[]Line{k("text", KindText, High), p("unsure", "24/7", Low)},
			"unsure,text"},
		{"no 24/7 phone line: kinds then confidence",
			[]Line{k("web", KindWeb, High), k("chat", KindChat, High), k("text2", KindText, Low), k("text1", KindText, High), p("phone", "", Medium)},
			"phone,text1,text2,chat,web"},
		{"double-check after sure at the same confidence",
			[]Line{{Service: "dc", Kind: KindText, Confidence: Medium, DoubleCheck: true}, k("ok", KindText, Medium)},
			"ok,dc"},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		got := orderLines(tt.in)
		if names(got) != tt.want {
			t.Errorf("%s: order %q, want %q", tt.name, names(got), tt.want)
		}
		if again := orderLines(got); names(again) != tt.want {
			t.Errorf("%s: ordering twice gives %q", tt.name, names(again))
		}
	}
}

// Override lines written in the operator's YAML config decode into Lines.
func TestOverridesFromYAML(t *testing.T) {
	const cfg = `
- country: gb
  service: Local Self-Harm Line
  kind: phone
  contact: 0161 000 0000
  hours: daily 18:00-22:00
  free: true
  double_check: true
- country: US
  service: County line
  kind: phone
  contact: 988
`
	var lines []Line
	if err := yaml.Unmarshal([]byte(cfg), &lines); err != nil {
		t.Fatalf("decode: %v", err)
	}
	d, err := Default().WithOverrides(lines, false)
	if err != nil {
		t.Fatalf("WithOverrides: %v", err)
	}
	e, _ := d.Lookup("GB")
	var last Line
	for _, l := range e.Lines {
		if l.Service == "Local Self-Harm Line" {
			last = l
		}
	}
	if last.Service != "Local Self-Harm Line" || last.Contact != "0161 000 0000" || !last.Free || !last.DoubleCheck || last.Hours != "daily 18:00-22:00" {
		t.Errorf("decoded override = %+v", last)
	}
	if lines[1].Contact != "988" {
		t.Errorf("numeric contact decoded as %q, want 988", lines[1].Contact)
	}
}
