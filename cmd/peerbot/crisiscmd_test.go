package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot/crisislines"
)

// today sets the day crisis-lines measures staleness from, for one test.
func today(t *testing.T, date string) {
	t.Helper()
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		t.Fatal(err)
	}
	old := crisisLinesNow
	crisisLinesNow = func() time.Time { return d.Add(15 * time.Hour) }
	t.Cleanup(func() { crisisLinesNow = old })
}

// block returns the part of out for one country: from its heading to the
// blank line after it.
func block(t *testing.T, out, heading string) string {
	t.Helper()
	i := strings.Index(out, heading+"\n")
	if i < 0 {
		t.Fatalf("no %q in:\n%s", heading, out)
	}
	rest := out[i:]
	if j := strings.Index(rest, "\n\n"); j >= 0 {
		rest = rest[:j+1]
	}
	return rest
}

// `peerbot crisis-lines` lists every country's lines as shipped, each with
// its kind, contact, hours, languages, source and verified date, then the
// international directories and a summary.
func TestCrisisLinesAll(t *testing.T) {
	today(t, "2026-12-01")
	r := run(t, "", nil, "crisis-lines")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	dir := crisislines.Default()
	lines := len(dir.International())
	for _, c := range dir.Countries() {
		e, _ := dir.Lookup(c.Code)
		lines += len(e.Lines)
		b := block(t, r.stdout, fmt.Sprintf("%s (%s)", c.Name, c.Code))
		if got := strings.Count(b, "     verified:  "); got != len(e.Lines) {
			t.Errorf("%s: %d verified dates shown, want %d:\n%s", c.Code, got, len(e.Lines), b)
		}
	}
	block(t, r.stdout, "International directories (INTL)")
	gb := block(t, r.stdout, "United Kingdom (GB)")
	for _, want := range []string{
		"  emergency number: 999 / 112\n",
		"  1. Samaritans\n     kind:      phone\n     contact:   116 123\n     hours:     24/7\n     languages: English\n     about:     free\n     source:    https://www.samaritans.org/",
		"     verified:  2026-11-26 (confidence high)\n",
		"  2. Shout 85258\n     kind:      text\n     contact:   Text SHOUT to 85258\n",
	} {
		if !strings.Contains(gb, want) {
			t.Errorf("United Kingdom: want %q in:\n%s", want, gb)
		}
	}
	if strings.Contains(r.stdout, "STALE") {
		t.Errorf("a line verified 2026-11-26 is stale on 2026-12-01:\n%s", r.stdout)
	}
	summary := fmt.Sprintf("%d lines; 0 stale (verified more than 12 months before 2026-12-01); 0 undated; ", lines)
	if !strings.Contains(r.stdout, summary) {
		t.Errorf("want the summary %q; got tail:\n%s", summary, r.stdout[max(0, len(r.stdout)-300):])
	}
}

// One country, by code or by name, shows only that country; hours the
// directory lacks show as unknown, and unsure entries are marked.
func TestCrisisLinesOneCountry(t *testing.T) {
	today(t, "2026-12-01")
	byCode := run(t, "", nil, "crisis-lines", "de")
	byName := run(t, "", nil, "crisis-lines", "Germany")
	if byCode.code != 0 || byName.code != 0 || byCode.stdout != byName.stdout {
		t.Fatalf("de: exit %d; Germany: exit %d; outputs differ:\n%s\n---\n%s", byCode.code, byName.code, byCode.stdout, byName.stdout)
	}
	if !strings.HasPrefix(byCode.stdout, "Germany (DE)\n  emergency number: 112 (police 110)\n  1. TelefonSeelsorge\n") ||
		strings.Contains(byCode.stdout, "United Kingdom") || strings.Contains(byCode.stdout, "International") {
		t.Errorf("crisis-lines de:\n%s", byCode.stdout)
	}
	if !strings.Contains(byCode.stdout, "     about:     free, confidential\n") {
		t.Errorf("want free and confidential:\n%s", byCode.stdout)
	}

	// A name of two words needs no quotes.
	nz := run(t, "", nil, "crisis-lines", "new", "zealand")
	if nz.code != 0 || !strings.HasPrefix(nz.stdout, "New Zealand (NZ)\n") {
		t.Errorf("crisis-lines new zealand: exit %d\n%s%s", nz.code, nz.stdout, nz.stderr)
	}

	tw := run(t, "", nil, "crisis-lines", "TW")
	if !strings.Contains(tw.stdout, "  2. Lifeline Taiwan (生命線)\n     kind:      phone\n     contact:   1995\n     hours:     unknown\n") {
		t.Errorf("want hours unknown:\n%s", tw.stdout)
	}
	if !strings.Contains(tw.stdout, "  emergency number: 119 / 110  DOUBLE-CHECK:") {
		t.Errorf("want the unverified emergency number marked:\n%s", tw.stdout)
	}

	ke := run(t, "", nil, "crisis-lines", "kenya")
	if !strings.Contains(ke.stdout, "     DOUBLE-CHECK: not known for certain; members see \"please double-check\"\n") ||
		!strings.Contains(ke.stdout, "1 line; 0 stale") || !strings.Contains(ke.stdout, "; 1 to double-check.") {
		t.Errorf("want Kenya's line marked for double-checking:\n%s", ke.stdout)
	}

	pe := run(t, "", nil, "crisis-lines", "peru")
	if pe.code != 0 || !strings.Contains(pe.stdout, "Peru (PE)\n  emergency number: not known; members are told to call their local emergency number\n  no lines: members are shown the international directories\n") {
		t.Errorf("crisis-lines peru: exit %d\n%s", pe.code, pe.stdout)
	}

	intl := run(t, "", nil, "crisis-lines", "INTL")
	if intl.code != 0 || !strings.HasPrefix(intl.stdout, "International directories (INTL)\n  1. Find A Helpline") {
		t.Errorf("crisis-lines INTL: exit %d\n%s", intl.code, intl.stdout)
	}
}

