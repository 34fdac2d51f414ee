package bot

import (
	"context"
	"time"
)

// call is one command being handled: the event, the resolved group, and the
// replies collected so far.
type call struct {
	ctx     context.Context
	b       *Bot
	st      Store // the transaction's store
	ev      Event
	cmd     Command
	spec    *CommandSpec
	group   GroupID
	now     time.Time
	replies []Reply
	// after runs once the transaction has committed; delivered once the
	// replies were delivered.
	after, delivered []func()
	// place is the facilitators' place checked by prepare.
	place ChannelID
	// platformData is what the platform keeps about the member, read by
	// prepare (!mydata).
	platformData []DataItem
	// careKey, when set, names the round (or group and day) whose
	// facilitators get the self-care line once with their first message.
	careKey string
	// thread is the thread a facilitator answers or closes (!reply 12,
	// !done 12), found and checked by prepare (threads.go).
	thread *Thread
	// post is the post a content warning is for, found by prepare (!cw).
	post *Post
}

// say queues a reply.
func (c *call) say(r Reply) {
	if r.Visibility == Private && r.To == c.ev.Member.ID {
		if r.InReplyTo == "" {
			r.InReplyTo = c.ev.ID
		}
		r.locale = c.ev.Locale
	}
	if r.Group == "" {
		r.Group = c.group
	}
	c.replies = append(c.replies, r)
}

// private queues a reply only the member who asked will see.
func (c *call) private(t Text, actions ...Action) {
	c.say(Reply{Visibility: Private, To: c.ev.Member.ID, ToName: c.ev.Member.Name, Text: t, Actions: actions})
}

// public queues a reply in the channel the command came from (or ch).
func (c *call) public(ch ChannelID, t Text, actions ...Action) {
	c.say(Reply{Visibility: Public, Channel: ch, Text: t, Actions: actions, InReplyTo: c.ev.ID})
}

// facilitators queues a reply for the group's facilitators. The member is
// then told confirm when it reached them, or fallback when it could not
// (no facilitator the platform can reach): a member is never told their
// words arrived when they did not.
func (c *call) facilitators(t Text, confirm, fallback Text) error {
	g, err := c.b.groupOf(c.ctx, c.st, c.group)
	if err != nil {
		return err
	}
	if c.careKey != "" {
		if _, sent := c.b.careSent.LoadOrStore(string(c.group)+"|"+c.careKey, true); !sent {
			t = append(Text{}, t...).NL().NL().Add(textSelfCare())
		}
	}
	r := Reply{Visibility: Facilitators, Channel: g.FacilitatorsChannel, To: g.LastFacilitator, Text: t}
	to := func(t Text) *Reply {
		return &Reply{Visibility: Private, Group: c.group, To: c.ev.Member.ID, ToName: c.ev.Member.Name, Text: t, InReplyTo: c.ev.ID, locale: c.ev.Locale}
	}
	r.confirm, r.fallback = to(confirm), to(fallback)
	c.say(r)
	return nil
}
