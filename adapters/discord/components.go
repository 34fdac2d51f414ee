package discord

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// Custom ids carry the command an action runs, so a button still works
// after a restart: "pb:" runs it, "pbi:" first opens a modal asking for
// text, and "pbm:" is that modal's submission (the text becomes the
// command's form argument: Command.WithInput).
// "pbg:GUILD:" runs it for that server's group: buttons sent by DM (the
// welcome's "I agree") say which group they are about.
const (
	idRun     = "pb:"
	idGroup   = "pbg:"
	idAsk     = "pbi:"
	idModal   = "pbm:"
	inputID   = "text"
	maxID     = 100
	maxLabel  = 80
	maxButton = 5 // buttons per row
	maxRows   = 5
	maxTitle  = 45   // modal title and text input label
	maxInput  = 4000 // a text input's max_length
)

// inputs remembers each "ask" action seen, by command, so the modal shows
// the core's title, label and limits. After a restart an unknown command
// gets its argument's own Input (see inputFor).
type inputs struct {
	mu sync.Mutex
	m  map[string]bot.Action
}

func (in *inputs) put(cmd string, a bot.Action) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.m == nil {
		in.m = map[string]bot.Action{}
	}
	in.m[cmd] = a
}

func (in *inputs) get(cmd string) (bot.Action, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	a, ok := in.m[cmd]
	return a, ok && a.Input != nil
}

// buttons renders actions as rows of buttons. Actions whose command does
// not fit in a custom id are left out (the core's text names the text
// command too). With guild set (a DM about that server's group), plain
// actions name the group.
func (a *Adapter) buttons(actions []bot.Action, guild string) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	var row discordgo.ActionsRow
	seen := map[string]bool{} // Discord refuses a message with two equal custom ids
	for _, act := range actions {
		cmd := strings.TrimSpace(act.Command)
		id := idRun + cmd
		if guild != "" {
			id = idGroup + guild + ":" + cmd
		}
		if act.Input != nil {
			id = idAsk + cmd
			a.inputs.put(cmd, act)
		}
		if cmd == "" || len(id) > maxID || seen[id] {
			a.log.Warn().Int("length", len(id)).Msg("Action left out: empty, repeated or too long for a button")
			continue
		}
		seen[id] = true
		b := discordgo.Button{
			Label:    cut(act.Label, maxLabel),
			Style:    discordgo.SecondaryButton,
			CustomID: id,
		}
		if b.Label == "" {
			b.Label = cut(cmd, maxLabel)
		}
		if act.Emoji != "" {
			b.Emoji = &discordgo.ComponentEmoji{Name: act.Emoji}
		}
		row.Components = append(row.Components, b)
		if len(row.Components) == maxButton {
			rows = append(rows, row)
			row = discordgo.ActionsRow{}
		}
	}
	if len(row.Components) > 0 {
		rows = append(rows, row)
	}
	if len(rows) > maxRows {
		rows = rows[:maxRows]
	}
	return rows
}

// modal builds the modal that asks for the text of cmd (a command line
// of the core's table, carried in the custom id). in.Label must not be
// empty (see inputFor).
func modal(cmd, title string, in bot.Input) *discordgo.InteractionResponse {
	style := discordgo.TextInputShort
	if in.Paragraph {
		style = discordgo.TextInputParagraph
	}
	label := shortLabel(in.Label)
	max := in.MaxLength
	if max <= 0 || max > maxInput {
		max = maxInput
	}
	if title == "" {
		title = label
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{
			CustomID: idModal + cmd,
			Title:    shortLabel(title),
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{
				Components: []discordgo.MessageComponent{discordgo.TextInput{
					CustomID:    inputID,
					Label:       label,
					Style:       style,
					Placeholder: cut(in.Placeholder, 100),
					Required:    in.Required,
					MaxLength:   max,
				}},
			}},
		},
	}
}

// modalText returns the text typed into a submitted modal, and false when
// the submission carries no text field at all. It walks the components
// defensively: newer component types (Label, 18) decode to nil in
// discordgo v0.29.0.
func modalText(data discordgo.ModalSubmitInteractionData) (string, bool) {
	var parts []string
	found := false
	var walk func([]discordgo.MessageComponent)
	walk = func(cs []discordgo.MessageComponent) {
		for _, c := range cs {
			switch x := c.(type) {
			case *discordgo.ActionsRow:
				walk(x.Components)
			case discordgo.ActionsRow:
				walk(x.Components)
			case *discordgo.TextInput:
				parts, found = append(parts, x.Value), true
			case discordgo.TextInput:
				parts, found = append(parts, x.Value), true
			}
		}
	}
	walk(data.Components)
	return strings.TrimSpace(strings.Join(parts, "\n")), found
}

// shortLabel fits a label into Discord's 45 characters for modal titles
// and field labels: it drops a trailing "(…)" aside, else cuts at a word.
func shortLabel(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= maxTitle {
		return s
	}
	if i := strings.Index(s, " ("); i > 0 && utf8.RuneCountInString(s[:i]) <= maxTitle {
		return s[:i]
	}
	head := string([]rune(s)[:maxTitle]) // a space at the end is a word's end
	if i := strings.LastIndex(head, " "); i > maxTitle/2 {
		return head[:i] + "…"
	}
	return string([]rune(s)[:maxTitle-1]) + "…"
}

// askFor returns the modal title and Input for an "ask" command line:
// those the core sent with the action, else the command's own (see
// inputFor). It returns false when the line names no command that takes
// text.
func (a *Adapter) askFor(t *bot.Table, line string) (string, bot.Input, bool) {
	if act, ok := a.inputs.get(line); ok && act.Input.Label != "" {
		return act.Label, *act.Input, true
	}
	cmd, ok := t.ParseLine(line)
	if !ok {
		return "", bot.Input{}, false
	}
	in, ok := inputFor(cmd)
	return in.Label, in, ok
}

// inputFor describes the field for the text cmd.WithInput would take:
// the command's form argument's Input, else a field for its first free-text
// argument not given yet, labelled with the argument's help. Every label
// comes from the table.
func inputFor(cmd bot.Command) (bot.Input, bool) {
	spec := cmd.Spec()
	if spec == nil {
		return bot.Input{}, false
	}
	if a, ok := spec.FormArg(); ok {
		in := *a.Input
		if in.Label == "" {
			in.Label = firstOf(a.Help, a.Name)
		}
		return in, true
	}
	for _, a := range spec.Args {
		if a.Kind == bot.ArgText && !cmd.Has(a.Name) {
			return bot.Input{Label: firstOf(a.Help, a.Name), Paragraph: true, Required: true, MaxLength: a.Max}, true
		}
	}
	return bot.Input{}, false
}
