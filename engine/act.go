package engine

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine/store"
)

// Act runs one locked turn for something other than a customer message: an
// agent's action, a survey answer. clientID, when set, makes it idempotent: a
// retry returns the first result, marked Duplicate.
func (e *Engine) Act(ctx context.Context, conversationID, clientID string, in dialog.Input) (*TurnResult, error) {
	return e.act(ctx, conversationID, clientID, in, nil)
}

// act runs one locked turn for something other than a customer message: an
// agent's action, a survey answer or a hand-back. clientID, when set, makes it
// idempotent. record, when not nil, adds to the turn's record after the dialog
// has run and before the commit, for writes the dialog knows nothing of.
func (e *Engine) act(ctx context.Context, conversationID, clientID string, in dialog.Input, record func(t *turn)) (*TurnResult, error) {
	tx, err := e.store.Begin(ctx, conversationID)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), turnTimeout)
	defer cancel()
	defer tx.Rollback(ctx)
	if res, done, err := processedResult(ctx, tx, clientID); err != nil || done {
		return res, err
	}
	conv := tx.Conversation()
	if conv.LastSeq == 0 {
		return nil, fmt.Errorf("conversation %q: %w", conversationID, store.ErrNotFound)
	}
	st, err := e.Restore(conv)
	if err != nil {
		return nil, err
	}
	now := e.clock().Round(0) // the time the log keeps: no monotonic reading
	t := &turn{e: e, tx: tx, conv: conv, now: now, msg: Message{ConversationID: conversationID, ClientMessageID: clientID, Channel: conv.Channel, CustomerID: conv.CustomerID}}
	t.result.ConversationID = conversationID
	in.Now = now
	var events []dialog.Event
	st, err = t.run(ctx, st, in, &events)
	if err != nil {
		return nil, err
	}
	if err := t.finish(ctx, st, events); err != nil {
		return nil, err
	}
	if record != nil {
		record(t)
	}
	if err := t.commit(ctx); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return &t.result, nil
}

// processedResult is the result of the turn already done for clientID, marked
// Duplicate, so that a redelivery does nothing again; done is false when no
// turn has had that id (or there is none).
func processedResult(ctx context.Context, tx store.Tx, clientID string) (res *TurnResult, done bool, err error) {
	if clientID == "" {
		return nil, false, nil
	}
	raw, ok, err := tx.Processed(ctx, clientID)
	if err != nil {
		return nil, false, fmt.Errorf("check redelivery: %w", err)
	}
	if !ok {
		return nil, false, nil
	}
	res = &TurnResult{}
	if err := json.Unmarshal(raw, res); err != nil {
		return nil, false, fmt.Errorf("decode stored result: %w", err)
	}
	res.Duplicate = true
	return res, true, nil
}
