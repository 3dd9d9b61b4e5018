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
	"time"
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

	linger Linger

	mu      sync.Mutex
	idle    *sync.Cond // signalled when the last leader steps down
	pending []*item[T]
	leaders int
	closed  bool
	stats   Stats

	// Under mu, for Linger:
	lastArrival time.Time
	gap         time.Duration // moving average of the time between items
	full        chan struct{} // buffered(1): a lingering leader's batch is big enough
}

// Linger makes a leader that finds a small batch under a high arrival rate
// wait for the items about to arrive, so that they share its commit. Without
// it, turns arriving one by one at 2,000 a second each pay a commit of their
// own: on SQLite one turn a commit cost twice the CPU of five (BENCHMARKS.md,
// "Tenth round"), and that CPU is what the queue behind it waits for. The
// wait is at most Max, and only when the recent rate says Min items will
// arrive within it; it ends as soon as they have.
type Linger struct {
	Max time.Duration // 0: never wait
	Min int           // a batch this big commits at once
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
	return NewLingering(committers, maxBatch, Linger{}, commit)
}

// NewLingering is New with a leader that lingers for a bigger batch (see
// Linger).
func NewLingering[T any](committers, maxBatch int, linger Linger, commit Commit[T]) *Queue[T] {
	q := &Queue[T]{commit: commit, committers: max(committers, 1), maxBatch: max(maxBatch, 1),
		linger: linger, full: make(chan struct{}, 1)}
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
	if q.linger.Max > 0 {
		q.arrived()
	}
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
		if wait := q.lingerFor(n); wait > 0 {
			select {
			case <-q.full: // from an earlier batch; arrivals after this signal again
			default:
			}
			q.mu.Unlock()
			q.wait(wait)
			q.mu.Lock()
			n = min(len(q.pending), q.maxBatch)
		}
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

// arrived updates the arrival rate, and ends a linger whose batch is full.
// Under mu.
func (q *Queue[T]) arrived() {
	now := time.Now()
	if !q.lastArrival.IsZero() {
		// An idle spell counts as one long gap, capped so that the first turns
		// of a burst are not judged by it for long.
		gap := min(now.Sub(q.lastArrival), 4*q.linger.Max)
		q.gap += (gap - q.gap) / 8
	}
	q.lastArrival = now
	if len(q.pending) >= q.linger.Min {
		select {
		case q.full <- struct{}{}:
		default:
		}
	}
}

// lingerFor is how long a leader with n items queued waits for more: the time
// the recent rate needs to bring the batch to Linger.Min, at most Linger.Max,
// and nothing when not even one more item is due within Linger.Max. Under mu.
func (q *Queue[T]) lingerFor(n int) time.Duration {
	if q.linger.Max <= 0 || n == 0 || n >= q.linger.Min || q.gap <= 0 || q.gap >= q.linger.Max {
		return 0
	}
	return min(time.Duration(q.linger.Min-n)*q.gap, q.linger.Max)
}

// wait sleeps for d or until an arrival fills the batch.
func (q *Queue[T]) wait(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-q.full:
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
