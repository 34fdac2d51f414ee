package bot

import (
	"fmt"

	"github.com/peerbot/peerbot/bot/crisislines"
)

// Texts for members in distress and for the facilitators who read about
// them. care.md is the standard: short, warm, plain; no exclamation marks;
// never echo what the member typed except, privately, to the facilitators
// they chose to tell; every answer to distress carries a route to help.

// saferAction lets a member tell the facilitators that things have eased.
var saferAction = Action{Command: "safer", Label: "I'm feeling a bit safer now", Emoji: "🌱"}

// textHelpRoute is the route to help added to any answer to distress that
// did not carry it: crisis lines for the member and the offer of !support.
func textHelpRoute(e crisislines.Entry, intl []crisislines.Line) Text {
	t := T("If you need someone now:").NL().Add(crisisLinesText(e, intl, 2))
	return t.NL().NL().P("If you'd like a facilitator to reach out to you, send me ").Cmd("support").P(" (you can add a few words).")
}

// textSorryBrief says the bot failed, before the route to help.
func textSorryBrief() Text {
	return T("Sorry, something went wrong on my side, so I couldn't do that just now. Please try again in a moment.")
}

func textSorry() Text {
	return T("Sorry, something went wrong on my side and I couldn't do that. Please try again in a moment. If you need help now, ").
		Cmd("crisis").P(" shows lines you can reach.")
}

// textRedNoRound answers a red check-in when no round is open.
func textRedNoRound(inGroup bool) Text {
	if inGroup {
		return T("There's no check-in round open in your group right now, so I haven't saved a check-in. Thank you for telling me how you are.")
	}
	return T("There's no check-in round open right now, so I haven't saved a check-in. Thank you for telling me how you are.")
}

// textWordsCut tells the member their words were cut at the limit.
func textWordsCut(max, n int, toFacilitators bool) Text {
	if toFacilitators {
		return T(fmt.Sprintf("Your words were %d characters, longer than the %d I can pass on, so the facilitators got the first %d and a note that they were cut. You can send the rest with ", n, max, max)).Cmd("support").P(".")
	}
	return T(fmt.Sprintf("Your words were %d characters, longer than the %d I can keep, so I kept the first %d.", n, max, max))
}

// textTypedInPublic says truthfully that a private command was typed where
// others could see it.
func textTypedInPublic(removed bool) Text {
	if removed {
		return T("You typed this in the group's channel, so people there may have seen it before I removed it. Next time you can send it to me privately.")
	}
	return T("You typed this in the group's channel, so people there can see what you typed. Next time you can send it to me privately.")
}

// warningWords is the content warning on a member's words to facilitators.
const warningWords = "a member's own words"

// textPrivateCheckIn is the facilitators' copy of a private check-in: a
// one-line context, then the words behind a spoiler.
func textPrivateCheckIn(m Member, ci CheckIn, red, cut bool, n int) Text {
	t := memberLabel(m).P(" checked in privately")
	if ci.Colour != NoColour {
		t = t.P(": " + colourText(ci.Colour))
	}
	t = t.P(".")
	if red {
		t = t.P(" They were shown crisis lines. They haven't asked for contact; they can with ").Cmd("support").P(".")
	}
	t = t.NL().P("Their words, for facilitators only:").NL().Hidden(ci.Words, warningWords)
	if cut {
		t = t.NL().P(fmt.Sprintf("(Cut at %d characters; they wrote %d.)", maxWords, n))
	}
	return t
}

func textSupportForFacilitators(m Member, words string, cut bool, n int) Text {
	return theyWrote(memberLabel(m).P(" would like someone to reach out to them. They were shown crisis lines."), words, cut, n)
}

// theyWrote adds a member's words for the facilitators, behind a spoiler,
// and whether they were cut.
func theyWrote(t Text, words string, cut bool, n int) Text {
	if words != "" {
		t = t.NL().P("They wrote:").NL().Hidden(words, warningWords)
	}
	if cut {
		t = t.NL().P(fmt.Sprintf("(Cut at %d characters; they wrote %d.)", maxWords, n))
	}
	return t
}

func textSupportSent() Text {
	return T("Thank you. Your message reached the facilitators, and they know you'd like someone to reach out.")
}

func textSupportRecent() Text {
	return T("Your request reached the facilitators a few minutes ago. If you want to add something, send ").
		Cmd("support").P(" with a few words and I'll pass them on.")
}

func textSaferForFacilitators(m Member, words string, cut bool, n int) Text {
	return theyWrote(memberLabel(m).P(" says things feel a bit safer now."), words, cut, n)
}

func textSaferSent() Text {
	return T("Thank you for letting me know. I've passed it on to the facilitators. If things get hard again, these are here:")
}

func textSaferNotReached() Text {
	return T("Thank you for letting me know. I couldn't reach the facilitators just now, so it didn't get through. If things get hard again, these are here:")
}

// textSelfCare is added, once per round, to the facilitators' first
// message about a member's distress.
func textSelfCare() Text {
	return T("Look after yourselves too: you don't have to carry this alone. Talk it over with another facilitator, and take a break if you need one.")
}

// textSignpost is posted in the group by a facilitator, naming nobody.
func textSignpost() Text {
	return T("If anyone needs support right now: ").Cmd("crisis").P(" shows lines you can reach, and ").Cmd("support").
		P(" asks a facilitator to reach out to you. Only you see the answers, and you can send them to me privately.")
}

func textSignpostPosted() Text {
	return T("Posted.")
}

// textUnreachable is said in the group, at most once a day, when private
// replies could not be delivered. It names nobody.
func textUnreachable() Text {
	return T("I couldn't send some private replies just now. If you're waiting for one, start a direct chat with me and send ").Cmd("help").P(".")
}

// textStandingHelp is the last line of an open round's status.
func textStandingHelp() Text {
	return T("Need help now? ").Cmd("crisis").P(" — only you see the answer.")
}

// textPrivateMessage answers a private message that is not a command.
func textPrivateMessage() Text {
	return T("I'm a bot, so I can only answer commands, but the people in your group are there to listen. ").
		Cmd("help").P(" lists what I can do.")
}

// memberLabel names a member for the facilitators unambiguously: the
// display name and, in brackets, the platform's handle or id (two members
// may share a display name; one may imitate another's).
func memberLabel(m Member) Text {
	h := handleOf(m)
	if h == m.Name {
		return T("").U(m.Name) // the console, where the name is the id
	}
	return T("").U(m.Name).P(" (").U(h).P(")")
}
