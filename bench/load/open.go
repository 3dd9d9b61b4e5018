package main

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// The open loop models customers who think between messages: each of N
// customers sends its next message an exponentially distributed think time
// after the previous one was *due*, so together they send at the target rate
// whatever the server does (Poisson arrivals), and a slow answer does not slow
// the arrivals down. A customer still waits for the answer before sending again
// (a chat is in order), so when the server falls behind, the wait counts:
// latency is measured from when the message was due, not from when it could
// be sent, which is what the customer sees (no coordinated omission).
//
// With -find-max the rate grows by half each step while p99 stays under -slo,
// then the gap between the last good and the first bad rate is halved
// -refine times: the highest rate that kept p99 under the SLO is reported.

// openStep is one rate held for -warmup and then measured for -duration.
type openStep struct {
	TargetRate float64 `json:"target_rate"`
	Rate       float64 `json:"rate"` // acknowledged messages due in the window, per second
	Messages   int     `json:"messages"`
	Latency    latency `json:"latency_ms"` // from when each message was due
	Service    latency `json:"service_ms"` // from when each message was sent
	Failed     int     `json:"failed"`     // given up or rejected
	// Stalls: messages that took over 500 ms and over 1 s (from when due).
	Over500ms int            `json:"over_500ms"`
	Over1s    int            `json:"over_1s"`
	Errors    map[string]int `json:"errors,omitempty"`
	MeetsSLO  bool           `json:"meets_slo"`
}

// openRecord is one message of the open loop.
type openRecord struct {
	due, sent, done time.Time
	outcome         outcome
	errors          map[string]int
}

// schedule is the think time customers draw from, changed between steps.
// Think times are exponential, so the customers' messages together arrive as
// a Poisson process from the start, and a customer waiting when the rate
// changes may draw its wait again: an exponential wait has no memory.
type schedule struct {
	mu      sync.Mutex
	mean    time.Duration
	changed chan struct{} // closed when mean changes
}

func (s *schedule) set(customers int, rate float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mean = time.Duration(float64(customers) / rate * float64(time.Second))
	if s.changed != nil {
		close(s.changed)
	}
	s.changed = make(chan struct{})
}

// think draws a think time, and returns the channel that says it is stale.
func (s *schedule) think(r *rand.Rand) (time.Duration, <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Duration(r.ExpFloat64() * float64(s.mean)), s.changed
}

// openLoad runs the customers until stop is closed and sends what they did
// to records. progress[i] is the due time (UnixNano) of customer i's next
// message: everything due before it is done.
type openLoad struct {
	cfg      config
	convs    []*conversation
	sched    schedule
	mu       sync.Mutex
	records  []openRecord
	progress []atomic.Int64
	tallies  []*tally
}

func runOpen(ctx context.Context, cfg config, convs []*conversation, rep *report) error {
	l := &openLoad{cfg: cfg, convs: convs, progress: make([]atomic.Int64, len(convs)), tallies: make([]*tally, len(convs))}
	rate := cfg.rate
	l.sched.set(len(convs), rate)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	start := time.Now()
	for i, c := range convs {
		l.tallies[i] = newTally()
		wg.Go(func() { l.customer(ctx, i, c, start, stop) })
	}

	var good, bad float64 // the best rate that met the SLO, the lowest that did not
	refined := 0
	for ctx.Err() == nil {
		step := l.measure(ctx, rate)
		rep.Steps = append(rep.Steps, step)
		fmt.Fprintf(logOut, "load: %6.0f messages/s due -> %6.0f acknowledged/s, p50 %.1f ms, p99 %.1f ms, failed %d%s\n",
			step.TargetRate, step.Rate, step.Latency.P50, step.Latency.P99, step.Failed, map[bool]string{true: "", false: "  (over the SLO)"}[step.MeetsSLO])
		if !cfg.findMax {
			break
		}
		if step.MeetsSLO {
			good = max(good, rate)
		} else if bad == 0 || rate < bad {
			bad = rate
		}
		switch {
		case bad == 0:
			rate *= 1.5
		case good == 0 && rate/2 < cfg.rate/16:
			rate = 0 // far below the first rate and still over: the machine is too busy to tell
		case good == 0:
			rate /= 2 // even the first rate was too much
		case refined < cfg.refine:
			refined++
			rate = (good + bad) / 2
		default:
			rate = 0
		}
		if rate == 0 || len(rep.Steps) >= maxSteps || rate < 1 {
			break
		}
		l.sched.set(len(convs), rate)
	}
	rep.MaxRateUnderSLO = good
	if !cfg.findMax && len(rep.Steps) == 1 && rep.Steps[0].MeetsSLO {
		rep.MaxRateUnderSLO = rep.Steps[0].TargetRate
	}
	close(stop)
	wg.Wait()
	elapsed := time.Since(start)

	// The whole run, warm-ups included, for the totals and the server's counters.
	all := newTally()
	for _, t := range l.tallies {
		all.merge(t)
	}
	for _, r := range l.records {
		if r.outcome == acked {
			all.latencies = append(all.latencies, r.done.Sub(r.due))
		}
	}
	all.report(rep, elapsed)
	return nil
}

