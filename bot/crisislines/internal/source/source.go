// Package source turns the researched crisis-line table
// (bot/crisislines/crisis-lines.tsv) into crisislines' embedded lines.json.
//
// It is used by gen.go (go generate) and by the test that checks the
// embedded file is up to date; the bot never runs it. The cleaning rules are
// written down here, one function each, so a reviewer can check every
// decision against care.md:
//
//   - Verified is Checked (2026-11-26), the day every row was checked
//     against stored copies of its sources; the table has no per-row date.
//   - A row whose notes call it a cross-check only is not a service: left out.
//   - A low-confidence row is kept only when its country has no high- or
//     medium-confidence line ("shown only when nothing better exists"), and
//     then always with DoubleCheck. Otherwise it is left out, with the reason
//     recorded in lines.json.
//   - DoubleCheck is also set when the notes say "verify before shipping" or
//     "check status", or report a CONFLICT on a row that is not high
//     confidence.
//   - Annotations are dropped from emergency numbers ("[not verified in
//     corpus]") and set EmergencyDoubleCheck.
//   - Hours become "24/7" only where the row says 24/7 from a current source;
//     hours from an old source ("(2021)", "(per code)") end in "(may have
//     changed)"; "hours not verified" and "n/a" become "".
package source

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/peerbot/peerbot/bot/crisislines"
)

// Checked is the date every row was last checked against its sources.
const Checked = "2026-11-26"

// From names the input in the generated file, from the project root.
const From = "bot/crisislines/crisis-lines.tsv"

var header = []string{"country_code", "country_name", "service_name", "kind", "contact", "hours",
	"languages", "notes", "emergency_number", "source", "confidence"}

// row is one line of the researched table.
type row struct {
	n                                                       int // line number in the file
	code, country, service, kind, contact, hours, languages string
	notes, emergency, source, confidence                    string
}

// File is the shape of lines.json; crisislines decodes the same fields.
type File struct {
	Checked   string             `json:"checked"`
	From      string             `json:"from"`
	Countries []Country          `json:"countries"`
	Lines     []crisislines.Line `json:"lines"`
	LeftOut   []LeftOut          `json:"left_out"`
}

// Country is one country's name and emergency number.
type Country struct {
	Code                 string `json:"code"`
	Name                 string `json:"name"`
	Emergency            string `json:"emergency,omitempty"`
	EmergencyDoubleCheck bool   `json:"emergency_double_check,omitempty"`
}

// LeftOut records a row that is not embedded, and why.
type LeftOut struct {
	Country    string `json:"country"`
	Service    string `json:"service"`
	Contact    string `json:"contact"`
	Confidence string `json:"confidence"`
	Reason     string `json:"reason"`
}

// Generate reads the table from r and returns lines.json's content. It fails
// on any row it cannot clean with the rules above, so new kinds of
// annotation get a human's review, and when a hand-written audience no
// longer matches a row.
func Generate(r io.Reader) ([]byte, error) {
	rows, err := readRows(r)
	if err != nil {
		return nil, err
	}
	if err := checkAudiences(rows); err != nil {
		return nil, err
	}
	f, err := clean(rows)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "\t")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("encode lines.json: %w", err)
	}
	return buf.Bytes(), nil
}

// Clean reads the table from r and applies the cleaning rules.
func Clean(r io.Reader) (*File, error) {
	rows, err := readRows(r)
	if err != nil {
		return nil, err
	}
	return clean(rows)
}

