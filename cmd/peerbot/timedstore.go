package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/peerbot/peerbot/bot"
)

// timedStore is a bot.Store that times every call into the store it wraps
// (peerbot_database_seconds, labelled with the method's name only). A
// method it does not list is passed on untimed.
type timedStore struct {
	bot.Store
	h *prometheus.HistogramVec
}

// since records the time since start under method.
func (s timedStore) since(method string, start time.Time) {
	s.h.WithLabelValues(method).Observe(time.Since(start).Seconds())
}

// InTx times the whole transaction, and the calls inside it.
func (s timedStore) InTx(ctx context.Context, fn func(bot.Store) error) error {
	defer s.since("InTx", time.Now())
	return s.Store.InTx(ctx, func(tx bot.Store) error { return fn(timedStore{Store: tx, h: s.h}) })
}

func (s timedStore) MarkHandled(ctx context.Context, eventID string, member bot.MemberID, at time.Time) (bool, error) {
	defer s.since("MarkHandled", time.Now())
	return s.Store.MarkHandled(ctx, eventID, member, at)
}

func (s timedStore) Group(ctx context.Context, id bot.GroupID) (bot.Group, error) {
	defer s.since("Group", time.Now())
	return s.Store.Group(ctx, id)
}

func (s timedStore) SaveGroup(ctx context.Context, g bot.Group) error {
	defer s.since("SaveGroup", time.Now())
	return s.Store.SaveGroup(ctx, g)
}

func (s timedStore) Member(ctx context.Context, id bot.MemberID) (bot.MemberRecord, error) {
	defer s.since("Member", time.Now())
	return s.Store.Member(ctx, id)
}

func (s timedStore) SaveMember(ctx context.Context, m bot.MemberRecord) error {
	defer s.since("SaveMember", time.Now())
	return s.Store.SaveMember(ctx, m)
}

func (s timedStore) AddMembership(ctx context.Context, g bot.GroupID, m bot.MemberID, at time.Time) (bool, error) {
	defer s.since("AddMembership", time.Now())
	return s.Store.AddMembership(ctx, g, m, at)
}

func (s timedStore) RemoveMembership(ctx context.Context, g bot.GroupID, m bot.MemberID) error {
	defer s.since("RemoveMembership", time.Now())
	return s.Store.RemoveMembership(ctx, g, m)
}

func (s timedStore) GroupsOf(ctx context.Context, m bot.MemberID) ([]bot.Group, error) {
	defer s.since("GroupsOf", time.Now())
	return s.Store.GroupsOf(ctx, m)
}

func (s timedStore) GroupMembers(ctx context.Context, g bot.GroupID) ([]bot.MemberRecord, error) {
	defer s.since("GroupMembers", time.Now())
	return s.Store.GroupMembers(ctx, g)
}

func (s timedStore) CurrentAgreement(ctx context.Context, g bot.GroupID) (bot.Agreement, error) {
	defer s.since("CurrentAgreement", time.Now())
	return s.Store.CurrentAgreement(ctx, g)
}

func (s timedStore) AddAgreement(ctx context.Context, a bot.Agreement) (bot.Agreement, error) {
	defer s.since("AddAgreement", time.Now())
	return s.Store.AddAgreement(ctx, a)
}

func (s timedStore) Agree(ctx context.Context, a bot.Acceptance) error {
	defer s.since("Agree", time.Now())
	return s.Store.Agree(ctx, a)
}

func (s timedStore) Acceptances(ctx context.Context, g bot.GroupID, version int) ([]bot.Acceptance, error) {
	defer s.since("Acceptances", time.Now())
	return s.Store.Acceptances(ctx, g, version)
}

func (s timedStore) CreateRound(ctx context.Context, r bot.Round) (bot.Round, error) {
	defer s.since("CreateRound", time.Now())
	return s.Store.CreateRound(ctx, r)
}

