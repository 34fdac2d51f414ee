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
// the table's limits, choices, autocomplete for countries, DM contexts
// where a command works privately, Hidden aliases left out; and every
// facilitators' command under /facilitator, which members do not see
// (default_member_permissions) and which works in servers only, while no
// other command holds anything only facilitators may do.
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
	want := []string{"checkin", "pass", "round", "agreement", "agree", "crisis", "crisis-country", "support", "safer",
		"mydata", "forgetme", "timezone", "remind", "language", "language-me", "group", "help", "reply", "done", "tip", "facilitator", cwMenu}
	if !slices.Equal(names, want) {
		t.Errorf("registered %v\nwant       %v", names, want)
	}
	if !strings.Contains(h.logs.String(), `"invite_url":"https://discord.com/oauth2/authorize?client_id=`+dt.AppID) {
		t.Errorf("the invite URL was not logged")
	}

	// Only /facilitator is hidden from members, and it holds nothing
	// members may run; no other command holds anything only facilitators
	// may run.
	for _, c := range cmds {
		hidden := c.DefaultMemberPermissions != nil
		if hidden != (c.Name == facilitatorCommand || c.Name == cwMenu) {
			t.Errorf("/%s default member permissions %v", c.Name, c.DefaultMemberPermissions)
		}
	}
	for _, v := range variants(newSlashSet(h.b.Commands())) {
		cmd, err := newSlashSet(h.b.Commands()).command(h.b.Commands(), v.data(requiredOnly(v)))
		if err != nil {
			t.Errorf("/%s %s: %v", v.cmd, v.path(), err)
			continue
		}
		spec := cmd.Spec()
		only := spec.Access == bot.FacilitatorsOnly || slices.ContainsFunc(facilitatorArgs[cmd.Name], cmd.Has)
		if only != (v.cmd == facilitatorCommand) {
			t.Errorf("/%s %s runs %s (facilitators only: %v)", v.cmd, v.path(), cmd, only)
		}
	}
	fc, ok := h.f.Command(guildID, facilitatorCommand)
	if !ok || fc.DefaultMemberPermissions == nil || *fc.DefaultMemberPermissions != discordgo.PermissionManageMessages {
		t.Errorf("/facilitator recorded with %+v, want Manage Messages", fc.DefaultMemberPermissions)
	}
	if !slices.Equal(fc.Contexts, []int{0}) {
		t.Errorf("/facilitator contexts %v, want servers only (in a DM Discord would show it to anyone)", fc.Contexts)
	}

	opts := func(os []*discordgo.ApplicationCommandOption) map[string]*discordgo.ApplicationCommandOption {
		m := map[string]*discordgo.ApplicationCommandOption{}
		for _, o := range os {
			m[o.Name] = o
		}
		return m
	}
	facOpts := opts(byName[facilitatorCommand].Options)
	var facNames []string
	for _, o := range byName[facilitatorCommand].Options {
		facNames = append(facNames, o.Name)
	}
	if !slices.Equal(facNames, []string{"round", "cw", "agreement", "crisis", "signpost", "facilitators", "timezone", "schedule", "language", "tip"}) {
		t.Errorf("/facilitator holds %v", facNames)
	}
	subNames := func(o *discordgo.ApplicationCommandOption) []string {
		var out []string
		for _, s := range o.Options {
			if s.Type != discordgo.ApplicationCommandOptionSubCommand {
				t.Errorf("/facilitator %s option %s is not a subcommand", o.Name, s.Name)
			}
			out = append(out, s.Name)
		}
		return out
	}
	for group, subs := range map[string][]string{
		"round": {"start", "end", "closing"}, "agreement": {"set", "default", "post", "who"},
		"crisis": {"default"}, "schedule": {"round", "list", "remove", "skip", "pause", "resume"},
	} {
		o := facOpts[group]
		if o == nil || o.Type != discordgo.ApplicationCommandOptionSubCommandGroup || !slices.Equal(subNames(o), subs) {
			t.Errorf("/facilitator %s: %+v, want a group of %v", group, o, subs)
		}
	}
	for _, sub := range []string{"signpost", "facilitators", "timezone"} {
		if o := facOpts[sub]; o == nil || o.Type != discordgo.ApplicationCommandOptionSubCommand {
			t.Errorf("/facilitator %s: %+v, want a subcommand", sub, o)
		}
	}
	if o := opts(facOpts["timezone"].Options)["zone"]; o == nil || !o.Required || len(facOpts["timezone"].Options) != 1 {
		t.Errorf("/facilitator timezone: %+v, want zone only, required", facOpts["timezone"].Options)
	}
	if o := byName["timezone"].Options; len(o) != 0 {
		t.Errorf("/timezone options %+v; setting the zone is /facilitator timezone", o)
	}
	start := opts(opts(facOpts["round"].Options)["start"].Options)
	if o := start["minutes"]; o == nil || o.Type != discordgo.ApplicationCommandOptionInteger || o.MinValue == nil || *o.MinValue != 1 || o.MaxValue != 1440 {
		t.Errorf("/facilitator round start minutes: %+v, want an integer from 1 to 1440", o)
	}
	if o := start["prompt"]; o == nil || o.Type != discordgo.ApplicationCommandOptionString || o.MaxLength != 200 {
		t.Errorf("/facilitator round start prompt: %+v, want a string of at most 200", o)
	}
	if set := opts(facOpts["agreement"].Options)["set"]; set == nil || len(set.Options) != 0 {
		t.Errorf("/facilitator agreement set takes its text in a modal, not an option: %+v", set)
	}
	remove := opts(opts(facOpts["schedule"].Options)["remove"].Options)["number"]
	if remove == nil || remove.Type != discordgo.ApplicationCommandOptionInteger || !remove.Required || remove.MinValue == nil || *remove.MinValue != 1 {
		t.Errorf("/facilitator schedule remove number: %+v", remove)
	}
	if o := opts(opts(facOpts["crisis"].Options)["default"].Options)["country"]; o == nil || !o.Required || !o.Autocomplete {
		t.Errorf("/facilitator crisis default country: %+v", o)
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
	if c := byName["checkin"]; !slices.Contains(*c.Contexts, discordgo.InteractionContextBotDM) {
		t.Errorf("/checkin must work in DMs")
	}
	round := byName["round"]
	if len(round.Options) != 1 || round.Options[0].Name != "status" || round.Options[0].Type != discordgo.ApplicationCommandOptionSubCommand {
		t.Errorf("/round options %+v, want the status subcommand only", round.Options)
	}
	if slices.Contains(*round.Contexts, discordgo.InteractionContextBotDM) {
		t.Errorf("/round offered in DMs; it works only in a group's channel")
	}
	if o := byName["crisis"].Options; len(o) != 1 || !o[0].Autocomplete || o[0].MaxLength != 100 {
		t.Errorf("/crisis country option must autocomplete: %+v", o)
	}
	if o := byName["agreement"].Options; len(o) != 1 || o[0].Name != "show" {
		t.Errorf("/agreement options %+v; /agreement cannot run bare, so show must stay", o)
	}
	if o := byName["forgetme"].Options; len(o) != 1 || o[0].Name != "confirm" || o[0].Type != discordgo.ApplicationCommandOptionBoolean {
		t.Errorf("/forgetme options: %+v", o)
	}
	if o := opts(byName["remind"].Options)["switch"]; o == nil || !o.Required || len(o.Choices) != 2 || o.Choices[0].Value != "on" {
		t.Errorf("/remind switch: %+v", o)
	}
	h.checkPayloads()
}

