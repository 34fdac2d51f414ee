package crisislines

import (
	"errors"
	"fmt"
	"strings"
)

// OperatorSource is the Source given to an override line that names none.
const OperatorSource = "operator configuration"

// WithOverrides returns a copy of d where operator-supplied lines replace
// (Override) or add to the lines of their country.
//
// Each line is normalised (Country upper-cased and trimmed, Kind
// lower-cased, Confidence defaulting to "high" because the operator vouches
// for it, Source defaulting to OperatorSource) and then checked with
// Line.Validate; a low-confidence override is always marked DoubleCheck.
// Country may also be "INTL" for the international list. When replace is
// true, the given lines replace all lines of every country (or INTL) they
// name; otherwise they are added. A country the directory did not know gets
// a new entry named from the ISO table, with no emergency number. Lines are
// then ordered as in Entry.Lines.
//
// If any line is invalid, WithOverrides returns nil and one error naming
// every bad line by its position (1-based) and service; d is never modified.
func (d *Directory) WithOverrides(lines []Line, replace bool) (*Directory, error) {
	var errs []error
	clean := make([]Line, 0, len(lines))
	for i, l := range lines {
		l = normaliseOverride(l)
		if err := l.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("override %d: %w", i+1, err))
			continue
		}
		clean = append(clean, l)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("crisis line overrides: %w", errors.Join(errs...))
	}
	c := d.clone()
	if replace {
		for _, l := range clean {
			if l.Country == "INTL" {
				c.intl = nil
				continue
			}
			if e, ok := c.entries[l.Country]; ok {
				e.Lines = nil
				c.entries[l.Country] = e
			}
		}
	}
	for _, l := range clean {
		if err := c.add(l); err != nil {
			return nil, fmt.Errorf("crisis line overrides: %w", err)
		}
	}
	c.sortAll()
	return c, nil
}

func normaliseOverride(l Line) Line {
	l.Country = strings.ToUpper(strings.TrimSpace(l.Country))
	l.Kind = strings.ToLower(strings.TrimSpace(l.Kind))
	l.Service = strings.TrimSpace(l.Service)
	l.Contact = strings.TrimSpace(l.Contact)
	l.Hours = strings.TrimSpace(l.Hours)
	l.Confidence = strings.ToLower(strings.TrimSpace(l.Confidence))
	if l.Confidence == "" {
		l.Confidence = High
	}
	if l.Confidence == Low {
		l.DoubleCheck = true
	}
	if strings.TrimSpace(l.Source) == "" {
		l.Source = OperatorSource
	}
	return l
}
