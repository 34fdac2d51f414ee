package bot

import (
	"strconv"
	"strings"
	"time"

	"github.com/peerbot/peerbot/bot/crisislines"
)

// Texts never repeat what a member typed when the bot could not make sense
// of it: it may be something painful ("!crisis I cut again").

func textUnknownCommand() Text { return msg("command.unknown") }

func textUnknownSub(name string, spec *CommandSpec) Text {
	var subs []string
	for _, s := range spec.Sub {
		subs = append(subs, s.Name)
	}
	return msg("command.sub", "subs", strings.Join(subs, ", "), "example", T("").Cmd(name+" "+spec.Sub[0].Name),
		"help", T("").Cmd("help "+name))
}

func textFacilitatorsOnly() Text { return msg("facilitators.only") }

func textBadMinutes() Text { return msg("minutes.bad") }

func textWordsTooLong(max, n int) Text { return msg("words.toolong", "max", max, "n", n) }

func textRoundNeedsChannel() Text { return msg("round.needschannel") }

func textGroupOnly() Text { return msg("group.only") }

func textRoundAlreadyOpen(r Round, zone *time.Location) Text {
	return msg("round.open.already", "until", until(r.ClosesAt, r.OpenedAt, zone))
}

// textRoundOpenMeanwhile: another round opened here while this one was
// being started.
func textRoundOpenMeanwhile() Text { return msg("round.open.meanwhile") }

func textNoRoundToEnd() Text { return msg("round.none.toend") }

// textNoRound tells a member there is no open round: a kind "this round has
// closed" when one closed recently.
func textNoRound(c *call) Text {
	if c.ev.Channel != "" {
		if r, err := c.st.LatestRound(c.ctx, c.ev.Channel); err == nil && !r.Open() {
			return textRoundClosed()
		}
	} else if c.group != "" {
		return msg("round.none.group")
	}
	return msg("round.none")
}

func textRoundClosed() Text { return msg("round.closed") }

// textCheckedIn acknowledges a check-in, saying who sees the colour and who
// sees the words. reached says whether private words reached the
// facilitators; typedInPublic that others saw the command itself.
func textCheckedIn(name string, ci CheckIn, again, reached, typedInPublic bool) Text {
	if ci.Passed {
		return msg("checkin.passed")
	}
	key := "checkin.in"
	if again {
		key = "checkin.updated"
	}
	var t Text
	if ci.Colour != NoColour {
		t = msg(key+".colour", "name", user(name), "colour", colourText(ci.Colour))
	} else {
		t = msg(key, "name", user(name))
	}
	switch {
	case ci.Private && ci.Words != "" && reached:
		t = t.P(" ").Add(msg("checkin.seen.private.words"))
	case ci.Private && ci.Words != "":
		t = t.P(" ").Add(msg("checkin.seen.private.notreached"))
	case ci.Private:
		t = t.P(" ").Add(msg("checkin.seen.private"))
	case ci.Hidden && ci.Colour != NoColour:
		t = t.P(" ").Add(msg("checkin.seen.hidden"))
	case ci.Colour != NoColour:
		t = t.P(" ").Add(msg("checkin.seen.colour"))
	default:
		t = t.P(" ").Add(msg("checkin.seen"))
	}
	switch {
	case ci.Private || ci.Words == "":
	case typedInPublic:
		// Everyone in the channel saw the command itself.
		t = t.P(" ").Add(msg("checkin.words.status"))
	default:
		t = t.P(" ").Add(msg("checkin.words.nobody"))
	}
	return t
}

func textRedNote(b *Bot, e crisislines.Entry, note Text) Text {
	t := msg("red.note").NL()
	t = t.Add(crisisLinesText(e, b.crisis.International(), 2))
	t = t.NL().Add(msg("red.more"))
	return t.NL().NL().Add(msg("red.support"))
}

func textSupportNotReached(b *Bot, e crisislines.Entry) Text {
	return msg("support.notreached").NL().Add(crisisLinesText(e, b.crisis.International(), 2))
}

func textUnknownCountry() Text { return msg("country.unknown") }

// textWhichCountryToSave answers a country to save (crisis country) that
// could not be read.
func textWhichCountryToSave() Text { return msg("country.which.save") }