// requiredOnly gives a variant's required options their sample values.
func requiredOnly(v variant) map[string]any {
	given := map[string]any{}
	for _, o := range v.opts {
		if o.Required {
			given[o.Name] = sampleOption(o)
		}
	}
	return given
}

// sampleOption is a value of an option's type.
func sampleOption(o *discordgo.ApplicationCommandOption) any {
	switch {
	case len(o.Choices) > 0:
		return o.Choices[0].Value
	case o.Type == discordgo.ApplicationCommandOptionBoolean:
		return true
	case o.Type == discordgo.ApplicationCommandOptionInteger:
		return float64(2)
	}
	return "Europe/London"
}

// opt is an option as Discord sends it.
func opt(name string, typ discordgo.ApplicationCommandOptionType, v any) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: typ, Value: v}
}

func subOpt(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionSubCommand, Options: opts}
}

func groupOpt(name string, subs ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionSubCommandGroup, Options: subs}
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
		{"a prompt starting with a number", data("facilitator", groupOpt("round", subOpt("start", opt("prompt", str, "3 good things")))), `round start prompt="3 good things"`},
		{"subcommand with int", data("facilitator", groupOpt("round", subOpt("start", opt("minutes", integer, float64(45)), opt("prompt", str, "One word")))),
			`round start minutes=45 prompt="One word"`},
		{"member's subcommand", data("round", subOpt("status")), `round status`},
		{"words naming a subcommand", data("checkin", opt("words", str, "start 45")), `checkin words="start 45"`},
		{"sub as own command", data("crisis-country", opt("country", str, "IE")), `crisis country country="IE"`},
		{"sub as flag", data("forgetme", opt("confirm", boolean, true)), `forgetme confirm`},
		{"sub flag off", data("forgetme", opt("confirm", boolean, false)), `forgetme`},
		{"kept alias", data("agreement", subOpt("show")), `agreement show`},
		{"days and time", data("facilitator", groupOpt("schedule", subOpt("round", opt("days", str, "tue,thu"), opt("time", str, "19:00")))),
			`schedule round days=[Tuesday Thursday] time=1140`},
		{"a facilitators' command", data("facilitator", subOpt("facilitators", opt("channel", str, "here"))), `facilitators channel="here"`},
		{"a facilitators' argument", data("facilitator", subOpt("timezone", opt("zone", str, "Europe/Paris"))), `timezone zone="Europe/Paris"`},
		{"the time zone shown", data("timezone"), `timezone`},
		{"a facilitators' subcommand of a member command", data("facilitator", groupOpt("crisis", subOpt("default", opt("country", str, "ie")))),
			`crisis default country="ie"`},
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
		"unknown command":             data("nope"),
		"unknown option":              data("checkin", opt("mood", str, "ok")),
		"no subcommand":               data("round"),
		"unknown subcommand":          data("round", subOpt("restart")),
		"string for sub switch":       data("forgetme", opt("confirm", str, "yes")),
		"a facilitators' sub, moved":  data("round", subOpt("start")),
		"bare /facilitator":           data("facilitator"),
		"group without subcommand":    data("facilitator", groupOpt("round")),
		"group as subcommand":         data("facilitator", subOpt("round")),
		"subcommand as group":         data("facilitator", groupOpt("signpost", subOpt("now"))),
		"unknown group subcommand":    data("facilitator", groupOpt("round", subOpt("status"))),
		"unknown facilitators' entry": data("facilitator", subOpt("ban")),
	} {
		if cmd, err := ss.command(table, d); err == nil {
			t.Errorf("%s accepted as %s", name, cmd)
		}
	}
	for _, d := range []discordgo.ApplicationCommandInteractionData{
		data("remind", opt("switch", str, " ")),
		data("facilitator", groupOpt("schedule", subOpt("round", opt("days", str, "  "), opt("time", str, "19:00")))),
	} {
		if cmd, err := ss.command(table, d); err != nil || cmd.Err() == nil {
			t.Errorf("a blank required option gave %s, %v; want the core to say what is missing", cmd, err)
		}
	}
	cmd, err := ss.command(table, data("facilitator", groupOpt("agreement", subOpt("set"))))
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
