// Package groupcommit lets turns on different conversations share one database
// commit, so that one fsync makes many turns durable, while each turn still
// waits for its own data to be durable before it returns.
//
// Turns queue what they write; a committer takes everything queued at once,
// writes it in one transaction and tells each turn how it went. There is no
// timer: under light load a batch holds one turn and commits at once, and under
// heavy load the turns that arrive while one commit is in progress make the next
// batch, so the batch grows with the load and latency stays one commit or two.
// Per-conversation order is the caller's: a turn holds its conversation until
// its commit returns, so two turns of one conversation are never in the queue
// together.
package groupcommit

import (
	"errors"
	"sync"
)

// ErrClosed is returned for items submitted after Close.
var ErrClosed = errors.New("group commit closed")

// Commit writes a batch in one transaction and returns one error per item (nil:
// durable). An item's error must not fail the others: the committer isolates it
// (a savepoint, or committing the rest again without it).
type Commit[T any] func(batch []T) []error

// Queue batches items for a fixed number of committers.
type Queue[T any] struct {
	commit   Commit[T]
	maxBatch int

	mu      sync.Mutex
	cond    *sync.Cond // signalled when something is queued, or on Close
	pending []*item[T]
	closed  bool
	stats   Stats
	done    sync.WaitGroup
}

// Stats says how well turns were grouped.
type Stats struct {
	Batches int64
	Items   int64
	Largest int
}

type item[T any] struct {
	v   T
	err chan error
}

// New starts committers goroutines that each commit up to maxBatch items at a
// time. One committer suits a database with one writer (SQLite); more let a
// server database overlap one batch's round trips with another's fsync.
func New[T any](committers, maxBatch int, commit Commit[T]) *Queue[T] {
	q := &Queue[T]{commit: commit, maxBatch: max(maxBatch, 1)}
	q.cond = sync.NewCond(&q.mu)
	for range max(committers, 1) {
		q.done.Go(q.run)
	}
	return q
}

// Do queues v and waits until its batch is committed (or failed). It does not
// give up when the caller's context ends: once queued, the write may become
// durable, and the caller must learn whether it did.
func (q *Queue[T]) Do(v T) error {
	it := &item[T]{v: v, err: make(chan error, 1)}
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return ErrClosed
	}
	q.pending = append(q.pending, it)
	q.cond.Signal()
	q.mu.Unlock()
	return <-it.err
}

func (q *Queue[T]) run() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for {
		for len(q.pending) == 0 && !q.closed {
			q.cond.Wait()
		}
		if len(q.pending) == 0 {
			return // closed, and everything queued is committed
		}
		n := min(len(q.pending), q.maxBatch)
		batch := q.pending[:n:n]
		q.pending = q.pending[n:]
		q.stats.Batches++
		q.stats.Items += int64(n)
		q.stats.Largest = max(q.stats.Largest, n)
		if len(q.pending) > 0 {
			q.cond.Signal() // another committer may take the rest meanwhile
		}
		q.mu.Unlock()
		values := make([]T, n)
		for i, it := range batch {
			values[i] = it.v
		}
		errs := q.commit(values)
		for i, it := range batch {
			var err error
			if i < len(errs) {
				err = errs[i]
			}
			it.err <- err
		}
		q.mu.Lock()
	}
}

// Stats returns how many batches and items were committed so far.
func (q *Queue[T]) Stats() Stats {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.stats
}

// Close commits what is queued, then stops the committers. Later Do calls
// fail with ErrClosed.
func (q *Queue[T]) Close() {
	q.mu.Lock()
	q.closed = true
	q.cond.Broadcast()
	q.mu.Unlock()
	q.done.Wait()
}
