package bot

// textsMeetingEN: the English words of the whole meeting (issue 15),
// merged into the English catalog (texts_en.go) at start-up.
var textsMeetingEN = map[string]string{
	// The closing round.
	"closing.prompt.default": "One word for how you're leaving",
	"closing.title":          "**Closing round**: {prompt}",
	"closing.howto":          "Share a word with {cmd:checkin your word}, or {cmd:pass}. Passing is fine. Words only, no colours.",
	"closing.nocolour":       "This round is words only, so I haven't kept a colour.",
	"closing.summary":        "**The closing round has closed.** {in, plural, one {# person} other {# people}} shared a word, {passed} passed.",
	"closing.summary.thanks": "Thank you for today, and for being here for each other. Take care until next time.",
	"remind.note.closing":    "A closing round has opened in your group, until {until}. Join in if you'd like; passing is fine too. {cmd:remind off} stops these notes.",

	// Content warnings.
	"cw.usage":             "Please name the post and the topic, for example {cmd:cw <link to the post> self-harm}, or send {cmd:cw <topic>} as a reply to the post.",
	"cw.unsupported":       "I can't put warnings on posts here. You can ask the member privately to add one, or remove the post yourself.",
	"cw.notfound":          "I couldn't find that post in this group. Please use a link to it, or send the command as a reply to it.",
	"cw.notext":            "That post has no words I can repost behind a warning, so I left it as it is.",
	"cw.topic.default":     "a heavy topic",
	"cw.repost":            "**Content warning: {topic}.** A post by {name}, behind a warning added by a facilitator. Open it only if you feel up to it.",
	"cw.repost.failed":     "I couldn't repost it behind a warning just now, so I left the original as it is. Please try again in a moment.",
	"cw.author":            "A facilitator put a content warning on one of your posts in the group ({topic}).",
	"cw.author.removed":    "I reposted it behind a spoiler and removed the original, so others can choose whether to read it. Your words are still there.",
	"cw.author.kept":       "I reposted it behind a spoiler, so others can choose whether to read it. A facilitator may remove the original.",
	"cw.author.why":        "This isn't a telling-off: the group agreement asks for a warning before heavy posts, so everyone can look after themselves. Thank you for sharing.",
	"cw.author.how":        "Next time you can add one yourself: {cmd:help cw} shows how. Only you got this note.",
	"cw.done.removed":      "Done. I reposted it behind a warning, removed the original, and told {name} privately why.",
	"cw.done.kept":         "Done. I reposted it behind a warning and told {name} privately why. I couldn't remove the original: I don't have the right to here, so please remove it yourself.",
	"cw.menu":              "Add content warning",
	"cw.menu.use":          "I can't read that post from a link. Open the post's menu instead (right-click it, or press and hold), then Apps, then {menu}.",
	"cw.help.title":        "**Content warnings**",
	"cw.help.discord":      "Before a heavy post, say what it's about, then put your words between two pairs of bars, so readers choose whether to open them: `CW: topic ||your words||`. Everything between the bars stays hidden until someone taps it.",
	"cw.help.matrix":       "Before a heavy post, write CW: and the topic first, then send your words as a spoiler, so readers choose whether to open them. In Element, start the message with /spoiler. Apps that support it show the topic on the hidden part.",
	"cw.help.other":        "Before a heavy post, write CW: and the topic first, so readers can choose whether to read on.",
	"cw.help.facilitators": "Facilitators can put a warning on a post for you. If they do, they tell you why privately, never in front of the group.",
	"cw.help.howto":        "Facilitators: {cmd:cw <link to the post> <topic>}, or {cmd:cw <topic>} as a reply to the post.",

	// Schedules: skip, pause, resume.
	"schedule.skip.baddate":    "I couldn't read the date. Please write it like 2026-12-24, or use next for the next one.",
	"schedule.skip.notaday":    "Schedule {id} doesn't open on that day, so there's nothing to skip. {cmd:schedule list} shows its days.",
	"schedule.skip.past":       "That round's time has already come. Please give a day still to come.",
	"schedule.skip.already":    "Schedule {id} already skips {date}.",
	"schedule.skipped":         "Done. Schedule {id} won't open on {date}.",
	"schedule.next":            "The next one opens {next}.",
	"schedule.next.none":       "when the facilitators choose",
	"schedule.still.paused":    "It's paused, too: {cmd:schedule resume <number>} starts it again.",
	"schedule.skip.note":       "There's no round on {date}: the group is taking that one off.",
	"schedule.paused":          "Done. Schedule {id} is paused and opens nothing until {cmd:schedule resume <number>}.",
	"schedule.paused.already":  "Schedule {id} is already paused. {cmd:schedule resume <number>} starts it again.",
	"schedule.running.already": "Schedule {id} isn't paused.",
	"schedule.pause.note":      "The scheduled rounds ({weekly}) are paused for now. I'll let you know when they start again.",
	"schedule.resumed":         "Done. Schedule {id} is running again.",
	"schedule.resume.note":     "The scheduled rounds ({weekly}) are back.",
	"schedule.list.paused":     "Schedule {id} is paused.",
	"schedule.list.skips":      "Schedule {id} skips {dates}.",

	// Reminders before a scheduled round.
	"remind.on.lead":  "Done. I'll send you a private note {lead, plural, one {# minute} other {# minutes}} before a scheduled round opens, and when a round opens. {cmd:remind off} stops them.",
	"remind.lead.bad": "Please give the minutes as a whole number from 1 to 1440, like {cmd:remind on 15m}.",
	"remind.early":    "A round opens in your group {when}. Join in if you'd like; passing is fine too.",
	"remind.stop":     "{cmd:remind off} stops these notes.",
}

func init() { mergeMeetingMessages(textsEN, textsMeetingEN) }

// mergeMeetingMessages adds more's messages to a language's catalog. A key in
// both is a mistake, found at start-up.
func mergeMeetingMessages(into, more map[string]string) {
	for k, v := range more {
		if _, dup := into[k]; dup {
			panic("bot: message key defined twice: " + k)
		}
		into[k] = v
	}
}
