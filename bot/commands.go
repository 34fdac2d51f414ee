package bot

// table is the one list of commands. The parser, help texts and Discord's
// command registration are generated from it.
func (b *Bot) table() *Table { return newTable(b.commandSpecs()) }

func (b *Bot) commandSpecs() []*CommandSpec {
	colours := []Choice{
		{Value: "green", Label: "🟢 green: doing OK"},
		{Value: "amber", Label: "🟠 amber: finding things hard, but safe"},
		{Value: "red", Label: "🔴 red: really struggling"},
	}
	return []*CommandSpec{
		{
			Name: "checkin", Summary: "Check in to the open round: a colour, some words, both or neither.",
			Help: "Colours: green (doing OK), amber (finding things hard, but safe), red (really struggling); " +
				"g, a, r and 🟢 🟠 🔴 work too (a single `a` counts as amber only at the end). Words are optional, up to 500 characters. " +
				"Add `private` first and your words go only to the facilitators; the colour still counts. " +
				"You can change your check-in while the round is open; the latest counts.",
			Example: "checkin amber tired but here",
			Args: []Arg{
				{Name: "private", Kind: ArgFlag, Sensitive: true, Help: "Your words go only to the facilitators"},
				{Name: "public", Kind: ArgFlag, Help: "Show your colour in the group even when you send this privately"},
				{Name: "colour", Kind: ArgColour, Help: "How you are", Choices: colours},
				{Name: "words", Kind: ArgText, Max: maxWords, KeepOver: true, Help: "A few words, if you like"},
			},
			Places: AlsoPrivately, NeedsGroup: true, run: b.cmdCheckIn,
			Sub: []*CommandSpec{
				{Name: "start", Access: FacilitatorsOnly, Hidden: true, Summary: "Same as round start.", run: b.cmdRoundStart, Args: roundStartArgs,
					when: startsWithMinutes},
				{Name: "end", Access: FacilitatorsOnly, Hidden: true, Summary: "Same as round end.", run: b.cmdRoundEnd, when: nothingMore},
			},
		},
		{
			Name: "pass", Summary: "Pass in the open round. Passing is always fine.",
			Help: "Listening is taking part. Nobody will ask why.", Example: "pass",
			Places: AlsoPrivately, NeedsGroup: true, run: b.cmdPass,
		},
		{
			Name: "round", Summary: "Check-in rounds: start, end, status.", run: b.cmdRoundStatus,
			Sub: []*CommandSpec{
				{Name: "start", Access: FacilitatorsOnly, Summary: "Open a check-in round in this channel.",
					Help:    "Minutes from 1 to 1440 (default 30) and a prompt (default: How are you arriving today?).",
					Example: "round start 45 One word for how you're feeling", Args: roundStartArgs, run: b.cmdRoundStart},
				{Name: "end", Access: FacilitatorsOnly, Summary: "Close the open round and post the summary.", Example: "round end", run: b.cmdRoundEnd},
				{Name: "status", Summary: "Show the open round.", Example: "round status", run: b.cmdRoundStatus},
				{Name: "closing", Access: FacilitatorsOnly, Summary: "Open a closing round here: one word for how you're leaving.",
					Help:    "Words only, no colours; passing is fine, and the summary counts without repeating anyone's words. Minutes from 1 to 1440 (default 15) and a prompt (default: One word for how you're leaving).",
					Example: "round closing 10", Args: closingArgs, run: b.cmdRoundClosing},
			},
		},
		{
			Name: "cw", Access: FacilitatorsOnly, Summary: "Put a content warning on a member's post.",
			Help: "Give a link to the post (or its id) and the topic, or send it as a reply to the post with just the topic. " +
				"I repost it behind a spoiler with the topic and the author's name, remove the original where I can, and tell the author privately why. " +
				"`help cw` shows members how to add a warning themselves.",
			Example: "cw 1234567890 self-harm", Places: InGroup, NeedsGroup: true, run: b.cmdCW, prepare: b.prepareCW,
			Args: []Arg{
				{Name: "message", Kind: ArgWord, Required: true, Max: maxPostRef, Help: "A link to the post, or its id"},
				{Name: "topic", Kind: ArgText, Max: maxTopic, Help: "What the post is about, for the warning"},
			},
		},
		{
			Name: "agreement", Summary: "Show the group agreement.", Example: "agreement", run: b.cmdAgreementShow,
			Sub: []*CommandSpec{
				{Name: "show", Hidden: true, Summary: "Show the group agreement.", run: b.cmdAgreementShow},
				{Name: "set", Access: FacilitatorsOnly, Summary: "Replace the agreement with new text (several lines are fine).",
					Example: "agreement set Be kind. What is shared here stays here.",
					Args: []Arg{{Name: "text", Kind: ArgText, Required: true, Max: maxAgreement, Help: "The new agreement",
						Input: &Input{Label: "The group agreement", Paragraph: true, Required: true, MaxLength: maxAgreement}}},
					run: b.cmdAgreementSet},
				{Name: "default", Access: FacilitatorsOnly, Summary: "Go back to the built-in agreement.", run: b.cmdAgreementDefault},
				{Name: "post", Access: FacilitatorsOnly, Summary: "Post the agreement in this channel and pin it.", run: b.cmdAgreementPost},
				{Name: "who", Access: FacilitatorsOnly, Summary: "See privately who has agreed to the current version.", run: b.cmdAgreementWho},
			},
		},
		{
			Name: "agree", Summary: "Agree to the current group agreement.", Example: "agree",
			Places: AlsoPrivately, NeedsGroup: true, run: b.cmdAgree,
		},
		{
			Name: "crisis", Summary: "Crisis lines you can reach right now, sent only to you.",
			Help:    "Give a country for its lines, or save yours once with `crisis country`. The answer is always private.",
			Example: "crisis uk", Sensitive: true, Distress: true, Places: AlsoPrivately, run: b.cmdCrisis,
			Args: []Arg{{Name: "country", Kind: ArgCountry, Max: maxCountry, Help: "A country code or name"}},
			Sub: []*CommandSpec{
				{Name: "country", Summary: "Save your country for crisis lines.", Example: "crisis country ie", Sensitive: true, Places: AlsoPrivately,
					Args: []Arg{{Name: "country", Kind: ArgCountry, Required: true, Max: maxCountry, Help: "A country code or name",
						bad: textWhichCountryToSave}}, run: b.cmdCrisisCountry},
				{Name: "default", Access: FacilitatorsOnly, Summary: "Set the group's default country for crisis lines.",
					Example: "crisis default gb", Places: AlsoPrivately, NeedsGroup: true,
					Args: []Arg{{Name: "country", Kind: ArgCountry, Required: true, Max: maxCountry, Help: "A country code or name",
						bad: textWhichCountryForGroup}}, run: b.cmdCrisisDefault},
			},
		},
		{
			Name: "support", Summary: "Let the facilitators know you'd like someone to reach out.",
			Help:    "Add a few words if you like; they go only to the facilitators. Nobody else is told.",
			Example: "support", Sensitive: true, Distress: true, Places: AlsoPrivately, NeedsGroup: true, run: b.cmdSupport,
			Args: []Arg{{Name: "words", Kind: ArgText, Max: maxWords, KeepOver: true, Help: "A few words for the facilitators"}},
		},
		{
			Name: "safer", Summary: "Tell the facilitators, privately, that things have eased.",
			Help:    "After a red check-in or a support request, let the same facilitators know you feel a bit safer now. Add a few words if you like; they go only to the facilitators.",
			Example: "safer", Sensitive: true, Distress: true, Places: AlsoPrivately, NeedsGroup: true, run: b.cmdSafer,
			Args: []Arg{{Name: "words", Kind: ArgText, Max: maxWords, KeepOver: true, Help: "A few words for the facilitators"}},
		},
		{
			Name: "signpost", Access: FacilitatorsOnly, Summary: "Post a short note, naming nobody, on where to find help now.",
			Example: "signpost", run: b.cmdSignpost,
		},
		{
			Name: "facilitators", Access: FacilitatorsOnly, Summary: "Choose where facilitator messages go.",
			Help: "`facilitators here` in a channel only facilitators can read; `facilitators <channel>` to name one; " +
				"`facilitators off` to go back to private messages.",
			Example: "facilitators here", Places: AlsoPrivately, NeedsGroup: true, run: b.cmdFacilitators, prepare: b.prepareFacilitators,
			Args: []Arg{{Name: "channel", Kind: ArgText, Max: maxChannelRef, Help: "here, off, or a channel"}},
		},
		{
			Name: "mydata", Summary: "Get, privately, everything I keep about you.", Example: "mydata",
			Sensitive: true, Places: AlsoPrivately, run: b.cmdMyData, prepare: b.prepareMyData,
		},
		{
			Name: "forgetme", Summary: "Delete everything I keep about you.", Example: "forgetme",
			Sensitive: true, Places: AlsoPrivately, run: b.cmdForgetMe,
			Sub: []*CommandSpec{
				{Name: "confirm", Summary: "Yes, delete it all.", Sensitive: true, Places: AlsoPrivately, run: b.cmdForgetMeConfirm},
			},
		},
		{
			Name: "timezone", Summary: "Show the group's time zone; facilitators can set it.",
			Help:    "Use an IANA name, like Europe/London or America/New_York. Scheduled rounds follow the group's clock.",
			Example: "timezone Europe/London", Places: AlsoPrivately, NeedsGroup: true, run: b.cmdTimezone,
			Args: []Arg{{Name: "zone", Kind: ArgZone, Help: "An IANA time zone name", bad: textBadZone}},
		},
		{
			Name: "schedule", Access: FacilitatorsOnly, Summary: "Rounds that open by themselves, every week.", run: b.cmdScheduleList,
			Places: AlsoPrivately, NeedsGroup: true,
			Sub: []*CommandSpec{
				{Name: "round", Access: FacilitatorsOnly, Summary: "Open a round here on these days at this time.",
					Help:    "Days like tue,thu, mon-fri, daily, weekdays or weekends; a 24-hour time in the group's time zone; then minutes (default 30) and a prompt if you like.",
					Example: "schedule round tue,thu 19:00 45 How are you arriving?", run: b.cmdScheduleRound,
					Args: []Arg{{Name: "days", Kind: ArgDays, Required: true, Help: "tue,thu, mon-fri, daily…", bad: textBadDays},
						{Name: "time", Kind: ArgTime, Required: true, Help: "24-hour time, like 19:00", bad: textBadTime},
						roundStartArgs[0], roundStartArgs[1]}},
				{Name: "list", Access: FacilitatorsOnly, Summary: "List the scheduled rounds.", run: b.cmdScheduleList},
				{Name: "remove", Access: FacilitatorsOnly, Summary: "Remove a scheduled round.", Example: "schedule remove 2", run: b.cmdScheduleRemove,
					Args: []Arg{{Name: "number", Kind: ArgNumber, Required: true, Min: 1, Max: 1 << 30, Help: "The number from schedule list", bad: textBadScheduleNumber}}},
				{Name: "skip", Access: FacilitatorsOnly, Summary: "Skip one scheduled round, on one day.",
					Help:    "Give the schedule's number and the date (like 2026-12-24), or `next`. Members who turned reminders on are told privately.",
					Example: "schedule skip 1 2026-12-24", run: b.cmdScheduleSkip,
					Args: []Arg{scheduleNumberArg, {Name: "date", Kind: ArgWord, Required: true, Max: 20, Help: "A date like 2026-12-24, or next", bad: textSkipBadDate}}},
				{Name: "pause", Access: FacilitatorsOnly, Summary: "Pause a schedule until you resume it.",
					Example: "schedule pause 1", run: b.cmdSchedulePause, Args: []Arg{scheduleNumberArg}},
				{Name: "resume", Access: FacilitatorsOnly, Summary: "Start a paused schedule again.",
					Example: "schedule resume 1", run: b.cmdScheduleResume, Args: []Arg{scheduleNumberArg}},
			},
		},
		{
			Name: "remind", Summary: "A private note when a round opens in your group: on or off.",
			Help:    "Off unless you turn it on. The bot sends no other messages you didn't ask for.",
			Example: "remind on", Places: AlsoPrivately, NeedsGroup: true, run: b.cmdRemind,
			Args: []Arg{{Name: "switch", Kind: ArgChoice, Required: true, Help: "on or off", bad: textRemindUsage,
				Choices: []Choice{{Value: "on", Label: "on"}, {Value: "off", Label: "off"}}},
				{Name: "lead", Kind: ArgMinutes, Min: 1, Max: maxMinutes, Help: "Minutes before a scheduled round opens, for an early note", bad: textBadLead}},
		},
		{
			Name: "language", Summary: "Show the group's language; facilitators can set it.",
			Help: "Languages: en (English), de (Deutsch), es (Español), fr (Français), pt-BR (Português). " +
				"Commands keep their English names in every language. `language me` chooses the language of your own private answers.",
			Example: "language de", Places: AlsoPrivately, NeedsGroup: true, run: b.cmdLanguage,
			Args: []Arg{{Name: "code", Kind: ArgWord, Max: maxLanguage, Help: "A language code: en, de, es, fr or pt-BR"}},
			Sub: []*CommandSpec{
				{Name: "me", Summary: "Choose the language of your own private answers.",
					Help:    "Give a language code, or `auto` to follow your group's language (on Discord, your app's language).",
					Example: "language me de", Places: AlsoPrivately, run: b.cmdLanguageMe,
					Args: []Arg{{Name: "code", Kind: ArgWord, Max: maxLanguage, Help: "A language code, or auto"}}},
			},
		},
		{
			Name: "group", Summary: "Choose which of your groups private commands act on.",
			Example: "group 2", Places: AlsoPrivately, run: b.cmdGroup,
			Args: []Arg{{Name: "number", Kind: ArgNumber, Min: 1, Max: 1 << 30, Help: "The group's number from the list", bad: textBadGroupNumber}},
		},
		{
			Name: "help", Summary: "What I can do, or details of one command.", Example: "help checkin", Places: AlsoPrivately, run: b.cmdHelp,
			Args: []Arg{{Name: "command", Kind: ArgText, Max: 100, Help: "A command name"}},
		},
		// Threads and tips (issue 15): answering through the bot, and the
		// group's toolbox (threads.go, tips.go).
		{
			Name: "reply", Summary: "Write privately through me: facilitators to a member, a member back to the facilitators.",
			Help: "Facilitators: `reply 12 your words` answers conversation 12 (the number is in the message about the member); " +
				"only the member sees it, with your display name. Members: `reply your words` answers the facilitators. " +
				"Nobody else sees it, and nobody's account is shared. A conversation closes after a day without messages.",
			Example: "reply 12 I'm here. Would you like to talk this evening?", Sensitive: true, Places: AlsoPrivately,
			run: b.cmdReply, prepare: b.prepareThread,
			Args: []Arg{{Name: "words", Kind: ArgText, Max: maxWords, KeepOver: true, Help: "Your words"}},
			Sub: []*CommandSpec{
				{Name: "to", Hidden: true, Summary: "Same as reply with a conversation's number.", Sensitive: true, Places: AlsoPrivately,
					when: startsWithNumber, run: b.cmdReply, prepare: b.prepareThread,
					Args: []Arg{{Name: "ref", Kind: ArgNumber, Required: true, Min: 1, Max: 1 << 30, Help: "The conversation's number"},
						{Name: "words", Kind: ArgText, Required: true, Max: maxWords, Help: "Your words",
							Input: &Input{Label: "Your reply, only they will see it", Paragraph: true, Required: true, MaxLength: maxWords}}}},
			},
		},
		{
			Name: "done", Summary: "Close a private conversation with a member (facilitators).",
			Help:    "The member is told privately that it closed, and how to ask again. Conversations also close after a day without messages.",
			Example: "done 12", Places: AlsoPrivately, run: b.cmdDone, prepare: b.prepareThread,
			Args: []Arg{{Name: "ref", Kind: ArgNumber, Required: true, Min: 1, Max: 1 << 30, Help: "The conversation's number"}},
		},
		{
			Name: "tip", Summary: "One idea from the group's toolbox of what helped, sent only to you.",
			Help: "Tips come from members and are shared without names, once a facilitator has looked at them. " +
				"`tip add` suggests something that helped you.",
			Example: "tip", Places: AlsoPrivately, NeedsGroup: true, run: b.cmdTip,
			Sub: []*CommandSpec{
				{Name: "show", Hidden: true, Summary: "Same as tip.", Places: AlsoPrivately, NeedsGroup: true, run: b.cmdTip},
				{Name: "add", Summary: "Suggest something that helped you; a facilitator looks at it first.",
					Help:    "Only the facilitators see it until one of them adds it to the toolbox; then it is shared without your name. Please leave out any detail of self-harm.",
					Example: "tip add Holding an ice cube and counting my breaths.", Sensitive: true, Places: AlsoPrivately, NeedsGroup: true, run: b.cmdTipAdd,
					Args: []Arg{{Name: "words", Kind: ArgText, Required: true, Max: maxTip, Help: "What helped you",
						Input: &Input{Label: "What helped you", Paragraph: true, Required: true, MaxLength: maxTip}}}},
				{Name: "review", Access: FacilitatorsOnly, Summary: "See, privately, the tips waiting for review.", Example: "tip review",
					Places: AlsoPrivately, NeedsGroup: true, run: b.cmdTipReview},
				{Name: "approve", Access: FacilitatorsOnly, Summary: "Add a waiting tip to the toolbox, without a name.", Example: "tip approve 3",
					Places: AlsoPrivately, NeedsGroup: true, run: b.cmdTipApprove, Args: tipNumber},
				{Name: "decline", Access: FacilitatorsOnly, Summary: "Decline a waiting tip; its author gets a kind private note.", Example: "tip decline 3",
					Places: AlsoPrivately, NeedsGroup: true, run: b.cmdTipDecline, Args: tipNumber},
				{Name: "list", Access: FacilitatorsOnly, Summary: "List the tips in the toolbox.", Example: "tip list",
					Places: AlsoPrivately, NeedsGroup: true, run: b.cmdTipList},
				{Name: "remove", Access: FacilitatorsOnly, Summary: "Take a tip out of the toolbox.", Example: "tip remove 3",
					Places: AlsoPrivately, NeedsGroup: true, run: b.cmdTipRemove, Args: tipNumber},
				{Name: "starter", Access: FacilitatorsOnly, Summary: "Switch the small starter set of tips on or off.",
					Help:    "Five short ideas: grounding, delaying, reaching out, a distraction, a safe place. Off unless you switch it on.",
					Example: "tip starter on", Places: AlsoPrivately, NeedsGroup: true, run: b.cmdTipStarter,
					Args: []Arg{{Name: "switch", Kind: ArgChoice, Required: true, Help: "on or off",
						Choices: []Choice{{Value: "on", Label: "on"}, {Value: "off", Label: "off"}}}}},
			},
		},
	}
}