// textWhichCountryForGroup answers a group's default country (crisis
// default) that could not be read.
func textWhichCountryForGroup() Text { return msg("country.which.group") }

func textNoLinesFor(code, name string) Text {
	return msg("country.nolines", "country", country(code, name))
}

func textCountrySaved(code, name string, known bool) Text {
	if !known {
		return msg("country.saved.nolines", "country", country(code, name))
	}
	return msg("country.saved", "country", country(code, name))
}

func textGroupCountrySaved(code, name string) Text {
	return msg("country.group.saved", "country", country(code, name))
}

func textAgreed(name string) Text { return msg("agreed", "name", user(name)) }

func textWhoAgreed(version int, yes, no []string) Text {
	t := msg("agreement.who", "version", version).NL().Add(msg("agreement.who.yes", "n", len(yes))).P(" ")
	t = joinUsers(t, yes).NL().Add(msg("agreement.who.no", "n", len(no))).P(" ")
	return joinUsers(t, no)
}

func joinUsers(t Text, names []string) Text {
	if len(names) == 0 {
		return t.Add(msg("nobody"))
	}
	for i, n := range names {
		if i > 0 {
			t = t.P(", ")
		}
		t = t.U(n)
	}
	return t
}

func textNoGroup() Text { return msg("group.none") }

func textWhichGroup(groups []Group) Text {
	t := msg("group.which")
	for i, g := range groups {
		t = t.NL().P(strconv.Itoa(i+1) + ". ").U(groupLabel(g))
	}
	return t.NL().Add(msg("group.which.send"))
}

func textOneGroup() Text { return msg("group.one") }

func textGroupChosen(g Group) Text { return msg("group.chosen", "group", user(groupLabel(g))) }

func textForgetAsk() Text { return msg("forget.ask") }

func textForgotten() Text { return msg("forget.done") }

func textNoFacilitatorPlace() Text { return msg("facilitators.noplace") }

func textDone() Text { return msg("done") }

func textCannotPin(need int) Text {
	if need > 0 {
		return msg("pin.cannot.level", "level", need)
	}
	return msg("pin.cannot")
}

func textCannotRedact(need int) Text {
	if need > 0 {
		return msg("redact.cannot.level", "level", need)
	}
	return msg("redact.cannot")
}

// textFacilitatorsUnclear tells a room's admins, in the room, why nobody
// is a facilitator by power level there.
func textFacilitatorsUnclear(need int) Text { return msg("facilitators.unclear", "level", need) }

func textUndecryptable() Text { return msg("undecryptable") }

// textPlace says why a channel cannot be the facilitators' place.
func textPlace(e *PlaceError) Text {
	switch e.Problem {
	case PlaceNotFound:
		return msg("place.notfound")
	case PlaceBadReference:
		return msg("place.badref")
	case PlaceOtherGroup:
		return msg("place.othergroup")
	case PlaceNeedsGroup:
		return msg("place.needsgroup")
	case PlaceBotAbsent:
		return msg("place.botabsent")
	case PlaceOpen:
		return msg("place.open")
	case PlaceHistoryOpen:
		return msg("place.history")
	case PlaceOthersCanRead:
		if len(e.Names) == 0 {
			if e.Need > 0 {
				return msg("place.others.level", "level", e.Need)
			}
			return msg("place.others")
		}
		names := make([]string, len(e.Names))
		for i, n := range e.Names {
			names[i] = CleanName(n)
		}
		who := joinUsers(Text{}, names)
		if e.Need > 0 {
			return msg("place.others.level.names", "level", e.Need, "names", who)
		}
		return msg("place.others.names", "names", who)
	}
	return textOthersCanRead()
}

func textOthersCanRead() Text { return msg("place.otherscanread") }

func textRunHere() Text { return msg("facilitators.runhere") }

func textFacilitatorsPrivately() Text { return msg("facilitators.privately") }

func textFacilitatorsChannel() Text { return msg("facilitators.channel") }

func textFacilitatorsOff() Text { return msg("facilitators.off") }

func textFacilitatorsSet() Text { return msg("facilitators.set") }
