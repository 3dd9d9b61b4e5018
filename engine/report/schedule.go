package report

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/policies"
)

// Mailer sends a report by email (channels.EmailSender does, over SMTP).
type Mailer interface {
	SendMail(ctx context.Context, m channels.Mail) error
}

// Scheduler sends a bot's scheduled reports (report blocks). Every run is
// claimed in the store before it is sent and marked sent after, so several
// instances on one database send it once, and a restart does not send it
// again; a claim left by an instance that died mid-send is taken over after
// Stale, with the same Message-ID so the resend can be recognised.
type Scheduler struct {
	Store  store.Store
	Bot    func() *policies.Bot // the policies serving now (hot reloads change them)
	Mailer Mailer               // nil: nothing is sent (the reports are logged as waiting)
	Owner  string               // this instance, in the run records
	Clock  func() time.Time     // nil: time.Now
	Logger *slog.Logger
	Stale  time.Duration // 0: 10 minutes

	warned atomic.Bool // that reports cannot go out (once)
}

// Slot is one scheduled run of a report: when it is due, its key in the run
// records, and the period it covers.
type Slot struct {
	Due      time.Time
	Key      string
	From, To time.Time
}

// LatestSlot is the most recent run of r due at or before now, in loc: a daily
// report covers the day before it is due, a weekly one the seven days before.
func LatestSlot(r *policies.Report, loc *time.Location, now time.Time) Slot {
	l := now.In(loc)
	midnight := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	due := midnight.Add(time.Duration(r.Schedule.At) * time.Minute)
	if r.Schedule.Weekly {
		back := (int(l.Weekday()) - int(r.Schedule.Weekday) + 7) % 7
		due = due.AddDate(0, 0, -back)
		if due.After(now) {
			due = due.AddDate(0, 0, -7)
		}
		to := time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, loc)
		from := to.AddDate(0, 0, -7)
		return Slot{Due: due, Key: "week-" + from.Format("2006-01-02"), From: from, To: to}
	}
	if due.After(now) {
		due = due.AddDate(0, 0, -1)
	}
	to := time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, loc)
	from := to.AddDate(0, 0, -1)
	return Slot{Due: due, Key: from.Format("2006-01-02"), From: from, To: to}
}

// Run sends reports as they fall due, checking every interval, until ctx ends.
func (s *Scheduler) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		s.Tick(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick sends every report whose latest run is due and not yet sent.
func (s *Scheduler) Tick(ctx context.Context) {
	bot := s.Bot()
	if len(bot.Reports) == 0 {
		return
	}
	now := time.Now()
	if s.Clock != nil {
		now = s.Clock()
	}
	if s.Mailer == nil {
		if !s.warned.Swap(true) {
			s.log().Warn("scheduled reports are not sent: set PARLEY_SMTP_HOST and PARLEY_SMTP_FROM", "reports", len(bot.Reports))
		}
		return
	}
	stale := s.Stale
	if stale <= 0 {
		stale = 10 * time.Minute
	}
	for _, r := range bot.Reports {
		slot := LatestSlot(r, bot.Location(), now)
		if run, err := s.Store.ReportRun(ctx, r.Name, slot.Key); err == nil && run.Status == "sent" {
			continue // the common case, read without taking the write lock
		}
		ok, err := s.Store.ClaimReportRun(ctx, r.Name, slot.Key, s.Owner, now, stale)
		if err != nil {
			s.log().Error("scheduled report", "report", r.Name, "slot", slot.Key, "error", err)
			continue
		}
		if !ok {
			continue
		}
		errText := ""
		if err := s.send(ctx, bot, r, slot, now); err != nil {
			errText = err.Error()
			s.log().Error("scheduled report not sent; retried later", "report", r.Name, "slot", slot.Key, "error", err)
		} else {
			s.log().Info("scheduled report sent", "report", r.Name, "slot", slot.Key, "recipients", len(r.Recipients))
		}
		if err := s.Store.FinishReportRun(context.WithoutCancel(ctx), r.Name, slot.Key, s.Owner, errText, now); err != nil {
			s.log().Error("scheduled report", "report", r.Name, "slot", slot.Key, "error", err)
		}
	}
}

func (s *Scheduler) log() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

var contentTypes = map[string]string{
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"pdf":  "application/pdf",
	"html": "text/html; charset=utf-8",
	"csv":  "text/csv; charset=utf-8",
	"json": "application/json",
}

func (s *Scheduler) send(ctx context.Context, bot *policies.Bot, r *policies.Report, slot Slot, now time.Time) error {
	rep, err := Build(ctx, s.Store, bot, Options{From: slot.From, To: slot.To, By: r.By, Themes: true, Now: now})
	if err != nil {
		return err
	}
	var body, file bytes.Buffer
	if err := writeTable(&body, rep); err != nil {
		return err
	}
	if err := Write(ctx, &file, rep, r.Format); err != nil {
		return err
	}
	return s.Mailer.SendMail(ctx, channels.Mail{
		To:        r.Recipients,
		Subject:   fmt.Sprintf("%s report %q for %s", bot.Name, r.Name, slot.Key),
		Text:      body.String(),
		MessageID: fmt.Sprintf("parley-report.%s.%s.%s", bot.Name, r.Name, slot.Key),
		Attachments: []channels.Attachment{{
			Name: fmt.Sprintf("%s-%s-%s.%s", bot.Name, r.Name, slot.Key, r.Format), ContentType: contentTypes[r.Format], Data: file.Bytes(),
		}},
	})
}