// nothingMore accepts a subcommand with no words after it.
func nothingMore(rest []string) bool { return len(rest) == 0 }

// startsWithMinutes accepts "checkin start" alone or followed by minutes,
// so "!checkin start of a better week" stays a check-in.
func startsWithMinutes(rest []string) bool {
	if len(rest) == 0 {
		return true
	}
	r := rest[0][0]
	return r == '-' || r == '+' || (r >= '0' && r <= '9')
}

// closingArgs: a closing round's minutes and prompt; the prompt is a
// Discord form field.
var closingArgs = []Arg{
	{Name: "minutes", Kind: ArgMinutes, Min: 1, Max: maxMinutes, Help: "How long the round stays open, 1 to 1440 (default 15)", bad: textBadMinutes},
	{Name: "prompt", Kind: ArgText, Max: maxPrompt, Help: "The question for the round",
		Input: &Input{Label: "Closing question (optional)", MaxLength: maxPrompt}},
}

var scheduleNumberArg = Arg{Name: "number", Kind: ArgNumber, Required: true, Min: 1, Max: 1 << 30, Help: "The number from schedule list", bad: textBadScheduleNumber}

var roundStartArgs = []Arg{
	{Name: "minutes", Kind: ArgMinutes, Min: 1, Max: maxMinutes, Help: "How long the round stays open, 1 to 1440 (default 30)", bad: textBadMinutes},
	{Name: "prompt", Kind: ArgText, Max: maxPrompt, Help: "The question for the round"},
}

// Limits of what members type, in characters.
const (
	maxCountry    = 100
	maxChannelRef = 300
	maxLanguage   = 20
	maxPostRef    = 300
	maxTopic      = 100
)
