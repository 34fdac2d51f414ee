package bot

import (
	"errors"
	"fmt"
)

const maxAgreement = 4000

// currentAgreement returns the group's agreement, or the built-in one
// (version 0) when none was set.
func (b *Bot) currentAgreement(c *call) (Agreement, error) {
	a, err := c.st.CurrentAgreement(c.ctx, c.group)
	if errors.Is(err, ErrNotFound) {
		return Agreement{Group: c.group, Version: 0, Text: DefaultAgreement(), Default: true}, nil
	}
	return a, err
}

func (b *Bot) cmdAgreementShow(c *call) error {
	if c.group == "" {
		g, err := b.memberGroup(c.ctx, c.st, c.ev.Member.ID)
		if err != nil {
			return err
		}
		c.group = g
	}
	a, err := b.currentAgreement(c)
	if err != nil {
		return fmt.Errorf("show agreement: %w", err)
	}
	if c.ev.Channel == "" || c.ev.Private {
		c.private(agreementText(a, b.zoneOf(c)), agreeAction)
		return nil
	}
	c.public(c.ev.Channel, agreementText(a, b.zoneOf(c)), agreeAction)
	return nil
}

func (b *Bot) cmdAgreementSet(c *call) error {
	text := c.cmd.Text("text")
	if text == "" {
		return Userf(textAgreementSetUsage())
	}
	return b.newAgreement(c, Agreement{Text: text})
}

func (b *Bot) cmdAgreementDefault(c *call) error {
	return b.newAgreement(c, Agreement{Text: DefaultAgreement(), Default: true})
}

// newAgreement stores a new version and asks everyone to agree again.
func (b *Bot) newAgreement(c *call, a Agreement) error {
	if c.group == "" {
		return Userf(textGroupOnly())
	}
	a.Group, a.SetBy, a.SetName, a.SetAt = c.group, c.ev.Member.ID, c.ev.Member.Name, c.now
	a, err := c.st.AddAgreement(c.ctx, a)
	if err != nil {
		return fmt.Errorf("set agreement: %w", err)
	}
	c.private(textAgreementSaved(a.Version))
	if c.ev.Channel != "" {
		c.public(c.ev.Channel, textAgreementChanged(a, b.zoneOf(c)), agreeAction)
	}
	return nil
}

func (b *Bot) cmdAgreementPost(c *call) error {
	if c.ev.Channel == "" {
		return Userf(textGroupOnly())
	}
	a, err := b.currentAgreement(c)
	if err != nil {
		return fmt.Errorf("post agreement: %w", err)
	}
	c.say(Reply{Visibility: Public, Channel: c.ev.Channel, Text: agreementText(a, b.zoneOf(c)), Actions: []Action{agreeAction}, Pin: true, InReplyTo: c.ev.ID})
	return nil
}

func (b *Bot) cmdAgree(c *call) error {
	a, err := b.currentAgreement(c)
	if err != nil {
		return fmt.Errorf("agree: %w", err)
	}
	if err := c.st.Agree(c.ctx, Acceptance{Group: c.group, Member: c.ev.Member.ID, Version: a.Version, At: c.now}); err != nil {
		return fmt.Errorf("agree: %w", err)
	}
	c.private(textAgreed(c.ev.Member.Name))
	return nil
}

func (b *Bot) cmdAgreementWho(c *call) error {
	if c.group == "" {
		return Userf(textGroupOnly())
	}
	a, err := b.currentAgreement(c)
	if err != nil {
		return fmt.Errorf("who agreed: %w", err)
	}
	acc, err := c.st.Acceptances(c.ctx, c.group, a.Version)
	if err != nil {
		return fmt.Errorf("who agreed: %w", err)
	}
	agreed := map[MemberID]bool{}
	for _, x := range acc {
		agreed[x.Member] = true
	}
	members, err := c.st.GroupMembers(c.ctx, c.group)
	if err != nil {
		return fmt.Errorf("who agreed: %w", err)
	}
	var yes, no []string
	for _, m := range members {
		if agreed[m.ID] {
			yes = append(yes, m.Name)
		} else {
			no = append(no, m.Name)
		}
	}
	c.private(textWhoAgreed(a.Version, yes, no))
	return nil
}
