package desk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
)

// hookedStore runs the hook armed, once, as a turn commits, just before the
// store writes it: an error from it fails the commit instead. It counts the
// turns' reads of the whole log.
type hookedStore struct {
	store.Store
	mu       sync.Mutex
	hook     func(ctx context.Context, rec store.TurnRecord) error
	logReads int
}

func (s *hookedStore) arm(hook func(ctx context.Context, rec store.TurnRecord) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook = hook
}

func (s *hookedStore) reads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logReads
}

func (s *hookedStore) Begin(ctx context.Context, id string) (store.Tx, error) {
	tx, err := s.Store.Begin(ctx, id)
	if err != nil {
		return nil, err
	}
	return hookedTx{Tx: tx, s: s}, nil
}

type hookedTx struct {
	store.Tx
	s *hookedStore
}

func (t hookedTx) Log(ctx context.Context) ([]store.Event, error) {
	t.s.mu.Lock()
	t.s.logReads++
	t.s.mu.Unlock()
	return t.Tx.Log(ctx)
}

func (t hookedTx) Commit(ctx context.Context, rec store.TurnRecord) error {
	t.s.mu.Lock()
	hook := t.s.hook
	t.s.hook = nil
	t.s.mu.Unlock()
	if hook != nil {
		if err := hook(ctx, rec); err != nil {
			_ = t.Tx.Rollback(ctx)
			return err
		}
	}
	return t.Tx.Commit(ctx, rec)
}

// waitingEnv is a customer of the shop bot waiting in a queue, on a store
// with a hook at the commit; it returns the handoff's id.
func waitingEnv(t *testing.T, kind storeKind) (*env, *hookedStore, string) {
	t.Helper()
	en := newEnv(t, kind)
	hooked := &hookedStore{Store: en.st}
	en.use(hooked)
	en.e.SetQueueReporter(desk.NewQueueReporter(en.st, en.clock.Now))
	if res := en.say("c1", "I want to talk to a human"); !res.HandedOff {
		t.Fatalf("no handoff: %q", texts(res))
	}
	hs, err := en.st.Handoffs(context.Background(), store.HandoffFilter{ConversationID: "c1"})
	if err != nil || len(hs) != 1 {
		t.Fatalf("handoffs = %+v, %v", hs, err)
	}
	return en, hooked, hs[0].ID
}

func (en *env) handoff(id string) store.Handoff {
	en.t.Helper()
	h, err := en.d.Handoff(context.Background(), id)
	if err != nil {
		en.t.Fatal(err)
	}
	return h
}

func (en *env) lastSeq(conv string) int64 {
	en.t.Helper()
	c, err := en.st.Conversation(context.Background(), conv)
	if err != nil {
		en.t.Fatal(err)
	}
	return c.LastSeq
}

// tellsSummary fails the test unless the turn's record tells the summary
// of handoff id again.
func tellsSummary(t *testing.T, rec store.TurnRecord, id string) {
	t.Helper()
	if len(rec.SummaryChanges) != 1 || rec.SummaryChanges[0].HandoffID != id || !strings.HasPrefix(rec.SummaryChanges[0].Summary, "The customer sent") {
		t.Errorf("turn record's summary changes = %+v, want handoff %s's told again", rec.SummaryChanges, id)
	}
}

// The summary told again is written with the turn: a commit that fails
// writes neither the message nor the summary, and the message sent again
// counts once.
func TestWaitingSummaryCommitsWithTheTurn(t *testing.T) {
	for _, kind := range []storeKind{memKind, sqliteKind, postgresKind} {
		t.Run(kind.name, func(t *testing.T) {
			en, hooked, id := waitingEnv(t, kind)
			reads := hooked.reads()
			en.say("c1", "hello?")
			before, seq := en.handoff(id).Summary, en.lastSeq("c1")
			if !strings.HasPrefix(before, "The customer sent 2 messages") {
				t.Fatalf("summary %q", before)
			}
			hooked.arm(func(_ context.Context, rec store.TurnRecord) error {
				tellsSummary(t, rec, id)
				return errCrash
			})
			if _, err := en.e.Handle(context.Background(), engine.Message{ConversationID: "c1", Channel: "web", CustomerID: "cust-c1", Text: "anyone there?"}); !errors.Is(err, errCrash) {
				t.Fatalf("turn with a failing commit: %v", err)
			}
			if got := en.handoff(id).Summary; got != before || en.lastSeq("c1") != seq {
				t.Errorf("after the failed commit: summary %q, log at %d; want %q at %d", got, en.lastSeq("c1"), before, seq)
			}
			en.say("c1", "anyone there?")
			if got := en.handoff(id).Summary; !strings.HasPrefix(got, "The customer sent 3 messages") {
				t.Errorf("after the message sent again: summary %q", got)
			}
			// The state has the handoff's request: no message read the log.
			if n := hooked.reads() - reads; n != 0 {
				t.Errorf("the log was read %d times while waiting, want 0", n)
			}
		})
	}
}

