package engine

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/examples/shop/backend"
	"github.com/parleyhq/parley/policies"

	_ "github.com/parleyhq/parley/connectors/fixture"
	_ "github.com/parleyhq/parley/connectors/httpconn"
)

var update = flag.Bool("update", false, "rewrite golden transcripts")

// loadShop loads examples/shop and starts a freshly seeded order system for it
// (examples/shop/backend), which its http connector reaches through SHOP_API_URL.
func loadShop(t testing.TB) *policies.Bot {
	t.Helper()
	startShopBackend(t)
	bot, diags := Load("../examples/shop", nil)
	if diags.HasErrors() {
		t.Fatalf("load shop: %s", diags.Error())
	}
	return bot
}

// startShopBackend serves the shop's order system for the rest of the test and
// points the bot's orders connector at it.
func startShopBackend(t testing.TB) *backend.Server {
	t.Helper()
	shop := backend.New(backend.Options{})
	srv := httptest.NewServer(shop)
	t.Cleanup(srv.Close)
	t.Setenv("SHOP_API_URL", srv.URL)
	return shop
}

// monday10 is inside the shop's business hours.
var monday10 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func newShopEngine(t testing.TB, st store.Store, now time.Time) *Engine {
	t.Helper()
	e, err := New(context.Background(), loadShop(t), Options{Store: st, Clock: stepClock(now, 5*time.Second), NewID: SequentialIDs()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// TestTranscripts plays scripted conversations and compares them with golden
// transcripts in testdata/transcripts (refresh with go test ./engine -update).
func TestTranscripts(t *testing.T) {
	scripts := []struct {
		name     string
		now      time.Time
		customer map[string]any
		lines    []string
	}{
		{"track_order_en", monday10, nil, []string{"hi", "where is my order?", "AB123456", "thanks, bye"}},
		{"refund_zh", monday10, nil, []string{"我要退款", "订单 AB123456", "不想要了", "是的"}},
		{"refund_digression_correction", monday10, map[string]any{"name": "Ann"}, []string{
			"I want a refund", "what's your return policy?", "CD654321", "actually it's order AB123456", "wrong item", "yes",
		}},
		{"invalid_order_then_handoff", monday10, nil, []string{"track my order", "my order is 12", "it's the blue one", "no idea"}},
		{"angry_vip_after_hours", time.Date(2026, 11, 22, 21, 0, 0, 0, time.FixedZone("CST", 8*3600)), map[string]any{"name": "Bo", "vip": true}, []string{
			"This is ridiculous! Worst service ever, I'm furious", "13812345678", "Call me about my broken laptop",
		}},
		{"large_refund_after_hours", time.Date(2026, 11, 22, 21, 0, 0, 0, time.FixedZone("CST", 8*3600)), nil, []string{
			"refund EF111111, it arrived broken", "the screen is cracked", "yes", "thanks",
		}},
		{"knowledge_answers", monday10, nil, []string{
			"How long does delivery take?", "I want a refund", "do you issue invoices?", "AB123456", "who won the football match?",
		}},
		{"cancel_and_address", monday10, nil, []string{"change my delivery address", "算了", "change the address of CD654321", "Room 5, 88 Nanjing Road, Shanghai 200001", "yes"}},
	}
	for _, sc := range scripts {
		t.Run(sc.name, func(t *testing.T) {
			e := newShopEngine(t, memstore.New(), sc.now)
			var b strings.Builder
			for i, line := range sc.lines {
				res, err := e.Handle(context.Background(), Message{ConversationID: sc.name, ClientMessageID: fmt.Sprint(i), Customer: sc.customer, Text: line})
				if err != nil {
					t.Fatalf("turn %d: %v", i+1, err)
				}
				fmt.Fprintf(&b, "> %s\n", line)
				fmt.Fprintf(&b, "  [intent=%s dialog=%s", orNone(res.Intent), orNone(res.Dialog))
				for _, k := range sortedKeys(res.Slots) {
					fmt.Fprintf(&b, " %s=%s", k, res.Slots[k])
				}
				b.WriteString("]\n")
				for _, c := range res.Calls {
					fmt.Fprintf(&b, "  call %s\n", c)
				}
				for _, tk := range res.Tickets {
					fmt.Fprintf(&b, "  ticket %s %s %q\n", tk.ID, tk.Queue, tk.Subject)
				}
				if h := res.Handoff; h != nil {
					fmt.Fprintf(&b, "  handoff %s queue=%s priority=%s reason=%s\n", h.ID, h.Queue, h.Priority, h.Reason)
				}
				for _, a := range res.Approvals {
					fmt.Fprintf(&b, "  approval %s queue=%s %q\n", a.ID, a.Queue, a.Reason)
				}
				for _, r := range res.Replies {
					fmt.Fprintf(&b, "< %s\n", r.Text)
				}
			}
			golden := filepath.Join("testdata", "transcripts", sc.name+".txt")
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./engine -update to create it)", err)
			}
			if d := cmp.Diff(string(want), b.String()); d != "" {
				t.Errorf("transcript differs from %s (-want +got):\n%s", golden, d)
			}
		})
	}
}

func TestIdempotentRedelivery(t *testing.T) {
	st := memstore.New()
	e := newShopEngine(t, st, monday10)
	ctx := context.Background()
	send := func(id, text string) *TurnResult {
		t.Helper()
		res, err := e.Handle(ctx, Message{ConversationID: "c1", ClientMessageID: id, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	send("1", "refund AB123456 please")
	send("2", "I changed my mind")
	first := send("3", "yes")
	again := send("3", "yes")
	if !again.Duplicate {
		t.Error("the redelivery is not marked as a duplicate")
	}
	again.Duplicate = false
	if d := cmp.Diff(first, again); d != "" {
		t.Errorf("a redelivered message must return the same result (-first +again):\n%s", d)
	}
	audit, err := st.Audit(ctx, store.AuditFilter{ConversationID: "c1", Action: "connector.call"})
	if err != nil {
		t.Fatal(err)
	}
	refunds := 0
	for _, a := range audit {
		if strings.Contains(string(a.Detail), `"refund"`) {
			refunds++
		}
	}
	if refunds != 1 {
		t.Errorf("refund called %d times, want exactly 1", refunds)
	}
}

func TestTurnsOnOneConversationSerialize(t *testing.T) {
	st := memstore.New()
	e := newShopEngine(t, st, monday10)
	ctx := context.Background()
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conv := "shared"
			if i%2 == 1 {
				conv = fmt.Sprintf("own-%d", i)
			}
			_, err := e.Handle(ctx, Message{ConversationID: conv, ClientMessageID: fmt.Sprint(i), Text: "where is my order AB123456"})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	events, err := st.Events(ctx, "shared", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Every turn's events follow the last: no gaps, no interleaving.
	for i, ev := range events {
		if ev.Seq != int64(i+1) {
			t.Fatalf("event %d has seq %d: the log has a gap or a duplicate", i, ev.Seq)
		}
	}
	received := 0
	for _, ev := range events {
		if ev.Type == "message_received" {
			received++
		}
	}
	if received != n/2 {
		t.Errorf("shared conversation has %d messages, want %d", received, n/2)
	}
}

func TestBadInput(t *testing.T) {
	e := newShopEngine(t, memstore.New(), monday10)
	ctx := context.Background()
	tests := []struct {
		name    string
		msg     Message
		wantErr error
	}{
		{"huge", Message{ConversationID: "c", Text: strings.Repeat("x", 10<<20)}, ErrMessageTooLarge},
		{"no conversation", Message{Text: "hi"}, ErrInvalidInput},
		{"invalid utf-8", Message{ConversationID: "c", Text: "\xff\xfe"}, ErrInvalidInput},
		{"NUL in the text", Message{ConversationID: "c", Text: "hi\x00"}, ErrInvalidInput},
		{"NUL in the client message id", Message{ConversationID: "c", ClientMessageID: "m\x00", Text: "hi"}, ErrInvalidInput},
		{"NUL in the conversation id", Message{ConversationID: "c\x00", Text: "hi"}, ErrInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Handle(ctx, tt.msg)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
	for _, text := range []string{"", "   ", "\n\t"} {
		res, err := e.Handle(ctx, Message{ConversationID: "blank", Text: text})
		if err != nil {
			t.Fatalf("blank message %q: %v", text, err)
		}
		if len(res.Replies) == 0 || res.Replies[0].Text == "" {
			t.Errorf("blank message %q got no reply", text)
		}
	}
}

func TestHandoffCarriesTranscriptSlotsAndSummary(t *testing.T) {
	st := memstore.New()
	e := newShopEngine(t, st, monday10)
	ctx := context.Background()
	for i, text := range []string{"I want a refund for AB123456", "talk to a human"} {
		if _, err := e.Handle(ctx, Message{ConversationID: "h1", ClientMessageID: fmt.Sprint(i), Customer: map[string]any{"name": "Ann"}, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	hs, err := st.Handoffs(ctx, store.HandoffFilter{ConversationID: "h1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 1 {
		t.Fatalf("%d handoffs, want 1", len(hs))
	}
	h := hs[0]
	var from []string
	for _, l := range h.Transcript {
		from = append(from, l.From+": "+l.Text)
	}
	if len(h.Transcript) < 3 || h.Transcript[0].Text != "I want a refund for AB123456" {
		t.Errorf("transcript = %q, want the whole conversation", from)
	}
	if h.Queue != "general" || h.Summary == "" {
		t.Errorf("handoff = %+v, want queue general with a summary", h)
	}
}

func TestAuditMasksPersonalData(t *testing.T) {
	detail := MaskValue(policies.DefaultMasker, map[string]any{
		"input":  map[string]any{"order_id": "CD654321", "address": "Room 5, 88 Nanjing Road, Shanghai 200001"},
		"result": map[string]any{"email": "ann@example.com", "note": "call Ann Lee on 13812345678", "status": "ok"},
	}).(map[string]any)
	in := detail["input"].(map[string]any)
	out := detail["result"].(map[string]any)
	for name, v := range map[string]any{"address": in["address"], "email": out["email"], "note": out["note"]} {
		s := v.(string)
		if strings.Contains(s, "Nanjing") || strings.Contains(s, "ann@") || strings.Contains(s, "Ann Lee") || strings.Contains(s, "12345678") {
			t.Errorf("%s not masked: %q", name, s)
		}
	}
	if in["order_id"] != "CD654321" || out["status"] != "ok" {
		t.Errorf("non-personal fields must stay readable: %v", detail)
	}
}

// Asking twice for a refund of one order sends the connector one business key,
// so a connector that honours keys (as the fixture does) refunds once.
func TestSameRefundTwiceHasOneKey(t *testing.T) {
	st := memstore.New()
	e := newShopEngine(t, st, monday10)
	ctx := context.Background()
	for i, text := range []string{"refund AB123456, wrong item", "yes", "refund AB123456, wrong item", "yes"} {
		if _, err := e.Handle(ctx, Message{ConversationID: "twice", ClientMessageID: fmt.Sprint(i), Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	audit, err := st.Audit(ctx, store.AuditFilter{ConversationID: "twice", Action: "connector.call"})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, a := range audit {
		if strings.Contains(string(a.Detail), `"operation":"refund"`) {
			var d struct {
				Key string `json:"idempotency_key"`
			}
			_ = json.Unmarshal(a.Detail, &d)
			keys = append(keys, d.Key)
		}
	}
	if len(keys) != 2 || keys[0] != "refund-AB123456" || keys[1] != keys[0] {
		t.Errorf("refund keys = %q, want the same business key twice", keys)
	}
}
