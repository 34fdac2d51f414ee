package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/peerbot/peerbot/bot/crisislines"
)

// Texts never repeat what a member typed when the bot could not make sense
// of it: it may be something painful ("!crisis I cut again").

func textUnknownCommand() Text {
	return T("I don't know that command. ").Cmd("help").P(" lists what I can do.")
}

func textUnknownSub(name string, spec *CommandSpec) Text {
	var subs []string
	for _, s := range spec.Sub {
		subs = append(subs, s.Name)
	}
	return T("Please add one of: " + strings.Join(subs, ", ") + ". For example ").Cmd(name + " " + spec.Sub[0].Name).P(". More: ").Cmd("help " + name).P(".")
}

func textFacilitatorsOnly() Text {
	return T("That one is for facilitators, so I haven't changed anything. ").Cmd("help").P(" shows what you can do.")
}

func textBadMinutes() Text {
	return T("A round can be open from 1 to 1440 minutes, as a whole number, for example 30.")
}

func textTooLong(what string, max, n int) Text {
	return T(fmt.Sprintf("%s can be up to %d characters, and this is %d. Could you make it a little shorter? Nothing was changed.", what, max, n))
}

func textWordsTooLong(max, n int) Text {
	return T(fmt.Sprintf("Thank you for sharing. Words can be up to %d characters, and these are %d. Could you make them a little shorter? Nothing was saved yet.", max, n))
}

func textRoundNeedsChannel() Text {
	return T("Rounds are started in the group's channel. Please run this there.")
}

func textGroupOnly() Text {
	return T("Please run this in the group's channel.")
}

func textRoundAlreadyOpen(r Round, zone *time.Location) Text {
	return T("A round is already open here until " + until(r.ClosesAt, r.OpenedAt, zone) + ". ").Cmd("round end").P(" closes it first.")
}

// textRoundOpenMeanwhile: another round opened here while this one was
// being started.
func textRoundOpenMeanwhile() Text {
	return T("A round is already open here.")
}

func textNoRoundToEnd() Text {
	return T("There's no round open here to end.")
}

// textNoRound tells a member there is no open round: a kind "this round has
// closed" when one closed recently.
func textNoRound(c *call) Text {
	if c.ev.Channel != "" {
		if r, err := c.st.LatestRound(c.ctx, c.ev.Channel); err == nil && !r.Open() {
			return textRoundClosed()
		}
	} else if c.group != "" {
		return T("There's no check-in round open in your group right now, so I haven't saved that.")
	}
	return T("There's no check-in round open right now, so I haven't saved that. A facilitator can start one with ").Cmd("round start").P(".")
}

func textRoundClosed() Text {
	return T("This round has closed, so I haven't saved that. Thank you for wanting to check in.")
}

// textCheckedIn acknowledges a check-in, saying who sees the colour and who
// sees the words. reached says whether private words reached the
// facilitators; typedInPublic that others saw the command itself.
func textCheckedIn(name string, ci CheckIn, again, reached, typedInPublic bool) Text {
	if ci.Passed {
		return T("You've passed. That's always fine. Listening is taking part too.")
	}
	t := T("Thanks, ").U(name).P(". ")
	if again {
		t = t.P("I've updated your check-in")
	} else {
		t = t.P("Your check-in is in")
	}
	if ci.Colour != NoColour {
		t = t.P(": " + colourText(ci.Colour))
	}
	t = t.P(".")
	switch {
	case ci.Private && ci.Words != "" && reached:
		t = t.P(" Your words and colour went only to the facilitators. Others see that you checked in.")
	case ci.Private && ci.Words != "":
		t = t.P(" I couldn't reach the facilitators just now, so your words haven't reached them. Others see that you checked in, not your colour.")
	case ci.Private:
		t = t.P(" Others see that you checked in, not your colour.")
	case ci.Hidden && ci.Colour != NoColour:
		t = t.P(" You sent it privately, so the group sees that you checked in, not your colour.")
	case ci.Colour != NoColour:
		t = t.P(" The group sees your colour.")
	default:
		t = t.P(" The group sees that you checked in.")
	}
	switch {
	case ci.Private || ci.Words == "":
	case typedInPublic:
		// Everyone in the channel saw the command itself.
		t = t.P(" The round status doesn't show your words.")
	default:
		t = t.P(" Your words aren't shown to anyone.")
	}
	return t
}

