package main

import (
	"context"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// Threads and tips (issue 15): timed like the rest of the Store.

func (s timedStore) StartThread(ctx context.Context, t bot.Thread) (bot.Thread, error) {
	defer s.since("StartThread", time.Now())
	return s.Store.StartThread(ctx, t)
}

func (s timedStore) Thread(ctx context.Context, id int64) (bot.Thread, error) {
	defer s.since("Thread", time.Now())
	return s.Store.Thread(ctx, id)
}

func (s timedStore) LatestThread(ctx context.Context, g bot.GroupID, m bot.MemberID) (bot.Thread, error) {
	defer s.since("LatestThread", time.Now())
	return s.Store.LatestThread(ctx, g, m)
}

func (s timedStore) CloseThread(ctx context.Context, id int64, at time.Time) error {
	defer s.since("CloseThread", time.Now())
	return s.Store.CloseThread(ctx, id, at)
}

func (s timedStore) AddThreadWords(ctx context.Context, w bot.ThreadWords) error {
	defer s.since("AddThreadWords", time.Now())
	return s.Store.AddThreadWords(ctx, w)
}

func (s timedStore) AddTip(ctx context.Context, t bot.Tip) (bot.Tip, error) {
	defer s.since("AddTip", time.Now())
	return s.Store.AddTip(ctx, t)
}

func (s timedStore) Tips(ctx context.Context, g bot.GroupID, approved bool) ([]bot.Tip, error) {
	defer s.since("Tips", time.Now())
	return s.Store.Tips(ctx, g, approved)
}

func (s timedStore) ApproveTip(ctx context.Context, g bot.GroupID, num int) error {
	defer s.since("ApproveTip", time.Now())
	return s.Store.ApproveTip(ctx, g, num)
}

func (s timedStore) RemoveTip(ctx context.Context, g bot.GroupID, num int) (bot.Tip, error) {
	defer s.since("RemoveTip", time.Now())
	return s.Store.RemoveTip(ctx, g, num)
}

func (s timedStore) LastTip(ctx context.Context, g bot.GroupID, m bot.MemberID) (int64, error) {
	defer s.since("LastTip", time.Now())
	return s.Store.LastTip(ctx, g, m)
}

func (s timedStore) SetLastTip(ctx context.Context, g bot.GroupID, m bot.MemberID, tip int64) error {
	defer s.since("SetLastTip", time.Now())
	return s.Store.SetLastTip(ctx, g, m, tip)
}
