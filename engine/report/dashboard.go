package report

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/policies"
)

// Board is the supervisor dashboard's report part: today so far against
// yesterday, the satisfaction trend and why customers were dissatisfied.
type Board struct {
	TimeZone     string  `json:"time_zone"`
	Today        KPIs    `json:"today"`
	Yesterday    KPIs    `json:"yesterday"`
	Trend        []Day   `json:"trend"` // the last 14 days, today included
	Dissatisfied []Theme `json:"dissatisfaction_themes"`
}

// Dashboard computes the Board as of now, in the bot's time zone.
func Dashboard(ctx context.Context, st store.Store, bot *policies.Bot, now time.Time) (*Board, error) {
	loc := bot.Location()
	l := now.In(loc)
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	yesterday := today.AddDate(0, 0, -1)
	trendFrom := today.AddDate(0, 0, -13)
	b := &Board{TimeZone: loc.String()}
	var todayT, yesterdayT, days []store.OutcomeTotals
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		todayT, err = st.OutcomeTotals(gctx, store.OutcomeQuery{From: today, To: now.Add(time.Second)})
		return err
	})
	g.Go(func() (err error) {
		yesterdayT, err = st.OutcomeTotals(gctx, store.OutcomeQuery{From: yesterday, To: today})
		return err
	})
	g.Go(func() (err error) {
		days, err = st.OutcomeTotals(gctx, store.OutcomeQuery{From: trendFrom, To: now.Add(time.Second), By: []string{"day"}})
		return err
	})
	g.Go(func() (err error) {
		// The latest 500 comments: the dashboard refreshes every few seconds.
		th, err := dissatisfied(gctx, st, bot, today.AddDate(0, 0, -6), time.Time{}, 500)
		if len(th) > 5 {
			th = th[:5]
		}
		b.Dissatisfied = th
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	b.Today, b.Yesterday = kpis(todayT[0]), kpis(yesterdayT[0])
	byDay := map[string]store.OutcomeTotals{}
	for _, t := range days {
		byDay[t.Group[0]] = t
	}
	for d := trendFrom; !d.After(today); d = d.AddDate(0, 0, 1) {
		key := d.Format("2006-01-02")
		t, ok := byDay[key]
		if !ok {
			b.Trend = append(b.Trend, Day{Day: key})
			continue
		}
		k := kpis(t)
		b.Trend = append(b.Trend, Day{Day: key, Conversations: t.Contacts, ContainmentRate: k.ContainmentRate, HandoffRate: k.HandoffRate, CSATAverage: k.CSATAverage})
	}
	return b, nil
}
