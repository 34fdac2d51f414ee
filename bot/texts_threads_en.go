package bot

// English texts of answering through the bot and of the group's toolbox
// (issue 15), merged into the English catalog (texts_en.go) at start.
var textsThreadsEN = map[string]string{
	"action.reply to":       "Reply privately",
	"action.reply to.input": "Your reply, only they will see it",
	"action.done":           "Close the conversation",
	"action.reply":          "Answer",
	"action.reply.input":    "Your answer, only the facilitators see it",
	"action.tip review":     "See the tips",
	"action.tip approve #":  "Add",
	"action.tip decline #":  "Decline",

	"thread.fac.how":           "Reference **{ref}**. To answer them privately through me: {reply} Only they see it, with your display name. {done} closes the conversation.",
	"thread.member.how":        "A facilitator may answer you here, through me. To write back, send me {cmd:reply} followed by your words.",
	"thread.fac.member":        "{member} answered privately (reference {ref}).",
	"thread.to.member":         "**{name}**, one of the facilitators, wrote to you privately through me:",
	"thread.to.member.how":     "To answer, send me {cmd:reply} followed by your words. Only the facilitators see it.",
	"thread.sent.facilitators": "Sent. Only the facilitators see it.",
	"thread.notreached":        "I'm sorry, I couldn't reach the facilitators just now, so this didn't get through. You can try again in a little while.",
	"thread.sent.member":       "Sent to them privately (reference {ref}).",
	"thread.member.notreached": "I couldn't reach them privately just now, so your words didn't get through (reference {ref}). You can try again in a little while.",
	"thread.done":              "Closed (reference {ref}). I've let them know privately.",
	"thread.done.member":       "The facilitators have closed this conversation for now. If you'd like someone to reach out again, send me {cmd:support}.",
	"thread.closed":            "That conversation (reference {ref}) is closed. A new support request or private check-in opens a new one.",
	"thread.unknown":           "I can't find an open conversation with reference {ref}. The number is in the message about the member.",
	"thread.which":             "Which conversation? Give its reference number.",
	"thread.none":              "There's no open conversation with the facilitators right now. If you'd like one of them to reach out, send me {cmd:support}.",
	"thread.reply.usage":       "Please add your words after {cmd:reply}. Facilitators: the reference number first, then your words.",

	"data.threads":            "Conversations with the facilitators: {n, plural, =0 {none} one {# message} other {# messages}}",
	"data.thread.you":         "you",
	"data.thread.facilitator": "{name}",
	"data.thread.ref":         "reference {ref}",
	"data.tips":               "Tips you suggested: {n, plural, =0 {none} other {#}}",
	"data.tip.pending":        "waiting for review",
	"data.tip.approved":       "in the toolbox",

	"tip.empty":           "The group's toolbox is empty for now. If something has helped you, you can suggest it with {cmd:tip add}.",
	"tip.show":            "Something that helped someone in the group:",
	"tip.show.more":       "Another one: {cmd:tip}. Something that helped you? {cmd:tip add}.",
	"tip.show.add":        "Something that helped you? {cmd:tip add}.",
	"tip.add.usage":       "Add what helped you after the command, in a few words. Please leave out any detail of self-harm.",
	"tip.added":           "Thank you. A facilitator will look at it first; if they add it to the toolbox, it's shared without your name.",
	"tip.fac.waiting":     "A member suggested a tip for the toolbox. {cmd:tip review} shows it to you privately.",
	"tip.review.none":     "No tips are waiting for review.",
	"tip.review.head":     "{n, plural, one {One tip is waiting} other {# tips are waiting}} for review. Nobody else sees them until you add them.",
	"tip.review.how":      "Please check each against the agreement: no graphic detail (no methods, tools, body locations, numbers, medication names or doses) and no harmful alternatives. Added tips are shared without a name. {cmd:tip approve 1} adds one, {cmd:tip decline 1} declines one, with its number.",
	"tip.item":            "**{num}.** {words}",
	"tip.already":         "Tip {num} is in the toolbox already. {cmd:tip remove 1} with its number takes it out.",
	"tip.notwaiting":      "No tip {num} is waiting for review. {cmd:tip review} shows those that are.",
	"tip.approved":        "Added. Tip {num} is in the toolbox now, without a name.",
	"tip.approved.author": "The tip you suggested is in the group's toolbox now, shared without your name. Thank you.",
	"tip.declined":        "Declined. I've deleted tip {num} and let its author know kindly and privately.",
	"tip.declined.author": "Thank you for suggesting a tip. The facilitators decided not to add this one to the toolbox, and I've deleted it. Sometimes an idea is too close to what the agreement asks us to keep out. What helps you still matters, and you're welcome to suggest another.",
	"tip.list.empty":      "The toolbox is empty. {cmd:tip review} shows suggestions waiting; {cmd:tip starter on} adds a small starter set.",
	"tip.list.head":       "The toolbox has {n, plural, one {one tip} other {# tips}}:",
	"tip.nosuch":          "There's no tip {num}. {cmd:tip list} shows the toolbox.",
	"tip.removed":         "Removed tip {num} from the toolbox.",
	"tip.starter.on":      "Done. The {n} starter tips are in the toolbox. {cmd:tip starter off} takes them out again.",
	"tip.starter.off":     "Done. The starter tips are out of the toolbox.",
	"tip.starter.1":       "Grounding: name five things you can see, four you can hear and three you can touch. Let each breath out be a little longer than the breath in.",
	"tip.starter.2":       "Delaying: set a timer for fifteen minutes and decide again when it rings. Feelings often shift a little with time.",
	"tip.starter.3":       "Reaching out: send a message to someone you trust, or to the group. It can be as short as \"having a hard time\".",
	"tip.starter.4":       "A distraction: something for your hands and your head, like music, a game, a walk, a shower or tidying one small corner.",
	"tip.starter.5":       "A safe place: go somewhere you feel calmer, or picture one in detail: what you would see, hear and feel there.",
}

func init() { mergeTexts(textsEN, textsThreadsEN) }

// mergeTexts adds a feature's messages to a language's catalog; a key in
// both is a mistake.
func mergeTexts(into, from map[string]string) {
	for k, v := range from {
		if _, dup := into[k]; dup {
			panic("bot: message key defined twice: " + k)
		}
		into[k] = v
	}
}
