package discord

import (
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// Custom ids carry the command an action runs, so a button still works
// after a restart: "pb:" runs it, "pbi:" first opens a modal asking for
// text, and "pbm:" is that modal's submission (the text is appended).
const (
	idRun     = "pb:"
	idAsk     = "pbi:"
	idModal   = "pbm:"
	inputID   = "text"
	maxID     = 100
	maxLabel  = 80
	maxButton = 5 // buttons per row
	maxRows   = 5
	maxTitle  = 45 // modal title and text input label
)

// inputs remembers the Input of each "ask" action seen, by command, so the
// modal shows the core's label and limits. After a restart an unknown
// command gets a plain "Your words" field.
type inputs struct {
	mu sync.Mutex
	m  map[string]bot.Input
}

func (in *inputs) put(cmd string, i bot.Input) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.m == nil {
		in.m = map[string]bot.Input{}
	}
	in.m[cmd] = i
}

func (in *inputs) get(cmd string) (bot.Input, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	i, ok := in.m[cmd]
	return i, ok
}

// buttons renders actions as rows of buttons. Actions whose command does
// not fit in a custom id are left out (the core's text names the text
// command too).
func (a *Adapter) buttons(actions []bot.Action) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	var row discordgo.ActionsRow
	for _, act := range actions {
		cmd := strings.TrimSpace(act.Command)
		id := idRun + cmd
		if act.Input != nil {
			id = idAsk + cmd
			a.inputs.put(cmd, *act.Input)
		}
		if cmd == "" || len(id) > maxID {
			a.log.Warn().Int("length", len(id)).Msg("Action command too long for a button")
			continue
		}
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

// modal builds the modal that asks for the text of cmd.
func modal(cmd, title string, in bot.Input) *discordgo.InteractionResponse {
	style := discordgo.TextInputShort
	if in.Paragraph {
		style = discordgo.TextInputParagraph
	}
	label := in.Label
	if label == "" {
		label = "Your words"
	}
	max := in.MaxLength
	if max <= 0 || max > 4000 {
		max = 4000
	}
	if title == "" {
		title = label
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{
			CustomID: idModal + cmd,
			Title:    cut(title, maxTitle),
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{
				Components: []discordgo.MessageComponent{discordgo.TextInput{
					CustomID:    inputID,
					Label:       cut(label, maxTitle),
					Style:       style,
					Placeholder: cut(in.Placeholder, 100),
					Required:    in.Required,
					MaxLength:   max,
				}},
			}},
		},
	}
}

// modalText returns the text typed into a submitted modal. It walks the
// components defensively: newer component types (Label, 18) decode to nil
// in discordgo v0.29.0.
func modalText(data discordgo.ModalSubmitInteractionData) string {
	var parts []string
	var walk func([]discordgo.MessageComponent)
	walk = func(cs []discordgo.MessageComponent) {
		for _, c := range cs {
			switch x := c.(type) {
			case *discordgo.ActionsRow:
				walk(x.Components)
			case discordgo.ActionsRow:
				walk(x.Components)
			case *discordgo.TextInput:
				parts = append(parts, x.Value)
			case discordgo.TextInput:
				parts = append(parts, x.Value)
			}
		}
	}
	walk(data.Components)
	return strings.TrimSpace(strings.Join(parts, "\n"))
}

// inputFor returns the Input to show for an "ask" command: the one the
// core sent with the action, else the command's own modal argument, else a
// plain field.
func (a *Adapter) inputFor(specs []*bot.CommandSpec, cmd string) bot.Input {
	if in, ok := a.inputs.get(cmd); ok {
		return in
	}
	c, ok := bot.ParseLine(cmd)
	if ok {
		for _, s := range specs {
			if s.Name != c.Name {
				continue
			}
			args := s.Args
			if len(c.Args) > 0 {
				for _, sub := range s.Sub {
					if strings.EqualFold(sub.Name, c.Args[0]) {
						args = sub.Args
					}
				}
			}
			if arg, ok := modalArg(args); ok {
				return *arg.Input
			}
		}
	}
	return bot.Input{Label: "Your words", Paragraph: true, MaxLength: 500}
}
