package matrix

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/event/cmdschema"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// Commands clients can offer (experimental). MSC4391 ("Simplified in-room
// bot commands", unstable prefix org.matrix.msc4391.command_description)
// has a bot describe each of its commands in a room as a state event,
// keyed by a hash of the command and the bot's user id, so that clients
// that support it can suggest and complete them. The bot publishes the
// core's command table that way in each group room it joins, when its
// power level allows the state event, and brings the descriptions up to
// date when the table changed or its power was raised, and in all its group
// rooms after each run's first sync. A client that supports the MSC sends
// a command in structured form (org.matrix.msc4391.command, mentioning the
// bot); structuredCommand reads it by the table, argument by argument.
//
// The MSC has no way yet to say that a command is for facilitators (it
// names a minimum power level as a future extension), so facilitators'
// commands are described like the others; the core still refuses them to
// everyone else. Commands that work only privately are left out: they are
// not offered in a group room.

// commandDescriptions turns the command table into MSC4391 descriptions:
// one per command or subcommand that runs on its own, in table order,
// leaving out hidden ones and those that work only privately. Command
// names of subcommands are space separated ("round start"), as the MSC
// allows. Summaries and argument help come from the core's table.
func commandDescriptions(t *bot.Table) []*cmdschema.EventContent {
	var out []*cmdschema.EventContent
	var walk func(prefix string, specs []*bot.CommandSpec)
	walk = func(prefix string, specs []*bot.CommandSpec) {
		for _, s := range specs {
			if s.Hidden || s.Places == bot.OnlyPrivately {
				continue
			}
			name := prefix + s.Name
			if s.Runnable() {
				d := describe(name, s)
				if d.Validate() == nil {
					out = append(out, d)
				}
			}
			walk(name+" ", s.Sub)
		}
	}
	walk("", t.Specs())
	return out
}

// describe is the MSC4391 description of spec s, named name.
func describe(name string, s *bot.CommandSpec) *cmdschema.EventContent {
	d := &cmdschema.EventContent{Command: name}
	if !strings.Contains(name, " ") {
		d.Aliases = s.Aliases
	}
	if s.Summary != "" {
		d.Description = event.MakeExtensibleText(s.Summary)
	}
	for _, arg := range s.Args {
		p := &cmdschema.Parameter{Key: arg.Name, Schema: argSchema(arg), Optional: !arg.Required}
		if arg.Help != "" {
			p.Description = event.MakeExtensibleText(arg.Help)
		}
		d.Parameters = append(d.Parameters, p)
		// Text takes the rest of the line; mautrix's clients read such a
		// last parameter whole ("tail parameter", its own extension).
		if arg.Kind == bot.ArgText || arg.Kind == bot.ArgCountry {
			d.TailParam = arg.Name
		}
	}
	return d
}

// argSchema maps an argument's kind to an MSC4391 type.
func argSchema(arg bot.Arg) *cmdschema.ParameterSchema {
	switch arg.Kind {
	case bot.ArgFlag:
		return cmdschema.PrimitiveTypeBoolean.Schema()
	case bot.ArgMinutes, bot.ArgNumber:
		return cmdschema.PrimitiveTypeInteger.Schema()
	case bot.ArgColour, bot.ArgChoice:
		if len(arg.Choices) > 0 {
			values := make([]any, len(arg.Choices))
			for i, c := range arg.Choices {
				values[i] = c.Value
			}
			return cmdschema.Enum(values...)
		}
	}
	return cmdschema.PrimitiveTypeString.Schema()
}

// offerCommands publishes the command descriptions in group room, sending
// only those that differ from what the room has and emptying the bot's
// descriptions of commands that are gone. Without the power to send the
// state event it logs that and does nothing. Errors are failures to read
// the room or to send.
func (a *Adapter) offerCommands(ctx context.Context, room id.RoomID) error {
	c := a.getCore()
	if c == nil {
		return nil
	}
	log := a.log.With().Str("room_id", room.String()).Logger()
	pl, err := a.powerLevels(ctx, room)
	if err != nil {
		return err
	}
	if need := pl.GetEventLevel(event.StateMSC4391BotCommand); pl.GetUserLevel(a.cli.UserID) < need {
		log.Info().Int("need", need).Msg("Not allowed to describe the bot's commands in this room (experimental MSC4391); skipping")
		return nil
	}
	have, err := a.offeredCommands(ctx, room)
	if err != nil {
		return err
	}
	sent, removed := 0, 0
	want := map[string]bool{}
	for _, d := range commandDescriptions(c.Commands()) {
		key := d.StateKey(a.cli.UserID)
		want[key] = true
		if have[key].Equals(d) {
			continue
		}
		if _, err := a.cli.SendStateEvent(ctx, room, event.StateMSC4391BotCommand, key, d); err != nil {
			return fmt.Errorf("describe command %s: %w", d.Command, err)
		}
		sent++
	}
	for key, d := range have {
		if want[key] || d.Command == "" {
			continue
		}
		if _, err := a.cli.SendStateEvent(ctx, room, event.StateMSC4391BotCommand, key, struct{}{}); err != nil {
			return fmt.Errorf("remove description of command %s: %w", d.Command, err)
		}
		removed++
	}
	if sent > 0 || removed > 0 {
		log.Info().Int("sent", sent).Int("removed", removed).Msg("Described the bot's commands in the room (experimental MSC4391)")
	}
	return nil
}