// An agent who takes the handoff while the customer's turn runs keeps the
// summary they read, and the customer's message is still the turn's.
func TestWaitingSummaryKeptByAnAgentWhoTookIt(t *testing.T) {
	for _, kind := range []storeKind{memKind, sqliteKind, postgresKind} {
		t.Run(kind.name, func(t *testing.T) {
			en, hooked, id := waitingEnv(t, kind)
			var read string
			hooked.arm(func(ctx context.Context, rec store.TurnRecord) error {
				tellsSummary(t, rec, id)
				// The agent's claim, as the desk writes it, between the turn's
				// read of the queue and its commit.
				h, err := hooked.Store.UpdateHandoff(ctx, id, func(h *store.Handoff) (store.AuditEntry, error) {
					h.Agent, h.Status = "ann", desk.HandoffAssigned
					h.History = append(h.History, store.StatusChange{Status: desk.HandoffAssigned, Actor: "agent:ann"})
					return store.AuditEntry{}, nil
				})
				read = h.Summary
				return err
			})
			seq := en.lastSeq("c1")
			res, err := en.e.Handle(context.Background(), engine.Message{ConversationID: "c1", Channel: "web", CustomerID: "cust-c1", Text: "are you there?"})
			if err != nil {
				t.Fatalf("the customer's message: %v", err)
			}
			if res.Duplicate || res.LastSeq <= seq {
				t.Errorf("turn result %+v: want the message logged after %d", res, seq)
			}
			evs, err := en.st.Events(context.Background(), "c1", seq, 0)
			if err != nil || len(evs) == 0 || evs[0].Type != "message_received" || !bytes.Contains(evs[0].Data, []byte("are you there?")) {
				t.Errorf("events after the turn: %+v, %v; want the message first", evs, err)
			}
			h := en.handoff(id)
			if read == "" || h.Summary != read || h.Agent != "ann" || h.Status != desk.HandoffAssigned {
				t.Errorf("handoff after the turn: summary %q, agent %q, %s; want the summary the agent read (%q), with ann", h.Summary, h.Agent, h.Status, read)
			}
		})
	}
}

// A state stored before states kept the handoff's request (no
// handoff_summary in the snapshot) has the summary told again from the log,
// read once: the state the turn stores keeps the request, and the next
// message reads no log.
func TestWaitingSummaryOfAStateFromBefore(t *testing.T) {
	for _, kind := range []storeKind{memKind, sqliteKind, postgresKind} {
		t.Run(kind.name, func(t *testing.T) {
			en, hooked, id := waitingEnv(t, kind)
			ctx := context.Background()
			// The snapshot as a turn stored it before this change.
			tx, err := hooked.Store.Begin(ctx, "c1")
			if err != nil {
				t.Fatal(err)
			}
			conv := tx.Conversation()
			old, ok := withoutField(conv.Snapshot, "handoff_summary")
			if !ok {
				t.Fatalf("snapshot has no handoff_summary: %s", conv.Snapshot)
			}
			if err := tx.Commit(ctx, store.TurnRecord{ConversationID: "c1", CustomerID: conv.CustomerID, Channel: conv.Channel, Status: conv.Status,
				Snapshot: old, SnapshotSeq: conv.LastSeq}); err != nil {
				t.Fatal(err)
			}
			base := hooked.reads() // the handoff's turn read it for the transcript
			for i, want := range []struct {
				summary string
				reads   int // the log's reads since the handoff
			}{
				{"The customer sent 2 messages", 1},
				{"The customer sent 3 messages", 1},
			} {
				en.say("c1", "hello?")
				if got := en.handoff(id).Summary; !strings.HasPrefix(got, want.summary) || hooked.reads()-base != want.reads {
					t.Errorf("message %d: summary %q after %d log reads; want %q after %d", i+1, got, hooked.reads()-base, want.summary, want.reads)
				}
			}
		})
	}
}

// withoutField is a JSON object without its top-level field name.
func withoutField(raw []byte, name string) ([]byte, bool) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, false
	}
	if _, ok := m[name]; !ok {
		return nil, false
	}
	delete(m, name)
	out, err := json.Marshal(m)
	return out, err == nil
}
