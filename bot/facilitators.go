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
	arg := strings.ToLower(c.cmd.Text("channel"))
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
		if ch, err = res.ResolveChannel(c.ctx, c.group, c.cmd.Text("channel")); err != nil {
			return placeError(err)
		}
	}
	if ch == "" {
		return Userf(textRunHere())
	}
	chk, ok := b.platform.(FacilitatorPlaceChecker)
	if !ok {
		return Userf(textNoFacilitatorPlace())
	}
	only, err := chk.FacilitatorsOnly(c.ctx, c.group, ch)
	if errors.Is(err, errNoFacilitatorPlace) {
		return Userf(textNoFacilitatorPlace())
	} else if err != nil {
		return placeError(err)
	}
	if !only {
		return Userf(textOthersCanRead())
	}
	c.place = ch
	return nil
}

func (b *Bot) cmdFacilitators(c *call) error {
	g, err := b.groupOf(c.ctx, c.st, c.group)
	if err != nil {
		return err
	}
	switch strings.ToLower(c.cmd.Text("channel")) {
	case "":
		if g.FacilitatorsChannel == "" {
			c.private(textFacilitatorsPrivately())
		} else {
			c.private(textFacilitatorsChannel())
		}
		return nil
	case "off":
		g.FacilitatorsChannel = ""
		if err := c.st.SaveGroup(c.ctx, g); err != nil {
			return fmt.Errorf("facilitators off: %w", err)
		}
		c.private(textFacilitatorsOff())
		return nil
	}
	g.FacilitatorsChannel = c.place
	if err := c.st.SaveGroup(c.ctx, g); err != nil {
		return fmt.Errorf("set facilitators' place: %w", err)
	}
	c.private(textFacilitatorsSet())
	return nil
}

// placeError turns a platform's PlaceError into what the member is told.
func placeError(err error) error {
	var pe *PlaceError
	if errors.As(err, &pe) {
		return Userf(textPlace(pe))
	}
	return err
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
