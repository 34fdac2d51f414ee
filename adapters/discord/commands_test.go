package discord

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store/storetest"
)

// tableSpecs returns the core's real command table.
func tableSpecs(t *testing.T) []*bot.CommandSpec {
	b, err := bot.New(bot.Options{Store: storetest.Open(t), Platform: bot.Router{}})
	if err != nil {
		t.Fatal(err)
	}
	return b.Commands()
}

// TestCommandsRegistered ensures the bot connects with the guilds intent
// only and registers, per configured guild, the slash commands generated
// from the core's table, in the shape Discord accepts.
func TestCommandsRegistered(t *testing.T) {
	h := newHarness(t)
	if intents := h.f.Intents(); intents != int64(discordgo.IntentsGuilds) {
		t.Errorf("identified with intents %d, want guilds only", intents)
	}
	reqs := h.f.RequestsTo("PUT", `^/api/v9/applications/`+dt.AppID+`/guilds/`+guildID+`/commands$`)
	if len(reqs) != 1 || reqs[0].Status != 200 {
		t.Fatalf("bulk overwrite requests: %+v", reqs)
	}
	var cmds []*discordgo.ApplicationCommand
	if err := json.Unmarshal(reqs[0].Body, &cmds); err != nil {
		t.Fatal(err)
	}
	byName := map[string]*discordgo.ApplicationCommand{}
	var names []string
	for _, c := range cmds {
		byName[c.Name] = c
		names = append(names, c.Name)
	}
	want := []string{"checkin", "pass", "round", "agreement", "agree", "crisis", "crisis-country", "crisis-default",
		"support", "facilitators", "mydata", "forgetme", "group", "help"}
	for _, s := range h.b.Commands() {
		want = append(want, optionName(s.Name))
	}
	for _, w := range want {
		if !slices.Contains(names, w) {
			t.Errorf("/%s not registered (registered %v)", w, names)
		}
	}
	if !strings.Contains(h.logs.String(), `"invite_url":"https://discord.com/oauth2/authorize?client_id=`+dt.AppID) {
		t.Errorf("the invite URL was not logged")
	}
	if len(cmds) > 100 {
		t.Errorf("%d commands; Discord allows 100", len(cmds))
	}

	checkin := byName["checkin"]
	opts := map[string]*discordgo.ApplicationCommandOption{}
	for _, o := range checkin.Options {
		opts[o.Name] = o
	}
	if o := opts["colour"]; o == nil || o.Type != discordgo.ApplicationCommandOptionString || len(o.Choices) != 3 || o.Choices[2].Value != "red" {
		t.Errorf("/checkin colour option: %+v", o)
	}
	if o := opts["private"]; o == nil || o.Type != discordgo.ApplicationCommandOptionBoolean {
		t.Errorf("/checkin private option: %+v", o)
	}
	if o := opts["words"]; o == nil || o.Type != discordgo.ApplicationCommandOptionString {
		t.Errorf("/checkin words option: %+v", o)
	}
	if c := byName["checkin"]; c.DefaultMemberPermissions != nil || !slices.Contains(*c.Contexts, discordgo.InteractionContextBotDM) {
		t.Errorf("/checkin must be open to members and work in DMs")
	}

	round := byName["round"]
	var subs []string
	for _, o := range round.Options {
		if o.Type != discordgo.ApplicationCommandOptionSubCommand {
			t.Errorf("/round option %s is not a subcommand", o.Name)
		}
		subs = append(subs, o.Name)
	}
	if !slices.Equal(subs, []string{"start", "end", "status"}) || round.DefaultMemberPermissions != nil {
		t.Errorf("/round subcommands %v, default permissions %v", subs, round.DefaultMemberPermissions)
	}
	for _, name := range []string{"facilitators", "crisis-default"} {
		if p := byName[name].DefaultMemberPermissions; p == nil || *p != discordgo.PermissionManageMessages {
			t.Errorf("/%s default member permissions = %v, want Manage Messages", name, p)
		}
	}
	if o := byName["crisis"].Options; len(o) != 1 || !o[0].Autocomplete {
		t.Errorf("/crisis country option must autocomplete: %+v", o)
	}
	for _, o := range byName["agreement"].Options {
		if o.Name == "set" && len(o.Options) != 0 {
			t.Errorf("/agreement set takes its text in a modal, not an option: %+v", o.Options)
		}
	}
	if o := byName["forgetme"].Options; len(o) != 1 || o[0].Name != "confirm" || o[0].Type != discordgo.ApplicationCommandOptionBoolean {
		t.Errorf("/forgetme options: %+v", o)
	}
}

// TestCommandLine ensures slash options become the line the text form
// would be, in the table's argument order.
func TestCommandLine(t *testing.T) {
	specs := tableSpecs(t)
	tests := []struct {
		name string
		data discordgo.ApplicationCommandInteractionData
		want string
	}{
		{"options in arg order", discordgo.ApplicationCommandInteractionData{Name: "checkin", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "words", Type: 3, Value: "tired\nbut here"}, {Name: "colour", Type: 3, Value: "amber"}, {Name: "private", Type: 5, Value: true},
		}}, "checkin private amber tired\nbut here"},
		{"false flag left out", discordgo.ApplicationCommandInteractionData{Name: "checkin", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "private", Type: 5, Value: false}, {Name: "colour", Type: 3, Value: "green"},
		}}, "checkin green"},
		{"subcommand with int", discordgo.ApplicationCommandInteractionData{Name: "round", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "start", Type: 1, Options: []*discordgo.ApplicationCommandInteractionDataOption{{Name: "minutes", Type: 4, Value: float64(45)}, {Name: "prompt", Type: 3, Value: "One word"}}},
		}}, "round start 45 One word"},
		{"sub as own command", discordgo.ApplicationCommandInteractionData{Name: "crisis-country", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "country", Type: 3, Value: "IE"},
		}}, "crisis country IE"},
		{"sub as flag", discordgo.ApplicationCommandInteractionData{Name: "forgetme", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "confirm", Type: 5, Value: true},
		}}, "forgetme confirm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sl, err := commandLine(specs, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if sl.Line != tt.want {
				t.Errorf("line = %q, want %q", sl.Line, tt.want)
			}
			if _, ok := bot.ParseLine(sl.Line); !ok {
				t.Errorf("line %q does not parse", sl.Line)
			}
		})
	}
	sl, err := commandLine(specs, discordgo.ApplicationCommandInteractionData{Name: "agreement", Options: []*discordgo.ApplicationCommandInteractionDataOption{{Name: "set", Type: 1}}})
	if err != nil || sl.Modal == nil || sl.Line != "agreement set" || !sl.Modal.Input.Paragraph {
		t.Errorf("/agreement set: %+v, %v; want a paragraph modal", sl, err)
	}
	if _, err := commandLine(specs, discordgo.ApplicationCommandInteractionData{Name: "nope"}); err == nil {
		t.Error("unknown command accepted")
	}
}

// TestShards ensures a second shard identifies as such and leaves command
// registration to shard 0.
func TestShards(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.ShardID, c.ShardCount = 1, 2 })
	if sh := h.f.Shard(); sh == nil || *sh != [2]int{1, 2} {
		t.Errorf("identified as shard %v, want [1 2]", sh)
	}
	if n := len(h.f.RequestsTo("PUT", `/commands$`)); n != 0 {
		t.Errorf("shard 1 registered commands %d times", n)
	}
}