// offeredCommands returns the bot's command descriptions in room, by state
// key, from the room's current state on the homeserver.
func (a *Adapter) offeredCommands(ctx context.Context, room id.RoomID) (map[string]*cmdschema.EventContent, error) {
	// The raw state list: cli.State would also replace the state store's
	// members, which is not this function's business.
	var state []*event.Event
	url := a.cli.BuildClientURL("v3", "rooms", room, "state")
	if _, err := a.cli.MakeRequest(ctx, http.MethodGet, url, nil, &state); err != nil {
		return nil, fmt.Errorf("read room state: %w", err)
	}
	have := map[string]*cmdschema.EventContent{}
	for _, evt := range state {
		if evt.Type.Type != event.StateMSC4391BotCommand.Type || evt.Sender != a.cli.UserID || evt.StateKey == nil {
			continue
		}
		var d cmdschema.EventContent
		if err := json.Unmarshal(evt.Content.VeryRaw, &d); err != nil {
			continue // not ours to read; replaced below if it is one of ours
		}
		have[*evt.StateKey] = &d
	}
	return have, nil
}

// onCommandsState offers the commands when the bot has joined a group room
// and when a group room's power levels change (the bot may have been given
// the power to). onPowerLevels calls it, after storing new power levels.
//
// The bot joins group rooms only when invited; a join without an invite
// before it is in a room the bot created, a DM room it may not have
// recorded as one yet. Likewise a room's first power levels (no previous
// ones) are a new room's, and only a change counts.
func (a *Adapter) onCommandsState(ctx context.Context, evt *event.Event) {
	if initialSync(ctx) || evt.Mautrix.EventSource&event.SourceJoin == 0 || evt.StateKey == nil ||
		evt.Unsigned.PrevContent == nil {
		return
	}
	switch {
	case evt.Type == event.StateMember && evt.GetStateKey() == a.cli.UserID.String():
		_ = evt.Unsigned.PrevContent.ParseRaw(event.StateMember)
		if evt.Content.AsMember().Membership != event.MembershipJoin ||
			evt.Unsigned.PrevContent.AsMember().Membership != event.MembershipInvite {
			return
		}
	case evt.Type == event.StatePowerLevels && evt.GetStateKey() == "":
		if !a.cli.StateStore.IsMembership(ctx, evt.RoomID, a.cli.UserID, event.MembershipJoin) {
			return
		}
	default:
		return
	}
	if dm, err := a.t.dmMember(ctx, evt.RoomID); err != nil || dm != "" {
		return
	}
	if err := a.offerCommands(ctx, evt.RoomID); err != nil {
		a.log.Warn().Err(err).Str("room_id", evt.RoomID.String()).Msg("Could not describe the bot's commands (experimental MSC4391)")
	}
}

// offerCommandsEverywhere offers the commands in every group room the bot
// is joined in, as the state store knows them: once a run's first sync is
// processed (syncer.ProcessResponse), so that a changed command table
// reaches rooms joined before. Failures are logged per room.
func (a *Adapter) offerCommandsEverywhere(ctx context.Context) {
	if a.state == nil || a.getCore() == nil {
		return
	}
	rows, err := a.state.Query(ctx, `SELECT room_id FROM mx_user_profile WHERE user_id = $1 AND membership = 'join'`, a.cli.UserID)
	if err != nil {
		a.log.Warn().Err(err).Msg("Could not list rooms to describe the bot's commands in")
		return
	}
	var rooms []id.RoomID
	for rows.Next() {
		var r id.RoomID
		if rows.Scan(&r) == nil {
			rooms = append(rooms, r)
		}
	}
	_ = rows.Close()
	slices.Sort(rooms)
	for _, room := range rooms {
		if dm, err := a.t.dmMember(ctx, room); err != nil || dm != "" {
			continue
		}
		if err := a.offerCommands(ctx, room); err != nil {
			a.log.Warn().Err(err).Str("room_id", room.String()).Msg("Could not describe the bot's commands (experimental MSC4391)")
		}
	}
}

// errNotDescribed is structuredCommand's answer for a structured command
// that names nothing the bot describes.
var errNotDescribed = errors.New("names no command the bot describes")

// structuredCommand reads a command a client sent in structured form
// (MSC4391: org.matrix.msc4391.command in a message mentioning the bot) by
// the command table, as Discord's typed options are read (Table.FromOptions):
// each argument is the value the client sent for it, so words "red flag"
// are words, never a colour or a flag. It returns false when the message
// carries no structured command for botID; then the body is read as text.
// An error means the message is such a command but cannot be read (an
// unknown command or argument, a value of the wrong type); it names no
// value the member sent. Problems the member should hear (a value out of
// range, a required argument missing) are in the command's Err.
func structuredCommand(t *bot.Table, botID id.UserID, content *event.MessageEventContent) (bot.Command, bool, error) {
	in := content.MSC4391BotCommand
	if in == nil || content.Mentions == nil || !slices.Contains(content.Mentions.UserIDs, botID) {
		return bot.Command{}, false, nil
	}
	name := strings.Join(strings.Fields(strings.ToLower(in.Command)), " ")
	spec, ok := t.Lookup(name)
	if !ok || name != in.Command || !spec.Runnable() || spec.Hidden || spec.Places == bot.OnlyPrivately {
		return bot.Command{}, true, errNotDescribed
	}
	var opts map[string]any
	if len(in.Arguments) > 0 && string(in.Arguments) != "null" {
		if err := json.Unmarshal(in.Arguments, &opts); err != nil {
			return bot.Command{}, true, errors.New("arguments are not a JSON object")
		}
	}
	cmd, err := t.FromOptions(name, opts)
	if err != nil {
		return bot.Command{}, true, fmt.Errorf("command %s: an argument is unknown or of the wrong type", spec.Name)
	}
	return cmd, true, nil
}
