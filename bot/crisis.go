package bot

import (
	"errors"
	"fmt"

	"github.com/peerbot/peerbot/bot/crisislines"
)

// crisisFrom says where the country of a crisis answer came from, so the
// answer can say so and how to change it.
type crisisFrom uint8

const (
	crisisUntold     crisisFrom = iota // the caller did not say (crisisLinesText)
	crisisAsked                        // named in the command (!crisis de)
	crisisSaved                        // the member's saved country
	crisisGroup                        // the group's default country
	crisisConfigured                   // the operator's defaults.country
)

// crisisPick is the country a crisis answer is for, and why.
type crisisPick struct {
	// entry is the directory's entry for the country; for a country the
	// directory has no lines for, only Country and Name are set, and for no
	// country at all it is empty.
	entry crisislines.Entry
	from  crisisFrom
	// note comes first in the answer: the asked-for text was not a country,
	// or the country has no lines yet.
	note Text
}

// crisisPick picks the country for a crisis answer: the one asked for, else
// (see crisisChoose) the member's saved country, the group default or the
// configured default. Text that is not a country is never repeated back;
// the note names at most the country it most likely meant.
func (b *Bot) crisisPick(c *call, asked string) crisisPick {
	var note Text
	if asked != "" {
		if country, ok := crisislines.ParseCountry(asked); ok {
			p, _ := b.crisisFor(country.Code, crisisAsked, nil)
			return p
		}
		note = textNotACountry(crisislines.Suggest(asked), "crisis")
	}
	var saved, groupDefault string
	if m, err := c.st.Member(c.ctx, c.ev.Member.ID); err == nil {
		saved = m.Country
	}
	group := c.group
	if group == "" {
		// Best effort: a member in several groups, or none, gets the
		// configured default rather than a question.
		group = b.memberGroupQuiet(c)
	}
	if group != "" {
		if g, err := c.st.Group(c.ctx, group); err == nil {
			groupDefault = g.DefaultCountry
		}
	}
	return b.crisisChoose(saved, groupDefault, note)
}

// crisisChoose picks the first country that is set of the member's saved
// country, the group's default and the configured default, and puts note
// first. The country is used even when the directory has no lines for it:
// another country's emergency number would be wrong there, so the answer
// then gives the international directories. It reads nothing, so an answer
// that cannot use the call's store can pass what it could read.
func (b *Bot) crisisChoose(saved, groupDefault string, note Text) crisisPick {
	for _, cand := range []struct {
		code string
		from crisisFrom
	}{{saved, crisisSaved}, {groupDefault, crisisGroup}, {b.country, crisisConfigured}} {
		if p, ok := b.crisisFor(cand.code, cand.from, note); ok {
			return p
		}
	}
	return crisisPick{note: note}
}

// crisisFor is the pick for an ISO code, or false when code is empty or
// not a country (a damaged record).
func (b *Bot) crisisFor(code string, from crisisFrom, note Text) (crisisPick, bool) {
	if code == "" {
		return crisisPick{}, false
	}
	if e, ok := b.crisis.Lookup(code); ok {
		return crisisPick{entry: e, from: from, note: note}, true
	}
	country, ok := crisislines.ParseCountry(code)
	if !ok {
		return crisisPick{}, false
	}
	if note != nil {
		note = append(Text{}, note...).P(" ")
	}
	return crisisPick{entry: crisislines.Entry{Country: country.Code, Name: country.Name}, from: from,
		note: note.Add(textNoLinesFor(country.Code, country.Name))}, true
}

// crisisEntry is crisisPick for texts that show the entry only (the note
// after a red check-in, support not reached).
func (b *Bot) crisisEntry(c *call, asked string) (entry crisislines.Entry, note Text) {
	p := b.crisisPick(c, asked)
	return p.entry, p.note
}

func (b *Bot) cmdCrisis(c *call) error {
	c.private(textCrisis(b.crisisPick(c, c.cmd.Text("country")), b.crisis.International()), supportAction)
	return nil
}

func (b *Bot) cmdCrisisCountry(c *call) error {
	typed := c.cmd.Text("country")
	country, ok := crisislines.ParseCountry(typed)
	if !ok {
		if s := crisislines.Suggest(typed); s != nil {
			return Userf(textNotACountry(s, "crisis country"))
		}
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
	c.private(textCountrySaved(country.Code, country.Name, known))
	return nil
}

func (b *Bot) cmdCrisisDefault(c *call) error {
	typed := c.cmd.Text("country")
	country, ok := crisislines.ParseCountry(typed)
	if !ok {
		if s := crisislines.Suggest(typed); s != nil {
			return Userf(textNotACountry(s, "crisis default"))
		}
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
	c.private(textGroupCountrySaved(country.Code, country.Name))
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
