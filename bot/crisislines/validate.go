package crisislines

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Contact forms, one rule per kind:
//   - phone: one or more phone numbers separated by " / ". A number is
//     digits in groups split by single spaces or hyphens, with an optional
//     leading "+" (international) or "*" (mobile short code) and an optional
//     leading "(area code) "; 3 to 15 digits.
//   - text: "Text 1737", "SMS 31393", "Text HOME to 741741" (keywords in
//     capitals, alternatives as "CONNECT/HOME" or "HELLO (or TALK)", an
//     optional note in brackets at the end) or "WhatsApp 9151 1767".
//   - chat: an https URL or "WhatsApp <number>".
//   - web: an https URL.
var (
	phoneRe    = regexp.MustCompile(`^[+*]?(\(\d{1,5}\) )?\d+([ -]\d+)*$`)
	keywordsRe = `[A-Z]+(/[A-Z]+)*( \(or [A-Z]+\))?`
	textRe     = regexp.MustCompile(`^(?:(?:Text|SMS) (?:` + keywordsRe + ` to )?|WhatsApp )(.+?)( \([^()]+\))?$`)
)

// validPhone reports whether s is one well-formed phone number.
func validPhone(s string) bool {
	if !phoneRe.MatchString(s) {
		return false
	}
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n >= 3 && n <= 15
}

// validPhones reports whether s is one or more phone numbers joined by " / ".
func validPhones(s string) bool {
	for _, p := range strings.Split(s, " / ") {
		if !validPhone(p) {
			return false
		}
	}
	return true
}

// validText reports whether s is a text-message instruction.
func validText(s string) bool {
	m := textRe.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	if strings.HasPrefix(s, "WhatsApp ") && m[len(m)-1] != "" {
		return false // no trailing note after a WhatsApp number
	}
	return validPhone(m[len(m)-2])
}

func validWhatsApp(s string) bool {
	n, ok := strings.CutPrefix(s, "WhatsApp ")
	return ok && validPhone(n)
}

// validURL reports whether s is an absolute https URL with a host.
func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && !strings.ContainsAny(s, " \t\n")
}

// ValidContact checks contact against the rule for kind (see the rules
// above). It returns an error describing the problem, or nil.
func ValidContact(kind, contact string) error {
	if strings.TrimSpace(contact) == "" {
		return errors.New("contact is empty")
	}
	var ok bool
	var want string
	switch kind {
	case KindPhone:
		ok, want = validPhones(contact), `a phone number such as "116 123" or "+44 116 123"`
	case KindText:
		ok, want = validText(contact), `a text instruction such as "Text HOME to 741741" or "WhatsApp 9151 1767"`
	case KindChat:
		ok, want = validURL(contact) || validWhatsApp(contact), `an https URL or "WhatsApp <number>"`
	case KindWeb:
		ok, want = validURL(contact), "an https URL"
	default:
		return fmt.Errorf("unknown kind %q (want phone, text, chat or web)", kind)
	}
	if !ok {
		return fmt.Errorf("%s contact %q is not %s", kind, contact, want)
	}
	return nil
}

// Validate checks that l is fit to show: Country is an upper-case ISO
// 3166-1 alpha-2 code or "INTL", Service is set, Kind is known, Contact is
// well-formed for its kind (ValidContact), Confidence is high, medium or
// low, Verified is empty or a YYYY-MM-DD date, and a low-confidence line is
// marked DoubleCheck. The error names the line.
func (l Line) Validate() error {
	var errs []error
	if l.Country != "INTL" {
		if _, ok := isoByCode(l.Country); !ok || l.Country != strings.ToUpper(l.Country) {
			errs = append(errs, fmt.Errorf("country %q is not an ISO 3166-1 alpha-2 code or INTL", l.Country))
		}
	}
	if strings.TrimSpace(l.Service) == "" {
		errs = append(errs, errors.New("service name is empty"))
	}
	if err := ValidContact(l.Kind, l.Contact); err != nil {
		errs = append(errs, err)
	}
	switch l.Confidence {
	case High, Medium:
	case Low:
		if !l.DoubleCheck {
			errs = append(errs, errors.New("low-confidence line must be marked double-check"))
		}
	default:
		errs = append(errs, fmt.Errorf("confidence %q is not high, medium or low", l.Confidence))
	}
	if l.Verified != "" {
		if _, err := time.Parse(time.DateOnly, l.Verified); err != nil {
			errs = append(errs, fmt.Errorf("verified date %q is not YYYY-MM-DD", l.Verified))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("crisis line %s %q: %w", l.Country, l.Service, errors.Join(errs...))
}
