package bot

import "fmt"

// prepareMyData reads what the platform keeps about the member, before the
// transaction (the platform may use the same database).
func (b *Bot) prepareMyData(c *call) error {
	if k, ok := b.platform.(MemberDataKeeper); ok {
		items, err := k.MemberData(c.ctx, c.ev.Member.ID)
		if err != nil {
			return fmt.Errorf("my data: platform: %w", err)
		}
		c.platformData = items
	}
	return nil
}

func (b *Bot) cmdMyData(c *call) error {
	d, err := c.st.MemberData(c.ctx, c.ev.Member.ID)
	if err != nil {
		return fmt.Errorf("my data: %w", err)
	}
	c.private(textMyData(d, c.platformData, b.zone(Group{})))
	return nil
}

// forgetOnPlatform deletes what the platform keeps about the member. It
// runs after the answer was delivered (delivering it may need what it
// deletes, such as the Matrix direct chat) and outside the transaction (the
// platform may share the database). Both parts are idempotent: a failure
// is logged, and the member's next !forgetme confirm finishes it.
func (b *Bot) forgetOnPlatform(c *call) {
	if k, ok := b.platform.(MemberDataKeeper); ok {
		if err := k.ForgetMember(c.ctx, c.ev.Member.ID); err != nil {
			b.log.Error().Err(err).Msg("Forgetting a member on the platform failed")
		}
	}
}

func (b *Bot) cmdForgetMe(c *call) error {
	c.private(textForgetAsk())
	return nil
}

func (b *Bot) cmdForgetMeConfirm(c *call) error {
	groups, err := c.st.GroupsOf(c.ctx, c.ev.Member.ID)
	if err != nil {
		return fmt.Errorf("forget member: %w", err)
	}
	lang, err := b.forgetLanguage(c, groups)
	if err != nil {
		return fmt.Errorf("forget member: %w", err)
	}
	if err := c.st.ForgetMember(c.ctx, c.ev.Member.ID); err != nil {
		return fmt.Errorf("forget member: %w", err)
	}
	// Open rounds' status messages showed the member: show them without.
	for _, g := range groups {
		rs, err := c.st.OpenRounds(c.ctx, g.ID)
		if err != nil {
			return fmt.Errorf("forget member: %w", err)
		}
		for _, r := range rs {
			if err := b.statusChanged(c, r); err != nil {
				return fmt.Errorf("forget member: %w", err)
			}
		}
	}
	c.after = append(c.after, b.seen.reset, func() { b.langs.Delete("m|" + string(c.ev.Member.ID)) })
	c.delivered = append(c.delivered, func() { b.forgetOnPlatform(c) })
	c.say(Reply{Visibility: Private, To: c.ev.Member.ID, ToName: c.ev.Member.Name, Text: textForgotten(), lang: lang})
	return nil
}

// forgetLanguage is the language of the last answer to a member about to
// be forgotten, read while their choice and groups are still there (see
// replyLanguage).
func (b *Bot) forgetLanguage(c *call, groups []Group) (*Lang, error) {
	mine, err := b.memberLanguage(c.ctx, c.st, c.ev.Member.ID)
	if err != nil || mine != nil {
		return mine, err
	}
	var g Group
	for _, gr := range groups {
		if gr.ID == c.group || (c.group == "" && len(groups) == 1) {
			g = gr
		}
	}
	gl, chosen := b.groupLanguage(g)
	if l, ok := LanguageOf(c.ev.Locale); ok && !chosen {
		return l, nil
	}
	return gl, nil
}