func textRedNote(b *Bot, e crisislines.Entry, note Text) Text {
	t := T("Thank you for telling me. You don't have to hold this alone.").NL()
	t = t.Add(crisisLinesText(e, b.crisis.International(), 2))
	t = t.NL().P("More lines: ").Cmd("crisis").P(".")
	return t.NL().NL().P("If you'd like a facilitator to reach out to you, send me ").Cmd("support").
		P(" (you can add a few words). They won't reach out unless you ask.")
}

func textSupportNotReached(b *Bot, e crisislines.Entry) Text {
	t := T("I'm sorry, I couldn't reach the facilitators just now, so this didn't get through. You can try again in a little while, or say so to someone in the group. If you need someone now:").NL()
	return t.Add(crisisLinesText(e, b.crisis.International(), 2))
}

func textUnknownCountry() Text {
	return T("I couldn't match that to a country.")
}

func textWhichCountry(example string) Text {
	return T("I couldn't match that to a country. Please use a two-letter code or the country's English name, for example ").Cmd(example).P(".")
}

// textWhichCountryToSave answers a country to save (crisis country) that
// could not be read.
func textWhichCountryToSave() Text { return textWhichCountry("crisis country ie") }

// textWhichCountryForGroup answers a group's default country (crisis
// default) that could not be read.
func textWhichCountryForGroup() Text { return textWhichCountry("crisis default gb") }

func textNoLinesFor(name string) Text {
	return T("I don't have crisis lines for " + name + " yet. The directories below can find one near you.")
}

func textCountrySaved(name string, known bool) Text {
	t := T("Saved: " + name + ". ").Cmd("crisis").P(" will show lines there.")
	if !known {
		t = t.P(" I don't have lines for " + name + " yet, so I'll show directories that can find one.")
	}
	return t
}

func textGroupCountrySaved(name string) Text {
	return T("Done. Members who haven't saved a country will see crisis lines for " + name + ".")
}

func textAgreed(name string) Text {
	return T("Thank you, ").U(name).P(". You've agreed to the group agreement.")
}

func textWhoAgreed(version int, yes, no []string) Text {
	t := T(fmt.Sprintf("Agreement version %d.", version)).NL().P(fmt.Sprintf("Agreed (%d): ", len(yes)))
	t = joinUsers(t, yes).NL().P(fmt.Sprintf("Not yet (%d): ", len(no)))
	return joinUsers(t, no)
}

func joinUsers(t Text, names []string) Text {
	if len(names) == 0 {
		return t.P("nobody")
	}
	for i, n := range names {
		if i > 0 {
			t = t.P(", ")
		}
		t = t.U(n)
	}
	return t
}

func textNoGroup() Text {
	return T("I don't know which group you're in yet. Please say something in your group's channel first, or run the command there.")
}

func textWhichGroup(groups []Group) Text {
	t := T("You're in more than one group. Which one do you mean?")
	for i, g := range groups {
		t = t.NL().P(fmt.Sprintf("%d. ", i+1)).U(groupLabel(g))
	}
	return t.NL().P("Send ").Cmd("group 1").P(" (or another number), then your command again.")
}

func textOneGroup() Text {
	return T("You're in one group, so commands you send me privately already act on it.")
}

func textGroupChosen(g Group) Text {
	return T("Done. Commands you send me privately now act on ").U(groupLabel(g)).P(".")
}

func textForgetAsk() Text {
	return T("This deletes everything I keep about you: your name, country, agreements and check-ins. It can't be undone. Messages I already passed on to the facilitators stay with them. To go ahead, send ").Cmd("forgetme confirm").P(".")
}

