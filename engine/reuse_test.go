package engine

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// TestClientMessageIDReusedWithDifferentText: a client message id that comes
// back with another text is refused (ErrIDReused), not answered with the first
// message's result as though it were a redelivery; the same text still is one.
func TestClientMessageIDReusedWithDifferentText(t *testing.T) {
	st := memstore.New()
	e := newShopEngine(t, st, monday10)
	ctx := context.Background()
	first, err := e.Handle(ctx, Message{ConversationID: "c1", ClientMessageID: "m1", Text: "where is my order AB123456?"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.Handle(ctx, Message{ConversationID: "c1", ClientMessageID: "m1", Text: "where is my order AB123456?"})
	if err != nil || !again.Duplicate || again.Replies[0].Text != first.Replies[0].Text {
		t.Fatalf("redelivery = %+v, %v; want the first result marked duplicate", again, err)
	}
	_, err = e.Handle(ctx, Message{ConversationID: "c1", ClientMessageID: "m1", Text: "I want a refund"})
	if !errors.Is(err, ErrIDReused) || !strings.Contains(err.Error(), `client message id "m1" was used before for a different message`) {
		t.Fatalf("reuse with another text = %v, want ErrIDReused naming m1", err)
	}
	// A channel that rewrote the text ("2" into a button's payload) is
	// compared by what the client sent.
	if _, err := e.Handle(ctx, Message{ConversationID: "c2", ClientMessageID: "s1", Text: "/track_order", RequestText: "2"}); err != nil {
		t.Fatal(err)
	}
	if res, err := e.Handle(ctx, Message{ConversationID: "c2", ClientMessageID: "s1", Text: "2", RequestText: "2"}); err != nil || !res.Duplicate {
		t.Fatalf("a retried rewritten message = %+v, %v; want a duplicate", res, err)
	}
	// An agent's reply keyed by the console's id: the same id with other text
	// is refused too.
	reply := func(text string) error {
		_, err := e.Act(ctx, "c1", "agent-reply:r1", dialog.Input{Agent: &dialog.AgentAction{Kind: dialog.AgentNote, Agent: "ann", Name: "Ann", Text: text}})
		return err
	}
	if err := reply("checking the order"); err != nil {
		t.Fatal(err)
	}
	if err := reply("checking the order"); err != nil {
		t.Fatalf("a retried note: %v", err)
	}
	if err := reply("something else"); !errors.Is(err, ErrIDReused) {
		t.Fatalf("a note id reused with other text = %v, want ErrIDReused", err)
	}
}

// TestProcessedResultsBeforeFingerprints: results stored before fingerprints
// were kept (no request_sha256) still make a redelivery a duplicate.
func TestProcessedResultsBeforeFingerprints(t *testing.T) {
	st := memstore.New()
	ctx := context.Background()
	tx, err := st.Begin(ctx, "old")
	if err != nil {
		t.Fatal(err)
	}
	old, _ := json.Marshal(TurnResult{ConversationID: "old", Replies: []Reply{{Text: "from before"}}})
	if err := tx.Commit(ctx, store.TurnRecord{ConversationID: "old", ClientMessageID: "m1", Status: "active", Result: old,
		Events: []store.Event{{Seq: 1, Type: "message_received", At: monday10, Data: json.RawMessage(`{}`)}}}); err != nil {
		t.Fatal(err)
	}
	e := newShopEngine(t, st, monday10)
	res, err := e.Handle(ctx, Message{ConversationID: "old", ClientMessageID: "m1", Text: "anything"})
	if err != nil || !res.Duplicate || res.Replies[0].Text != "from before" {
		t.Fatalf("Handle = %+v, %v", res, err)
	}
}
