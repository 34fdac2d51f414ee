package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/peerbot/peerbot/bot"
)

// Deliver prints r on the console's output, each line prefixed by where it
// went: "[group] " (public), "[dm NAME] " (private to NAME) or
// "[facilitators] ". A reply that edits an earlier message is printed again
// in full with " edit" inside the brackets ("[group edit] "). Actions follow
// as a hint line ("[group]   (buttons: Check in · Pass)"), then
// "[group]   (pinned)" when the reply asks to be pinned. It returns a
// reference ("console:msg:N") so the message can be edited later; for an
// edit it returns r.Edit. It fails when the output cannot be written.
func (a *Adapter) Deliver(ctx context.Context, r bot.Reply) (bot.MessageRef, error) {
	where, err := place(r)
	if err != nil {
		return "", fmt.Errorf("console deliver: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	ref := r.Edit
	if ref == "" {
		a.msgs++
		ref = bot.MessageRef(fmt.Sprintf("console:msg:%s:%d", a.session, a.msgs))
	}
	if r.Edit != "" {
		where += " edit"
	}
	if _, err := io.WriteString(a.out, renderReply(where, r)); err != nil {
		return "", fmt.Errorf("console deliver: %w", err)
	}
	return ref, nil
}

// place returns the bracketed word of r's prefix: "group", "dm NAME" or
// "facilitators".
func place(r bot.Reply) (string, error) {
	switch r.Visibility {
	case bot.Public:
		return "group", nil
	case bot.Facilitators:
		return "facilitators", nil
	case bot.Private:
		name := memberName(r.To)
		if name == "" {
			name = r.ToName
		}
		if name == "" {
			return "", errors.New("private reply without a recipient")
		}
		return "dm " + clean(name), nil
	}
	return "", fmt.Errorf("unknown visibility %d", r.Visibility)
}

// renderReply returns the output lines of r, each prefixed "[where] ".
func renderReply(where string, r bot.Reply) string {
	prefix := "[" + where + "]"
	var b strings.Builder
	for _, line := range r.Text.Lines() {
		s := renderLine(line)
		if s == "" {
			b.WriteString(prefix + "\n")
			continue
		}
		b.WriteString(prefix + " " + s + "\n")
	}
	if len(r.Actions) > 0 {
		labels := make([]string, 0, len(r.Actions))
		for _, act := range r.Actions {
			label := act.Label
			if label == "" {
				label = act.Command
			}
			labels = append(labels, clean(label))
		}
		b.WriteString(prefix + "   (buttons: " + strings.Join(labels, " · ") + ")\n")
	}
	if r.Pin {
		b.WriteString(prefix + "   (pinned)\n")
	}
	return b.String()
}

// renderLine renders one line of Text as plain text: bold and italic lose
// their markers, a link whose label differs from its URL becomes
// "label (url)", spoilers show as ||text||, a member's words behind a
// content warning as "[cw: WARNING] words", and everything else (commands,
// members' own words) is printed literally, with control characters made
// visible so that nothing typed can move the terminal's cursor.
func renderLine(t bot.Text) string {
	var b strings.Builder
	for _, s := range t {
		switch s.Style {
		case bot.Link:
			b.WriteString(clean(s.Text))
			if s.URL != "" && s.URL != s.Text {
				b.WriteString(" (" + clean(s.URL) + ")")
			}
		case bot.Spoiler:
			b.WriteString("||" + clean(s.Text) + "||")
		case bot.UserSpoiler:
			// A terminal has no spoilers: the content warning comes first.
			b.WriteString("[cw: " + clean(s.Warning) + "] " + clean(s.Text))
		default:
			b.WriteString(clean(s.Text))
		}
	}
	return b.String()
}

// clean replaces control characters (other than tab) with their escaped
// form, so a terminal shows them instead of obeying them.
func clean(s string) string {
	if strings.IndexFunc(s, isBadControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isBadControl(r) {
			if r > 0xff {
				fmt.Fprintf(&b, "\\u%04x", r)
			} else {
				fmt.Fprintf(&b, "\\x%02x", r)
			}
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isBadControl reports control characters and the bidirectional overrides
// that could make a line read differently from what was typed.
func isBadControl(r rune) bool {
	return (r != '\t' && unicode.IsControl(r)) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