func textForgotten() Text {
	return T("Done. I've deleted everything I kept about you. Messages I already passed on to the facilitators stay with them. Take care.")
}

func textNoFacilitatorPlace() Text {
	return T("Here, facilitator messages already reach facilitators privately, so there's nothing to set.")
}

func textDone() Text { return T("Done.") }

func textCannotPin(need int) Text {
	if need > 0 {
		return T(fmt.Sprintf("I couldn't pin the agreement in this group's room. To let me pin it, give me power level %d there (room settings, Roles & Permissions).", need))
	}
	return T("I couldn't pin the agreement in this group's channel. To let me pin it, give me the permission to pin messages there.")
}

func textCannotRedact(need int) Text {
	if need > 0 {
		return T(fmt.Sprintf("A member typed a private command in the group room, and I couldn't remove it. To let me remove such messages, give me power level %d in the room (room settings, Roles & Permissions).", need))
	}
	return T("A member typed a private command in the group channel, and I couldn't remove it. To let me remove such messages, give me the permission to manage messages there.")
}

// textFacilitatorsUnclear tells a room's admins, in the room, why nobody
// is a facilitator by power level there.
func textFacilitatorsUnclear(need int) Text {
	return T(fmt.Sprintf("Everyone in this room has, by default, the power level that makes someone a facilitator here, so I can't tell who the facilitators are. Until that changes, private check-ins and support requests go only to a facilitators' room, if one is set. A room admin can fix this by raising the kick level to %d or more, or by lowering the default power level.", need))
}

func textUndecryptable() Text {
	return T("I couldn't read the message you just sent: it was encrypted with keys I don't have yet. Could you send it again?")
}

// textPlace says why a channel cannot be the facilitators' place.
func textPlace(e *PlaceError) Text {
	switch e.Problem {
	case PlaceNotFound:
		return T("I can't find that channel. Pick it from the list as you type #, or give its name or address.")
	case PlaceBadReference:
		return T("Give the room's id (starting with !) or its address (starting with #).")
	case PlaceOtherGroup:
		return T("That channel isn't in this server.")
	case PlaceNeedsGroup:
		return T("That only works in a server.")
	case PlaceBotAbsent:
		return T("I'm not in that channel or can't see it. Add me to it first, then try again.")
	case PlaceOpen:
		return T("Anyone can join that room, so it isn't private to facilitators. Make it invite-only first.")
	case PlaceHistoryOpen:
		return T("Anyone can read that room's history without joining. Change its history visibility first.")
	case PlaceOthersCanRead:
		t := T("Some people there are not facilitators")
		if e.Need > 0 {
			t = t.P(fmt.Sprintf(" (below power level %d)", e.Need))
		}
		if len(e.Names) == 0 {
			return t.P(", so it can't be the facilitators' place.")
		}
		names := make([]string, len(e.Names))
		for i, n := range e.Names {
			names[i] = CleanName(n)
		}
		return joinUsers(t.P(", so it can't be the facilitators' place: "), names).P(".")
	}
	return textOthersCanRead()
}

func textOthersCanRead() Text {
	return T("Other members can read that channel, so I won't send facilitator messages there. Please choose a channel only facilitators can read.")
}

func textRunHere() Text {
	return T("Please run ").Cmd("facilitators here").P(" in the channel you mean.")
}

func textFacilitatorsPrivately() Text {
	return T("Facilitator messages go to facilitators privately. To use a channel only facilitators can read, run ").Cmd("facilitators here").P(" there.")
}

func textFacilitatorsChannel() Text {
	return T("Facilitator messages go to the facilitators' channel you set. ").Cmd("facilitators off").P(" goes back to private messages.")
}

func textFacilitatorsOff() Text {
	return T("Done. Facilitator messages now go to facilitators privately.")
}

func textFacilitatorsSet() Text {
	return T("Done. Facilitator messages for this group now go to that channel.")
}
