package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/parleyhq/parley/engine/store"
)

// Live updates across instances: every group commit NOTIFYs the schema's
// channel with the conversations it changed (in the same transaction, so the
// notification goes out exactly when the data is visible), and Changes
// LISTENs on a connection of its own.

var _ store.ChangeFeed = (*Store)(nil)

// Changes calls fn for every change another instance commits, until ctx ends
// or the store closes. Once it listens, and again whenever the listening
// connection broke and is made again, it reports a Resync: notifications may
// have been missed meanwhile.
func (s *Store) Changes(ctx context.Context, fn func(store.Change)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(s.lifetime, cancel)
	defer stop()
	for attempt := 0; ctx.Err() == nil; attempt++ {
		conn, err := s.listen(ctx)
		if err != nil {
			select {
			case <-time.After(time.Duration(min(1<<min(attempt, 6), 30)) * 100 * time.Millisecond):
			case <-ctx.Done():
			}
			continue
		}
		attempt = 0
		// What changed before the LISTEN (at the start, or while reconnecting)
		// is unknown.
		fn(store.Change{Resync: true})
		err = s.relay(ctx, conn, fn)
		conn.Close(context.Background()) //nolint:errcheck // going away anyway
		if ctx.Err() == nil {
			_ = err // reconnect; the Resync above tells the listener
		}
	}
	if s.closed.Load() {
		return store.ErrClosed
	}
	return ctx.Err()
}

func (s *Store) listen(ctx context.Context) (*pgx.Conn, error) {
	cfg := s.pool.Config().ConnConfig.Copy()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{s.channel}.Sanitize()); err != nil {
		conn.Close(ctx) //nolint:errcheck
		return nil, fmt.Errorf("listen: %w", err)
	}
	return conn, nil
}

// relay passes notifications on until the connection fails or ctx ends.
func (s *Store) relay(ctx context.Context, conn *pgx.Conn, fn func(store.Change)) error {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var msg notification
		if json.Unmarshal([]byte(n.Payload), &msg) != nil || msg.Origin == s.holder {
			continue // this instance's own, already announced
		}
		for _, c := range msg.Changes {
			fn(c)
		}
	}
}
