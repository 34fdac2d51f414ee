package matrix

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/event/cmdschema"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// TestCommandDescriptions ensures the MSC4391 descriptions come from the
// command table: every one valid and with its own state key, subcommands
// named with a space, hidden commands left out, and arguments typed.
func TestCommandDescriptions(t *testing.T) {
	descs := commandDescriptions(bot.CommandTable())
	byName := map[string]*cmdschema.EventContent{}
	keys := map[string]bool{}
	for _, d := range descs {
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", d.Command, err)
		}
		if d.Description == nil {
			t.Errorf("%s has no description", d.Command)
		}
		byName[d.Command] = d
		keys[d.StateKey(me)] = true
	}
	if len(keys) != len(descs) {
		t.Errorf("%d descriptions share %d state keys", len(descs), len(keys))
	}
	for _, name := range []string{"checkin", "pass", "round start", "round end", "agreement set", "crisis", "help"} {
		if byName[name] == nil {
			t.Errorf("%q not described", name)
		}
	}
	for _, hidden := range []string{"checkin start", "checkin end", "agreement show"} {
		if byName[hidden] != nil {
			t.Errorf("hidden command %q described", hidden)
		}
	}
	checkin := byName["checkin"]
	if checkin == nil {
		t.FailNow()
	}
	var kinds []string
	for _, p := range checkin.Parameters {
		kind := string(p.Schema.SchemaType) + ":" + string(p.Schema.Type)
		if p.Optional {
			kind += "?"
		}
		kinds = append(kinds, p.Key+"="+kind)
	}
	want := []string{"private=primitive:boolean?", "public=primitive:boolean?", "colour=union:?", "words=primitive:string?"}
	if !reflect.DeepEqual(kinds, want) || checkin.TailParam != "words" {
		t.Errorf("checkin parameters %v tail %q, want %v tail words", kinds, checkin.TailParam, want)
	}
	if p := byName["round start"].Parameters; len(p) == 0 || p[0].Schema.Type != cmdschema.PrimitiveTypeInteger {
		t.Errorf("round start minutes not an integer: %+v", p)
	}
}

// TestOfferCommandsRefreshes ensures the bot sends the descriptions once,
// sends again only one that differs from the room's, empties its
// description of a command the table no longer has, and sends nothing
// without the power to.
func TestOfferCommandsRefreshes(t *testing.T) {
	hs := &roomsHomeserver{}
	a := stateAdapter(t, hs)
	a.core = &rolesCore{}
	ctx := context.Background()
	room, weak := id.RoomID("!group:x"), id.RoomID("!weak:x")
	v12Room(t, a, room, "11", alice, nil, map[string]any{"users": map[id.UserID]int{alice: 100, me: 50}}, alice, me)
	v12Room(t, a, weak, "11", alice, nil, map[string]any{"users": map[id.UserID]int{alice: 100}}, alice, me)
	n := len(commandDescriptions(bot.CommandTable()))

	if err := a.offerCommands(ctx, room); err != nil {
		t.Fatal(err)
	}
	if got := len(hs.sentPaths()); got != n {
		t.Fatalf("first offer sent %d, want %d", got, n)
	}
	if err := a.offerCommands(ctx, room); err != nil {
		t.Fatal(err)
	}
	if got := len(hs.sentPaths()); got != n {
		t.Fatalf("unchanged offer sent %d more", got-n)
	}

	typ := event.StateMSC4391BotCommand.Type
	pass := (&cmdschema.EventContent{Command: "pass"}).StateKey(me)
	gone := (&cmdschema.EventContent{Command: "gone"}).StateKey(me)
	hs.mu.Lock()
	hs.state[room][typ+"|"+pass] = json.RawMessage(`{"command":"pass"}`)
	hs.state[room][typ+"|"+gone] = json.RawMessage(`{"command":"gone"}`)
	hs.mu.Unlock()
	if err := a.offerCommands(ctx, room); err != nil {
		t.Fatal(err)
	}
	sent := hs.sentPaths()[n:]
	if len(sent) != 2 || !strings.HasSuffix(sent[0], pass) && !strings.HasSuffix(sent[1], pass) {
		t.Errorf("refresh sent %v, want pass again and gone emptied", sent)
	}
	hs.mu.Lock()
	emptied := string(hs.state[room][typ+"|"+gone])
	hs.mu.Unlock()
	if emptied != "{}" {
		t.Errorf("gone command's description = %s, want {}", emptied)
	}

	before := len(hs.sentPaths())
	if err := a.offerCommands(ctx, weak); err != nil {
		t.Fatal(err)
	}
	if got := len(hs.sentPaths()) - before; got != 0 {
		t.Errorf("sent %d descriptions without the power to", got)
	}
}

