package bot

import (
	"github.com/peerbot/peerbot/bot/crisislines"
)

// Texts for members in distress and for the facilitators who read about
// them. care.md is the standard: short, warm, plain; no exclamation marks;
// never echo what the member typed except, privately, to the facilitators
// they chose to tell; every answer to distress carries a route to help.

// saferAction lets a member tell the facilitators that things have eased.
var saferAction = Action{Command: "safer", Label: textsEN["action.safer"], Emoji: "🌱"}

// textHelpRoute is the route to help added to any answer to distress that
// did not carry it: crisis lines for the member and the offer of !support.
func textHelpRoute(e crisislines.Entry, intl []crisislines.Line) Text {
	t := msg("route.now").NL().Add(crisisLinesText(e, intl, 2))
	return t.NL().NL().Add(msg("route.support"))
}

// textSorryBrief says the bot failed, before the route to help.
func textSorryBrief() Text { return msg("sorry.brief") }

func textSorry() Text { return msg("sorry") }

// textRedNoRound answers a red check-in when no round is open.
func textRedNoRound(inGroup bool) Text {
	if inGroup {
		return msg("red.noround.group")
	}
	return msg("red.noround")
}

// textWordsCut tells the member their words were cut at the limit.
func textWordsCut(max, n int, toFacilitators bool) Text {
	if toFacilitators {
		return msg("words.cut.facilitators", "max", max, "n", n)
	}
	return msg("words.cut", "max", max, "n", n)
}

// textTypedInPublic says truthfully that a private command was typed where
// others could see it.
func textTypedInPublic(removed bool) Text {
	if removed {
		return msg("typed.public.removed")
	}
	return msg("typed.public")
}

// warningWords is the content warning on a member's words to facilitators
// (a message key: put into words with the rest of the text).
const warningWords = "warning.words"

// textPrivateCheckIn is the facilitators' copy of a private check-in: a
// one-line context, then the words behind a spoiler.
func textPrivateCheckIn(m Member, ci CheckIn, red, cut bool, n int) Text {
	var t Text
	if ci.Colour != NoColour {
		t = msg("fac.checkin.colour", "member", memberLabel(m), "colour", colourText(ci.Colour))
	} else {
		t = msg("fac.checkin", "member", memberLabel(m))
	}
	if red {
		t = t.P(" ").Add(msg("fac.checkin.red"))
	}
	t = t.NL().Add(msg("fac.checkin.words")).NL().Hidden(ci.Words, warningWords)
	if cut {
		t = t.NL().Add(msg("fac.cut", "max", maxWords, "n", n))
	}
	return t
}

func textSupportForFacilitators(m Member, words string, cut bool, n int) Text {
	return theyWrote(msg("fac.support", "member", memberLabel(m)), words, cut, n)
}

// theyWrote adds a member's words for the facilitators, behind a spoiler,
// and whether they were cut.
func theyWrote(t Text, words string, cut bool, n int) Text {
	if words != "" {
		t = t.NL().Add(msg("fac.wrote")).NL().Hidden(words, warningWords)
	}
	if cut {
		t = t.NL().Add(msg("fac.cut", "max", maxWords, "n", n))
	}
	return t
}

func textSupportSent() Text { return msg("support.sent") }

func textSupportRecent() Text { return msg("support.recent") }

func textSaferForFacilitators(m Member, words string, cut bool, n int) Text {
	return theyWrote(msg("fac.safer", "member", memberLabel(m)), words, cut, n)
}

func textSaferSent() Text { return msg("safer.sent") }

func textSaferNotReached() Text { return msg("safer.notreached") }

// textSelfCare is added, once per round, to the facilitators' first
// message about a member's distress.
func textSelfCare() Text { return msg("fac.selfcare") }

// textSignpost is posted in the group by a facilitator, naming nobody.
func textSignpost() Text { return msg("signpost") }

func textSignpostPosted() Text { return msg("signpost.posted") }

// textUnreachable is said in the group, at most once a day, when private
// replies could not be delivered. It names nobody.
func textUnreachable() Text { return msg("unreachable") }

// textStandingHelp is the last line of an open round's status.
func textStandingHelp() Text { return msg("round.help") }

// textPrivateMessage answers a private message that is not a command.
func textPrivateMessage() Text { return msg("private.message") }

// memberLabel names a member for the facilitators unambiguously: the
// display name and, in brackets, the platform's handle or id (two members
// may share a display name; one may imitate another's).
func memberLabel(m Member) Text {
	h := handleOf(m)
	if h == m.Name {
		return user(m.Name) // the console, where the name is the id
	}
	return user(m.Name).P(" (").U(h).P(")")
}
