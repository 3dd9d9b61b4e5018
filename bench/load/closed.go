package main

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"
)

// tally collects one worker's figures; merged at the end to keep the hot
// path free of shared locks.
type tally struct {
	latencies []time.Duration
	errors    map[string]int
	retries   int
	dupAnswer int
	gaveUp    int
	rejected  int
}

func newTally() *tally { return &tally{errors: map[string]int{}} }

func runLoad(ctx context.Context, cfg config, cl *clients, rep *report) error {
	convs := make([]*conversation, cfg.conversations)
	createErrs := map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i := range convs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := createConversation(ctx, cfg, cl.pick(i), newTally())
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
		return errors.New("no conversation could be created")
	}

	// Messages in flight at the deadline finish: cutting them off would leave
	// their outcome unknown and the check weaker.
	var ticks <-chan time.Time
	if cfg.rate > 0 {
		t := time.NewTicker(time.Duration(float64(time.Second) / cfg.rate))
		defer t.Stop()
		ticks = t.C
	}
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
	elapsed := time.Since(start)

	all := newTally()
	for _, t := range tallies {
		all.latencies = append(all.latencies, t.latencies...)
		for k, v := range t.errors {
			all.errors[k] += v
		}
		all.retries += t.retries
		all.dupAnswer += t.dupAnswer
		all.gaveUp += t.gaveUp
		all.rejected += t.rejected
	}
	rep.DurationSec = elapsed.Seconds()
	rep.Turns = len(all.latencies)
	rep.TurnsPerSec = float64(rep.Turns) / elapsed.Seconds()
	rep.Latency = percentiles(all.latencies)
	if len(all.errors) > 0 {
		rep.Errors = all.errors
	}
	rep.Retries, rep.DupAnswers, rep.GaveUp, rep.Rejected = all.retries, all.dupAnswer, all.gaveUp, all.rejected
	rep.Verify = verify(context.WithoutCancel(ctx), cfg, convs)
	return nil
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
	return latency{P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: ms(ds[len(ds)-1]), Mean: ms(sum / time.Duration(len(ds)))}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
