package report_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/report"
	"github.com/parleyhq/parley/engine/store/sqlite"
	"github.com/parleyhq/parley/policies"
)

func TestLatestSlot(t *testing.T) {
	sh := time.FixedZone("CST", 8*3600)
	daily := &policies.Report{Schedule: policies.Schedule{At: 7 * 60}}
	weekly := &policies.Report{Schedule: policies.Schedule{Weekly: true, Weekday: time.Monday, At: 8*60 + 30}}
	at := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, sh)
		if err != nil {
			panic(err)
		}
		return t
	}
	for _, tc := range []struct {
		r    *policies.Report
		now  string
		want report.Slot
	}{
		{daily, "2026-11-24 07:00", report.Slot{Due: at("2026-11-24 07:00"), Key: "2026-11-23", From: at("2026-11-23 00:00"), To: at("2026-11-24 00:00")}},
		{daily, "2026-11-24 06:59", report.Slot{Due: at("2026-11-23 07:00"), Key: "2026-11-22", From: at("2026-11-22 00:00"), To: at("2026-11-23 00:00")}},
		{weekly, "2026-11-23 09:00", report.Slot{Due: at("2026-11-23 08:30"), Key: "week-2026-11-16", From: at("2026-11-16 00:00"), To: at("2026-11-23 00:00")}},
		{weekly, "2026-11-23 08:00", report.Slot{Due: at("2026-11-16 08:30"), Key: "week-2026-11-09", From: at("2026-11-09 00:00"), To: at("2026-11-16 00:00")}},
		{weekly, "2026-11-28 12:00", report.Slot{Due: at("2026-11-23 08:30"), Key: "week-2026-11-16", From: at("2026-11-16 00:00"), To: at("2026-11-23 00:00")}},
	} {
		got := report.LatestSlot(tc.r, sh, at(tc.now))
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("LatestSlot(%s, %s) (-want +got):\n%s", tc.r.Schedule.Text, tc.now, diff)
		}
	}
}

// countingMailer records what it was asked to send; fail makes it refuse.
type countingMailer struct {
	mu   sync.Mutex
	sent []channels.Mail
	fail bool
}

func (m *countingMailer) SendMail(ctx context.Context, mail channels.Mail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return errors.New("smtp: connection refused")
	}
	m.sent = append(m.sent, mail)
	return nil
}

// Two instances on one database send each run once; a failed run is retried.
func TestSchedulerSendsOnce(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "parley.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sch, _ := policies.ParseSchedule("daily 07:00")
	bot := &policies.Bot{Name: "shop", Reports: []*policies.Report{{Name: "daily", Schedule: sch, Format: "csv", Recipients: []string{"lead@shop.example"}}}}
	now := time.Date(2026, 11, 24, 7, 1, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	mailer := &countingMailer{}
	a := &report.Scheduler{Store: st, Bot: func() *policies.Bot { return bot }, Mailer: mailer, Owner: "a", Clock: clock}
	b := &report.Scheduler{Store: st, Bot: func() *policies.Bot { return bot }, Mailer: mailer, Owner: "b", Clock: clock}
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() { a.Tick(ctx) })
		wg.Go(func() { b.Tick(ctx) })
	}
	wg.Wait()
	if len(mailer.sent) != 1 {
		t.Fatalf("sent %d mails, want 1", len(mailer.sent))
	}
	m := mailer.sent[0]
	if m.MessageID != "parley-report.shop.daily.2026-11-23" || len(m.Attachments) != 1 || m.Attachments[0].Name != "shop-daily-2026-11-23.csv" {
		t.Errorf("mail = %+v", m)
	}
	// A restarted instance finds the run sent.
	c := &report.Scheduler{Store: st, Bot: func() *policies.Bot { return bot }, Mailer: mailer, Owner: "c", Clock: clock}
	c.Tick(ctx)
	if len(mailer.sent) != 1 {
		t.Fatalf("after a restart: %d mails, want 1", len(mailer.sent))
	}
	// The next day's run fails, and is retried once the stale time has passed.
	now = now.Add(24 * time.Hour)
	mailer.fail = true
	a.Tick(ctx)
	run, err := st.ReportRun(ctx, "daily", "2026-11-24")
	if err != nil || run.Status != "failed" {
		t.Fatalf("run = %+v, %v; want failed", run, err)
	}
	mailer.fail = false
	now = now.Add(time.Minute)
	a.Tick(ctx)
	if len(mailer.sent) != 1 {
		t.Fatalf("retried before the stale time: %d mails", len(mailer.sent))
	}
	now = now.Add(15 * time.Minute)
	b.Tick(ctx)
	if len(mailer.sent) != 2 {
		t.Fatalf("after the stale time: %d mails, want 2", len(mailer.sent))
	}
}
