package bot

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// The group's toolbox (issue 15): what helped members, shared anonymously
// after a facilitator's review. A member suggests a tip privately (!tip
// add); it stays pending, never shown to a member, until a facilitator
// approves it (!tip review, !tip approve, or buttons); a declined tip is
// deleted and its author gets a kind private note. The review exists
// because shared ideas can carry method detail or harmful "alternatives":
// the review list restates the agreement's "no graphic detail". !tip sends
// a member one approved tip privately, never the same one twice in a row.
// The toolbox is empty until members add to it or facilitators switch on
// the small starter set (!tip starter on), written from care.md.

// starterTips is how many tips the starter set has (tip.starter.1 …).
const starterTips = 5

// maxTip bounds a tip's length in characters.
const maxTip = 500

// maxTipActions is how many pending tips the review list offers buttons
// for (two each; Discord shows at most 25).
const maxTipActions = 10

// tipNumber is the number of a tip in the toolbox.
var tipNumber = []Arg{{Name: "number", Kind: ArgNumber, Required: true, Min: 1, Max: 1 << 30, Help: "The tip's number"}}

// Tip is one idea for the toolbox.
type Tip struct {
	ID    int64
	Group GroupID
	// Num is the tip's number in its group, as facilitators name it.
	Num int
	// Member suggested it ("" for the starter set, and once retention
	// unlinked an approved tip from its author).
	Member   MemberID
	Approved bool
	// Starter, 1 to starterTips, marks a starter tip: its words are the
	// catalog's, in the reader's language.
	Starter   int
	Words     string // sensitive: never logged
	CreatedAt time.Time
}

func (b *Bot) cmdTip(c *call) error {
	tips, err := c.st.Tips(c.ctx, c.group, true)
	if err != nil {
		return fmt.Errorf("tip: %w", err)
	}
	if len(tips) == 0 {
		c.private(textTipEmpty())
		return nil
	}
	last, err := c.st.LastTip(c.ctx, c.group, c.ev.Member.ID)
	if err != nil {
		return fmt.Errorf("tip: %w", err)
	}
	// The one after the last sent, by number: each in turn, and never the
	// same twice in a row while there are two or more.
	next := tips[0]
	for i, t := range tips {
		if t.ID == last {
			next = tips[(i+1)%len(tips)]
			break
		}
	}
	if err := c.st.SetLastTip(c.ctx, c.group, c.ev.Member.ID, next.ID); err != nil {
		return fmt.Errorf("tip: %w", err)
	}
	c.private(textTipShow(tipText(next), len(tips) > 1))
	return nil
}

func (b *Bot) cmdTipAdd(c *call) error {
	words := c.cmd.Text("words")
	if words == "" {
		return Userf(textTipAddUsage())
	}
	if _, err := c.st.AddTip(c.ctx, Tip{Group: c.group, Member: c.ev.Member.ID, Words: words, CreatedAt: c.now}); err != nil {
		return fmt.Errorf("tip add: %w", err)
	}
	t := textTipAdded()
	if !c.ev.Private {
		t = t.NL().Add(textTypedInPublic(c.ev.Removed))
	}
	c.private(t)
	// The facilitators hear that one is waiting, without its words or who.
	g, err := b.groupOf(c.ctx, c.st, c.group)
	if err != nil {
		return err
	}
	c.say(Reply{Visibility: Facilitators, Channel: g.FacilitatorsChannel, To: g.LastFacilitator, Text: textTipWaiting(),
		Actions: []Action{{Command: "tip review", Label: textsThreadsEN["action.tip review"], Emoji: "🧰"}}})
	return nil
}

func (b *Bot) cmdTipReview(c *call) error {
	tips, err := c.st.Tips(c.ctx, c.group, false)
	if err != nil {
		return fmt.Errorf("tip review: %w", err)
	}
	if len(tips) == 0 {
		c.private(textTipNoneWaiting())
		return nil
	}
	t := textTipReviewHead(len(tips))
	var actions []Action
	for i, tip := range tips {
		t = t.NL().Add(textTipItem(tip.Num, Text{}.Hidden(tip.Words, warningWords)))
		if i < maxTipActions {
			n := strconv.Itoa(tip.Num)
			actions = append(actions,
				Action{Command: "tip approve " + n, Label: textsThreadsEN["action.tip approve #"]},
				Action{Command: "tip decline " + n, Label: textsThreadsEN["action.tip decline #"]})
		}
	}
	c.private(t.NL().NL().Add(textTipReviewHow()), actions...)
	return nil
}

