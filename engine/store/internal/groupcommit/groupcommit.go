// Package groupcommit lets turns on different conversations share one database
// commit, so that one fsync makes many turns durable, while each turn still
// waits for its own data to be durable before it returns.
//
// Turns queue what they write. A turn that finds fewer commits in progress than
// allowed leads: it takes everything queued, writes it in one transaction and
// tells each turn how it went, and goes on until its own turn is written; then
// it hands the lead to a turn still waiting, if any, and returns. There is no
// timer and no goroutine of its own: under light load a turn commits itself at
// once, and under heavy load the turns that arrive while one commit is in
// progress make the next batch, so the batch grows with the load and latency
// stays one commit or two. Per-conversation order is the caller's: a turn holds
// its conversation until its commit returns, so two turns of one conversation
// are never in the queue together.
package groupcommit

import (
	"errors"
	"sync"
)

// ErrClosed is returned for items submitted after Close.
var ErrClosed = errors.New("group commit closed")

// Commit writes a batch in one transaction and returns one error per item (nil:
// durable). An item's error must not fail the others: the committer isolates it
// (committing the rest again without it, say).
type Commit[T any] func(batch []T) []error

// Queue batches items for at most committers commits at a time.
type Queue[T any] struct {
	commit     Commit[T]
	committers int
	maxBatch   int

	mu      sync.Mutex
	idle    *sync.Cond // signalled when the last leader steps down
	pending []*item[T]
	leaders int
	closed  bool
	stats   Stats
}

// Stats says how well turns were grouped.
type Stats struct {
	Batches int64
	Items   int64
	Largest int
}

type item[T any] struct {
	v T
	// Under Queue.mu:
	err      error
	done     bool          // committed (or failed)
	promoted bool          // handed the lead
	wake     chan struct{} // buffered(1): done or promoted changed
}

// New makes a queue that runs at most committers commits at once, of up to
// maxBatch items each. One committer suits a database with one writer
// (SQLite); more let a server database overlap one batch's round trips with
// another's flush.
func New[T any](committers, maxBatch int, commit Commit[T]) *Queue[T] {
	q := &Queue[T]{commit: commit, committers: max(committers, 1), maxBatch: max(maxBatch, 1)}
	q.idle = sync.NewCond(&q.mu)
	return q
}

// Do queues v and waits until its batch is committed (or failed), committing
// it (and what else is queued) itself when no other commit is in progress. It
// does not give up when the caller's context ends: once queued, the write may
// become durable, and the caller must learn whether it did.
func (q *Queue[T]) Do(v T) error {
	it := &item[T]{v: v, wake: make(chan struct{}, 1)}
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return ErrClosed
	}
	q.pending = append(q.pending, it)
	lead := q.leaders < q.committers
	if lead {
		q.leaders++
	}
	q.mu.Unlock()
	for {
		if lead {
			q.lead(it)
		} else {
			<-it.wake
		}
		q.mu.Lock()
		done, err := it.done, it.err
		lead, it.promoted = it.promoted, false
		if done && lead {
			// Handed the lead, then committed by another leader meanwhile.
			q.stepDown()
		}
		q.mu.Unlock()
		if done {
			return err
		}
	}
}

// lead commits batches until me is committed, then passes the lead on.
func (q *Queue[T]) lead(me *item[T]) {
	for {
		q.mu.Lock()
		if me.done {
			q.stepDown()
			q.mu.Unlock()
			return
		}
		n := min(len(q.pending), q.maxBatch)
		if n == 0 {
			// Another leader took me: it will say how it went.
			q.leaders--
			if q.leaders == 0 {
				q.idle.Broadcast()
			}
			q.mu.Unlock()
			return
		}
		batch := q.pending[:n:n]
		q.pending = q.pending[n:]
		q.stats.Batches++
		q.stats.Items += int64(n)
		q.stats.Largest = max(q.stats.Largest, n)
		q.mu.Unlock()

		values := make([]T, n)
		for i, it := range batch {
			values[i] = it.v
		}
		errs := q.commit(values)

		q.mu.Lock()
		for i, it := range batch {
			if i < len(errs) {
				it.err = errs[i]
			}
			it.done = true
		}
		q.mu.Unlock()
		for _, it := range batch {
			if it != me {
				signal(it)
			}
		}
	}
}

// stepDown hands the lead to the oldest waiting item not handed one already,
// or gives it up. Under mu.
func (q *Queue[T]) stepDown() {
	for _, next := range q.pending {
		if !next.promoted {
			next.promoted = true
			signal(next)
			return
		}
	}
	q.leaders--
	if q.leaders == 0 {
		q.idle.Broadcast()
	}
}

func signal[T any](it *item[T]) {
	select {
	case it.wake <- struct{}{}:
	default: // a wake-up is already there; the item looks at its state when it wakes
	}
}

// Stats returns how many batches and items were committed so far.
func (q *Queue[T]) Stats() Stats {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.stats
}

// Close lets the commits in progress and what is queued finish, and makes
// later Do calls fail with ErrClosed.
func (q *Queue[T]) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	for q.leaders > 0 || len(q.pending) > 0 {
		q.idle.Wait()
	}
}
