package console

import (
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/peerbot/peerbot/bot"
)

// Members' posts, for content warnings (!cw). The console keeps the
// last keepPosts lines members wrote in the channel that were not
// commands, in memory only, so a facilitator can name one by its input
// line number ("!cw 5 self-harm") or by its "@ID". Nothing is written to
// disk, and a warned post is forgotten.

const keepPosts = 200

type posts struct {
	mu    sync.Mutex
	byRef map[string]bot.Post
	order []string
}

// remember keeps a member's chat line under its line number and id.
func (p *posts) remember(n int, id, name, text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.byRef == nil {
		p.byRef = map[string]bot.Post{}
	}
	ref := strconv.Itoa(n)
	post := bot.Post{Channel: Channel, Ref: ref, Author: bot.Member{ID: MemberID(name), Name: name}, Text: text}
	p.byRef[ref] = post
	p.order = append(p.order, ref)
	if id != "" {
		p.byRef["@"+id] = post
		p.order = append(p.order, "@"+id)
	}
	for len(p.order) > 2*keepPosts {
		delete(p.byRef, p.order[0])
		p.order = p.order[1:]
	}
}

// FindPost returns the post a facilitator named: an input line number
// ("5", "#5") or an "@ID".
func (a *Adapter) FindPost(_ context.Context, g bot.GroupID, _ bot.ChannelID, ref string) (bot.Post, error) {
	if g != Group {
		return bot.Post{}, bot.ErrNotFound
	}
	ref = strings.TrimPrefix(strings.TrimSpace(ref), "#")
	a.posts.mu.Lock()
	defer a.posts.mu.Unlock()
	p, ok := a.posts.byRef[ref]
	if !ok {
		return bot.Post{}, bot.ErrNotFound
	}
	return p, nil
}

// RemovePost forgets the post: in the console's channel the bot may
// remove members' posts.
func (a *Adapter) RemovePost(_ context.Context, _ bot.GroupID, p bot.Post) (bool, error) {
	a.posts.mu.Lock()
	defer a.posts.mu.Unlock()
	for ref, q := range a.posts.byRef {
		if q.Ref == p.Ref {
			delete(a.posts.byRef, ref)
		}
	}
	return true, nil
}
