package main

import (
	"fmt"
	"strings"

	"github.com/peerbot/peerbot/bot/crisislines"
)

// line returns the crisislines.Line of an operator's config entry, with its
// country normalised to an ISO code where it names one.
func (l CrisisLine) line() crisislines.Line {
	country := strings.TrimSpace(l.Country)
	if !strings.EqualFold(country, "INTL") {
		if cc, ok := crisislines.ParseCountry(country); ok {
			country = cc.Code
		}
	}
	return crisislines.Line{
		Country:      strings.ToUpper(country),
		Service:      l.Service,
		Kind:         l.Kind,
		Contact:      l.Contact,
		Hours:        l.Hours,
		Languages:    l.Languages,
		Audience:     l.Audience,
		Free:         l.Free,
		Confidential: l.Confidential,
		Source:       l.Source,
		Verified:     l.Verified,
	}
}

// validateCrisisLines checks each operator line on its own, so that each
// problem names its entry.
func (c *Config) validateCrisisLines() []string {
	var p []string
	base := crisislines.Default()
	for i, cl := range c.CrisisLines {
		key := fmt.Sprintf("crisis_lines[%d]", i)
		l := cl.line()
		if l.Country == "" {
			p = append(p, key+".country: required (an ISO code such as GB, or INTL)")
			continue
		}
		if _, err := base.WithOverrides([]crisislines.Line{l}, false); err != nil {
			msg := err.Error()
			if _, rest, ok := strings.Cut(msg, "override 1: "); ok {
				msg = rest
			}
			p = append(p, fmt.Sprintf("%s (%s): %s", key, l.Service, msg))
		}
	}
	return p
}

// Directory returns the embedded crisis-line directory with the operator's
// lines applied: lines of a country that has a line marked replace replace
// that country's embedded lines; all others are added.
func (c *Config) Directory() (*crisislines.Directory, error) {
	d := crisislines.Default()
	replaced := map[string]bool{}
	for _, cl := range c.CrisisLines {
		if cl.Replace {
			replaced[cl.line().Country] = true
		}
	}
	var rep, add []crisislines.Line
	for _, cl := range c.CrisisLines {
		l := cl.line()
		if replaced[l.Country] {
			rep = append(rep, l)
		} else {
			add = append(add, l)
		}
	}
	var err error
	if len(rep) > 0 {
		if d, err = d.WithOverrides(rep, true); err != nil {
			return nil, fmt.Errorf("crisis_lines: %w", err)
		}
	}
	if len(add) > 0 {
		if d, err = d.WithOverrides(add, false); err != nil {
			return nil, fmt.Errorf("crisis_lines: %w", err)
		}
	}
	return d, nil
}
