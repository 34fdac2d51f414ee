package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameLen bounds a display name as peerbot stores and shows it.
const maxNameLen = 64

// CleanName makes a display name safe to store and show: control, format
// (zero-width, bidi overrides) and line-break characters are removed, runs
// of white space become one space, and the result is cut at 64 characters.
// "d\u200bana" becomes "dana", and a name with a line break cannot forge a
// line in a status message. It may return "" (see memberLabel).
func CleanName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError,
			unicode.Is(unicode.Cc, r), unicode.Is(unicode.Cf, r), // controls, zero-width, bidi
			unicode.Is(unicode.Zl, r), unicode.Is(unicode.Zp, r), // line and paragraph separators
			unicode.Is(unicode.Co, r), unicode.Is(unicode.Cs, r), // private use, surrogates
			unicode.Is(unicode.Mn, r) && b.Len() == 0: // a combining mark with nothing to combine with
			if unicode.IsSpace(r) {
				space = b.Len() > 0
			}
		case unicode.IsSpace(r):
			space = b.Len() > 0
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	out := b.String()
	if utf8.RuneCountInString(out) > maxNameLen {
		out = strings.TrimSpace(string([]rune(out)[:maxNameLen]))
	}
	return out
}

// handleOf returns what identifies a member unambiguously on their
// platform: the adapter's handle, else the id without the platform prefix
// (a Matrix user id, a Discord user id).
func handleOf(m Member) string {
	if m.Handle != "" {
		return CleanName(m.Handle)
	}
	if _, id, ok := strings.Cut(string(m.ID), ":"); ok {
		return id
	}
	return string(m.ID)
}
