package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxCommandLen bounds what the parser looks at; longer input is cut (the
// handlers' own limits, such as 500 characters of check-in words, then
// answer kindly).
const maxCommandLen = 8000

// Parse reads a text message. It returns the command and true when text
// starts with prefix followed directly by a command name ("!checkin amber");
// otherwise false. Leading white space is ignored.
func Parse(prefix, text string) (Command, bool) {
	text = strings.TrimLeftFunc(text, unicode.IsSpace)
	if prefix == "" || !strings.HasPrefix(text, prefix) {
		return Command{}, false
	}
	rest := text[len(prefix):]
	if r, _ := utf8.DecodeRuneInString(rest); unicode.IsSpace(r) {
		return Command{}, false // "! checkin" is not addressed to the bot
	}
	return ParseLine(rest)
}

// ParseLine reads a command line without prefix ("checkin amber tired"). The
// name is lower-cased; Args are the white-space separated words after it;
// Raw is everything after the name with surrounding white space trimmed and
// inner line breaks kept. It returns false when the line does not start with
// a name (a letter, then letters, digits, '-' or '_').
func ParseLine(line string) (Command, bool) {
	if len(line) > maxCommandLen {
		line = line[:maxCommandLen]
		for !utf8.ValidString(line) {
			line = line[:len(line)-1]
		}
	}
	line = strings.TrimLeftFunc(line, unicode.IsSpace)
	end := strings.IndexFunc(line, func(r rune) bool { return !isNameRune(r) })
	if end < 0 {
		end = len(line)
	}
	name := line[:end]
	if name == "" {
		return Command{}, false
	}
	first, _ := utf8.DecodeRuneInString(name)
	if !unicode.IsLetter(first) {
		return Command{}, false
	}
	rest := line[end:]
	if rest != "" {
		r, _ := utf8.DecodeRuneInString(rest)
		if !unicode.IsSpace(r) {
			return Command{}, false
		}
	}
	raw := strings.TrimSpace(rest)
	return Command{Name: strings.ToLower(name), Args: strings.Fields(raw), Raw: raw}, true
}

func isNameRune(r rune) bool {
	return r == '-' || r == '_' || (r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)))
}

// restAfter returns raw with its first n words removed, keeping the line
// breaks of what remains.
func restAfter(raw string, n int) string {
	s := strings.TrimLeftFunc(raw, unicode.IsSpace)
	for i := 0; i < n && s != ""; i++ {
		end := strings.IndexFunc(s, unicode.IsSpace)
		if end < 0 {
			return ""
		}
		s = strings.TrimLeftFunc(s[end:], unicode.IsSpace)
	}
	return strings.TrimRightFunc(s, unicode.IsSpace)
}