// maxSteps bounds a -find-max search.
const maxSteps = 14

// measure holds rate for the warm-up, then measures a window of -duration and
// returns the figures of the messages due in it, once all of them are done.
func (l *openLoad) measure(ctx context.Context, rate float64) openStep {
	sleep(ctx, l.cfg.warmup)
	from := time.Now()
	sleep(ctx, l.cfg.duration)
	to := time.Now()
	// Wait for every customer to be past the window (at most one timeout and
	// its retries): a message due in it and still going would be missed.
	for ctx.Err() == nil {
		done := true
		for i := range l.progress {
			if l.progress[i].Load() < to.UnixNano() {
				done = false
				break
			}
		}
		if done {
			break
		}
		sleep(ctx, 20*time.Millisecond)
	}
	step := openStep{TargetRate: rate}
	var lat, svc []time.Duration
	errs := map[string]int{}
	l.mu.Lock()
	for _, r := range l.records {
		if r.due.Before(from) || !r.due.Before(to) {
			continue
		}
		for k, v := range r.errors {
			errs[k] += v
		}
		if r.outcome != acked {
			step.Failed++
			continue
		}
		d := r.done.Sub(r.due)
		lat = append(lat, d)
		svc = append(svc, r.done.Sub(r.sent))
		if d > 500*time.Millisecond {
			step.Over500ms++
		}
		if d > time.Second {
			step.Over1s++
		}
	}
	l.mu.Unlock()
	step.Messages = len(lat)
	step.Rate = float64(len(lat)) / to.Sub(from).Seconds()
	step.Latency, step.Service = percentiles(lat), percentiles(svc)
	if len(errs) > 0 {
		step.Errors = errs
	}
	step.MeetsSLO = step.Failed == 0 && len(lat) > 0 && step.Latency.P99 < ms(l.cfg.slo)
	return step
}

// customer sends conversation c's script, one message per think time, until stop.
func (l *openLoad) customer(ctx context.Context, i int, c *conversation, start time.Time, stop <-chan struct{}) {
	defer l.progress[i].Store(math.MaxInt64)
	r := rand.New(rand.NewPCG(uint64(i), uint64(start.UnixNano())))
	t := l.tallies[i]
	wait, changed := l.sched.think(r)
	due := start.Add(wait)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for n := 0; ; n++ {
		l.progress[i].Store(due.UnixNano())
		for waiting := true; waiting; {
			timer.Reset(time.Until(due))
			select {
			case <-timer.C:
				waiting = false
			case <-changed:
				// A new rate: the rest of the wait is drawn again at it.
				wait, changed = l.sched.think(r)
				due = time.Now().Add(wait)
				l.progress[i].Store(due.UnixNano())
			case <-stop:
				return
			case <-ctx.Done():
				return
			}
		}
		select {
		case <-stop:
			return
		default:
		}
		text := script[n%len(script)]
		t.call = nil
		sent := time.Now()
		o := sendMessage(ctx, l.cfg, c, text, t)
		rec := openRecord{due: due, sent: sent, done: time.Now(), outcome: o, errors: t.call}
		c.sent = append(c.sent, sentMessage{text: text, outcome: o})
		l.mu.Lock()
		l.records = append(l.records, rec)
		l.mu.Unlock()
		wait, changed = l.sched.think(r)
		due = due.Add(wait)
	}
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
}

// printSteps writes the open loop's steps as a table.
func printSteps(w func(format string, args ...any), steps []openStep, slo time.Duration, best float64) {
	w("%-10s %-10s %-9s %-9s %-9s %-9s %-9s %-9s %-9s %s\n", "due/s", "acked/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "svc p99", ">500ms", ">1s", "failed")
	sorted := slices.Clone(steps)
	slices.SortStableFunc(sorted, func(a, b openStep) int { return cmp.Compare(a.TargetRate, b.TargetRate) })
	for _, s := range sorted {
		mark := ""
		if !s.MeetsSLO {
			mark = "  over the SLO"
		}
		w("%-10.0f %-10.0f %-9.2f %-9.2f %-9.2f %-9.2f %-9.2f %-9d %-9d %d%s\n", s.TargetRate, s.Rate, s.Latency.P50, s.Latency.P90, s.Latency.P99, s.Latency.Max, s.Service.P99, s.Over500ms, s.Over1s, s.Failed, mark)
	}
	w("highest rate with p99 under %v: %.0f messages/s\n", slo, best)
}
