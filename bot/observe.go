package bot

import (
	"strings"
	"time"
)

// Observer is told what the core did, for metrics. Every value it is given
// comes from a fixed set: a command's name from the command table (never
// what a member typed), an outcome, a visibility, a result, a condition's
// kind. No member, group, channel, name or words reach it. Its methods are
// called on the handling goroutine and must return quickly; they must be
// safe for concurrent use.
type Observer interface {
	// Handled: an event was handled. command is the command's full name in
	// the table ("checkin", "round start"), "unknown" for a command not in
	// it, or the event's kind for other events ("join", "leave", "roles",
	// "message"). took is the wall-clock time Handle took, delivery of the
	// replies included.
	Handled(command string, outcome Outcome, took time.Duration)
	// Delivered: one reply was handed to the platform. result is "ok",
	// "failed", or the kind of the condition the platform met
	// ("unreachable", "rate_limited", …).
	Delivered(v Visibility, result string)
	// Condition: an adapter met a condition, reported (Core.Report) or as a
	// delivery's error.
	Condition(kind ConditionKind)
}

// observeHandled tells the observer about one handled event. It names the
// command only by the table's own names.
func (b *Bot) observeHandled(ev Event, start time.Time, out *Outcome) {
	if b.obs == nil {
		return
	}
	b.obs.Handled(b.eventLabel(ev), *out, time.Since(start))
}

// eventLabel is the table's full name of ev's command ("round start"), or
// "unknown", or the kind of a non-command event.
func (b *Bot) eventLabel(ev Event) string {
	switch ev.Kind {
	case EventJoin:
		return "join"
	case EventLeave:
		return "leave"
	case EventRoles:
		return "roles"
	case EventMessage:
		return "message"
	case EventCommand:
		if b.commands != nil {
			if name, ok := b.commands.canonical(ev.Command.Name); ok {
				return name
			}
		}
		return "unknown"
	}
	return "other"
}

// canonical returns the full name of the command name stands for, built
// from the table's names (aliases resolved), or false when it is not a
// command of the table.
func (t *Table) canonical(name string) (string, bool) {
	words := strings.Fields(strings.ToLower(name))
	if len(words) == 0 {
		return "", false
	}
	spec, ok := t.index[words[0]]
	if !ok {
		return "", false
	}
	parts := []string{spec.Name}
	for _, w := range words[1:] {
		if spec, ok = subNamed(spec, w); !ok {
			return "", false
		}
		parts = append(parts, spec.Name)
	}
	return strings.Join(parts, " "), true
}

// observeDelivery tells the observer what became of one reply.
func (b *Bot) observeDelivery(r Reply, err error) {
	if b.obs == nil {
		return
	}
	result := "ok"
	if err != nil {
		result = "failed"
		if c := conditionOf(err); c != nil {
			result = c.Kind.String()
			b.obs.Condition(c.Kind)
		}
	}
	b.obs.Delivered(r.Visibility, result)
}
