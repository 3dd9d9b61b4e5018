package main

import (
	"context"
	"errors"
	"slices"
	"sort"
	"sync"
	"time"
)

// tally collects one worker's figures; merged at the end to keep the hot
// path free of shared locks.
type tally struct {
	latencies []time.Duration
	errors    map[string]int
	call      map[string]int // the errors since the open loop last took them
	retries   int
	dupAnswer int
	gaveUp    int
	rejected  int
}

func newTally() *tally { return &tally{errors: map[string]int{}} }

// runLoad starts the conversations, runs the closed or the open loop, and
// checks every transcript.
func runLoad(ctx context.Context, cfg config, cl *clients, rep *report) error {
	convs, err := createConversations(ctx, cfg, cl, rep)
	if err != nil {
		return err
	}
	cpu, self := sumCPU(rep.Server.PIDs, rep.Server.PID), selfCPU()
	if cfg.open {
		err = runOpen(ctx, cfg, convs, rep)
	} else {
		runClosed(ctx, cfg, convs, rep)
	}
	if err != nil {
		return err
	}
	// The servers' CPU during the load alone, before the verification reads.
	if cpu = sumCPU(rep.Server.PIDs, rep.Server.PID) - cpu; cpu > 0 && rep.Turns > 0 {
		rep.Server.CPUSeconds = cpu
		rep.Server.CPUPerTurnUS = cpu / float64(rep.Turns) * 1e6
	}
	if self = selfCPU() - self; rep.Turns > 0 {
		rep.LoaderCPUPerMsgUS = self.Seconds() / float64(rep.Turns) * 1e6
	}
	rep.Verify = verify(context.WithoutCancel(ctx), cfg, convs)
	return nil
}

func createConversations(ctx context.Context, cfg config, cl *clients, rep *report) ([]*conversation, error) {
	convs := make([]*conversation, cfg.conversations)
	createErrs := map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i := range convs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			hc, d := cl.pick(i)
			c, err := createConversation(ctx, cfg, hc, d, newTally())
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				createErrs[errorKind(err)]++
				return
			}
			convs[i] = c
		})
	}
	wg.Wait()
	convs = slices.DeleteFunc(convs, func(c *conversation) bool { return c == nil })
	rep.Created = len(convs)
	if len(createErrs) > 0 {
		rep.CreateErrors = createErrs
	}
	if len(convs) == 0 {
		return nil, errors.New("no conversation could be created")
	}
	return convs, nil
}

// runClosed has every conversation send its next message as soon as the last
// one is answered (after -think), for -duration.
func runClosed(ctx context.Context, cfg config, convs []*conversation, rep *report) {
	// Messages in flight at the deadline finish: cutting them off would leave
	// their outcome unknown and the check weaker.
	var ticks <-chan time.Time
	if cfg.rate > 0 {
		t := time.NewTicker(time.Duration(float64(time.Second) / cfg.rate))
		defer t.Stop()
		ticks = t.C
	}
	var wg sync.WaitGroup
	tallies := make([]*tally, len(convs))
	start := time.Now()
	deadline := start.Add(cfg.duration)
	for i, c := range convs {
		tallies[i] = newTally()
		wg.Go(func() {
			t := tallies[i]
			for n := 0; time.Now().Before(deadline) && ctx.Err() == nil; n++ {
				if ticks != nil {
					select {
					case <-ticks:
					case <-ctx.Done():
						return
					}
				}
				text := script[n%len(script)]
				began := time.Now()
				o := sendMessage(ctx, cfg, c, text, t)
				c.sent = append(c.sent, sentMessage{text: text, outcome: o})
				if o == acked {
					t.latencies = append(t.latencies, time.Since(began))
				}
				if cfg.think > 0 {
					time.Sleep(cfg.think)
				}
			}
		})
	}
	wg.Wait()
	all := newTally()
	for _, t := range tallies {
		all.merge(t)
	}
	all.report(rep, time.Since(start))
}

func (t *tally) merge(o *tally) {
	t.latencies = append(t.latencies, o.latencies...)
	for k, v := range o.errors {
		t.errors[k] += v
	}
	t.retries += o.retries
	t.dupAnswer += o.dupAnswer
	t.gaveUp += o.gaveUp
	t.rejected += o.rejected
}

// report fills in the run's totals.
func (t *tally) report(rep *report, elapsed time.Duration) {
	rep.DurationSec = elapsed.Seconds()
	rep.Turns = len(t.latencies)
	rep.TurnsPerSec = float64(rep.Turns) / elapsed.Seconds()
	rep.Latency = percentiles(t.latencies)
	if len(t.errors) > 0 {
		rep.Errors = t.errors
	}
	rep.Retries, rep.DupAnswers, rep.GaveUp, rep.Rejected = t.retries, t.dupAnswer, t.gaveUp, t.rejected
}

func percentiles(ds []time.Duration) latency {
	if len(ds) == 0 {
		return latency{}
	}
	slices.Sort(ds)
	at := func(q float64) float64 {
		i := int(q*float64(len(ds))+0.5) - 1
		return ms(ds[min(max(i, 0), len(ds)-1)])
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	l := latency{P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: ms(ds[len(ds)-1]), Mean: ms(sum / time.Duration(len(ds)))}
	for _, b := range overBounds {
		over := len(ds) - sort.Search(len(ds), func(i int) bool { return ds[i] > b })
		l.Over = append(l.Over, 100*float64(over)/float64(len(ds)))
	}
	return l
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
