// Package openloop drives benchmarks the way customers arrive: each of many
// conversations sends its next message an exponential think time after the
// previous one was due, so together they arrive at a fixed rate whatever the
// system under test does, and latency counts from when a message was due
// (as `bench/load -open` does over HTTP).
package openloop

import (
	"math/rand/v2"
	"sync"
	"time"
)

// Run sends perConversation messages from each of conversations at rate
// messages a second in all, calling send(c, i) for message i of
// conversation c, and returns every message's latency from when it was due.
// seed varies the arrival times between benchmarks. A send error stops that
// conversation; the first one is returned.
func Run(conversations, perConversation int, rate float64, seed uint64, send func(c, i int) error) ([]time.Duration, error) {
	mean := float64(conversations) / rate * float64(time.Second)
	var (
		mu    sync.Mutex
		lat   = make([]time.Duration, 0, conversations*perConversation)
		first error
		wg    sync.WaitGroup
	)
	start := time.Now()
	for c := range conversations {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(c), seed))
			due := start.Add(time.Duration(r.ExpFloat64() * mean))
			mine := make([]time.Duration, 0, perConversation)
			var err error
			for i := range perConversation {
				time.Sleep(time.Until(due))
				if err = send(c, i); err != nil {
					break
				}
				mine = append(mine, time.Since(due))
				due = due.Add(time.Duration(r.ExpFloat64() * mean))
			}
			mu.Lock()
			lat = append(lat, mine...)
			if first == nil {
				first = err
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	return lat, first
}
