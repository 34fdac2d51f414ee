package discord

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
	"github.com/peerbot/peerbot/bot"
)

// TestCommandsRegistered ensures the bot connects with the guilds and
// direct messages intents only (no privileged intent, no guild messages)
// and registers, per configured guild, the slash commands generated
// from the core's table, in the shape Discord accepts: typed options with
// the table's limits, choices, autocomplete for countries, facilitators'
// commands hidden from others, DM contexts where a command works
// privately, Hidden aliases left out.
func TestCommandsRegistered(t *testing.T) {
	h := newHarness(t)
	if intents := h.f.Intents(); intents != int64(discordgo.IntentsGuilds|discordgo.IntentsDirectMessages) {
		t.Errorf("identified with intents %d, want guilds and direct messages only", intents)
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
		"support", "facilitators", "mydata", "forgetme", "timezone", "schedule", "remind", "group", "help"}
	for _, s := range h.b.Commands().Specs() {
		want = append(want, optionName(s.Name))
	}
	for _, w := range want {
		if !slices.Contains(names, w) {
			t.Errorf("/%s not registered (registered %v)", w, names)
		}
	}
	for _, hidden := range []string{"checkin-start", "checkin-end"} {
		if byName[hidden] != nil {
			t.Errorf("Hidden alias registered as /%s", hidden)
		}
	}
	if !strings.Contains(h.logs.String(), `"invite_url":"https://discord.com/oauth2/authorize?client_id=`+dt.AppID) {
		t.Errorf("the invite URL was not logged")
	}
	if len(cmds) > 100 {
		t.Errorf("%d commands; Discord allows 100", len(cmds))
	}

	opts := func(os []*discordgo.ApplicationCommandOption) map[string]*discordgo.ApplicationCommandOption {
		m := map[string]*discordgo.ApplicationCommandOption{}
		for _, o := range os {
			m[o.Name] = o
		}
		return m
	}
	checkin := opts(byName["checkin"].Options)
	if o := checkin["colour"]; o == nil || o.Type != discordgo.ApplicationCommandOptionString || len(o.Choices) != 3 || o.Choices[2].Value != "red" {
		t.Errorf("/checkin colour option: %+v", o)
	}
	if o := checkin["private"]; o == nil || o.Type != discordgo.ApplicationCommandOptionBoolean {
		t.Errorf("/checkin private option: %+v", o)
	}
	if o := checkin["words"]; o == nil || o.Type != discordgo.ApplicationCommandOptionString || o.MaxLength != 500 {
		t.Errorf("/checkin words option: %+v, want a string of at most 500", o)
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
	if slices.Contains(*round.Contexts, discordgo.InteractionContextBotDM) {
		t.Errorf("/round offered in DMs; it works only in a group's channel")
	}
	start := opts(round.Options[0].Options)
	if o := start["minutes"]; o == nil || o.Type != discordgo.ApplicationCommandOptionInteger || o.MinValue == nil || *o.MinValue != 1 || o.MaxValue != 1440 {
		t.Errorf("/round start minutes: %+v, want an integer from 1 to 1440", o)
	}
	if o := start["prompt"]; o == nil || o.Type != discordgo.ApplicationCommandOptionString || o.MaxLength != 200 {
		t.Errorf("/round start prompt: %+v, want a string of at most 200", o)
	}
	for _, name := range []string{"facilitators", "crisis-default", "schedule"} {
		if p := byName[name].DefaultMemberPermissions; p == nil || *p != discordgo.PermissionManageMessages {
			t.Errorf("/%s default member permissions = %v, want Manage Messages", name, p)
		}
	}
	if o := byName["crisis"].Options; len(o) != 1 || !o[0].Autocomplete || o[0].MaxLength != 100 {
		t.Errorf("/crisis country option must autocomplete: %+v", o)
	}
	var agreementSubs []string
	for _, o := range byName["agreement"].Options {
		agreementSubs = append(agreementSubs, o.Name)
		if o.Name == "set" && len(o.Options) != 0 {
			t.Errorf("/agreement set takes its text in a modal, not an option: %+v", o.Options)
		}
	}
	if !slices.Equal(agreementSubs, []string{"show", "set", "default", "post", "who"}) {
		t.Errorf("/agreement subcommands %v; /agreement cannot run bare, so show must stay", agreementSubs)
	}
	if o := byName["forgetme"].Options; len(o) != 1 || o[0].Name != "confirm" || o[0].Type != discordgo.ApplicationCommandOptionBoolean {
		t.Errorf("/forgetme options: %+v", o)
	}
	if o := opts(byName["remind"].Options)["switch"]; o == nil || !o.Required || len(o.Choices) != 2 || o.Choices[0].Value != "on" {
		t.Errorf("/remind switch: %+v", o)
	}
	if o := opts(byName["timezone"].Options)["zone"]; o == nil || o.Type != discordgo.ApplicationCommandOptionString {
		t.Errorf("/timezone zone: %+v", o)
	}
	var remove *discordgo.ApplicationCommandOption
	for _, o := range byName["schedule"].Options {
		if o.Name == "remove" {
			remove = opts(o.Options)["number"]
		}
	}
	if remove == nil || remove.Type != discordgo.ApplicationCommandOptionInteger || !remove.Required || remove.MinValue == nil || *remove.MinValue != 1 {
		t.Errorf("/schedule remove number: %+v", remove)
	}
}

// opt is an option as Discord sends it.
func opt(name string, typ discordgo.ApplicationCommandOptionType, v any) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: typ, Value: v}
}

