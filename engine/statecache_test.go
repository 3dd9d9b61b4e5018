package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parleyhq/parley/dialog/outcome"

	"github.com/parleyhq/parley/engine/store/memstore"
)

// TestKeptStatesAreTheStoredOnes: an engine that keeps states between turns
// does, turn for turn, what one that decodes every snapshot does, and stores
// the same log, snapshot and contact.
func TestKeptStatesAreTheStoredOnes(t *testing.T) {
	bot := loadShop(t)
	scripts := map[string][]string{
		"refund":    {"hi", "I want a refund for AB123456", "what's your return policy?", "it's the wrong item", "yes", "thanks, bye"},
		"digress":   {"I want a refund", "what's your return policy?", "CD654321", "actually it's order AB123456", "wrong item", "yes"},
		"handoff":   {"track my order", "my order is 12", "it's the blue one", "no idea", "hello?"},
		"address":   {"change my delivery address", "算了", "change the address of CD654321", "Room 5, 88 Nanjing Road, Shanghai 200001", "yes"},
		"knowledge": {"How long does delivery take?", "I want a refund", "do you issue invoices?", "AB123456", "who won the football match?"},
	}
	newEngine := func(cache int) (*Engine, *memstore.Store) {
		st := memstore.New()
		e, err := New(context.Background(), bot, Options{Store: st, StateCache: cache, Clock: stepClock(monday10, 5*time.Second), NewID: SequentialIDs()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		return e, st
	}
	kept, keptStore := newEngine(0)
	decoded, decodedStore := newEngine(-1)
	for name, lines := range scripts {
		for i, line := range lines {
			m := Message{ConversationID: name, ClientMessageID: fmt.Sprint(i), Text: line}
			want, err := decoded.Handle(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			got, err := kept.Handle(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s, turn %d (-decoded +kept):\n%s", name, i+1, diff)
			}
		}
		want, err := decodedStore.Conversation(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := keptStore.Conversation(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want.Snapshot), string(got.Snapshot)); diff != "" {
			t.Errorf("%s: snapshots differ (-decoded +kept):\n%s", name, diff)
		}
		wantContact, err := decodeContact(want.Contact)
		if err != nil {
			t.Fatal(err)
		}
		gotContact, err := decodeContact(got.Contact)
		if err != nil {
			t.Fatal(err)
		}
		// Reply times are measured, so they differ from run to run.
		if diff := cmp.Diff(wantContact, gotContact, cmpopts.IgnoreFields(outcome.Contact{}, "ReplyMS", "ReplyBuckets")); diff != "" {
			t.Errorf("%s: contacts differ (-decoded +kept):\n%s", name, diff)
		}
		if _, ok := kept.states.state(got); !ok {
			t.Errorf("%s: the engine keeps no state after its last turn", name)
		}
		if _, ok := kept.states.contact(got, got.Contact); !ok {
			t.Errorf("%s: the engine keeps no contact after its last turn", name)
		}
		wantLog, err := decodedStore.Events(context.Background(), name, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		gotLog, err := keptStore.Events(context.Background(), name, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(wantLog) == 0 || len(wantLog) != len(gotLog) {
			t.Fatalf("%s: logs of %d and %d events", name, len(wantLog), len(gotLog))
		}
		for i := range wantLog {
			if string(wantLog[i].Data) != string(gotLog[i].Data) {
				t.Errorf("%s: event %d differs:\n%s\n%s", name, i, wantLog[i].Data, gotLog[i].Data)
			}
		}
	}
}

// TestKeptStateGivesWayToTheLog: a turn another instance committed in between
// makes the kept state stale, and the turn decodes the stored one.
func TestKeptStateGivesWayToTheLog(t *testing.T) {
	st := memstore.New()
	a := newShopEngine(t, st, monday10)
	b := newShopEngine(t, st, monday10.Add(time.Minute))
	ctx := context.Background()
	say := func(e *Engine, i int, text string) *TurnResult {
		t.Helper()
		res, err := e.Handle(ctx, Message{ConversationID: "c", ClientMessageID: fmt.Sprint(i), Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	say(a, 1, "I want a refund")
	if res := say(b, 2, "AB123456"); res.Slots["order_id"] != "AB123456" {
		t.Fatalf("slots after the second turn: %v", res.Slots)
	}
	// a kept the state before b's turn; it must see the order b's turn took.
	if res := say(a, 3, "it's the wrong item"); res.Slots["order_id"] != "AB123456" || res.Slots["reason"] != "wrong_item" {
		t.Errorf("slots after the third turn: %v", res.Slots)
	}
}
