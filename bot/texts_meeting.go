package bot

import (
	"time"
)

// Texts of the whole meeting (issue 15): the closing round, content
// warnings, skipped and paused schedules, early reminders. The words are
// in texts_meeting_{en,de,es,fr,pt}.go.

// textClosingTitle is a closing round's heading: the facilitator's prompt,
// or the default closing question.
func textClosingTitle(r Round) Text {
	p := msg("closing.prompt.default")
	if r.Prompt != defaultPrompt {
		p = user(r.Prompt)
	}
	return msg("closing.title", "prompt", p)
}

// closingSummaryText counts a closing round without repeating anyone's
// words, and without colours.
func closingSummaryText(cs []CheckIn) Text {
	var in, passed int
	for _, c := range cs {
		if c.Passed {
			passed++
		} else {
			in++
		}
	}
	return msg("closing.summary", "in", in, "passed", passed).NL().Add(msg("closing.summary.thanks"))
}

// textClosingNoColour: a colour sent in a closing round is not kept.
func textClosingNoColour() Text { return msg("closing.nocolour") }

// textRoundReminder is the private note to a member who asked for
// reminders, for a check-in or a closing round.
func textRoundReminder(r Round, zone *time.Location) Text {
	if r.Closing {
		return msg("remind.note.closing", "until", until(r.ClosesAt, r.OpenedAt, zone))
	}
	return textReminder(r, zone)
}

// Content warnings.

func textCWUsage() Text       { return msg("cw.usage") }
func textCWUnsupported() Text { return msg("cw.unsupported") }
func textCWNotFound() Text    { return msg("cw.notfound") }
func textCWNoText() Text      { return msg("cw.notext") }
func textCWRepostFailed() Text {
	return msg("cw.repost.failed")
}

// cwTopic is the topic of a warning, or the default when none was given.
func cwTopic(topic string) Text {
	if topic == "" {
		return msg("cw.topic.default")
	}
	return user(topic)
}

// textCWRepost is the post again, behind a spoiler, with the topic and the
// author's name. The topic is the spoiler's reason too (Matrix shows it on
// the hidden part), unless it could be read as one of the bot's messages.
func textCWRepost(p Post, topic string) Text {
	reason := topic
	if reason == "" || english.Has(reason) {
		reason = "cw.topic.default"
	}
	return msg("cw.repost", "topic", cwTopic(topic), "name", user(p.Author.Name)).NL().Hidden(p.Text, reason)
}

// textCWAuthor tells the author, privately, why their post now has a
// warning.
func textCWAuthor(topic string, removed bool) Text {
	t := msg("cw.author", "topic", cwTopic(topic))
	if removed {
		t = t.P(" ").Add(msg("cw.author.removed"))
	} else {
		t = t.P(" ").Add(msg("cw.author.kept"))
	}
	return t.P(" ").Add(msg("cw.author.why")).NL().Add(msg("cw.author.how"))
}

// textCWDone tells the facilitator what was done.
func textCWDone(author Member, removed bool) Text {
	if removed {
		return msg("cw.done.removed", "name", user(author.Name))
	}
	return msg("cw.done.kept", "name", user(author.Name))
}

// textHelpCW explains how to put a warning on a post on the member's
// platform, and what facilitators can do.
func textHelpCW(platform string, facilitator bool) Text {
	t := msg("cw.help.title").NL()
	switch platform {
	case "discord":
		t = t.Add(msg("cw.help.discord"))
	case "matrix":
		t = t.Add(msg("cw.help.matrix"))
	default:
		t = t.Add(msg("cw.help.other"))
	}
	t = t.NL().Add(msg("cw.help.facilitators"))
	if facilitator {
		t = t.NL().Add(msg("cw.help.howto"))
	}
	return t
}

// Schedules: skip, pause, resume, early reminders.

// nextText names the next opening, or says none is planned.
func nextText(next time.Time, zone *time.Location) Text {
	if next.IsZero() {
		return msg("schedule.next.none")
	}
	return when(next, zone)
}

func textSkipBadDate() Text { return msg("schedule.skip.baddate") }

func textSkipNotADay(id int64) Text { return msg("schedule.skip.notaday", "id", id) }

func textSkipPast() Text { return msg("schedule.skip.past") }

func textSkippedAlready(id int64, occ time.Time, zone *time.Location) Text {
	return msg("schedule.skip.already", "id", id, "date", dateText(occ, zone))
}

func textSkipped(s Schedule, occ, next time.Time, zone *time.Location) Text {
	t := msg("schedule.skipped", "id", s.ID, "date", dateText(occ, zone))
	if s.Paused {
		return t.P(" ").Add(msg("schedule.still.paused", "id", s.ID))
	}
	return t.P(" ").Add(msg("schedule.next", "next", nextText(next, zone)))
}

// textSkipNote tells members who turned reminders on that a round won't
// take place.
func textSkipNote(occ, next time.Time, paused bool, zone *time.Location) Text {
	t := msg("schedule.skip.note", "date", dateText(occ, zone))
	if !paused && !next.IsZero() {
		t = t.P(" ").Add(msg("schedule.next", "next", nextText(next, zone)))
	}
	return t.P(" ").Add(msg("remind.stop"))
}

func textPausedAlready(id int64, pause bool, next time.Time, zone *time.Location) Text {
	if pause {
		return msg("schedule.paused.already", "id", id)
	}
	return msg("schedule.running.already", "id", id).P(" ").Add(msg("schedule.next", "next", nextText(next, zone)))
}

func textPaused(id int64) Text { return msg("schedule.paused", "id", id) }

func textPauseNote(s Schedule, zone *time.Location) Text {
	return msg("schedule.pause.note", "weekly", textWeekly(weekly(s, zone))).P(" ").Add(msg("remind.stop"))
}

func textResumed(id int64, next time.Time, zone *time.Location) Text {
	return msg("schedule.resumed", "id", id).P(" ").Add(msg("schedule.next", "next", nextText(next, zone)))
}

func textResumeNote(s Schedule, next time.Time, zone *time.Location) Text {
	return msg("schedule.resume.note", "weekly", textWeekly(weekly(s, zone))).P(" ").
		Add(msg("schedule.next", "next", nextText(next, zone))).P(" ").Add(msg("remind.stop"))
}

func textScheduleIsPaused(id int64) Text { return msg("schedule.list.paused", "id", id) }

func textScheduleSkips(id int64, days []time.Time, zone *time.Location) Text {
	var list Text
	for i, d := range days {
		if i > 0 {
			list = list.P(", ")
		}
		list = list.Add(dateText(d, zone))
	}
	return msg("schedule.list.skips", "id", id, "dates", list)
}

// textEarlyReminder is the note before a scheduled round opens.
func textEarlyReminder(at time.Time, zone *time.Location) Text {
	return msg("remind.early", "when", when(at, zone)).P(" ").Add(msg("remind.stop"))
}

func textRemindersLead(minutes int) Text { return msg("remind.on.lead", "lead", minutes) }

func textBadLead() Text { return msg("remind.lead.bad") }

// CWMenuName is the name of the Discord message menu entry that puts a
// content warning on a post ("Apps → Add content warning"), in l.
func CWMenuName(l *Lang) string { return l.Resolve(msg("cw.menu")).String() }

// textCWUseMenu: a post named by a link that the platform cannot read
// (Discord without the message content intent): use the post's menu.
func textCWUseMenu() Text { return msg("cw.menu.use", "menu", msg("cw.menu")) }
