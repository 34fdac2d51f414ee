package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// errNoFacilitatorPlace: the platform has no way to set a facilitators'
// place (the console).
var errNoFacilitatorPlace = errors.New("platform has no facilitators' place")

// prepareFacilitators asks the platform, before the command's transaction,
// which channel is meant and whether only facilitators can read it: the
// platform may need the database (Matrix reads room state from it), which
// the transaction would hold.
func (b *Bot) prepareFacilitators(c *call) error {
	arg := strings.ToLower(strings.TrimSpace(c.cmd.Raw))
	if arg == "" || arg == "off" {
		return nil
	}
	ch := c.ev.Channel
	if arg != "here" {
		res, ok := b.platform.(ChannelResolver)
		if !ok {
			return Userf(textNoFacilitatorPlace())
		}
		var err error
		if ch, err = res.ResolveChannel(c.ctx, c.group, strings.TrimSpace(c.cmd.Raw)); err != nil {
			return err
		}
	}
	if ch == "" {
		return Userf(T("Please run ").Cmd("facilitators here").P(" in the channel you mean."))
	}
	chk, ok := b.platform.(FacilitatorPlaceChecker)
	if !ok {
		return Userf(textNoFacilitatorPlace())
	}
	only, err := chk.FacilitatorsOnly(c.ctx, c.group, ch)
	if errors.Is(err, errNoFacilitatorPlace) {
		return Userf(textNoFacilitatorPlace())
	} else if err != nil {
		return err
	}
	if !only {
		return Userf(T("Other members can read that channel, so I won't send facilitator messages there. Please choose a channel only facilitators can read."))
	}
	c.place = ch
	return nil
}

func (b *Bot) cmdFacilitators(c *call) error {
	g, err := b.groupOf(c.ctx, c.st, c.group)
	if err != nil {
		return err
	}
	switch strings.ToLower(strings.TrimSpace(c.cmd.Raw)) {
	case "":
		if g.FacilitatorsChannel == "" {
			c.private(T("Facilitator messages go to facilitators privately. To use a channel only facilitators can read, run ").Cmd("facilitators here").P(" there."))
		} else {
			c.private(T("Facilitator messages go to the facilitators' channel you set. ").Cmd("facilitators off").P(" goes back to private messages."))
		}
		return nil
	case "off":
		g.FacilitatorsChannel = ""
		if err := c.st.SaveGroup(c.ctx, g); err != nil {
			return fmt.Errorf("facilitators off: %w", err)
		}
		c.private(T("Done. Facilitator messages now go to facilitators privately."))
		return nil
	}
	g.FacilitatorsChannel = c.place
	if err := c.st.SaveGroup(c.ctx, g); err != nil {
		return fmt.Errorf("set facilitators' place: %w", err)
	}
	c.private(T("Done. Facilitator messages for this group now go to that channel."))
	return nil
}

// FacilitatorsOnly asks the platform of g, when it can tell.
func (rt Router) FacilitatorsOnly(ctx context.Context, g GroupID, ch ChannelID) (bool, error) {
	if p, ok := rt[PlatformOf(string(g))].(FacilitatorPlaceChecker); ok {
		return p.FacilitatorsOnly(ctx, g, ch)
	}
	return false, errNoFacilitatorPlace
}

// ResolveChannel asks the platform of g, when it can resolve channels.
func (rt Router) ResolveChannel(ctx context.Context, g GroupID, ref string) (ChannelID, error) {
	if p, ok := rt[PlatformOf(string(g))].(ChannelResolver); ok {
		return p.ResolveChannel(ctx, g, ref)
	}
	return "", Userf(textNoFacilitatorPlace())
}
