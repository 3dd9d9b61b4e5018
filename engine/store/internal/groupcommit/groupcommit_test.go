package groupcommit

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestBatchesAndOutcomes: items queued while a commit is in progress share the
// next one, and each caller gets its own item's outcome.
func TestBatchesAndOutcomes(t *testing.T) {
	release := make(chan struct{})
	var batches [][]int
	var mu sync.Mutex
	q := New(1, 100, func(batch []int) []error {
		if batch[0] == 0 {
			<-release // the first commit is slow: everything else queues behind it
		}
		mu.Lock()
		batches = append(batches, batch)
		mu.Unlock()
		errs := make([]error, len(batch))
		for i, v := range batch {
			if v%7 == 0 && v > 0 {
				errs[i] = fmt.Errorf("item %d failed", v)
			}
		}
		return errs
	})
	defer q.Close()
	var wg sync.WaitGroup
	errs := make([]error, 50)
	wg.Go(func() { errs[0] = q.Do(0) })
	for q.Stats().Batches == 0 {
		time.Sleep(time.Millisecond)
	}
	for i := 1; i < 50; i++ {
		wg.Go(func() { errs[i] = q.Do(i) })
	}
	for {
		q.mu.Lock()
		n := len(q.pending)
		q.mu.Unlock()
		if n == 49 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	for i, err := range errs {
		if want := i%7 == 0 && i > 0; (err != nil) != want {
			t.Errorf("item %d: err = %v, want failure %v", i, err, want)
		}
	}
	if len(batches) != 2 || len(batches[1]) != 49 {
		t.Errorf("batches of %d and then %v items, want 1 and then 49 together", len(batches[0]), len(batches)-1)
	}
	if s := q.Stats(); s.Batches != 2 || s.Items != 50 || s.Largest != 49 {
		t.Errorf("stats = %+v", s)
	}
}

func TestMaxBatchAndCommitters(t *testing.T) {
	var largest, inFlight, most atomic.Int64
	q := New(3, 4, func(batch []int) []error {
		n := inFlight.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		for {
			l := largest.Load()
			if int64(len(batch)) <= l || largest.CompareAndSwap(l, int64(len(batch))) {
				break
			}
		}
		time.Sleep(2 * time.Millisecond)
		inFlight.Add(-1)
		return nil
	})
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			if err := q.Do(i); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	q.Close()
	if largest.Load() > 4 {
		t.Errorf("a batch of %d, over the maximum of 4", largest.Load())
	}
	if most.Load() < 2 {
		t.Errorf("at most %d commits at once with 3 committers and a queue", most.Load())
	}
}

func TestClose(t *testing.T) {
	q := New(1, 10, func(batch []int) []error { return nil })
	q.Close()
	if err := q.Do(1); !errors.Is(err, ErrClosed) {
		t.Errorf("Do after Close = %v, want ErrClosed", err)
	}
	q.Close() // twice is fine
}

// TestStress: many callers, several committers, a few failures: every caller
// gets its own item's outcome, each item is committed once, and Close returns
// (no lead is lost).
func TestStress(t *testing.T) {
	for committers := 1; committers <= 3; committers++ {
		var mu sync.Mutex
		seen := map[int]int{}
		q := New(committers, 7, func(batch []int) []error {
			errs := make([]error, len(batch))
			mu.Lock()
			for i, v := range batch {
				seen[v]++
				if v%11 == 0 {
					errs[i] = fmt.Errorf("%d", v)
				}
			}
			mu.Unlock()
			if len(batch)%2 == 0 {
				time.Sleep(time.Microsecond)
			}
			return errs
		})
		var wg sync.WaitGroup
		for i := range 2000 {
			wg.Go(func() {
				err := q.Do(i)
				if (err != nil) != (i%11 == 0) || (err != nil && err.Error() != fmt.Sprint(i)) {
					t.Errorf("item %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		q.Close()
		for i := range 2000 {
			if seen[i] != 1 {
				t.Fatalf("%d committers: item %d committed %d times", committers, i, seen[i])
			}
		}
	}
}

// TestLinger: under a high arrival rate a leader with a small batch waits for
// the items about to arrive, and commits as soon as the batch reaches
// Linger.Min; under a low rate it commits at once.
func TestLinger(t *testing.T) {
	for _, tc := range []struct {
		name  string
		gap   time.Duration // the arrival rate the queue has seen
		want  [][]int
		extra bool // two more items follow the first
	}{
		{name: "high rate: waits for the batch", gap: 100 * time.Millisecond, extra: true, want: [][]int{{1, 2, 3}}},
		{name: "low rate: commits alone", gap: time.Hour, want: [][]int{{1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var batches [][]int
			q := NewLingering(1, 100, Linger{Max: 10 * time.Second, Min: 3}, func(batch []int) []error {
				mu.Lock()
				batches = append(batches, slices.Clone(batch))
				mu.Unlock()
				return make([]error, len(batch))
			})
			defer q.Close()
			q.mu.Lock()
			q.gap, q.lastArrival = tc.gap, time.Now()
			q.mu.Unlock()
			var wg sync.WaitGroup
			wg.Go(func() { _ = q.Do(1) })
			if tc.extra {
				for q.Stats().Batches == 0 && !lingering(q) {
					time.Sleep(time.Millisecond)
				}
				wg.Go(func() { _ = q.Do(2) })
				for !queued(q, 2) {
					time.Sleep(time.Millisecond)
				}
				wg.Go(func() { _ = q.Do(3) })
			}
			// A linger that missed its batch filling would last 10 s.
			done := make(chan struct{})
			go func() { wg.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("the leader was still waiting after its batch was full")
			}
			if diff := cmp.Diff(tc.want, batches); diff != "" {
				t.Errorf("batches (-want +got):\n%s", diff)
			}
		})
	}
}

func lingering(q *Queue[int]) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.leaders == 1 && len(q.pending) == 1
}

func queued(q *Queue[int], n int) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending) == n
}
