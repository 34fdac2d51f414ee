package bot

import (
	"errors"
	"fmt"

	"github.com/peerbot/peerbot/bot/crisislines"
)

// crisisEntry picks the crisis lines for a member: the country asked for,
// else the member's saved country, else the group default, else the
// configured default. note is set when the asked-for country is unknown.
func (b *Bot) crisisEntry(c *call, asked string) (entry crisislines.Entry, note Text) {
	var candidates []string
	if asked != "" {
		if country, ok := crisislines.ParseCountry(asked); ok {
			if e, ok := b.crisis.Lookup(country.Code); ok {
				return e, nil
			}
			note = textNoLinesFor(country.Name)
		} else {
			note = textUnknownCountry()
		}
	}
	if m, err := c.st.Member(c.ctx, c.ev.Member.ID); err == nil {
		candidates = append(candidates, m.Country)
	}
	group := c.group
	if group == "" {
		// Best effort: a member in several groups, or none, gets the
		// configured default rather than a question.
		group = b.memberGroupQuiet(c)
	}
	if group != "" {
		if g, err := c.st.Group(c.ctx, group); err == nil {
			candidates = append(candidates, g.DefaultCountry)
		}
	}
	candidates = append(candidates, b.country)
	for _, cc := range candidates {
		if e, ok := b.crisis.Lookup(cc); ok && cc != "" {
			return e, note
		}
	}
	return crisislines.Entry{}, note
}

func (b *Bot) cmdCrisis(c *call) error {
	entry, note := b.crisisEntry(c, c.cmd.Text("country"))
	t := Text{}
	if note != nil {
		t = note.NL().NL()
	}
	c.private(t.Add(textCrisis(entry, b.crisis.International())), supportAction)
	return nil
}

func (b *Bot) cmdCrisisCountry(c *call) error {
	country, ok := crisislines.ParseCountry(c.cmd.Text("country"))
	if !ok {
		return Userf(textWhichCountryToSave())
	}
	m, err := c.st.Member(c.ctx, c.ev.Member.ID)
	if errors.Is(err, ErrNotFound) {
		m, err = MemberRecord{ID: c.ev.Member.ID, Name: c.ev.Member.Name}, nil
	}
	if err != nil {
		return fmt.Errorf("save country: %w", err)
	}
	m.Country = country.Code
	if err := c.st.SaveMember(c.ctx, m); err != nil {
		return fmt.Errorf("save country: %w", err)
	}
	_, known := b.crisis.Lookup(country.Code)
	c.private(textCountrySaved(country.Name, known))
	return nil
}

func (b *Bot) cmdCrisisDefault(c *call) error {
	country, ok := crisislines.ParseCountry(c.cmd.Text("country"))
	if !ok {
		return Userf(textWhichCountryForGroup())
	}
	g, err := b.groupOf(c.ctx, c.st, c.group)
	if err != nil {
		return err
	}
	g.DefaultCountry = country.Code
	if err := c.st.SaveGroup(c.ctx, g); err != nil {
		return fmt.Errorf("set group country: %w", err)
	}
	c.private(textGroupCountrySaved(country.Name))
	return nil
}

// memberGroupQuiet is memberGroup without a question to the member: it
// returns "" when the group is not clear (or cannot be read; the answer
// then falls back to the configured country, which is still useful).
func (b *Bot) memberGroupQuiet(c *call) GroupID {
	g, err := b.memberGroup(c.ctx, c.st, c.ev.Member.ID)
	if err != nil {
		return ""
	}
	return g
}
