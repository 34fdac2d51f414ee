package bot

import (
	"context"
	"fmt"
)

// memberGroup works out which group a privately sent command acts on: the
// member's only group; else the one group with an open round; else the
// group they chose with !group; else it asks them (a UserError).
func (b *Bot) memberGroup(ctx context.Context, st Store, m MemberID) (GroupID, error) {
	groups, err := st.GroupsOf(ctx, m)
	if err != nil {
		return "", fmt.Errorf("member groups: %w", err)
	}
	switch len(groups) {
	case 0:
		return "", Userf(textNoGroup())
	case 1:
		return groups[0].ID, nil
	}
	var open []GroupID
	for _, g := range groups {
		rs, err := st.OpenRounds(ctx, g.ID)
		if err != nil {
			return "", fmt.Errorf("member groups: %w", err)
		}
		if len(rs) > 0 {
			open = append(open, g.ID)
		}
	}
	if len(open) == 1 {
		return open[0], nil
	}
	if rec, err := st.Member(ctx, m); err == nil && rec.DMGroup != "" {
		for _, g := range groups {
			if g.ID == rec.DMGroup {
				return g.ID, nil
			}
		}
	}
	return "", Userf(textWhichGroup(groups))
}

func (b *Bot) cmdGroup(c *call) error {
	groups, err := c.st.GroupsOf(c.ctx, c.ev.Member.ID)
	if err != nil {
		return fmt.Errorf("choose group: %w", err)
	}
	if len(groups) == 0 {
		return Userf(textNoGroup())
	}
	if len(groups) == 1 {
		c.private(textOneGroup())
		return nil
	}
	n, ok := c.cmd.Int("number")
	if !ok || n > len(groups) {
		return Userf(textWhichGroup(groups))
	}
	m, err := c.st.Member(c.ctx, c.ev.Member.ID)
	if err != nil {
		return fmt.Errorf("choose group: %w", err)
	}
	m.DMGroup = groups[n-1].ID
	if err := c.st.SaveMember(c.ctx, m); err != nil {
		return fmt.Errorf("choose group: %w", err)
	}
	c.private(textGroupChosen(groups[n-1]))
	return nil
}

func groupLabel(g Group) string {
	if g.Name != "" {
		return g.Name
	}
	return string(g.ID)
}

// onJoin welcomes a member who joined, once, privately, with the agreement.
func (b *Bot) onJoin(c *call) error {
	if c.group == "" {
		return nil
	}
	first, err := c.st.AddMembership(c.ctx, c.group, c.ev.Member.ID, c.now)
	if err != nil {
		return fmt.Errorf("join: %w", err)
	}
	if !first {
		return nil
	}
	a, err := b.currentAgreement(c)
	if err != nil {
		return fmt.Errorf("join: %w", err)
	}
	c.say(Reply{Visibility: Private, To: c.ev.Member.ID, ToName: c.ev.Member.Name, Text: welcomeText(c.ev.Member.Name, a, b.zoneOf(c)), Actions: []Action{agreeAction}})
	return nil
}
