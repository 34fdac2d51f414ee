package bot

import (
	"context"
	"time"
)

// Colour is a traffic-light check-in colour. The zero value means "no
// colour given".
type Colour string

const (
	NoColour Colour = ""
	Green    Colour = "green" // doing OK
	Amber    Colour = "amber" // finding things hard, but safe
	Red      Colour = "red"   // really struggling
)

// Group is one peer-support group's settings.
type Group struct {
	ID GroupID
	// Name is a human name for the group, where the adapter gave one.
	Name string
	// DefaultCountry is the ISO 3166-1 alpha-2 code used for crisis lines
	// when a member has saved none ("" = the configured default).
	DefaultCountry string
	// FacilitatorsChannel is the private facilitators' place, if one is set.
	FacilitatorsChannel ChannelID
	// LastFacilitator is the facilitator who last acted in the group (the
	// fallback for facilitator messages on platforms that cannot list them).
	LastFacilitator MemberID
	// Timezone is an IANA zone name ("" = the configured default).
	Timezone string
	// Language is the code of the group's language ("" = the configured
	// default).
	Language string
}

// MemberRecord is what the store keeps about one person.
type MemberRecord struct {
	ID   MemberID
	Name string
	// Country is the member's saved ISO 3166-1 alpha-2 code for crisis lines.
	Country string
	// LastSupportAt is when the member last used !support (rate limit).
	LastSupportAt time.Time
	// DMGroup is the group the member chose for commands sent privately
	// when they are in several groups.
	DMGroup GroupID
	// ForgetAsked is when the member last ran !forgetme without confirm.
	ForgetAsked time.Time
	// Language is the code of the language the member chose for private
	// answers ("" = none chosen).
	Language string
}

// Agreement is one version of a group's agreement.
type Agreement struct {
	Group   GroupID
	Version int // 1, 2, … per group; 0 means the built-in template, never stored
	Text    string
	SetBy   MemberID
	SetName string
	SetAt   time.Time
	// Default marks a version that restored the built-in template.
	Default bool
}

// Acceptance records that a member agreed to a version of an agreement.
type Acceptance struct {
	Group   GroupID
	Member  MemberID
	Version int
	At      time.Time
}

// Round is one check-in round in one channel.
type Round struct {
	ID       int64
	Group    GroupID
	Channel  ChannelID
	Prompt   string
	OpenedBy MemberID
	OpenedAt time.Time
	ClosesAt time.Time
	ClosedAt time.Time // zero while open
	// Closing marks a closing round: one word for how you're leaving,
	// words only, no colours.
	Closing bool
}

// Open reports whether the round has not been closed.
func (r Round) Open() bool { return r.ClosedAt.IsZero() }

// CheckIn is one member's latest check-in in a round.
type CheckIn struct {
	Round      int64
	Member     MemberID
	MemberName string
	Colour     Colour
	Words      string // may be empty; sensitive: never logged
	Private    bool   // words only for facilitators; colour not shown by name
	// Hidden: sent privately, so the colour is not shown by name unless
	// the member asked (it counts like a private colour in public).
	Hidden bool
	Passed bool
	At     time.Time
}

