package bot

import (
	"context"
	"errors"
)

// deliver hands replies to the platform in order: the delivery plan. A
// reply's confirm is delivered after it, its fallback (and undo) when it
// could not be; a Private reply that met Unreachable gets a neutral note
// in the group, naming nobody, at most once a day. Replies with a Key edit the message sent
// before under that key. c is the call the replies answer (nil from the
// clock or a report).
func (b *Bot) deliver(ctx context.Context, c *call, rs []Reply) {
	for _, r := range rs {
		err := b.deliverOne(ctx, r)
		next := r.confirm
		if err != nil && (r.fallback != nil || r.undo != nil) {
			next = r.fallback
			if r.undo != nil {
				r.undo(ctx)
			}
		}
		if next != nil {
			_ = b.deliverOne(ctx, *next)
		}
		if cond := conditionOf(err); cond != nil && cond.Kind == Unreachable && r.Visibility == Private && r.Group != "" && r.fallback == nil {
			// At most one neutral note a day in the group, naming nobody:
			// a private answer must never turn into a public call-out.
			key := string(r.Group) + "|" + b.now().Format("2006-01-02")
			if _, said := b.unreachable.LoadOrStore(key, true); !said {
				note := Reply{Visibility: Public, Group: r.Group, Text: textUnreachable()}
				if c != nil && c.ev.Group == r.Group {
					note.Channel = c.ev.Channel
				}
				_ = b.deliverOne(ctx, note)
			}
		}
	}
}

// deliverOne delivers one reply; a failure is logged and returned.
func (b *Bot) deliverOne(ctx context.Context, r Reply) error {
	r = b.audience(ctx, r)
	lang := r.lang
	if lang == nil {
		lang = b.replyLanguage(ctx, r)
	}
	r.Language = lang.code
	r.Text = b.localise(replyPlatform(r), lang.Resolve(r.Text))
	r.Actions = lang.localiseActions(r.Actions)
	r.confirm, r.fallback, r.undo = nil, nil, nil
	if r.Key != "" {
		ref, err := b.store.MessageRef(ctx, r.Key)
		if err == nil {
			r.Edit = ref
		} else if !errors.Is(err, ErrNotFound) {
			b.log.Error().Err(err).Str("key", r.Key).Msg("Reading message reference failed")
		}
	}
	ref, err := b.platform.Deliver(ctx, r)
	b.observeDelivery(r, err)
	if err != nil {
		ev := b.log.Error()
		if cond := conditionOf(err); cond != nil {
			ev = b.log.Warn().Str("condition", cond.Kind.String())
		}
		ev.Err(err).Str("visibility", r.Visibility.String()).Str("group_id", string(r.Group)).Msg("Delivering reply failed")
		return err
	}
	if r.Key != "" && ref != "" && ref != r.Edit {
		if err := b.store.SetMessageRef(ctx, r.Key, ref); err != nil {
			b.log.Error().Err(err).Str("key", r.Key).Msg("Saving message reference failed")
		}
	}
	return nil
}

// replyPlatform names the platform a reply goes to.
func replyPlatform(r Reply) string {
	id := string(r.Group)
	if id == "" {
		id = string(r.To)
	}
	return PlatformOf(id)
}

// localise turns Cmd spans into Code with the prefix members type on
// platform.
func (b *Bot) localise(platform string, t Text) Text {
	prefix := b.prefix
	if p, ok := b.prefixes[platform]; ok {
		prefix = p
	}
	out := make(Text, len(t))
	for i, s := range t {
		if s.Style == Cmd {
			s = Span{Style: Code, Text: prefix + s.Text}
		}
		out[i] = s
	}
	return out
}
