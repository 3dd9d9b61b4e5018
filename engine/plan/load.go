package plan

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine/store"
)

// Query selects the recorded conversations to replay.
type Query struct {
	From, To time.Time // created in [From, To); zero: unbounded
	// Workers replay side by side; 0: two per CPU (loading waits on the store).
	Workers int
	Now     time.Time // when the plan is made; zero: time.Now
}

// Plan replays the conversations created in the query's period and reports
// what changes. It only reads the store.
func (p *Planner) Plan(ctx context.Context, st store.Store, q Query) (*Report, error) {
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	r := &Report{Bot: p.bot.Name, PolicyVersion: p.bot.Version, From: q.From, To: q.To, GeneratedAt: now, Mocks: p.useMocks}
	convs, err := conversations(ctx, st, q)
	if err != nil {
		return nil, err
	}
	recorded, err := recordedOutcomes(ctx, st, q, convs)
	if err != nil {
		return nil, err
	}
	workers := q.Workers
	if workers <= 0 {
		workers = 2 * runtime.GOMAXPROCS(0)
	}
	results := make([]*Conversation, len(convs))
	next := make(chan int)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(next)
		for i := range convs {
			select {
			case next <- i:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	for range workers {
		g.Go(func() error {
			for i := range next {
				c := convs[i]
				rec, err := load(gctx, st, c)
				if err != nil {
					return err
				}
				if rec == nil {
					continue // purged
				}
				rec.Outcomes = recorded[c.ID]
				results[i] = p.Replay(gctx, rec)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	a := newAggregate(r)
	for _, c := range results {
		if c == nil {
			r.Purged++
			continue
		}
		a.add(c)
	}
	a.finish()
	r.Notes = p.notes(a)
	return r, nil
}

// Replay runs one recorded conversation under the planner's policies and
// compares the two. It reads and writes nothing outside memory.
func (p *Planner) Replay(ctx context.Context, rec *Recorded) *Conversation {
	r := p.replayConversation(ctx, rec)
	c := r.compare()
	c.noProfile = rec.NoProfiles
	return c
}

// conversations lists the conversations of the period, oldest first.
func conversations(ctx context.Context, st store.Store, q Query) ([]store.Conversation, error) {
	var out []store.Conversation
	var after *store.Conversation
	for {
		page, err := st.Conversations(ctx, store.ConversationFilter{From: q.From, To: q.To, After: after, Limit: 1000})
		if err != nil {
			return nil, fmt.Errorf("list conversations: %w", err)
		}
		out = append(out, page...)
		if len(page) < 1000 {
			return out, nil
		}
		after = &out[len(out)-1]
	}
}

// recordedOutcomes reads the outcome rows of the conversations' contacts:
// they started no earlier than the conversations did.
func recordedOutcomes(ctx context.Context, st store.Store, q Query, convs []store.Conversation) (map[string]map[int64]string, error) {
	want := make(map[string]bool, len(convs))
	for _, c := range convs {
		want[c.ID] = true
	}
	out := map[string]map[int64]string{}
	var after *store.Outcome
	for {
		page, err := st.Outcomes(ctx, store.OutcomeFilter{From: q.From, After: after, Limit: 1000})
		if err != nil {
			return nil, fmt.Errorf("outcomes: %w", err)
		}
		for _, o := range page {
			if !want[o.ConversationID] {
				continue
			}
			if out[o.ConversationID] == nil {
				out[o.ConversationID] = map[int64]string{}
			}
			out[o.ConversationID][o.ContactSeq] = o.Outcome
		}
		if len(page) < 1000 {
			return out, nil
		}
		after = &page[len(page)-1]
	}
}

// load reads a conversation's whole log; nil when none is left (purged).
func load(ctx context.Context, st store.Store, c store.Conversation) (*Recorded, error) {
	stored, err := st.Events(ctx, c.ID, 0, 0)
	if err != nil {
		return nil, fmt.Errorf("events of %s: %w", c.ID, err)
	}
	if len(stored) == 0 {
		return nil, nil
	}
	rec := &Recorded{ID: c.ID, CreatedAt: c.CreatedAt, PolicyVersion: c.PolicyVersion, PolicyLabel: c.PolicyLabel, Channel: c.Channel, Events: make([]dialog.Event, len(stored))}
	for i, se := range stored {
		if err := json.Unmarshal(se.Data, &rec.Events[i]); err != nil {
			return nil, fmt.Errorf("decode event %d of %s: %w", se.Seq, c.ID, err)
		}
		if se.Type == dialog.EventMessageReceived && !rec.NoProfiles {
			rec.NoProfiles = !hasProfileKey(se.Data)
		}
	}
	return rec, nil
}

// hasProfileKey says whether a message_received event records the customer
// profile (null when none was sent), as logs written since Parley keeps it do.
func hasProfileKey(raw json.RawMessage) bool {
	var ev struct {
		Message *struct {
			Customer json.RawMessage `json:"customer"`
		} `json:"message"`
	}
	return json.Unmarshal(raw, &ev) == nil && ev.Message != nil && len(ev.Message.Customer) > 0
}