func (s timedStore) OpenRound(ctx context.Context, ch bot.ChannelID) (bot.Round, error) {
	defer s.since("OpenRound", time.Now())
	return s.Store.OpenRound(ctx, ch)
}

func (s timedStore) LatestRound(ctx context.Context, ch bot.ChannelID) (bot.Round, error) {
	defer s.since("LatestRound", time.Now())
	return s.Store.LatestRound(ctx, ch)
}

func (s timedStore) OpenRounds(ctx context.Context, g bot.GroupID) ([]bot.Round, error) {
	defer s.since("OpenRounds", time.Now())
	return s.Store.OpenRounds(ctx, g)
}

func (s timedStore) DueRounds(ctx context.Context, now time.Time) ([]bot.Round, error) {
	defer s.since("DueRounds", time.Now())
	return s.Store.DueRounds(ctx, now)
}

func (s timedStore) CloseRound(ctx context.Context, id int64, at time.Time) error {
	defer s.since("CloseRound", time.Now())
	return s.Store.CloseRound(ctx, id, at)
}

func (s timedStore) PutCheckIn(ctx context.Context, c bot.CheckIn) error {
	defer s.since("PutCheckIn", time.Now())
	return s.Store.PutCheckIn(ctx, c)
}

func (s timedStore) MemberCheckIn(ctx context.Context, round int64, m bot.MemberID) (bot.CheckIn, error) {
	defer s.since("MemberCheckIn", time.Now())
	return s.Store.MemberCheckIn(ctx, round, m)
}

func (s timedStore) CheckIns(ctx context.Context, round int64) ([]bot.CheckIn, error) {
	defer s.since("CheckIns", time.Now())
	return s.Store.CheckIns(ctx, round)
}

func (s timedStore) AddSchedule(ctx context.Context, sc bot.Schedule) (bot.Schedule, error) {
	defer s.since("AddSchedule", time.Now())
	return s.Store.AddSchedule(ctx, sc)
}

func (s timedStore) Schedules(ctx context.Context, g bot.GroupID) ([]bot.Schedule, error) {
	defer s.since("Schedules", time.Now())
	return s.Store.Schedules(ctx, g)
}

func (s timedStore) RemoveSchedule(ctx context.Context, g bot.GroupID, id int64) error {
	defer s.since("RemoveSchedule", time.Now())
	return s.Store.RemoveSchedule(ctx, g, id)
}

func (s timedStore) ClaimOccurrence(ctx context.Context, id int64, at time.Time) (bool, error) {
	defer s.since("ClaimOccurrence", time.Now())
	return s.Store.ClaimOccurrence(ctx, id, at)
}

func (s timedStore) SetReminders(ctx context.Context, g bot.GroupID, m bot.MemberID, on bool) error {
	defer s.since("SetReminders", time.Now())
	return s.Store.SetReminders(ctx, g, m, on)
}

func (s timedStore) Reminded(ctx context.Context, g bot.GroupID) ([]bot.MemberRecord, error) {
	defer s.since("Reminded", time.Now())
	return s.Store.Reminded(ctx, g)
}

func (s timedStore) MessageRef(ctx context.Context, key string) (bot.MessageRef, error) {
	defer s.since("MessageRef", time.Now())
	return s.Store.MessageRef(ctx, key)
}

func (s timedStore) SetMessageRef(ctx context.Context, key string, ref bot.MessageRef) error {
	defer s.since("SetMessageRef", time.Now())
	return s.Store.SetMessageRef(ctx, key, ref)
}

func (s timedStore) MemberData(ctx context.Context, m bot.MemberID) (bot.MemberData, error) {
	defer s.since("MemberData", time.Now())
	return s.Store.MemberData(ctx, m)
}

func (s timedStore) ForgetMember(ctx context.Context, m bot.MemberID) error {
	defer s.since("ForgetMember", time.Now())
	return s.Store.ForgetMember(ctx, m)
}