// A line verified more than 12 months before today is flagged STALE; one
// verified exactly 12 months ago is not yet.
func TestCrisisLinesStale(t *testing.T) {
	today(t, "2027-11-26")
	r := run(t, "", nil, "crisis-lines", "gb")
	if r.code != 0 || strings.Contains(r.stdout, "STALE") {
		t.Errorf("12 months after 2026-11-26: exit %d, want no STALE:\n%s", r.code, r.stdout)
	}
	today(t, "2027-11-27")
	r = run(t, "", nil, "crisis-lines", "gb")
	if r.code != 0 || strings.Count(r.stdout, "     STALE: verified more than 12 months ago; check it again\n") != 2 {
		t.Errorf("a day later: exit %d, want both lines STALE:\n%s", r.code, r.stdout)
	}
	if !strings.Contains(r.stdout, "2 lines; 2 stale (verified more than 12 months before 2027-11-27)") {
		t.Errorf("want the stale count in the summary:\n%s", r.stdout)
	}
}

// A country that is not one is an error on stderr with a non-zero status,
// naming the closest country when there is one.
func TestCrisisLinesUnknownCountry(t *testing.T) {
	r := run(t, "", nil, "crisis-lines", "narnia")
	if r.code == 0 || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q; want an error only", r.code, r.stdout)
	}
	if !strings.Contains(r.stderr, `"narnia" is not a country: use an ISO code (GB), an English name (United Kingdom) or INTL`) ||
		strings.Contains(r.stderr, "did you mean") {
		t.Errorf("stderr %q", r.stderr)
	}
	r = run(t, "", nil, "crisis-lines", "germny")
	if r.code == 0 || !strings.Contains(r.stderr, "did you mean Germany (DE)?") {
		t.Errorf("germny: exit %d, stderr %q", r.code, r.stderr)
	}
}

// With -config, the operator's crisis_lines are included as members would
// see them: added, replacing a country's lines, or for a new country.
func TestCrisisLinesConfigOverrides(t *testing.T) {
	today(t, "2026-12-01")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "peerbot.yaml")
	data := `database:
  path: ` + filepath.Join(dir, "p.db") + `
crisis_lines:
  - country: GB
    service: Local Line
    kind: phone
    contact: "0800 000 0000"
    hours: 24/7
    languages: English, Welsh
    free: true
  - country: ireland
    service: Replacement Line
    kind: phone
    contact: "1800 000 000"
    source: https://example.org/ie
    verified: 2024-05-01
    replace: true
  - country: PE
    service: Línea 113
    kind: phone
    contact: "113"
    source: https://example.org/pe
    verified: 2026-10-01
`
	if err := os.WriteFile(cfg, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	gb := run(t, "", nil, "crisis-lines", "-config", cfg, "gb")
	if gb.code != 0 {
		t.Fatalf("exit %d, stderr %q", gb.code, gb.stderr)
	}
	for _, want := range []string{
		"  1. Samaritans\n",
		"  2. Local Line\n     kind:      phone\n     contact:   0800 000 0000\n     hours:     24/7\n     languages: English, Welsh\n     about:     free\n     source:    operator configuration\n     verified:  unknown (confidence high)\n     UNDATED: no verified date; check the line and give it one\n",
		"3 lines; 0 stale (verified more than 12 months before 2026-12-01); 1 undated; 0 to double-check.",
	} {
		if !strings.Contains(gb.stdout, want) {
			t.Errorf("want %q in:\n%s", want, gb.stdout)
		}
	}

	// The flag may also follow the country.
	ie := run(t, "", nil, "crisis-lines", "ie", "-config", cfg)
	if ie.code != 0 || strings.Contains(ie.stdout, "Samaritans Ireland") ||
		!strings.Contains(ie.stdout, "  1. Replacement Line\n") || !strings.Contains(ie.stdout, "     STALE: verified more than 12 months ago") {
		t.Errorf("ie: exit %d, want only the replacement, stale:\n%s%s", ie.code, ie.stdout, ie.stderr)
	}

	all := run(t, "", nil, "crisis-lines", "-config", cfg)
	if !strings.Contains(all.stdout, "Peru (PE)\n  emergency number: not known; members are told to call their local emergency number\n  1. Línea 113\n") {
		t.Errorf("want the operator's new country:\n%s", all.stdout)
	}

	// Without -config, what ships.
	plain := run(t, "", nil, "crisis-lines", "gb")
	if strings.Contains(plain.stdout, "Local Line") {
		t.Errorf("operator lines shown without -config:\n%s", plain.stdout)
	}

	bad := run(t, "", nil, "crisis-lines", "-config", filepath.Join(dir, "missing.yaml"))
	if bad.code == 0 || bad.stdout != "" || !strings.Contains(bad.stderr, "read config") {
		t.Errorf("missing config: exit %d, stdout %q, stderr %q", bad.code, bad.stdout, bad.stderr)
	}
}
