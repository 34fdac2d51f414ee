package bot

// ArgKind says what an argument holds. Adapters with typed command
// registration (Discord slash commands) map kinds to their option types.
type ArgKind uint8

const (
	// ArgWord is a single word.
	ArgWord ArgKind = iota + 1
	// ArgRest takes the rest of the line (words, agreement text, prompts).
	ArgRest
	// ArgInt is a whole number.
	ArgInt
	// ArgChoice is one of Arg.Choices.
	ArgChoice
	// ArgFlag is a yes/no switch; in the text form it is the word Arg.Name,
	// present when true ("checkin private amber").
	ArgFlag
	// ArgCountry is a country code or name (platforms may autocomplete it).
	ArgCountry
)

// Choice is one allowed value of an ArgChoice argument.
type Choice struct {
	Value string // what goes into the text command ("green")
	Label string // what a picker shows ("🟢 green: doing OK")
}

// Arg is one positional argument of a command, in text order.
type Arg struct {
	Name     string
	Kind     ArgKind
	Help     string
	Choices  []Choice
	Required bool
	// Input, for ArgRest arguments that platforms ask for in a form (the
	// agreement text), describes that form's field.
	Input *Input
}

// Access says who may run a command.
type Access uint8

const (
	// Anyone may run the command.
	Anyone Access = iota
	// FacilitatorsOnly: others get a kind refusal and nothing changes.
	FacilitatorsOnly
)

// CommandSpec is one entry of the core's command table. Text commands, slash
// commands, buttons and modals all end in the same CommandSpec. Help texts
// and Discord's command registration are generated from the table.
type CommandSpec struct {
	Name    string
	Aliases []string
	// Sub are subcommands ("round start"); a command with Sub may also run
	// on its own (Run set) when given no subcommand.
	Sub     []*CommandSpec
	Args    []Arg
	Access  Access
	Summary string // one line, for !help
	Help    string // a few lines, for !help NAME
	Example string // an example line without prefix ("checkin amber tired")
	// Sensitive commands reveal something about the member; they also work
	// sent privately, and adapters hide them when typed in public if they can.
	Sensitive bool
	// NeedsGroup: when sent privately, the command acts on the member's group
	// (resolved by the core).
	NeedsGroup bool

	run func(c *call) error
	// when, if set, must accept the words after a subcommand's name for
	// the subcommand to match; otherwise the words go to the parent
	// ("!checkin end of a long week" is a check-in, not "round end").
	when func(rest []string) bool
	// prepare, if set, runs before the command's transaction: work that
	// asks the platform (which may need the database) and must not hold
	// the store's connection while it waits.
	prepare func(c *call) error
}