// TestCommandsOfferedOnJoin ensures the bot, joining a group room where
// it may send state, describes its commands there (MSC4391), as a member
// reads the room's state, and that a restart brings descriptions that
// went missing back (as it would an upgrade's changed table).
func TestCommandsOfferedOnJoin(t *testing.T) {
	botAcc := register(t, "peerbot")
	var a *Adapter
	db := openDB(t, t.TempDir()+"/bot.db")
	b := startBot(t, botConfig(botAcc, false), db, pingCore(&a))
	a = b.a
	fran, room := groupWith(t, botAcc.UserID, false)
	want := map[string]bool{}
	for _, d := range commandDescriptions(bot.CommandTable()) {
		want[d.Command] = true
	}
	got := waitDescribed(t, fran, room, botAcc.UserID, len(want))
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("room has descriptions of %v, want %v", got, want)
	}

	// While the bot is stopped, one description is emptied; the next
	// start describes it again.
	b.stopBot(t)
	gone := commandDescriptions(bot.CommandTable())[0]
	if err := retry(func() error {
		_, err := fran.cli.SendStateEvent(context.Background(), room, event.StateMSC4391BotCommand, gone.StateKey(botAcc.UserID), struct{}{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := describedCommands(t, fran, room, botAcc.UserID); got[gone.Command] {
		t.Fatalf("%s is still described after it was emptied", gone.Command)
	}
	b = startBot(t, botConfig(botAcc, false), db, pingCore(&a))
	a = b.a
	got = waitDescribed(t, fran, room, botAcc.UserID, len(want))
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after a restart the room has descriptions of %v, want %v", got, want)
	}
}

// describedCommands reads, as p, the commands the bot describes in room,
// checking each description's state key.
func describedCommands(t *testing.T, p *person, room id.RoomID, botID id.UserID) map[string]bool {
	t.Helper()
	var state []*event.Event
	url := p.cli.BuildClientURL("v3", "rooms", room, "state")
	if _, err := p.cli.MakeRequest(context.Background(), http.MethodGet, url, nil, &state); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, evt := range state {
		if evt.Type.Type != event.StateMSC4391BotCommand.Type || evt.Sender != botID {
			continue
		}
		var d cmdschema.EventContent
		if err := json.Unmarshal(evt.Content.VeryRaw, &d); err != nil {
			t.Fatal(err)
		}
		if d.Command == "" {
			continue // emptied
		}
		if evt.GetStateKey() != d.StateKey(botID) {
			t.Errorf("%s has state key %s, want %s", d.Command, evt.GetStateKey(), d.StateKey(botID))
		}
		got[d.Command] = true
	}
	return got
}

// waitDescribed waits until the bot describes n commands in room, and
// returns them.
func waitDescribed(t *testing.T, p *person, room id.RoomID, botID id.UserID, n int) map[string]bool {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		got := describedCommands(t, p, room, botID)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("room has descriptions of %d commands, want %d", len(got), n)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestStructuredCommand ensures a structured command (MSC4391) is read by
// its arguments, as the table declares them: words are words even when
// they start like a colour or a flag, a value out of range is the
// member's error, and a command not meant for the bot, unknown, hidden or
// with an argument of the wrong type is not read.
func TestStructuredCommand(t *testing.T) {
	table := bot.CommandTable()
	msg := func(command, args string, mention ...id.UserID) *event.MessageEventContent {
		c := &event.MessageEventContent{MsgType: event.MsgText, Body: "/" + command,
			MSC4391BotCommand: &event.MSC4391BotCommandInput{Command: command, Arguments: json.RawMessage(args)}}
		if mention != nil {
			c.Mentions = &event.Mentions{UserIDs: mention}
		}
		return c
	}
	for _, tc := range []struct {
		name       string
		in         *event.MessageEventContent
		structured bool
		fails      bool   // cannot be read
		want       string // the command as the core sees it
		memberErr  bool   // read, with a problem for the member
	}{
		{"checkin", msg("checkin", `{"private":true,"colour":"amber","words":"tired but here"}`, me), true, false, `checkin colour=🟠 amber private=true words="tired but here"`, false},
		{"words like a colour", msg("checkin", `{"words":"red flag"}`, me), true, false, `checkin words="red flag"`, false},
		{"words like a flag", msg("checkin", `{"colour":"green","words":"private matters"}`, me), true, false, `checkin colour=🟢 green words="private matters"`, false},
		{"flags off", msg("checkin", `{"private":false,"public":false,"colour":"green"}`, me), true, false, `checkin colour=🟢 green`, false},
		{"no arguments", msg("pass", ``, me), true, false, "pass", false},
		{"null arguments", msg("pass", `null`, me), true, false, "pass", false},
		{"subcommand", msg("round start", `{"minutes":45,"prompt":"One word"}`, me), true, false, `round start minutes=45 prompt="One word"`, false},
		{"out of range", msg("round start", `{"minutes":100000}`, me), true, false, "", true},
		{"not a colour", msg("checkin", `{"colour":"purple"}`, me), true, false, "", true},
		{"not mentioned", msg("pass", `{}`), false, false, "", false},
		{"another bot", msg("pass", `{}`, alice), false, false, "", false},
		{"unknown", msg("nosuch", `{}`, me), true, true, "", false},
		{"not lower case", msg("Pass", `{}`, me), true, true, "", false},
		{"hidden", msg("checkin start", `{}`, me), true, true, "", false},
		{"not a number", msg("round start", `{"minutes":"soon"}`, me), true, false, "", true},
		{"wrong type", msg("round start", `{"prompt":true}`, me), true, true, "", false},
		{"unknown argument", msg("pass", `{"why":"because"}`, me), true, true, "", false},
		{"arguments not an object", msg("pass", `["x"]`, me), true, true, "", false},
		{"not structured", &event.MessageEventContent{MsgType: event.MsgText, Body: "!pass", Mentions: &event.Mentions{UserIDs: []id.UserID{me}}}, false, false, "", false},
	} {
		cmd, structured, err := structuredCommand(table, me, tc.in)
		if structured != tc.structured || (err != nil) != tc.fails {
			t.Errorf("%s: structured %v, error %v; want structured %v, failing %v", tc.name, structured, err, tc.structured, tc.fails)
			continue
		}
		if err != nil {
			for _, v := range []string{"soon", "because", "nosuch", "Pass"} {
				if strings.Contains(err.Error(), v) {
					t.Errorf("%s: error %q names what the member sent", tc.name, err)
				}
			}
		}
		if !structured || tc.fails {
			continue
		}
		if (cmd.Err() != nil) != tc.memberErr {
			t.Errorf("%s: member's error %v, want one: %v", tc.name, cmd.Err(), tc.memberErr)
		}
		if tc.want != "" && cmd.String() != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, cmd, tc.want)
		}
	}
	// What typed text cannot say: words that start with a colour.
	cmd, _, _ := structuredCommand(table, me, msg("checkin", `{"words":"red flag"}`, me))
	if cmd.Colour("colour") != bot.NoColour || cmd.Text("words") != "red flag" {
		t.Errorf("words %q were read as colour %q and words %q", "red flag", cmd.Colour("colour"), cmd.Text("words"))
	}
	if typed, _ := table.ParseLine("checkin red flag"); typed.Colour("colour") != bot.Red {
		t.Errorf("typed, %q is not colour red: the case above tests nothing", "checkin red flag")
	}
}

// TestOfferCommandsWhen ensures the commands are offered on the bot's join
// after an invite and on a change of power levels, and not on its join of
// a room it created (a DM room it may not have recorded yet), on a room's
// first power levels, or in a recorded DM room.
func TestOfferCommandsWhen(t *testing.T) {
	hs := &roomsHomeserver{}
	a := stateAdapter(t, hs)
	a.core = &rolesCore{}
	ctx := context.WithValue(context.Background(), mautrix.SyncTokenContextKey, "s1")
	room, dm := id.RoomID("!group:x"), id.RoomID("!dm:x")
	v12Room(t, a, room, "11", alice, nil, map[string]any{"users": map[id.UserID]int{alice: 100, me: 50}}, alice, me)
	v12Room(t, a, dm, "11", me, nil, map[string]any{"users": map[id.UserID]int{me: 100}}, me, erin)
	if err := a.t.setDM(ctx, erin, dm); err != nil {
		t.Fatal(err)
	}
	n := len(commandDescriptions(bot.CommandTable()))
	stateEvt := func(room id.RoomID, typ event.Type, key, content, prev string) *event.Event {
		raw := `{"type":"` + typ.Type + `","state_key":"` + key + `","sender":"@alice:x","event_id":"$e","room_id":"` +
			string(room) + `","content":` + content
		if prev != "" {
			raw += `,"unsigned":{"prev_content":` + prev + `}`
		}
		var evt event.Event
		if err := json.Unmarshal([]byte(raw+"}"), &evt); err != nil {
			t.Fatal(err)
		}
		evt.Type.Class = event.StateEventType
		_ = evt.Content.ParseRaw(evt.Type)
		evt.Mautrix.EventSource = event.SourceJoin | event.SourceTimeline
		return &evt
	}
	for _, tc := range []struct {
		name string
		evt  *event.Event
		sent int
	}{
		{"own join of a created room", stateEvt(room, event.StateMember, string(me), `{"membership":"join"}`, ""), 0},
		{"first power levels", stateEvt(room, event.StatePowerLevels, "", `{}`, ""), 0},
		{"join in a DM room", stateEvt(dm, event.StateMember, string(me), `{"membership":"join"}`, `{"membership":"invite"}`), 0},
		{"own join after invite", stateEvt(room, event.StateMember, string(me), `{"membership":"join"}`, `{"membership":"invite"}`), n},
		{"power level change, nothing new", stateEvt(room, event.StatePowerLevels, "", `{}`, `{"users":{}}`), 0},
	} {
		before := len(hs.sentPaths())
		a.onCommandsState(ctx, tc.evt)
		if got := len(hs.sentPaths()) - before; got != tc.sent {
			t.Errorf("%s: sent %d descriptions, want %d", tc.name, got, tc.sent)
		}
	}
}

// TestOfferCommandsEverywhere ensures the start-up refresh describes the
// commands in each group room the bot is joined in, and not in its DM
// rooms or rooms it has left.
func TestOfferCommandsEverywhere(t *testing.T) {
	hs := &roomsHomeserver{}
	a := stateAdapter(t, hs)
	a.core = &rolesCore{}
	ctx := context.Background()
	levels := map[string]any{"users": map[id.UserID]int{me: 100}}
	v12Room(t, a, "!a:x", "11", alice, nil, levels, alice, me)
	v12Room(t, a, "!b:x", "11", alice, nil, levels, alice, me)
	v12Room(t, a, "!dm:x", "11", me, nil, levels, me, erin)
	v12Room(t, a, "!left:x", "11", alice, nil, levels, alice)
	if err := a.t.setDM(ctx, erin, "!dm:x"); err != nil {
		t.Fatal(err)
	}
	a.offerCommandsEverywhere(ctx)
	rooms := map[string]int{}
	for _, p := range hs.sentPaths() {
		rooms[strings.Split(p, "/")[2]]++
	}
	n := len(commandDescriptions(bot.CommandTable()))
	if want := map[string]int{"!a:x": n, "!b:x": n}; !reflect.DeepEqual(rooms, want) {
		t.Errorf("described in %v, want %v", rooms, want)
	}
}
