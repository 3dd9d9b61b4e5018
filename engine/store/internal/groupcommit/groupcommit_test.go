package groupcommit

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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
