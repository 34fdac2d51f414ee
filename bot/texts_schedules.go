package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/peerbot/peerbot/bot/schedule"
)

// Texts about time zones, scheduled rounds and reminders. Times are named
// with when and until (texts.go), in the group's zone.

func textTimezone(zone *time.Location) Text {
	return T("This group's time zone is " + zoneName(zone) + ". A facilitator can change it with ").Cmd("timezone Europe/London").P(".")
}

func textTimezoneSet(zone *time.Location) Text {
	return T("Done. This group's time zone is now " + zone.String() + ". Scheduled rounds follow its clock, summer time included.")
}

func textScheduleExists(id int64) Text {
	return T(fmt.Sprintf("That round is already scheduled here (number %d). ", id)).Cmd("schedule list").P(" shows them all.")
}

// textScheduled confirms a new schedule s, whose next round opens at next.
func textScheduled(s Schedule, zone *time.Location, next time.Time) Text {
	return T(fmt.Sprintf("Scheduled (number %d): a %d-minute round here. %s. The next one opens %s.",
		s.ID, s.Minutes, textWeekly(weekly(s, zone)), when(next, zone)))
}

func textNoSchedules() Text {
	return T("No rounds are scheduled. ").Add(textScheduleUsage())
}

func textSchedules(ss []Schedule, zone *time.Location) Text {
	t := T("").B("Scheduled rounds")
	for _, s := range ss {
		t = t.NL().P(fmt.Sprintf("%d. %s, %d minutes: ", s.ID, textWeekly(weekly(s, zone)), s.Minutes)).U(s.Prompt)
	}
	return t.NL().P("To remove one: ").Cmd("schedule remove <number>").P(".")
}

func textNoSuchSchedule(id int64) Text {
	return T(fmt.Sprintf("There's no schedule number %d in this group. ", id)).Cmd("schedule list").P(" shows them.")
}

func textScheduleRemoved(id int64) Text {
	return T(fmt.Sprintf("Removed schedule %d. Rounds already open stay open.", id))
}

// textReminders confirms a member's choice of round reminders.
func textReminders(on bool) Text {
	if on {
		return T("Done. I'll send you a private note when a round opens in your group. ").Cmd("remind off").P(" stops them.")
	}
	return T("Done. No more reminders.")
}

// textScheduleMissed tells the facilitators that a scheduled round did not
// open at occ because the bot was not running.
func textScheduleMissed(occ time.Time, zone *time.Location) Text {
	return T(fmt.Sprintf("The round scheduled for %s didn't open: I wasn't running then, and its time has passed.", when(occ, zone)))
}

// textScheduleBlocked tells the facilitators that a scheduled round did not
// open at occ because another round was open in the channel.
func textScheduleBlocked(occ time.Time, zone *time.Location) Text {
	return T(fmt.Sprintf("A round was already open at %s, so the scheduled one didn't start.", when(occ, zone)))
}

// textReminder is the private note to a member who asked for reminders.
func textReminder(r Round, zone *time.Location) Text {
	return T("A check-in round has opened in your group, until " + until(r.ClosesAt, r.OpenedAt, zone) + ". Join in if you'd like; passing is fine too. ").Cmd("remind off").P(" stops these notes.")
}

// textWeekly names a weekly time for people: "Tue, Thu at 19:00
// (Europe/London)", "Weekdays at 09:30 (UTC)". (schedule.Weekly.String
// says the same for logs and tests.)
func textWeekly(w schedule.Weekly) string {
	var days string
	switch f := schedule.FormatDays(w.Days); f {
	case "":
		days = "No days"
	case "mon,tue,wed,thu,fri,sat,sun":
		days = "Every day"
	case "mon,tue,wed,thu,fri":
		days = "Weekdays"
	case "sat,sun":
		days = "Weekends"
	default:
		names := strings.Split(f, ",")
		for i, n := range names {
			names[i] = strings.ToUpper(n[:1]) + n[1:]
		}
		days = strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s at %02d:%02d (%s)", days, w.Hour, w.Minute, zoneName(w.Zone))
}
