package bot

import (
	"strconv"
	"time"
)

// Texts of answering through the bot and of the group's toolbox (issue
// 15). The words are in texts_threads_en.go and its translations.

// textThreadHowFacilitators tells facilitators how to answer a member
// privately: the thread's reference and the command.
func textThreadHowFacilitators(id int64) Text {
	ref := strconv.FormatInt(id, 10)
	return msg("thread.fac.how", "ref", ref, "reply", T("").Cmd("reply "+ref+" …"), "done", T("").Cmd("done "+ref))
}

// textThreadHowMember tells the member the facilitators can answer
// through the bot.
func textThreadHowMember() Text { return msg("thread.member.how") }

// textThreadFromMember is a member's answer, for the facilitators.
func textThreadFromMember(m Member, id int64, words string, cut bool, n int) Text {
	ref := strconv.FormatInt(id, 10)
	t := theyWrote(msg("thread.fac.member", "member", memberLabel(m), "ref", ref), words, cut, n)
	return t.NL().Add(textThreadHowFacilitators(id))
}

// textThreadToMember is a facilitator's words, for the member.
func textThreadToMember(facilitator, words string) Text {
	return msg("thread.to.member", "name", user(facilitator)).NL().U(words).NL().NL().Add(msg("thread.to.member.how"))
}

func textThreadSentToFacilitators() Text { return msg("thread.sent.facilitators") }

func textThreadNotReached() Text { return msg("thread.notreached") }

func textThreadSentToMember(id int64) Text {
	return msg("thread.sent.member", "ref", strconv.FormatInt(id, 10))
}

func textThreadMemberNotReached(id int64) Text {
	return msg("thread.member.notreached", "ref", strconv.FormatInt(id, 10))
}

func textThreadDone(id int64) Text { return msg("thread.done", "ref", strconv.FormatInt(id, 10)) }

func textThreadDoneMember() Text { return msg("thread.done.member") }

func textThreadClosed(id int64) Text { return msg("thread.closed", "ref", strconv.FormatInt(id, 10)) }

func textThreadUnknown(id int64) Text { return msg("thread.unknown", "ref", strconv.FormatInt(id, 10)) }

func textThreadWhich() Text { return msg("thread.which") }

func textThreadNone() Text { return msg("thread.none") }

func textThreadReplyUsage() Text { return msg("thread.reply.usage") }

// textMyThreads lists, for !mydata, the words of the member's threads.
func textMyThreads(d MemberData, day func(time.Time) Text) Text {
	t := Text{}.NL().P("• ").Add(msg("data.threads", "n", len(d.ThreadWords)))
	for _, w := range d.ThreadWords {
		who := msg("data.thread.you")
		if w.Author != d.Member.ID {
			who = msg("data.thread.facilitator", "name", user(w.AuthorName))
		}
		t = t.NL().P("  – ").Add(day(w.At)).P(" (").Add(msg("data.thread.ref", "ref", strconv.FormatInt(w.Thread, 10))).P("), ").
			Add(who).P(": ").U(w.Words)
	}
	t = t.NL().P("• ").Add(msg("data.tips", "n", len(d.Tips)))
	for _, tip := range d.Tips {
		state := msg("data.tip.pending")
		if tip.Approved {
			state = msg("data.tip.approved")
		}
		t = t.NL().P("  – ").Add(day(tip.CreatedAt)).P(" (").Add(state).P("): ").U(tip.Words)
	}
	return t
}

// tipText is a tip's words for a reader.
func tipText(t Tip) Text {
	if t.Starter > 0 {
		return msg("tip.starter." + strconv.Itoa(t.Starter))
	}
	return user(t.Words)
}

func textTipEmpty() Text { return msg("tip.empty") }

func textTipShow(tip Text, more bool) Text {
	t := msg("tip.show").NL().Add(tip).NL().NL()
	if more {
		return t.Add(msg("tip.show.more"))
	}
	return t.Add(msg("tip.show.add"))
}

func textTipAddUsage() Text { return msg("tip.add.usage") }

func textTipAdded() Text { return msg("tip.added") }

func textTipWaiting() Text { return msg("tip.fac.waiting") }

func textTipNoneWaiting() Text { return msg("tip.review.none") }

func textTipReviewHead(n int) Text { return msg("tip.review.head", "n", n) }

func textTipReviewHow() Text { return msg("tip.review.how") }

func textTipItem(num int, words Text) Text { return msg("tip.item", "num", num, "words", words) }

func textTipAlreadyIn(num int) Text { return msg("tip.already", "num", num) }

func textTipNotWaiting(num int) Text { return msg("tip.notwaiting", "num", num) }

func textTipApproved(num int) Text { return msg("tip.approved", "num", num) }

func textTipApprovedAuthor() Text { return msg("tip.approved.author") }

func textTipDeclined(num int) Text { return msg("tip.declined", "num", num) }

func textTipDeclinedAuthor() Text { return msg("tip.declined.author") }

func textTipListEmpty() Text { return msg("tip.list.empty") }

func textTipListHead(n int) Text { return msg("tip.list.head", "n", n) }

func textTipNoSuch(num int) Text { return msg("tip.nosuch", "num", num) }

func textTipRemoved(num int) Text { return msg("tip.removed", "num", num) }

func textTipStarterOn(n int) Text { return msg("tip.starter.on", "n", n) }

func textTipStarterOff() Text { return msg("tip.starter.off") }
