package bot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Answering through the bot (issue 15). A member's support request or
// private check-in opens a thread (or continues the one open): the
// facilitators' message carries its reference and a "Reply privately"
// action. `!reply <ref> <words>` from a facilitator sends the words to the
// member privately, naming the facilitator; the member answers with
// `!reply <words>`, which goes to the facilitators' side. `!done <ref>`
// closes a thread; one closes by itself after threadIdle without a message.
// Only the group's current facilitators can answer or close one: in the
// group by the event's word, in a private message by asking the platform
// again. Nobody's account is exposed: the member sees the facilitator's
// display name, facilitators the member's, and every word goes through the
// bot. The words are sealed in the store, go with retention and
// !forgetme, and are listed by !mydata.

// threadIdle is how long a thread stays open without a message.
const threadIdle = 24 * time.Hour

// Thread is a private conversation between one member and the facilitators
// of a group. Its ID is the reference facilitators answer with.
type Thread struct {
	ID       int64
	Group    GroupID
	Member   MemberID
	OpenedAt time.Time
	LastAt   time.Time
	ClosedAt time.Time // zero while not closed
}

// OpenAt reports whether the thread is open at now: not closed, and a
// message came within threadIdle.
func (t Thread) OpenAt(now time.Time) bool {
	return t.ClosedAt.IsZero() && now.Sub(t.LastAt) < threadIdle
}

// ThreadWords are words written in a thread, by its member or a
// facilitator. Sensitive: never logged.
type ThreadWords struct {
	Thread      int64
	Author      MemberID
	AuthorName  string
	Facilitator bool
	Words       string
	At          time.Time
}

// threadFor returns the member's open thread in c.group, or starts one.
func (b *Bot) threadFor(c *call) (Thread, error) {
	t, err := c.st.LatestThread(c.ctx, c.group, c.ev.Member.ID)
	if err == nil && t.OpenAt(c.now) {
		return t, nil
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Thread{}, fmt.Errorf("thread: %w", err)
	}
	if err == nil {
		// Quiet for a day: it closed by itself.
		if err := c.st.CloseThread(c.ctx, t.ID, t.LastAt.Add(threadIdle)); err != nil {
			return Thread{}, fmt.Errorf("thread: %w", err)
		}
	}
	t, err = c.st.StartThread(c.ctx, Thread{Group: c.group, Member: c.ev.Member.ID, OpenedAt: c.now, LastAt: c.now})
	if err != nil {
		return Thread{}, fmt.Errorf("thread: %w", err)
	}
	return t, nil
}

// withThread opens or continues the member's thread and adds its reference
// and the facilitators' actions to the Facilitators reply queued last, and
// to the member's confirmation how they can answer.
func (b *Bot) withThread(c *call) error {
	t, err := b.threadFor(c)
	if err != nil {
		return err
	}
	last := &c.replies[len(c.replies)-1]
	if last.Visibility != Facilitators {
		return errors.New("thread: the last reply is not for the facilitators")
	}
	last.Text = append(Text{}, last.Text...).NL().NL().Add(textThreadHowFacilitators(t.ID))
	last.Actions = threadActions(t.ID)
	if last.confirm != nil {
		last.confirm.Text = append(Text{}, last.confirm.Text...).NL().NL().Add(textThreadHowMember())
	}
	return nil
}

// threadActions are offered to facilitators with a member's message.
func threadActions(id int64) []Action {
	ref := strconv.FormatInt(id, 10)
	return []Action{
		{Command: "reply to " + ref, Label: textsThreadsEN["action.reply to"], Emoji: "💬", Input: &Input{
			Label: textsThreadsEN["action.reply to.input"], MaxLength: maxWords, Paragraph: true, Required: true}},
		{Command: "done " + ref, Label: textsThreadsEN["action.done"], Emoji: "✔️"},
	}
}

// answerAction is offered to the member with a facilitator's words.
var answerAction = Action{Command: "reply", Label: textsThreadsEN["action.reply"], Emoji: "💬", Input: &Input{
	Label: textsThreadsEN["action.reply.input"], MaxLength: maxWords, Paragraph: true, Required: true}}

