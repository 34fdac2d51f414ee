package console

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/peerbot/peerbot/bot"
)

// handleLine acts on input line number n. It reports whether the session
// should end (/quit) and whether the core failed on the line's event.
func (a *Adapter) handleLine(ctx context.Context, c bot.Core, line string, n int) (quit, failed bool) {
	in, perr := parseInput(line)
	if perr != nil {
		a.hint(perr.Error())
		return false, false
	}
	id := fmt.Sprintf("console:line:%s:%d", a.session, n)
	if in.ID != "" {
		id = "console:id:" + in.ID
	}
	handle := func(ev bot.Event) bool { return c.Handle(ctx, ev) == bot.Failed }
	switch in.Kind {
	case inSkip:
	case inQuit:
		return true, false
	case inHelp:
		a.note(usage(c.Prefix()))
	case inFacilitator:
		a.mu.Lock()
		a.facilitators[in.Name] = true
		a.mu.Unlock()
		if a.interactive {
			a.say("(" + in.Name + " is a facilitator for this session)\n")
		}
	case inClock:
		// The note comes first: moving the clock makes the core do what
		// became due (close a round) before the move returns.
		to := in.At
		if in.Advance > 0 {
			to = a.clock.Now().Add(in.Advance)
		}
		if a.interactive {
			a.say("(clock: " + to.Format("Mon 2 Jan 2006 15:04 MST") + ")\n")
		}
		if in.Advance > 0 {
			a.clock.Advance(in.Advance)
		} else {
			a.clock.Set(in.At)
		}
	case inJoin, inLeave:
		kind := bot.EventJoin
		if in.Kind == inLeave {
			kind = bot.EventLeave
		}
		return false, handle(a.event(id, kind, in.Name, false))
	case inSay:
		cmd, ok := c.Commands().ParseText(c.Prefix(), in.Text)
		if !ok {
			// Chat between members: not for the bot, but kept in memory a
			// while for a facilitator's content warning (posts.go).
			a.posts.remember(n, in.ID, in.Name, in.Text)
			return false, false
		}
		ev := a.event(id, bot.EventCommand, in.Name, false)
		ev.Command = cmd
		return false, handle(ev)
	case inDM:
		cmd, ok := c.Commands().ParseText(c.Prefix(), in.Text)
		if !ok {
			cmd, ok = c.Commands().ParseLine(in.Text)
		}
		if !ok {
			// A private message that is no command: the core answers it,
			// without its text, the same way whatever it said.
			return false, handle(a.event(id, bot.EventMessage, in.Name, true))
		}
		ev := a.event(id, bot.EventCommand, in.Name, true)
		ev.Command = cmd
		return false, handle(ev)
	}
	return false, false
}

// event builds the event of member name. A private one has no channel but
// names the console's one group: a member typing to the bot privately is
// in that group (created on first use, like members in the channel).
func (a *Adapter) event(id string, kind bot.EventKind, name string, private bool) bot.Event {
	a.mu.Lock()
	fac := a.facilitators[name]
	a.mu.Unlock()
	ev := bot.Event{
		ID:      id,
		Kind:    kind,
		Private: private,
		Member:  bot.Member{ID: MemberID(name), Name: name, Facilitator: fac},
	}
	ev.Group, ev.GroupName = Group, groupName
	if !private {
		ev.Channel = Channel
	}
	return ev
}

// note prints a console note: on stdout when a person is typing, else on
// the error output so that stdout keeps only bot output.
func (a *Adapter) note(s string) {
	if a.interactive {
		a.say(s)
		return
	}
	_, _ = io.WriteString(a.errOut, s)
}

// banner is the welcome shown when a person is typing.
func banner(prefix string, facilitators []string) string {
	var b strings.Builder
	b.WriteString("peerbot console: one group, and you can be any of its members.\n")
	b.WriteString(usage(prefix))
	if len(facilitators) == 0 {
		b.WriteString("Nobody is a facilitator yet: /facilitator NAME, or start with --facilitators NAME.\n")
	} else {
		slices.Sort(facilitators)
		b.WriteString("Facilitators: " + strings.Join(facilitators, ", ") + "\n")
	}
	return b.String()
}

// usage lists the input lines.
func usage(p string) string {
	return "  alice: " + p + "checkin green      alice says this in the group\n" +
		"  /dm alice " + p + "crisis          alice writes to the bot privately\n" +
		"  /join bob                  bob joins the group (/leave bob: leaves)\n" +
		"  /facilitator alice         alice is a facilitator for this session\n" +
		"  /clock +30m                move the clock forward\n" +
		"  alice: " + p + "agreement set \\   a line ending in \\ goes on on the next line\n" +
		"  " + p + "help for the bot's commands, /help for this list, Ctrl-D to leave.\n"
}
