package discord

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/rs/zerolog"

	"github.com/peerbot/peerbot/bot"
)

// TestShortLabel ensures modal titles and labels fit Discord's 45
// characters without cutting a word in half where avoidable.
func TestShortLabel(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Add words", "Add words"},
		{"How are you arriving? (a colour word first is fine)", "How are you arriving?"},
		{"One two three four five six seven eight nine ten eleven", "One two three four five six seven eight nine…"},
		{strings.Repeat("x", 50), strings.Repeat("x", 44) + "…"},
	}
	for _, tt := range tests {
		got := shortLabel(tt.in)
		if got != tt.want || utf8.RuneCountInString(got) > maxTitle {
			t.Errorf("shortLabel(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestButtons ensures actions become Discord buttons within its limits:
// unique custom ids carrying the command, at most 5 per row, a modal
// marker for actions that ask for text, and a server id on DM buttons.
func TestButtons(t *testing.T) {
	a := &Adapter{log: zerolog.Nop()}
	acts := []bot.Action{
		{Command: "checkin green", Label: "Green", Emoji: "🟢"},
		{Command: "checkin green", Label: "Again"},
		{Command: "pass", Label: "Pass"},
		{Command: strings.Repeat("x", 120), Label: "Too long"},
		{Command: "checkin", Label: "Add words", Input: &bot.Input{Label: "Words"}},
		{Command: "a"}, {Command: "b"}, {Command: "c"},
	}
	rows := a.buttons(acts, "")
	var ids []string
	for _, r := range rows {
		row := r.(discordgo.ActionsRow)
		if len(row.Components) > 5 {
			t.Errorf("row with %d buttons", len(row.Components))
		}
		for _, c := range row.Components {
			ids = append(ids, c.(discordgo.Button).CustomID)
		}
	}
	want := []string{"pb:checkin green", "pb:pass", "pbi:checkin", "pb:a", "pb:b", "pb:c"}
	if strings.Join(ids, "|") != strings.Join(want, "|") || len(rows) != 2 {
		t.Errorf("buttons %v in %d rows, want %v in 2", ids, len(rows), want)
	}
	if act, ok := a.inputs.get("checkin"); !ok || act.Label != "Add words" {
		t.Errorf("ask action not remembered: %+v", act)
	}
	dm := a.buttons([]bot.Action{{Command: "agree", Label: "I agree"}}, "42")
	if id := dm[0].(discordgo.ActionsRow).Components[0].(discordgo.Button).CustomID; id != "pbg:42:agree" {
		t.Errorf("DM button id %q", id)
	}
}

// TestModalText ensures a submitted modal's text is read from its field,
// and a submission without any field is told apart from an empty one.
func TestModalText(t *testing.T) {
	field := func(v string) discordgo.ModalSubmitInteractionData {
		return discordgo.ModalSubmitInteractionData{CustomID: idModal + "checkin", Components: []discordgo.MessageComponent{
			&discordgo.ActionsRow{Components: []discordgo.MessageComponent{&discordgo.TextInput{CustomID: inputID, Value: v}}}}}
	}
	if text, ok := modalText(field("  amber\ntired  ")); !ok || text != "amber\ntired" {
		t.Errorf("modalText = %q, %v", text, ok)
	}
	if text, ok := modalText(field("")); !ok || text != "" {
		t.Errorf("empty field: %q, %v", text, ok)
	}
	if _, ok := modalText(discordgo.ModalSubmitInteractionData{CustomID: idModal + "checkin"}); ok {
		t.Error("a submission without fields was read")
	}
}

// TestInputFor ensures the modal for a command without the core's action
// at hand (after a restart) is described from the table: the form
// argument's own field, else the first free-text argument's help.
func TestInputFor(t *testing.T) {
	table := bot.CommandTable()
	set, _ := table.ParseLine("agreement set")
	if in, ok := inputFor(set); !ok || !in.Paragraph || !in.Required || in.Label == "" {
		t.Errorf("agreement set: %+v, %v", in, ok)
	}
	checkin, _ := table.ParseLine("checkin green")
	if in, ok := inputFor(checkin); !ok || in.Label != "A few words, if you like" || in.MaxLength != 500 || !in.Required {
		t.Errorf("checkin green: %+v, %v", in, ok)
	}
	pass, _ := table.ParseLine("pass")
	if in, ok := inputFor(pass); ok {
		t.Errorf("pass takes no text, yet got %+v", in)
	}
	a := &Adapter{log: zerolog.Nop()}
	a.buttons([]bot.Action{{Command: "checkin", Label: "Add words", Input: &bot.Input{Label: "How are you arriving?"}}}, "")
	if title, in, ok := a.askFor(table, "checkin"); !ok || title != "Add words" || in.Label != "How are you arriving?" {
		t.Errorf("askFor with the core's action: %q, %+v, %v", title, in, ok)
	}
}
