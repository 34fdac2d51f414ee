package discord

import (
	"strings"
	"unicode/utf8"

	"github.com/peerbot/peerbot/bot"
)

// maxContent is Discord's limit on a message's content, in characters.
const maxContent = 2000

// zwsp is a zero-width space. Put after "@" it stops "@everyone", "@here"
// and "@name" from ever being read as a mention, whatever the client.
const zwsp = "\u200b"

// render turns the core's neutral markup into Discord markdown (see
// renderer), with commands as the core names them.
func render(t bot.Text) string { return renderer{}.render(t) }

// renderer turns the core's neutral markup into Discord markdown. The
// bot's own spans keep their formatting; every User and UserSpoiler span is
// escaped so that a member's words stay literal text.
type renderer struct {
	// slash, when set, turns a command line of the core's into the
	// Discord command that runs it ("round start" → "facilitator round
	// start").
	slash func(string) string
	// compact escapes User spans by substitution (compactUser), one
	// character for one, instead of backslashes that may double them.
	compact bool
}

func (rd renderer) render(t bot.Text) string {
	user := escapeUser
	if rd.compact {
		user = compactUser
	}
	var b strings.Builder
	for _, s := range t {
		switch s.Style {
		case bot.Plain:
			b.WriteString(s.Text)
		case bot.Bold:
			wrap(&b, "**", s.Text)
		case bot.Italic:
			wrap(&b, "*", s.Text)
		case bot.Code:
			// The core localises Cmd spans to Code with Discord's prefix
			// ("/round start"), which is where facilitators' commands
			// gain "facilitator".
			if line, ok := strings.CutPrefix(s.Text, "/"); ok && rd.slash != nil {
				code(&b, "/"+rd.slash(line))
			} else {
				code(&b, s.Text)
			}
		case bot.Cmd: // normally localised by the core already
			line := s.Text
			if rd.slash != nil {
				line = rd.slash(line)
			}
			code(&b, "/"+line)
		case bot.Spoiler:
			wrap(&b, "||", s.Text)
		case bot.Link:
			link(&b, s.Text, s.URL)
		case bot.User:
			b.WriteString(user(s.Text))
		case bot.UserSpoiler:
			spoiler(&b, s.Text, s.Warning)
		default:
			b.WriteString(escapeUser(s.Text))
		}
	}
	return b.String()
}

// wrap writes s between markers, keeping surrounding white space outside
// them (Discord does not format "** x**").
func wrap(b *strings.Builder, marker, s string) {
	core := strings.TrimSpace(s)
	if core == "" {
		b.WriteString(s)
		return
	}
	i := strings.Index(s, core)
	b.WriteString(s[:i])
	b.WriteString(marker + core + marker)
	b.WriteString(s[i+len(core):])
}

// spoiler writes a member's words behind Discord's spoiler (||…||), after
// the bot's content warning ("[cw: WARNING] "), so that readers choose to
// reveal them. The words are escaped exactly like User text; "|" is
// escaped too, so nothing the member wrote can close the spoiler early.
// Each line gets its own spoiler: a message split at a line break
// (splitContent) never shows words uncovered.
func spoiler(b *strings.Builder, words, warning string) {
	if w := strings.TrimSpace(warning); w != "" {
		b.WriteString("[cw: " + escapeUser(w) + "] ")
	}
	for i, line := range strings.Split(words, "\n") {
		if i > 0 {
			b.WriteString("\n")
		}
		if e := strings.TrimSpace(escapeUser(line)); e != "" {
			b.WriteString("||" + e + "||")
		}
	}
}

// code writes an inline code span, with a fence long enough for any
// backticks inside.
func code(b *strings.Builder, s string) {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if len(fence) > 1 || strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		b.WriteString(fence + " " + s + " " + fence)
		return
	}
	b.WriteString(fence + s + fence)
}

// link writes a masked link that does not unfurl into an embed. Only the
// bot's own, vetted URLs reach here; the label is escaped all the same.
func link(b *strings.Builder, label, url string) {
	if url == "" {
		b.WriteString(escapeUser(label))
		return
	}
	if label == "" || label == url {
		b.WriteString("<" + url + ">")
		return
	}
	b.WriteString("[" + escapeUser(label) + "](<" + url + ">)")
}

// escaped are the characters Discord markdown gives a meaning to: emphasis,
// code, spoilers, quotes, headings, lists, masked links, mentions, emoji,
// timestamps and URL schemes ("https:"). A backslash before any ASCII
// punctuation is shown as the character alone.
const escaped = "\\*_~`|><#-+[]():."

// escapeUser makes a member's words literal: every markdown character is
// backslash-escaped, and "@" is followed by a zero-width space so that no
// mention can form even if escaping were undone.
func escapeUser(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for _, r := range s {
		switch {
		case r == '@':
			b.WriteString("@" + zwsp)
		case r < utf8.RuneSelf && strings.ContainsRune(escaped, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\r':
			// Dropped: Discord shows "\r\n" as one break anyway.
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// compactUser makes a member's words literal without making them longer:
// each character Discord markdown gives a meaning to, and "@", becomes its
// full-width form ("*" → "＊", "@" → "＠"), which Discord shows as it is.
// It is used only where backslashes would not fit (a round status at
// Discord's limit): the words look slightly different, and stay inert.
func compactUser(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '@' || (r < utf8.RuneSelf && strings.ContainsRune(escaped, r)):
			b.WriteRune(r + fullWidth)
		case r == '\r':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fullWidth is the distance from an ASCII character to its full-width form
// (U+FF01 to U+FF5E).
const fullWidth = 0xFEE0

// splitContent cuts rendered content into messages of at most maxContent
// characters, at line breaks where it can, never inside a rune or between
// a backslash and the character it escapes.
func splitContent(s string) []string {
	if utf8.RuneCountInString(s) <= maxContent {
		return []string{s}
	}
	var out []string
	for utf8.RuneCountInString(s) > maxContent {
		cut := byteIndexOfRune(s, maxContent)
		if nl := strings.LastIndex(s[:cut], "\n"); nl > cut/2 {
			cut = nl + 1
		} else {
			for cut > 0 && s[cut-1] == '\\' {
				cut--
			}
			if cut == 0 {
				cut = byteIndexOfRune(s, maxContent)
			}
		}
		out = append(out, strings.TrimRight(s[:cut], "\n"))
		s = s[cut:]
	}
	if strings.TrimSpace(s) != "" {
		out = append(out, strings.TrimRight(s, "\n"))
	}
	return out
}

// byteIndexOfRune returns the byte offset of the n-th rune of s.
func byteIndexOfRune(s string, n int) int {
	i := 0
	for pos := range s {
		if i == n {
			return pos
		}
		i++
	}
	return len(s)
}

// truncate cuts rendered content to one message, marking the cut.
func truncate(s string) string {
	parts := splitContent(s)
	if len(parts) == 1 {
		return parts[0]
	}
	p := parts[0]
	if utf8.RuneCountInString(p) > maxContent-1 {
		p = p[:byteIndexOfRune(p, maxContent-1)]
	}
	return strings.TrimRight(p, "\\") + "…"
}
