package server

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// TestBrowserConsoleShowsUndelivered: a reply the outbox gave up on shows in
// the conversation with its reason, so the agent knows the customer did not
// get it; an admin's Retry sends it, an agent sees no button (the retry is an
// admin's).
func TestBrowserConsoleShowsUndelivered(t *testing.T) {
	chrome := findChromium(t)
	ctx := context.Background()
	st := memstore.New()
	e := newShopEngine(t, st, monday10)
	sms := &channels.Recorder{}
	srv := NewServer(e, ServerConfig{Token: "admin-token", RouteEvery: -1, SweepEvery: -1, Senders: map[string]channels.Sender{"sms": sms}})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { _ = srv.Close(context.Background()); ts.Close() })
	if _, err := e.Handle(ctx, engine.Message{ConversationID: "sms1", Channel: "sms", CustomerID: "zoe", Text: "I want to talk to a person"}); err != nil {
		t.Fatal(err)
	}
	m, _, err := st.EnqueueOutbox(ctx, store.OutboxMessage{ID: "out-1", ConversationID: "sms1", Channel: "sms", To: "+8613812345678",
		Replies: []store.OutboxReply{{Text: "Your refund is on its way."}}})
	if err != nil {
		t.Fatal(err)
	}
	m.Status, m.Attempts, m.LastError = store.OutboxFailed, 15, "twilio: 503 service unavailable"
	if _, err := st.FinishOutbox(ctx, m); err != nil {
		t.Fatal(err)
	}
	admin := createAgentWithRole(t, ts.URL, "admin-token", "ada", "admin")
	agent := createAgentWithRole(t, ts.URL, "admin-token", "bob", "agent")

	tab := startBrowser(t, chrome, 1280, 900)
	bob := tab("console-agent")
	bob.signIn(t, ts.URL, agent)
	bob.click(t, "#queues .item")
	bob.waitText(t, "#transcript .t.undelivered .reason", "not delivered: twilio: 503 service unavailable")
	bob.countText(t, "#transcript .t.undelivered button", "Retry", 0)

	ada := tab("console-admin")
	ada.signIn(t, ts.URL, admin)
	ada.click(t, "#queues .item")
	ada.waitText(t, "#transcript .t.undelivered .text", "Your refund is on its way.")
	ada.click(t, "#transcript .t.undelivered button.retry")
	waitOutbox(t, st, "out-1", store.OutboxSent)
	if sent := waitSent(t, sms, 1); sent[0].Text != "Your refund is on its way." {
		t.Errorf("sent %+v", sent)
	}
	// Sent: the console re-reads the conversation, and the warning goes.
	ada.waitJS(t, `document.querySelector("#transcript .t.undelivered") === null`)
}