// threadRef reads a thread reference ("12" or "#12") at the start of
// words; it returns the reference and the words after it.
func threadRef(words string) (int64, string) {
	w, rest := cutWord(words)
	id, err := strconv.ParseInt(strings.TrimPrefix(w, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, words
	}
	return id, rest
}

// replyRef is the thread a reply or done command names, and the words
// after the reference.
func replyRef(cmd Command) (int64, string) {
	if n, ok := cmd.Int("ref"); ok {
		return int64(n), cmd.Text("words")
	}
	return threadRef(cmd.Text("words"))
}

// prepareThread finds the thread a facilitator names, before the
// transaction, and checks that the member is a current facilitator of its
// group: in that group's channel by the event, in a private message by
// asking the platform (which may need the database). A member who is not
// gets the member's path of !reply; !done and "reply to" are refused.
func (b *Bot) prepareThread(c *call) error {
	id, _ := replyRef(c.cmd)
	if id == 0 {
		if c.spec.Name != "reply" {
			return Userf(textThreadWhich())
		}
		return nil
	}
	member := c.spec.path == "reply" // plain !reply: words may start with a number
	t, err := b.store.Thread(c.ctx, id)
	if errors.Is(err, ErrNotFound) {
		if member {
			return nil
		}
		return Userf(textThreadUnknown(id))
	} else if err != nil {
		return fmt.Errorf("prepare thread: %w", err)
	}
	fac, err := b.facilitatorOf(c, t.Group)
	if err != nil {
		return err
	}
	if !fac {
		if member {
			return nil
		}
		return &UserError{Text: textFacilitatorsOnly(), refused: true}
	}
	// Checked now: for this event they act as the thread's group's
	// facilitator (a private message says nothing of it by itself).
	c.thread, c.group, c.ev.Member.Facilitator = &t, t.Group, true
	return nil
}

// facilitatorOf reports whether the event's member is a facilitator of
// group g now.
func (b *Bot) facilitatorOf(c *call, g GroupID) (bool, error) {
	if c.ev.Group == g {
		return c.ev.Member.Facilitator, nil
	}
	// A private message, or another room (on Matrix the facilitators'
	// room is a room of its own): the platform is asked.
	fc, ok := b.platform.(FacilitatorChecker)
	if !ok {
		return c.ev.Group == "" && c.ev.Member.Facilitator, nil
	}
	yes, err := fc.IsFacilitator(c.ctx, g, c.ev.Member.ID)
	if err != nil {
		return false, fmt.Errorf("check facilitator: %w", err)
	}
	return yes, nil
}

func (b *Bot) cmdReply(c *call) error {
	if c.thread != nil {
		return b.facilitatorReply(c)
	}
	words := c.cmd.Text("words")
	if words == "" {
		return Userf(textThreadReplyUsage())
	}
	t, err := c.st.LatestThread(c.ctx, c.ev.Group, c.ev.Member.ID)
	if errors.Is(err, ErrNotFound) || (err == nil && !t.OpenAt(c.now)) {
		if id, _ := threadRef(words); id > 0 && c.ev.Member.Facilitator {
			return Userf(textThreadUnknown(id))
		}
		return Userf(textThreadNone())
	} else if err != nil {
		return fmt.Errorf("reply: %w", err)
	}
	n, cut := c.cmd.Over("words")
	c.group = t.Group
	if err := c.st.AddThreadWords(c.ctx, ThreadWords{Thread: t.ID, Author: c.ev.Member.ID, AuthorName: c.ev.Member.Name, Words: words, At: c.now}); err != nil {
		return fmt.Errorf("reply: %w", err)
	}
	sent := textThreadSentToFacilitators()
	if cut {
		sent = sent.P(" ").Add(textWordsCut(maxWords, n, true))
	}
	if !c.ev.Private {
		sent = sent.NL().Add(textTypedInPublic(c.ev.Removed))
	}
	if err := c.facilitators(textThreadFromMember(c.ev.Member, t.ID, words, cut, n), sent, textThreadNotReached()); err != nil {
		return err
	}
	c.replies[len(c.replies)-1].Actions = threadActions(t.ID)
	return nil
}

// facilitatorReply sends a facilitator's words to the thread's member.
func (b *Bot) facilitatorReply(c *call) error {
	t, err := c.st.Thread(c.ctx, c.thread.ID)
	if err != nil {
		return fmt.Errorf("reply: %w", err)
	}
	if !t.OpenAt(c.now) {
		return Userf(textThreadClosed(t.ID))
	}
	_, words := replyRef(c.cmd)
	if words == "" {
		return Userf(textThreadReplyUsage())
	}
	if n, cut := c.cmd.Over("words"); cut {
		return Userf(textWordsTooLong(maxWords, n))
	}
	if err := c.st.AddThreadWords(c.ctx, ThreadWords{Thread: t.ID, Author: c.ev.Member.ID, AuthorName: c.ev.Member.Name,
		Facilitator: true, Words: words, At: c.now}); err != nil {
		return fmt.Errorf("reply: %w", err)
	}
	name := b.nameOf(c, t.Member)
	sent := textThreadSentToMember(t.ID)
	if !c.ev.Private {
		// Typed where others could read it, unless that was the
		// facilitators' own place.
		g, err := b.groupOf(c.ctx, c.st, t.Group)
		if err != nil {
			return err
		}
		if g.FacilitatorsChannel == "" || g.FacilitatorsChannel != c.ev.Channel {
			sent = sent.NL().Add(textTypedInPublic(c.ev.Removed))
		}
	}
	r := Reply{Visibility: Private, Group: t.Group, To: t.Member, ToName: name,
		Text: textThreadToMember(c.ev.Member.Name, words), Actions: []Action{answerAction}}
	back := func(t Text) *Reply {
		return &Reply{Visibility: Private, Group: c.group, To: c.ev.Member.ID, ToName: c.ev.Member.Name, Text: t, InReplyTo: c.ev.ID, locale: c.ev.Locale}
	}
	r.confirm, r.fallback = back(sent), back(textThreadMemberNotReached(t.ID))
	c.say(r)
	return nil
}

// cmdDone closes a thread; the member is told privately.
func (b *Bot) cmdDone(c *call) error {
	t, err := c.st.Thread(c.ctx, c.thread.ID)
	if err != nil {
		return fmt.Errorf("done: %w", err)
	}
	if !t.OpenAt(c.now) {
		c.private(textThreadClosed(t.ID))
		return nil
	}
	if err := c.st.CloseThread(c.ctx, t.ID, c.now); err != nil {
		return fmt.Errorf("done: %w", err)
	}
	name := b.nameOf(c, t.Member)
	c.private(textThreadDone(t.ID))
	c.say(Reply{Visibility: Private, Group: t.Group, To: t.Member, ToName: name, Text: textThreadDoneMember(), Actions: []Action{supportAction}})
	return nil
}

// startsWithNumber accepts "reply to 12 …" as the hidden subcommand only
// when a number follows, so "!reply to be honest" stays a member's words.
func startsWithNumber(rest []string) bool {
	if len(rest) == 0 {
		return false
	}
	id, _ := threadRef(rest[0])
	return id > 0
}
