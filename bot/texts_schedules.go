package bot

import (
	"strconv"
	"strings"
	"time"

	"github.com/peerbot/peerbot/bot/schedule"
)

// Texts about time zones, scheduled rounds and reminders. Times are named
// with when and until (texts.go), in the group's zone.

func textTimezone(zone *time.Location) Text { return msg("zone.is", "zone", zoneName(zone)) }

func textTimezoneSet(zone *time.Location) Text { return msg("zone.set", "zone", zone.String()) }

func textScheduleExists(id int64) Text { return msg("schedule.exists", "id", id) }

// textScheduled confirms a new schedule s, whose next round opens at next.
func textScheduled(s Schedule, zone *time.Location, next time.Time) Text {
	return msg("schedule.added", "id", s.ID, "minutes", s.Minutes, "weekly", textWeekly(weekly(s, zone)), "next", when(next, zone))
}

func textNoSchedules() Text { return msg("schedule.none").P(" ").Add(textScheduleUsage()) }

func textSchedules(ss []Schedule, zone *time.Location) Text {
	t := msg("schedule.title")
	for _, s := range ss {
		t = t.NL().Add(msg("schedule.item", "id", s.ID, "weekly", textWeekly(weekly(s, zone)), "minutes", s.Minutes,
			"prompt", promptText(s.Prompt)))
	}
	return t.NL().Add(msg("schedule.remove.how"))
}

func textNoSuchSchedule(id int64) Text { return msg("schedule.nosuch", "id", id) }

func textScheduleRemoved(id int64) Text { return msg("schedule.removed", "id", id) }

// textReminders confirms a member's choice of round reminders.
func textReminders(on bool) Text {
	if on {
		return msg("remind.on")
	}
	return msg("remind.off")
}

// textScheduleMissed tells the facilitators that a scheduled round did not
// open at occ because the bot was not running.
func textScheduleMissed(occ time.Time, zone *time.Location) Text {
	return msg("schedule.missed", "when", when(occ, zone))
}

// textScheduleBlocked tells the facilitators that a scheduled round did not
// open at occ because another round was open in the channel.
func textScheduleBlocked(occ time.Time, zone *time.Location) Text {
	return msg("schedule.blocked", "when", when(occ, zone))
}

// textReminder is the private note to a member who asked for reminders.
func textReminder(r Round, zone *time.Location) Text {
	return msg("remind.note", "until", until(r.ClosesAt, r.OpenedAt, zone))
}

// weekdayNumbers maps schedule.FormatDays's names to weekdays.
var weekdayNumbers = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// textWeekly names a weekly time for people: "Tue, Thu at 19:00
// (Europe/London)", "Weekdays at 09:30 (UTC)". (schedule.Weekly.String
// says the same for logs and tests.)
func textWeekly(w schedule.Weekly) Text {
	var days Text
	switch f := schedule.FormatDays(w.Days); f {
	case "":
		days = msg("days.none")
	case "mon,tue,wed,thu,fri,sat,sun":
		days = msg("days.daily")
	case "mon,tue,wed,thu,fri":
		days = msg("days.weekdays")
	case "sat,sun":
		days = msg("days.weekends")
	default:
		days = Text{}
		for i, n := range strings.Split(f, ",") {
			if i > 0 {
				days = days.P(", ")
			}
			days = days.Add(weekdayText(weekdayNumbers[n]))
		}
	}
	return msg("weekly", "days", days, "hour", pad2(w.Hour), "minute", pad2(w.Minute), "zone", zoneName(w.Zone))
}

func pad2(n int) string {
	if n < 10 {
		return "0" + string(rune('0'+n))
	}
	return strconv.Itoa(n)
}
