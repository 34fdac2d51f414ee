package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Languages of groups and members (lang.go has the catalog). A group's
// language is set by its facilitators (!language de); a member may choose
// the language of their private answers (!language me de), which
// otherwise follow the platform's locale where it has one (a Discord
// interaction's locale) and then the group's language. The configured
// default (Options.DefaultLanguage) is the language of groups that have
// not chosen one.

// autoLanguage, as a member's choice, clears it.
const autoLanguage = "auto"

func (b *Bot) cmdLanguage(c *call) error {
	g, err := b.groupOf(c.ctx, c.st, c.group)
	if err != nil {
		return err
	}
	code := c.cmd.Text("code")
	if code == "" {
		mine, err := b.memberLanguage(c.ctx, c.st, c.ev.Member.ID)
		if err != nil {
			return err
		}
		gl, set := b.groupLanguage(g)
		c.private(textLanguage(gl, set, mine))
		return nil
	}
	if !c.ev.Member.Facilitator {
		return Userf(textFacilitatorsOnly())
	}
	l, ok := LanguageOf(code)
	if !ok {
		return Userf(textUnknownLanguage())
	}
	g.Language = l.code
	if err := c.st.SaveGroup(c.ctx, g); err != nil {
		return fmt.Errorf("set language: %w", err)
	}
	c.private(textLanguageSet(l))
	return nil
}

func (b *Bot) cmdLanguageMe(c *call) error {
	code := c.cmd.Text("code")
	if code == "" {
		mine, err := b.memberLanguage(c.ctx, c.st, c.ev.Member.ID)
		if err != nil {
			return err
		}
		c.private(textLanguageMine(mine))
		return nil
	}
	var l *Lang
	if !strings.EqualFold(code, autoLanguage) {
		var ok bool
		if l, ok = LanguageOf(code); !ok {
			return Userf(textUnknownLanguage())
		}
	}
	m, err := c.st.Member(c.ctx, c.ev.Member.ID)
	if errors.Is(err, ErrNotFound) {
		m = MemberRecord{ID: c.ev.Member.ID, Name: c.ev.Member.Name}
	} else if err != nil {
		return fmt.Errorf("set member language: %w", err)
	}
	if l == nil {
		m.Language = ""
	} else {
		m.Language = l.code
	}
	if err := c.st.SaveMember(c.ctx, m); err != nil {
		return fmt.Errorf("set member language: %w", err)
	}
	if l == nil {
		c.private(textLanguageMineCleared())
	} else {
		c.private(textLanguageMineSet(l))
	}
	return nil
}

// lastLanguage is the language last read for key ("m|member", "g|group"):
// while the store fails, answers keep the language they had (help never
// waits on the database).
func (b *Bot) lastLanguage(key string) *Lang {
	if v, ok := b.langs.Load(key); ok {
		return v.(*Lang)
	}
	return nil
}

func languageOrNil(code string) *Lang {
	if l, ok := LanguageOf(code); ok {
		return l
	}
	return nil
}

// groupLanguage is g's language, and whether its facilitators chose it.
func (b *Bot) groupLanguage(g Group) (*Lang, bool) {
	if l, ok := LanguageOf(g.Language); ok {
		return l, true
	}
	return b.language, false
}

// memberLanguage is the member's own choice, or nil.
func (b *Bot) memberLanguage(ctx context.Context, st Store, id MemberID) (*Lang, error) {
	m, err := st.Member(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("member language: %w", err)
	}
	if l, ok := LanguageOf(m.Language); ok {
		return l, nil
	}
	return nil, nil
}

// replyLanguage is the language r is put into words in. A private reply
// follows the member's own choice, else the language their group's
// facilitators chose (the reply's group, or the member's one group),
// else the locale of the event it answers (a Discord member's app
// language), else the configured default; the group and its facilitators
// get the group's language (chosen or default). A store
// failure falls back quietly (logged): an answer in another language
// beats none.
func (b *Bot) replyLanguage(ctx context.Context, r Reply) *Lang {
	private := r.Visibility == Private && r.To != ""
	if private {
		l, err := b.memberLanguage(ctx, b.store, r.To)
		if err != nil {
			b.log.Warn().Err(err).Msg("Reading a member's language failed")
			l = b.lastLanguage("m|" + string(r.To))
		} else {
			b.langs.Store("m|"+string(r.To), l)
		}
		if l != nil {
			return l
		}
	}
	group := r.Group
	if group == "" && private {
		// A private command that needs no group (!crisis, !help): the
		// member's group, when it is clear which one.
		if m, err := b.memberGroup(ctx, b.store, r.To); err == nil {
			group = m
		}
	}
	var g Group
	if group != "" {
		var err error
		g, err = b.store.Group(ctx, group)
		switch {
		case err != nil && !errors.Is(err, ErrNotFound):
			b.log.Warn().Err(err).Msg("Reading a group's language failed")
			if l := b.lastLanguage("g|" + string(group)); l != nil {
				g.Language = l.code
			}
		default:
			b.langs.Store("g|"+string(group), languageOrNil(g.Language))
		}
	}
	gl, chosen := b.groupLanguage(g)
	if private && !chosen {
		if l, ok := LanguageOf(r.locale); ok {
			return l
		}
	}
	return gl
}