func subOpt(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionSubCommand, Options: opts}
}

func data(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) discordgo.ApplicationCommandInteractionData {
	return discordgo.ApplicationCommandInteractionData{Name: name, Options: opts}
}

// TestSlashCommand ensures slash options become the typed command they
// name, each value only its own argument's: words that read as a colour,
// a flag or a number stay words.
func TestSlashCommand(t *testing.T) {
	table := bot.CommandTable()
	ss := newSlashSet(table)
	const str, integer, boolean = discordgo.ApplicationCommandOptionString, discordgo.ApplicationCommandOptionInteger, discordgo.ApplicationCommandOptionBoolean
	tests := []struct {
		name string
		data discordgo.ApplicationCommandInteractionData
		want string
	}{
		{"options in any order", data("checkin", opt("words", str, "tired\nbut here"), opt("colour", str, "amber"), opt("private", boolean, true)),
			`checkin colour=🟠 amber private=true words="tired\nbut here"`},
		{"red words are words", data("checkin", opt("words", str, "red flag at work today")), `checkin words="red flag at work today"`},
		{"private words are not the flag", data("checkin", opt("words", str, "private matter")), `checkin words="private matter"`},
		{"false flag", data("checkin", opt("private", boolean, false), opt("colour", str, "green")), `checkin colour=🟢 green`},
		{"a prompt starting with a number", data("round", subOpt("start", opt("prompt", str, "3 good things"))), `round start prompt="3 good things"`},
		{"subcommand with int", data("round", subOpt("start", opt("minutes", integer, float64(45)), opt("prompt", str, "One word"))),
			`round start minutes=45 prompt="One word"`},
		{"words naming a subcommand", data("checkin", opt("words", str, "start 45")), `checkin words="start 45"`},
		{"sub as own command", data("crisis-country", opt("country", str, "IE")), `crisis country country="IE"`},
		{"sub as flag", data("forgetme", opt("confirm", boolean, true)), `forgetme confirm`},
		{"sub flag off", data("forgetme", opt("confirm", boolean, false)), `forgetme`},
		{"kept alias", data("agreement", subOpt("show")), `agreement show`},
		{"days and time", data("schedule", subOpt("round", opt("days", str, "tue,thu"), opt("time", str, "19:00"))),
			`schedule round days=[Tuesday Thursday] time=1140`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd, err := ss.command(table, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if got := cmd.String(); got != tt.want {
				t.Errorf("command = %s\nwant      %s", got, tt.want)
			}
		})
	}
	for name, d := range map[string]discordgo.ApplicationCommandInteractionData{
		"unknown command":       data("nope"),
		"unknown option":        data("checkin", opt("mood", str, "ok")),
		"no subcommand":         data("round"),
		"unknown subcommand":    data("round", subOpt("restart")),
		"string for sub switch": data("forgetme", opt("confirm", str, "yes")),
	} {
		if cmd, err := ss.command(table, d); err == nil {
			t.Errorf("%s accepted as %s", name, cmd)
		}
	}
	for _, d := range []discordgo.ApplicationCommandInteractionData{
		data("remind", opt("switch", str, " ")),
		data("schedule", subOpt("round", opt("days", str, "  "), opt("time", str, "19:00"))),
	} {
		if cmd, err := ss.command(table, d); err != nil || cmd.Err() == nil {
			t.Errorf("a blank required option gave %s, %v; want the core to say what is missing", cmd, err)
		}
	}
	cmd, err := ss.command(table, data("agreement", subOpt("set")))
	form, ok := formNeeded(cmd)
	if err != nil || !ok || form.Input == nil || !form.Input.Paragraph {
		t.Errorf("/agreement set: %s, %v; want a paragraph modal", cmd, err)
	}
	if got := cmd.WithInput("Be kind.\ngreen light").String(); got != `agreement set text="Be kind.\ngreen light"` {
		t.Errorf("modal text: %s", got)
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
