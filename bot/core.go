package bot

import (
	"context"
	"strings"

	"github.com/peerbot/peerbot/bot/crisislines"
)

// Core is what adapters need of the core: the one inbound interface. An
// adapter turns platform input into Events (its commands parsed by
// Commands) and hands them to Handle, reports what it noticed or could not
// do with Report, and never ticks the core, writes member-facing words of
// its own or keeps a clock: the core runs its own loop (Bot.Start).
type Core interface {
	// Handle handles one event and returns what became of it.
	Handle(ctx context.Context, ev Event) Outcome
	// Report tells the core about a condition the adapter met outside a
	// delivery (it could not pin or redact, a message could not be
	// decrypted); the core decides what, if anything, to say and to whom.
	Report(ctx context.Context, c Condition)
	// Commands returns the command table, with its parser.
	Commands() *Table
	// Prefix returns the text command prefix ("!").
	Prefix() string
	// Notice returns one of the core's standing texts, with commands in
	// the prefix members of platform type ("discord").
	Notice(n Notice, platform string) Text
	// Countries suggests countries for what a member is typing (at most
	// max), for platforms that autocomplete.
	Countries(typed string, max int) []Country
}

var _ Core = (*Bot)(nil)

// Outcome is what became of an event.
type Outcome uint8

const (
	// Done: the event did what it asked, and the member was answered.
	Done Outcome = iota + 1
	// Refused: the member may not do that (a facilitators' command); they
	// were told kindly and nothing changed.
	Refused
	// Invalid: the input could not be used as it was (an unknown command, a
	// value over its limit); the member was told why and nothing changed.
	Invalid
	// Duplicate: the event was handled before (a redelivery); nothing was
	// done or said.
	Duplicate
	// Failed: the bot failed (the store, most often); it was logged and the
	// member was told something went wrong.
	Failed
)

func (o Outcome) String() string {
	switch o {
	case Done:
		return "done"
	case Refused:
		return "refused"
	case Invalid:
		return "invalid"
	case Duplicate:
		return "duplicate"
	case Failed:
		return "failed"
	}
	return "unknown"
}

// Notice names one of the core's standing texts that adapters show without
// a reply from Handle.
type Notice uint8

const (
	// NoticeDone acknowledges a command that was handled and answered
	// elsewhere (a Discord interaction that needs a response of its own).
	NoticeDone Notice = iota + 1
	// NoticeSorry says the bot failed (a recovered panic).
	NoticeSorry
)

// Notice returns standing text n with commands prefixed for platform, in
// the configured default language.
func (b *Bot) Notice(n Notice, platform string) Text {
	var t Text
	switch n {
	case NoticeDone:
		t = textDone()
	default:
		t = textSorry()
	}
	return b.localise(platform, b.language.Resolve(t))
}

// NoticeFor is Notice in the language a private answer to ev's member
// would be in (their choice, their group's, the event's locale, the
// default). Cores that can tell implement it; adapters fall back to
// Notice.
func (b *Bot) NoticeFor(ctx context.Context, n Notice, platform string, ev Event) Text {
	t := textSorry()
	if n == NoticeDone {
		t = textDone()
	}
	return b.localise(platform, b.LanguageFor(ctx, ev).Resolve(t))
}

// LanguageFor is the language a private answer to ev's member would be
// in, for what an adapter shows itself (a Discord form's labels).
func (b *Bot) LanguageFor(ctx context.Context, ev Event) *Lang {
	return b.replyLanguage(ctx, Reply{Visibility: Private, Group: ev.Group, To: ev.Member.ID, locale: ev.Locale})
}

// Country is a country a member may mean, for autocompletion.
type Country struct {
	Code string // ISO 3166-1 alpha-2
	Name string
}

// Countries returns up to max countries of the crisis directory whose name
// starts with typed, or whose code is typed (all, in order, when typed is
// empty).
func (b *Bot) Countries(typed string, max int) []Country {
	typed = strings.ToLower(strings.TrimSpace(typed))
	var out []Country
	for _, k := range b.crisis.Countries() {
		if len(out) == max {
			break
		}
		if typed == "" || strings.HasPrefix(strings.ToLower(k.Name), typed) || strings.EqualFold(k.Code, typed) {
			out = append(out, Country{Code: k.Code, Name: k.Name})
		}
	}
	return out
}

// Crisis returns the crisis-line directory in use.
func (b *Bot) Crisis() *crisislines.Directory { return b.crisis }
