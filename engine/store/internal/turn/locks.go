package turn

import (
	"context"
	"sync"
)

// Locks is a set of per-key mutexes that a waiter can abandon when its context ends.
// Entries are freed when nobody holds or waits for them, so memory follows the number
// of conversations in flight, not the number ever seen.
type Locks struct {
	mu sync.Mutex
	m  map[string]*lockEntry
}

type lockEntry struct {
	ch   chan struct{} // buffered(1): full means held
	refs int           // holders + waiters
}

func (l *Locks) entry(key string) *lockEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[string]*lockEntry{}
	}
	e, ok := l.m[key]
	if !ok {
		e = &lockEntry{ch: make(chan struct{}, 1)}
		l.m[key] = e
	}
	e.refs++
	return e
}

func (l *Locks) release(key string, e *lockEntry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e.refs--
	if e.refs == 0 {
		delete(l.m, key)
	}
}

// Lock waits for key and returns the function that unlocks it (call it once).
func (l *Locks) Lock(ctx context.Context, key string) (unlock func(), err error) {
	e := l.entry(key)
	select {
	case e.ch <- struct{}{}:
		return l.unlocker(key, e), nil
	case <-ctx.Done():
		l.release(key, e)
		return nil, ctx.Err()
	}
}

// TryLock takes key if it is free.
func (l *Locks) TryLock(key string) (unlock func(), ok bool) {
	e := l.entry(key)
	select {
	case e.ch <- struct{}{}:
		return l.unlocker(key, e), true
	default:
		l.release(key, e)
		return nil, false
	}
}

func (l *Locks) unlocker(key string, e *lockEntry) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			<-e.ch
			l.release(key, e)
		})
	}
}