// Store keeps peerbot's state. Every method is safe for concurrent use. A
// change is durable (committed) when the method returns nil. Methods return
// ErrNotFound or ErrAlreadyExists (possibly wrapped) where documented, and
// other errors only for storage failures.
type Store interface {
	// InTx runs fn with a Store whose writes all commit when fn returns nil
	// and none do otherwise. Nested calls on the Store passed to fn join the
	// same transaction.
	InTx(ctx context.Context, fn func(Store) error) error

	// MarkHandled records a platform event id and the member whose event it
	// was (ForgetMember deletes it with them). It returns false, with no
	// error, when the id was recorded before (a redelivered event).
	MarkHandled(ctx context.Context, eventID string, member MemberID, at time.Time) (bool, error)

	// Group returns a group's settings, or ErrNotFound.
	Group(ctx context.Context, id GroupID) (Group, error)
	// SaveGroup creates or replaces a group's settings.
	SaveGroup(ctx context.Context, g Group) error

	// Member returns what is stored about a member, or ErrNotFound.
	Member(ctx context.Context, id MemberID) (MemberRecord, error)
	// SaveMember creates or replaces a member's record.
	SaveMember(ctx context.Context, m MemberRecord) error
	// AddMembership records that member m belongs to group g. It reports
	// whether m was not a member before.
	AddMembership(ctx context.Context, g GroupID, m MemberID, at time.Time) (bool, error)
	// RemoveMembership forgets that m belongs to g (m left). Not an error if
	// m was not a member.
	RemoveMembership(ctx context.Context, g GroupID, m MemberID) error
	// GroupsOf lists the groups m belongs to, oldest membership first.
	GroupsOf(ctx context.Context, m MemberID) ([]Group, error)
	// GroupMembers lists the members of g, by name.
	GroupMembers(ctx context.Context, g GroupID) ([]MemberRecord, error)

	// CurrentAgreement returns the newest version of g's agreement, or
	// ErrNotFound when none was ever set.
	CurrentAgreement(ctx context.Context, g GroupID) (Agreement, error)
	// AddAgreement stores a new version; Version is assigned (previous + 1)
	// and returned.
	AddAgreement(ctx context.Context, a Agreement) (Agreement, error)
	// Agree records an acceptance (idempotent per group, member, version).
	Agree(ctx context.Context, a Acceptance) error
	// Acceptances lists the acceptances of g's given version.
	Acceptances(ctx context.Context, g GroupID, version int) ([]Acceptance, error)

	// CreateRound stores a new open round and returns it with its ID. It
	// returns ErrAlreadyExists when the channel has an open round.
	CreateRound(ctx context.Context, r Round) (Round, error)
	// OpenRound returns the open round in ch, or ErrNotFound.
	OpenRound(ctx context.Context, ch ChannelID) (Round, error)
	// LatestRound returns the newest round in ch, open or closed, or
	// ErrNotFound.
	LatestRound(ctx context.Context, ch ChannelID) (Round, error)
	// OpenRounds lists the open rounds of group g.
	OpenRounds(ctx context.Context, g GroupID) ([]Round, error)
	// DueRounds lists open rounds whose ClosesAt is at or before now,
	// oldest first.
	DueRounds(ctx context.Context, now time.Time) ([]Round, error)
	// CloseRound marks an open round closed at the given time. It returns
	// ErrNotFound when the round is not open (already closed or unknown).
	CloseRound(ctx context.Context, id int64, at time.Time) error

	// PutCheckIn stores c as the member's check-in in the round, replacing
	// any earlier one.
	PutCheckIn(ctx context.Context, c CheckIn) error
	// MemberCheckIn returns member m's check-in in a round, or ErrNotFound.
	MemberCheckIn(ctx context.Context, round int64, m MemberID) (CheckIn, error)
	// CheckIns lists a round's check-ins, in the order members first
	// checked in.
	CheckIns(ctx context.Context, round int64) ([]CheckIn, error)

	// AddSchedule stores a new schedule and returns it with its ID.
	AddSchedule(ctx context.Context, s Schedule) (Schedule, error)
	// Schedules lists the schedules of group g ("" = every group), oldest
	// first.
	Schedules(ctx context.Context, g GroupID) ([]Schedule, error)
	// RemoveSchedule deletes schedule id of group g, or returns ErrNotFound.
	RemoveSchedule(ctx context.Context, g GroupID, id int64) error
	// ClaimOccurrence records that the occurrence of schedule id at the
	// given time was dealt with (opened or reported as missed). It returns
	// false, with no error, when it was claimed before: by this process
	// before a restart, or by another process at the same moment.
	ClaimOccurrence(ctx context.Context, id int64, at time.Time) (bool, error)

	// SetReminders turns round reminders for member m in group g on or off.
	SetReminders(ctx context.Context, g GroupID, m MemberID, on bool) error
	// Reminded lists the members of g who asked for round reminders.
	Reminded(ctx context.Context, g GroupID) ([]MemberRecord, error)

	// MessageRef returns the platform reference saved under key, or
	// ErrNotFound.
	MessageRef(ctx context.Context, key string) (MessageRef, error)
	// SetMessageRef saves a platform reference under key.
	SetMessageRef(ctx context.Context, key string, ref MessageRef) error

	// MemberData returns everything stored about m, for !mydata.
	MemberData(ctx context.Context, m MemberID) (MemberData, error)
	// ForgetMember deletes everything stored about m: the record,
	// memberships, acceptances, reminders and check-ins.
	ForgetMember(ctx context.Context, m MemberID) error

	// Meeting (issue 15)

	// PauseSchedule pauses (paused true) or resumes schedule id of group
	// g, or returns ErrNotFound.
	PauseSchedule(ctx context.Context, g GroupID, id int64, paused bool) error
	// SkipDay records that schedule id opens nothing on day (YYYY-MM-DD in
	// the group's time zone). It returns false, with no error, when that
	// day was skipped before, and ErrNotFound for an unknown schedule.
	SkipDay(ctx context.Context, id int64, day string) (bool, error)
	// SkippedDays lists the days schedule id skips, from day from on,
	// earliest first.
	SkippedDays(ctx context.Context, id int64, from string) ([]string, error)
	// SetReminderLead sets how many minutes before a scheduled round opens
	// member m of g gets a note (0: none). Reminders must be on.
	SetReminderLead(ctx context.Context, g GroupID, m MemberID, minutes int) error
	// ReminderLeads lists the members of g with a lead time (their IDs
	// only, no names).
	ReminderLeads(ctx context.Context, g GroupID) ([]Reminder, error)
	// ClaimReminder records that the early note with this lead before the
	// occurrence of schedule id at occ was sent; false when it was before.
	ClaimReminder(ctx context.Context, id int64, occ time.Time, lead time.Duration) (bool, error)

	// Threads and tips (issue 15)

	// StartThread stores a new thread and returns it with its ID.
	StartThread(ctx context.Context, t Thread) (Thread, error)
	// Thread returns thread id, or ErrNotFound.
	Thread(ctx context.Context, id int64) (Thread, error)
	// LatestThread returns member m's newest thread that was not closed
	// (by activity; g "" = in any group), or ErrNotFound. The caller
	// decides whether it is still open (Thread.OpenAt).
	LatestThread(ctx context.Context, g GroupID, m MemberID) (Thread, error)
	// CloseThread marks thread id closed at the given time.
	CloseThread(ctx context.Context, id int64, at time.Time) error
	// AddThreadWords stores words written in a thread and makes their time
	// the thread's last activity.
	AddThreadWords(ctx context.Context, w ThreadWords) error
	// AddTip stores a new tip of group t.Group; its Num (the next in the
	// group) and ID are assigned and returned.
	AddTip(ctx context.Context, t Tip) (Tip, error)
	// Tips lists group g's tips, approved or pending, by number.
	Tips(ctx context.Context, g GroupID, approved bool) ([]Tip, error)
	// ApproveTip marks tip num of group g approved, or returns ErrNotFound.
	ApproveTip(ctx context.Context, g GroupID, num int) error
	// RemoveTip deletes tip num of group g and returns it, or ErrNotFound.
	RemoveTip(ctx context.Context, g GroupID, num int) (Tip, error)
	// LastTip returns the ID of the tip member m was sent last in g (0:
	// none); SetLastTip records it.
	LastTip(ctx context.Context, g GroupID, m MemberID) (int64, error)
	SetLastTip(ctx context.Context, g GroupID, m MemberID, tip int64) error
}

// Reminder is a member who asked for a note Lead before a scheduled round
// opens.
type Reminder struct {
	Member MemberRecord
	Lead   time.Duration
}

// Schedule is a group's weekly meeting: a round opened automatically in
// Channel on Days at Hour:Minute in the group's time zone.
type Schedule struct {
	ID        int64
	Group     GroupID
	Channel   ChannelID
	Days      []time.Weekday
	Hour      int
	Minute    int
	Minutes   int // how long the round stays open
	Prompt    string
	CreatedBy MemberID
	CreatedAt time.Time
	// Paused: the schedule opens nothing until it is resumed.
	Paused bool
}

// MemberData is everything the store holds about one member.
type MemberData struct {
	Member      MemberRecord
	Groups      []Group
	Acceptances []Acceptance
	CheckIns    []CheckIn
	// Reminders lists the groups where m asked for round reminders.
	Reminders []GroupID
	// ThreadWords are the words of m's threads with the facilitators, and
	// what m wrote in others' threads as a facilitator, oldest first.
	ThreadWords []ThreadWords
	// Tips are the tips m suggested that still name them.
	Tips []Tip
}