func clean(rows []row) (*File, error) {
	f := &File{Checked: Checked, From: From, Countries: []Country{}, Lines: []crisislines.Line{}, LeftOut: []LeftOut{}}
	better := map[string]bool{} // country has a kept line above low confidence
	for _, rw := range rows {
		if rw.confidence != crisislines.Low && !crossCheckOnly(rw) {
			better[rw.code] = true
		}
	}
	emergency := map[string][]string{}
	for _, rw := range rows {
		if rw.code != "INTL" {
			emergency[rw.code] = append(emergency[rw.code], rw.emergency)
		}
		if reason := leaveOut(rw, better[rw.code]); reason != "" {
			f.LeftOut = append(f.LeftOut, LeftOut{Country: rw.code, Service: rw.service, Contact: rw.contact, Confidence: rw.confidence, Reason: reason})
			continue
		}
		lines, err := toLines(rw)
		if err != nil {
			return nil, fmt.Errorf("line %d (%s %s): %w", rw.n, rw.code, rw.service, err)
		}
		f.Lines = append(f.Lines, lines...)
	}
	kept := map[string]bool{}
	for _, l := range f.Lines {
		kept[l.Country] = true
	}
	for code, values := range emergency {
		if !kept[code] {
			continue
		}
		c, _ := crisislines.ParseCountry(code)
		num, dc, err := cleanEmergency(values)
		if err != nil {
			return nil, fmt.Errorf("emergency number for %s: %w", code, err)
		}
		f.Countries = append(f.Countries, Country{Code: code, Name: c.Name, Emergency: num, EmergencyDoubleCheck: dc})
	}
	sort.Slice(f.Countries, func(i, j int) bool { return f.Countries[i].Code < f.Countries[j].Code })
	return f, nil
}

// readRows parses the tab-separated table, checking the header, the column
// count and that each country code and name are the same ISO country.
func readRows(r io.Reader) ([]row, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var rows []row
	n := 0
	for sc.Scan() {
		n++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		cols := strings.Split(text, "\t")
		if len(cols) != len(header) {
			return nil, fmt.Errorf("line %d: %d columns, want %d", n, len(cols), len(header))
		}
		for i := range cols {
			cols[i] = strings.TrimSpace(cols[i])
		}
		if n == 1 {
			if strings.Join(cols, "\t") != strings.Join(header, "\t") {
				return nil, fmt.Errorf("line 1: unexpected header %q", text)
			}
			continue
		}
		rw := row{n: n, code: cols[0], country: cols[1], service: cols[2], kind: cols[3], contact: cols[4],
			hours: cols[5], languages: cols[6], notes: cols[7], emergency: cols[8], source: cols[9], confidence: cols[10]}
		if err := checkRow(rw); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		rows = append(rows, rw)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read table: %w", err)
	}
	if len(rows) == 0 {
		return nil, errors.New("read table: no rows")
	}
	return rows, nil
}

func checkRow(rw row) error {
	if rw.code != "INTL" {
		c, ok := crisislines.ParseCountry(rw.code)
		if !ok || c.Code != rw.code {
			return fmt.Errorf("country code %q is not ISO 3166-1 alpha-2", rw.code)
		}
		if n, ok := crisislines.ParseCountry(rw.country); !ok || n.Code != rw.code {
			return fmt.Errorf("country name %q does not name %s", rw.country, rw.code)
		}
	}
	switch rw.confidence {
	case crisislines.High, crisislines.Medium, crisislines.Low:
	default:
		return fmt.Errorf("confidence %q is not high, medium or low", rw.confidence)
	}
	if rw.service == "" || rw.contact == "" || rw.source == "" {
		return errors.New("service, contact and source are required")
	}
	return nil
}

var crossCheckRe = regexp.MustCompile(`(?i)cross-check only`)

func crossCheckOnly(rw row) bool { return crossCheckRe.MatchString(rw.notes) }

// leaveOut returns why a row is not embedded, or "".
func leaveOut(rw row, countryHasBetter bool) string {
	switch {
	case crossCheckOnly(rw):
		return "a crowd-edited list for cross-checking, not a service to send people to"
	case rw.confidence == crisislines.Low && countryHasBetter:
		return "low confidence, and better-sourced lines exist for the same country (care.md: only when nothing better exists)"
	}
	return ""
}
