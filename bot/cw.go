package bot

import (
	"context"
	"errors"
	"strings"
)

// Content warnings (issue 15): a facilitator puts a warning on a member's
// post with !cw. The bot reposts it behind a spoiler with the topic and the
// author's name, removes the original where it has the right, and tells
// the author privately why. Nothing about it is said in public beyond the
// warning itself, and nothing of the post is stored or logged.

// Post is a member's post in a group's channel, as the platform shows it.
type Post struct {
	// Channel is where the post is.
	Channel ChannelID
	// Ref is the platform's id for the post.
	Ref string
	// Author is who wrote it (Facilitator is not set).
	Author Member
	// Text is what it says: only ever reposted behind a spoiler, never
	// stored or logged.
	Text string
}

// PostWarner is implemented by platforms where facilitators can put a
// content warning on a member's post.
type PostWarner interface {
	// FindPost returns the post ref names in group g: a message link or
	// id, or the post the command replied to; ch is the channel the
	// command came from. It returns ErrNotFound when there is no such post
	// in the group, or a UserError saying why it cannot be read.
	FindPost(ctx context.Context, g GroupID, ch ChannelID, ref string) (Post, error)
	// RemovePost removes the original post. It returns false, with no
	// error, when the bot may not remove it.
	RemovePost(ctx context.Context, g GroupID, p Post) (bool, error)
}

// FindPost asks the platform of g, when it can warn posts.
func (rt Router) FindPost(ctx context.Context, g GroupID, ch ChannelID, ref string) (Post, error) {
	if p, ok := rt[PlatformOf(string(g))].(PostWarner); ok {
		return p.FindPost(ctx, g, ch, ref)
	}
	return Post{}, errNoPostWarner
}

// RemovePost asks the platform of g.
func (rt Router) RemovePost(ctx context.Context, g GroupID, p Post) (bool, error) {
	if w, ok := rt[PlatformOf(string(g))].(PostWarner); ok {
		return w.RemovePost(ctx, g, p)
	}
	return false, errNoPostWarner
}

var errNoPostWarner = errors.New("platform cannot put warnings on posts")

// ErrPostUnreadable: the platform found the post but cannot read its
// words from a link (Discord without the message content intent reads a
// post only through its menu).
var ErrPostUnreadable = errors.New("post cannot be read from a link")

// cwTarget is what !cw names: the post's reference and the topic. A
// command sent as a reply to the post names it by the reply, and all its
// words are the topic.
func cwTarget(c *call) (ref, topic string) {
	ref, topic = c.cmd.Text("message"), c.cmd.Text("topic")
	if c.ev.ReplyTo != "" {
		topic = strings.TrimSpace(ref + " " + topic)
		ref = c.ev.ReplyTo
	}
	return ref, topic
}

// prepareCW finds the post before the command's transaction: the platform
// may need the network or the database.
func (b *Bot) prepareCW(c *call) error {
	if c.ev.Channel == "" && c.ev.ReplyTo == "" && c.cmd.Text("message") == "" {
		return Userf(textCWUsage())
	}
	ref, _ := cwTarget(c)
	if ref == "" {
		return Userf(textCWUsage())
	}
	w, ok := b.platform.(PostWarner)
	if !ok {
		return Userf(textCWUnsupported())
	}
	p, err := w.FindPost(c.ctx, c.group, c.ev.Channel, ref)
	var ue *UserError
	switch {
	case errors.Is(err, errNoPostWarner):
		return Userf(textCWUnsupported())
	case errors.Is(err, ErrNotFound):
		return Userf(textCWNotFound())
	case errors.Is(err, ErrPostUnreadable):
		return Userf(textCWUseMenu())
	case errors.As(err, &ue):
		return err
	case err != nil:
		return err
	}
	if strings.TrimSpace(p.Text) == "" {
		return Userf(textCWNoText())
	}
	c.post = &p
	return nil
}

// cmdCW reposts the post behind a spoiler once the transaction recorded
// the command (a redelivered command does nothing), then removes the
// original and tells the author and the facilitator.
func (b *Bot) cmdCW(c *call) error {
	if c.post == nil {
		return Userf(textCWNotFound())
	}
	_, topic := cwTarget(c)
	p, g, ev := *c.post, c.group, c.ev
	c.delivered = append(c.delivered, func() { b.warnPost(c.ctx, c, g, ev, p, topic) })
	return nil
}

func (b *Bot) warnPost(ctx context.Context, c *call, g GroupID, ev Event, p Post, topic string) {
	fac := func(t Text) Reply {
		return Reply{Visibility: Private, Group: g, To: ev.Member.ID, ToName: ev.Member.Name, Text: t, InReplyTo: ev.ID, locale: ev.Locale}
	}
	repost := Reply{Visibility: Public, Group: g, Channel: p.Channel, Text: textCWRepost(p, topic)}
	if err := b.deliverOne(ctx, repost); err != nil {
		b.deliver(ctx, c, []Reply{fac(textCWRepostFailed())})
		return
	}
	w, _ := b.platform.(PostWarner)
	removed, err := w.RemovePost(ctx, g, p)
	if err != nil {
		b.log.Warn().Err(err).Str("group_id", string(g)).Msg("Removing a post after its content warning failed")
		removed = false
	}
	b.deliver(ctx, c, []Reply{
		{Visibility: Private, Group: g, To: p.Author.ID, ToName: p.Author.Name, Text: textCWAuthor(topic, removed)},
		fac(textCWDone(p.Author, removed)),
	})
}
