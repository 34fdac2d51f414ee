package discord

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
)

// buttonLabels lists the labels of a message's buttons.
func buttonLabels(m dt.Message) []string {
	var out []string
	for _, row := range dt.DecodeComponents(m.Components) {
		for _, c := range row.Components {
			out = append(out, c.Label)
		}
	}
	return out
}

// mustSay fails unless got contains every one of want.
func mustSay(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s: %q lacks %q", what, got, w)
		}
	}
}

// TestGroupLanguageGerman ensures a group set to German gets its round,
// buttons, agreement, help, red note and crisis answers in German, and
// the commands members type stay English (/checkin).
func TestGroupLanguageGerman(t *testing.T) {
	h := newHarness(t)
	set := h.said(h.slash(fac, groupCh, "facilitator", "language", dt.O("code", "de")))
	mustSay(t, "language set", set, "Die Sprache dieser Gruppe ist jetzt Deutsch (de).")

	start := h.slash(fac, groupCh, "facilitator", "round start", dt.O("minutes", 30))
	if got := h.said(start); got != "Erledigt." {
		t.Errorf("round start answered %q, want Erledigt.", got)
	}
	status := h.lastMessage(groupCh)
	mustSay(t, "round status", status.Content, "**Check-in-Runde**", "Wie kommst du heute an?", "Passen ist immer in Ordnung", "`/checkin green, amber oder red`")
	if got := strings.Join(buttonLabels(status), ","); got != "Grün,Orange,Rot,Passen,Worte hinzufügen" {
		t.Errorf("round buttons: %s", got)
	}

	red := h.said(h.slash(ana, groupCh, "checkin", "", dt.O("colour", "red")))
	mustSay(t, "red note", red, "Danke, dass du es mir sagst. Du musst das nicht allein tragen.",
		"Hilfe, die du jetzt erreichst, Vereinigtes Königreich", "Samaritans", "rund um die Uhr", "`/support`")
	if strings.Contains(red, "Thank you") {
		t.Errorf("red note has English: %q", red)
	}

	crisis := h.said(h.slash(ben, groupCh, "crisis", ""))
	mustSay(t, "crisis", crisis, "In akuter Gefahr: ruf", "Das voreingestellte Land dieses Bots: Vereinigtes Königreich.", "`/crisis <Land>`")

	agreement := h.said(h.slash(ben, groupCh, "agreement", "show"))
	mustSay(t, "agreement", agreement, "Unsere Gruppenvereinbarung", "Du kannst immer passen.", "`/agree`")

	help := h.said(h.slash(ben, groupCh, "help", ""))
	mustSay(t, "help", help, "Was ich kann", "`/checkin` — In der offenen Runde einchecken")

	// The agreement form is labelled in German too.
	open := h.slash(fac, groupCh, "facilitator", "agreement set")
	var form struct {
		Title      string         `json:"title"`
		Components []dt.Component `json:"components"`
	}
	_ = json.Unmarshal(open.Data, &form)
	if open.Response != 9 || !strings.HasPrefix(form.Title, "Die Vereinbarung") || len(form.Components) != 1 ||
		form.Components[0].Components[0].Label != "Die Gruppenvereinbarung" {
		t.Errorf("agreement form: %s", open.Data)
	}
}

// TestMemberLocaleFrench ensures a member whose Discord app is in French
// gets French private answers in an English group, while what the group
// sees stays English, and that a member's own choice beats the app's.
func TestMemberLocaleFrench(t *testing.T) {
	h := newHarness(t)
	h.f.AddUser(dt.User{ID: "400000000000000005", Name: "Élise", Locale: "fr"})
	const elise = "400000000000000005"

	start := h.slash(fac, groupCh, "facilitator", "round start", dt.O("minutes", 30))
	h.ephemeral(start)
	status := h.lastMessage(groupCh)
	mustSay(t, "round status", status.Content, "**Check-in round**")

	help := h.said(h.slash(elise, groupCh, "help", ""))
	mustSay(t, "help", help, "Ce que je peux faire", "`/checkin`")
	red := h.said(h.slash(elise, groupCh, "checkin", "", dt.O("colour", "red")))
	mustSay(t, "red note", red, "Merci de me le dire.", "Royaume-Uni", "`/support`")
	h.flush()
	mustSay(t, "round status after", h.lastMessage(groupCh).Content, "Élise", ": checked in")

	// Ana's app is English; she chooses German for her private answers.
	mine := h.said(h.slash(ana, groupCh, "language-me", "", dt.O("code", "de")))
	mustSay(t, "language me", mine, "Ich antworte dir privat auf Deutsch (de).")
	mustSay(t, "help in German", h.said(h.slash(ana, groupCh, "help", "")), "Was ich kann")

	// Élise chooses English over her app's French.
	h.said(h.slash(elise, groupCh, "language-me", "", dt.O("code", "en")))
	mustSay(t, "help in English", h.said(h.slash(elise, groupCh, "help", "")), "What I can do")
}

// TestCommandLocalizations ensures the registered commands carry
// descriptions in every language, names English.
func TestCommandLocalizations(t *testing.T) {
	h := newHarness(t)
	var cmds []*discordgo.ApplicationCommand
	for _, r := range h.f.Requests() {
		if r.Method == "PUT" && strings.Contains(r.Path, "/commands") {
			if err := json.Unmarshal(r.Body, &cmds); err != nil {
				t.Fatal(err)
			}
		}
	}
	var checkin *discordgo.ApplicationCommand
	for _, c := range cmds {
		if c.Name == "checkin" {
			checkin = c
		}
		if c.Name == facilitatorCommand {
			continue
		}
		if c.Type == discordgo.MessageApplicationCommand {
			// A message menu entry has a name and no description.
			if c.NameLocalizations == nil || (*c.NameLocalizations)[discordgo.German] == "" {
				t.Errorf("%q has no name localizations", c.Name)
			}
			continue
		}
		if c.DescriptionLocalizations == nil {
			t.Errorf("/%s has no description localizations", c.Name)
			continue
		}
		for _, loc := range []discordgo.Locale{discordgo.German, discordgo.SpanishES, discordgo.SpanishLATAM, discordgo.French, discordgo.PortugueseBR} {
			d := (*c.DescriptionLocalizations)[loc]
			if d == "" || len([]rune(d)) > maxDescLen {
				t.Errorf("/%s description in %s: %q", c.Name, loc, d)
			}
		}
	}
	if checkin == nil {
		t.Fatal("no /checkin")
	}
	if d := (*checkin.DescriptionLocalizations)[discordgo.German]; !strings.HasPrefix(d, "In der offenen Runde einchecken") {
		t.Errorf("/checkin in German: %q", d)
	}
	for _, o := range checkin.Options {
		if o.Name == "colour" {
			for _, ch := range o.Choices {
				if ch.Value == "red" && ch.NameLocalizations[discordgo.PortugueseBR] == "" {
					t.Errorf("colour red has no Portuguese label: %+v", ch)
				}
			}
		}
		if o.DescriptionLocalizations[discordgo.French] == "" {
			t.Errorf("/checkin %s has no French description", o.Name)
		}
	}
}
