package bot

// ArgKind says what an argument holds and how it is read. Adapters with
// typed command registration (Discord slash commands) map kinds to their
// option types; the text grammar reads each kind as documented below.
type ArgKind uint8

const (
	// ArgFlag is a yes/no switch. In text it is the word Arg.Name, present
	// when true ("checkin private amber"); it is never required.
	ArgFlag ArgKind = iota + 1
	// ArgColour is green, amber or red (g, a, r, 🟢 🟠 🔴 in text; a lone
	// "a" is amber only as the last word, so "a bit tired" stays words).
	// Optional in text: a first word that is not a colour is left for the
	// next argument.
	ArgColour
	// ArgChoice is one of Arg.Choices, by value.
	ArgChoice
	// ArgMinutes is a whole number of minutes from Arg.Min to Arg.Max
	// ("45", "45m", "45min"). Optional in text: taken only when the word
	// starts with a digit or a sign, so a prompt may follow directly.
	ArgMinutes
	// ArgNumber is a whole number from Arg.Min to Arg.Max (a list position).
	ArgNumber
	// ArgWord is one word (no white space).
	ArgWord
	// ArgZone is an IANA time zone name ("Europe/London").
	ArgZone
	// ArgDays is a set of week days ("tue,thu", "mon-fri", "daily").
	ArgDays
	// ArgTime is a 24-hour clock time ("19:00").
	ArgTime
	// ArgCountry is a country code or name; in text it is the rest of the
	// line ("new zealand"). It is kept as typed: the handler decides what an
	// unknown country means (crisis lines are never refused for it).
	ArgCountry
	// ArgText is free text: in text the rest of the line, line breaks
	// kept. Nothing in it is ever read as a colour, flag, number or
	// subcommand. Arg.Max bounds its length in characters.
	ArgText
)

// takesRest reports whether the kind takes the rest of a text line.
func (k ArgKind) takesRest() bool { return k == ArgText || k == ArgCountry }

// Choice is one allowed value of an ArgChoice argument.
type Choice struct {
	Value string // what the text form says ("on")
	Label string // what a picker shows ("🟢 green: doing OK")
}

// Arg is one argument of a command, in text order.
type Arg struct {
	Name     string
	Kind     ArgKind
	Help     string
	Choices  []Choice // ArgChoice, and the labels of ArgColour
	Required bool
	// Min and Max bound numbers (ArgMinutes, ArgNumber) and, for text
	// kinds, Max bounds the length in characters (0: no limit). Input over
	// a limit is refused with the limit named, never cut silently.
	Min, Max int
	// Sensitive marks a flag that makes the command reveal something about
	// the member when set ("checkin private").
	Sensitive bool
	// KeepOver, for ArgText: input over Max is kept, cut at Max, and
	// marked (Command.Over) for the handler to decide, instead of refused:
	// on a distress path words are forwarded cut, never refused with
	// nothing.
	KeepOver bool
	// Input, for an ArgText argument that platforms ask for in a form (the
	// agreement text), describes that form's field.
	Input *Input

	// bad is what the member is told when the value cannot be read.
	bad func() Text
}

// Access says who may run a command.
type Access uint8

const (
	// Anyone may run the command.
	Anyone Access = iota
	// FacilitatorsOnly: others get a kind refusal and nothing changes.
	FacilitatorsOnly
)

// Places says where a command may be sent.
type Places uint8

const (
	// InGroup: only in a group's channel (the default).
	InGroup Places = iota
	// AlsoPrivately: in a group's channel, or privately to the bot, where
	// it acts on the member's group or on the member alone.
	AlsoPrivately
	// OnlyPrivately: only in a private message to the bot.
	OnlyPrivately
)

// CommandSpec is one entry of the core's command table. Text commands,
// slash commands, buttons and modals all become the same typed Command of a
// CommandSpec. Help texts, Discord's registration, redaction and access
// checks read its fields.
type CommandSpec struct {
	Name    string
	Aliases []string
	// Sub are subcommands ("round start"); a command with Sub may also run
	// on its own (run set) when given no subcommand.
	Sub     []*CommandSpec
	Args    []Arg
	Access  Access
	Summary string // one line, for !help
	Help    string // a few lines, for !help NAME
	Example string // an example line without prefix ("checkin amber tired")
	// Hidden commands are other names for a command listed elsewhere
	// ("checkin start" is "round start"): help and slash registration
	// leave them out; they still work in text.
	Hidden bool
	// Sensitive commands reveal something about the member: adapters hide
	// them when typed in public if they can (Matrix redacts them).
	Sensitive bool
	// Places says where the command may be sent.
	Places Places
	// NeedsGroup: when sent privately, the command acts on the member's
	// group (resolved by the core).
	NeedsGroup bool
	// Distress: the command signals distress (!crisis, !support, !safer):
	// whatever happens, the member's answer carries a route to help
	// (see distress.go). A red check-in is one too.
	Distress bool

	run func(c *call) error
	// path is the full name ("round start"), set by newTable.
	path string
	// when, if set, must accept the words after a subcommand's name for
	// the subcommand to match; otherwise the words go to the parent
	// ("!checkin end of a long week" is a check-in, not "round end").
	when func(rest []string) bool
	// prepare, if set, runs before the command's transaction: work that
	// asks the platform (which may need the database) and must not hold
	// the store's connection while it waits.
	prepare func(c *call) error
}

// Runnable reports whether the spec runs on its own (not only through a
// subcommand).
func (s *CommandSpec) Runnable() bool { return s.run != nil }

// WorksPrivately reports whether s, or one of its subcommands, may be sent
// privately to the bot.
func (s *CommandSpec) WorksPrivately() bool {
	if s.Places != InGroup {
		return true
	}
	for _, sub := range s.Sub {
		if sub.WorksPrivately() {
			return true
		}
	}
	return false
}

// FacilitatorsOnly reports whether every way of running s is for
// facilitators only (so platforms may hide it from everyone else).
func (s *CommandSpec) FacilitatorsOnly() bool {
	if s.run != nil && s.Access != FacilitatorsOnly {
		return false
	}
	for _, sub := range s.Sub {
		if !sub.Hidden && !sub.FacilitatorsOnly() {
			return false
		}
	}
	return true
}

// FormArg returns the argument a platform asks for in a form (a modal), if
// the command has one.
func (s *CommandSpec) FormArg() (Arg, bool) {
	for _, a := range s.Args {
		if a.Kind == ArgText && a.Input != nil {
			return a, true
		}
	}
	return Arg{}, false
}