// pendingTip returns pending tip num of the group, or a UserError.
func (b *Bot) pendingTip(c *call, num int) (Tip, error) {
	tips, err := c.st.Tips(c.ctx, c.group, false)
	if err != nil {
		return Tip{}, fmt.Errorf("tip: %w", err)
	}
	for _, t := range tips {
		if t.Num == num {
			return t, nil
		}
	}
	approved, err := c.st.Tips(c.ctx, c.group, true)
	if err != nil {
		return Tip{}, fmt.Errorf("tip: %w", err)
	}
	for _, t := range approved {
		if t.Num == num {
			return Tip{}, Userf(textTipAlreadyIn(num))
		}
	}
	return Tip{}, Userf(textTipNotWaiting(num))
}

func (b *Bot) cmdTipApprove(c *call) error {
	num, _ := c.cmd.Int("number")
	t, err := b.pendingTip(c, num)
	if err != nil {
		return err
	}
	if err := c.st.ApproveTip(c.ctx, c.group, num); err != nil {
		return fmt.Errorf("tip approve: %w", err)
	}
	c.private(textTipApproved(num))
	if t.Member != "" && t.Member != c.ev.Member.ID {
		c.say(Reply{Visibility: Private, To: t.Member, ToName: b.nameOf(c, t.Member), Text: textTipApprovedAuthor()})
	}
	return nil
}

func (b *Bot) cmdTipDecline(c *call) error {
	num, _ := c.cmd.Int("number")
	t, err := b.pendingTip(c, num)
	if err != nil {
		return err
	}
	if _, err := c.st.RemoveTip(c.ctx, c.group, num); err != nil {
		return fmt.Errorf("tip decline: %w", err)
	}
	c.private(textTipDeclined(num))
	if t.Member != "" {
		c.say(Reply{Visibility: Private, To: t.Member, ToName: b.nameOf(c, t.Member), Text: textTipDeclinedAuthor()})
	}
	return nil
}

func (b *Bot) cmdTipList(c *call) error {
	tips, err := c.st.Tips(c.ctx, c.group, true)
	if err != nil {
		return fmt.Errorf("tip list: %w", err)
	}
	if len(tips) == 0 {
		c.private(textTipListEmpty())
		return nil
	}
	t := textTipListHead(len(tips))
	for _, tip := range tips {
		t = t.NL().Add(textTipItem(tip.Num, tipText(tip)))
	}
	c.private(t)
	return nil
}

func (b *Bot) cmdTipRemove(c *call) error {
	num, _ := c.cmd.Int("number")
	if _, err := c.st.RemoveTip(c.ctx, c.group, num); errors.Is(err, ErrNotFound) {
		return Userf(textTipNoSuch(num))
	} else if err != nil {
		return fmt.Errorf("tip remove: %w", err)
	}
	c.private(textTipRemoved(num))
	return nil
}

func (b *Bot) cmdTipStarter(c *call) error {
	approved, err := c.st.Tips(c.ctx, c.group, true)
	if err != nil {
		return fmt.Errorf("tip starter: %w", err)
	}
	have := map[int]int{} // starter → number
	for _, t := range approved {
		if t.Starter > 0 {
			have[t.Starter] = t.Num
		}
	}
	if c.cmd.Text("switch") == "off" {
		for _, num := range have {
			if _, err := c.st.RemoveTip(c.ctx, c.group, num); err != nil {
				return fmt.Errorf("tip starter: %w", err)
			}
		}
		c.private(textTipStarterOff())
		return nil
	}
	for k := 1; k <= starterTips; k++ {
		if _, ok := have[k]; ok {
			continue
		}
		if _, err := c.st.AddTip(c.ctx, Tip{Group: c.group, Approved: true, Starter: k, CreatedAt: c.now}); err != nil {
			return fmt.Errorf("tip starter: %w", err)
		}
	}
	c.private(textTipStarterOn(starterTips))
	return nil
}

// nameOf is member m's stored display name, or "" (for platforms that
// print whom a private reply goes to).
func (b *Bot) nameOf(c *call, m MemberID) string {
	if r, err := c.st.Member(c.ctx, m); err == nil {
		return r.Name
	}
	return ""
}
