package engine

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/examples/shop/backend"
)

// VIP status is kept on the customer: the VIP a trusted channel announced is
// still a VIP when they text from the same phone, and goes to the VIP queue.
// (It went to the general queue: the SMS carried no profile.)
func TestVIPKeptAcrossChannels(t *testing.T) {
	st := memstore.New()
	e := newShopEngine(t, st, monday10)
	ctx := context.Background()
	phone := store.Identity{Channel: "phone", ExternalID: "+8613800000077"}
	if _, err := e.Handle(ctx, Message{ConversationID: "wa-1", Channel: "webhook:whatsapp", CustomerID: "wa-user-1",
		Customer:   map[string]any{"vip": true, "tier": "gold", "name": "Li Wei", "phone": phone.ExternalID},
		Identities: []store.Identity{phone, {Channel: "webhook:whatsapp", ExternalID: "wa-user-1"}}, Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	res, err := e.Handle(ctx, Message{ConversationID: "sms-1", Channel: "sms", CustomerID: phone.ExternalID,
		Customer: map[string]any{"phone": phone.ExternalID}, Identities: []store.Identity{phone, {Channel: "sms", ExternalID: phone.ExternalID}},
		Text: "I want to talk to a human"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Handoff == nil || res.Handoff.Queue != "vip" {
		t.Fatalf("handoff = %+v, want the vip queue", res.Handoff)
	}
	hs, _ := st.Handoffs(ctx, store.HandoffFilter{ConversationID: "sms-1"})
	cust, err := st.Customer(ctx, hs[0].CustomerID)
	if err != nil {
		t.Fatal(err)
	}
	if p := cust.Profile; !p.VIP || p.Tier != "gold" || p.Name != "Li Wei" || p.Source != "webhook:whatsapp" {
		t.Errorf("profile = %+v", p)
	}

	// The company's system says they are no longer VIP: that is kept too.
	if _, err := e.Handle(ctx, Message{ConversationID: "api-1", Channel: "api", CustomerID: "crm-7", Customer: map[string]any{"vip": false},
		Identities: []store.Identity{phone}, Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	if cust, _ := st.Customer(ctx, cust.ID); cust.Profile.VIP || cust.Profile.Source != "api" || cust.Profile.Tier != "gold" {
		t.Errorf("after vip=false: %+v", cust.Profile)
	}
}

// queueStub is the desk's answer to "where does this customer stand".
type queueStub struct{ w *Waiting }

func (q queueStub) Waiting(ctx context.Context, id string) (*Waiting, error) { return q.w, nil }

// "cancel" while waiting cancels the handoff in the turn's commit; an agent's
// claim made as the customer typed wins, and the message then goes to them.
func TestLeaveQueueByMessage(t *testing.T) {
	for _, claimedFirst := range []bool{false, true} {
		st := memstore.New()
		e := newShopEngine(t, st, monday10)
		ctx := context.Background()
		if _, err := e.Handle(ctx, Message{ConversationID: "c1", Text: "I want to talk to a human"}); err != nil {
			t.Fatal(err)
		}
		hs, _ := st.Handoffs(ctx, store.HandoffFilter{ConversationID: "c1"})
		h := hs[0]
		e.SetQueueReporter(queueStub{&Waiting{HandoffID: h.ID, Status: dialog.QueueStatus{Queue: h.Queue, Position: 1, Available: 1}}})
		if claimedFirst {
			if _, err := st.UpdateHandoff(ctx, h.ID, func(h *store.Handoff) (store.AuditEntry, error) {
				h.Status, h.Agent = "assigned", "ann"
				return store.AuditEntry{}, nil
			}); err != nil {
				t.Fatal(err)
			}
			// The desk's stub still says "waiting" on the first try, as a
			// reporter read just before the claim would; then the truth.
			e.SetQueueReporter(&flipStub{first: &Waiting{HandoffID: h.ID, Status: dialog.QueueStatus{Queue: h.Queue, Position: 1}}})
		}
		res, err := e.Handle(ctx, Message{ConversationID: "c1", Text: "cancel", ClientMessageID: "m-cancel"})
		if err != nil {
			t.Fatalf("claimed first %v: %v", claimedFirst, err)
		}
		got, _ := st.Handoffs(ctx, store.HandoffFilter{ConversationID: "c1"})
		switch {
		case !claimedFirst && (got[0].Status != "cancelled" || res.HandedOff || len(res.Replies) != 1):
			t.Errorf("leaving: handoff %s, handed off %v, replies %v", got[0].Status, res.HandedOff, res.Replies)
		case claimedFirst && (got[0].Status != "assigned" || !res.HandedOff || len(res.Replies) != 0):
			t.Errorf("claimed first: handoff %s, handed off %v, replies %v", got[0].Status, res.HandedOff, res.Replies)
		}
		audit, _ := st.Audit(ctx, store.AuditFilter{Action: "handoff.cancelled"})
		if want := map[bool]int{false: 1, true: 0}[claimedFirst]; len(audit) != want {
			t.Errorf("claimed first %v: %d handoff.cancelled audit rows, want %d", claimedFirst, len(audit), want)
		}
	}
}

// flipStub reports its first answer once, then that nobody waits.
type flipStub struct{ first *Waiting }

func (f *flipStub) Waiting(ctx context.Context, id string) (*Waiting, error) {
	w := f.first
	f.first = nil
	return w, nil
}

// A reporter that fails costs only the news of the queue.
type failingStub struct{}

func (failingStub) Waiting(ctx context.Context, id string) (*Waiting, error) {
	return nil, errors.New("inbox down")
}

func TestQueueReporterFailure(t *testing.T) {
	e := newShopEngine(t, memstore.New(), monday10)
	e.SetQueueReporter(failingStub{})
	ctx := context.Background()
	if _, err := e.Handle(ctx, Message{ConversationID: "c1", Text: "I want to talk to a human"}); err != nil {
		t.Fatal(err)
	}
	res, err := e.Handle(ctx, Message{ConversationID: "c1", Text: "hello?"})
	if err != nil || !res.HandedOff {
		t.Errorf("with the inbox down: %+v, %v", res, err)
	}
}

// The shop's customer_lookup asks its CRM who a customer is: Ann, a VIP in the
// CRM, texts for the first time and goes to the VIP queue. The CRM is asked
// again only after the refresh, and a CRM that is down costs nothing else.
func TestCustomerLookupFromTheCRM(t *testing.T) {
	shop := startShopBackend(t)
	bot, diags := Load("../examples/shop", nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	st := memstore.New()
	now := monday10
	e, err := New(context.Background(), bot, Options{Store: st, Clock: func() time.Time { return now }, NewID: SequentialIDs()})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	sms := func(from, text string) *TurnResult {
		t.Helper()
		res, err := e.Handle(ctx, Message{ConversationID: "sms:" + from, Channel: "sms", CustomerID: from,
			Identities: []store.Identity{{Channel: "phone", ExternalID: from}, {Channel: "sms", ExternalID: from}}, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	lookups := func() int {
		n := 0
		audit, _ := st.Audit(ctx, store.AuditFilter{Action: "connector.call"})
		for _, a := range audit {
			if strings.Contains(string(a.Detail), `"customer_lookup"`) {
				n++
			}
		}
		return n
	}

	res := sms("+8613800000001", "I want to talk to a human")
	if res.Handoff == nil || res.Handoff.Queue != "vip" {
		t.Fatalf("Ann's first SMS: handoff %+v, want the vip queue", res.Handoff)
	}
	hs, _ := st.Handoffs(ctx, store.HandoffFilter{ConversationID: "sms:+8613800000001"})
	cust, _ := st.Customer(ctx, hs[0].CustomerID)
	if p := cust.Profile; p.Name != "Ann" || !p.VIP || p.Tier != "vip" || p.Source != "crm" || !p.CheckedAt.Equal(now) {
		t.Errorf("Ann's profile = %+v", p)
	}
	sms("+8613800000001", "hello?")
	if n := lookups(); n != 1 {
		t.Errorf("%d lookups after two messages, want 1", n)
	}

	// Someone the CRM does not know is asked about once, then not until the refresh.
	sms("+8613811112222", "hi")
	sms("+8613811112222", "hi again")
	if n := lookups(); n != 2 {
		t.Errorf("%d lookups, want 2 (one for the stranger)", n)
	}

	// A day later the CRM is down: the message is answered all the same, and
	// the next one asks again.
	now = now.Add(25 * time.Hour)
	shop.InjectFault(backend.Fault{Path: "/customers", Status: 503})
	if res := sms("+8613811112222", "where is my order AB123456"); len(res.Replies) == 0 {
		t.Errorf("with the CRM down the bot said nothing: %+v", res)
	}
	shop.ClearFaults()
	sms("+8613811112222", "thanks")
	audit, _ := st.Audit(ctx, store.AuditFilter{Action: "connector.call"})
	var outcomes []string
	for _, a := range audit {
		if strings.Contains(string(a.Detail), `"customer_lookup"`) {
			var d struct {
				Outcome string `json:"outcome"`
			}
			_ = json.Unmarshal(a.Detail, &d)
			outcomes = append(outcomes, d.Outcome)
		}
	}
	if diff := cmp.Diff([]string{"ok", "not_found", "unavailable", "not_found"}, outcomes); diff != "" {
		t.Errorf("lookup outcomes (-want +got):\n%s", diff)
	}
	// The audit never shows the phone number it asked by.
	for _, a := range audit {
		if strings.Contains(string(a.Detail), "13811112222") {
			t.Errorf("audit holds the phone number: %s", a.Detail)
		}
	}
}
