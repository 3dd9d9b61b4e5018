package desk

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// shop is the shop bot on a memory store, with a desk and some agents.
type shop struct {
	t     *testing.T
	e     *engine.Engine
	st    store.Store
	d     *Desk
	ctx   context.Context
	admin store.Agent
}

func newShop(t *testing.T) *shop {
	t.Helper()
	st := memstore.New()
	e := enginetest.NewShopEngine(t, st, enginetest.Monday10)
	return &shop{t: t, e: e, st: st, d: New(e), ctx: context.Background(), admin: store.Agent{ID: "root", Name: "Root", Role: RoleAdmin}}
}

// handedOff is the handoff of conversation c1 after the customer said
// messages, the last of which asks for a person.
func (s *shop) handedOff(messages ...string) string {
	s.t.Helper()
	for _, text := range messages {
		if _, err := s.e.Handle(s.ctx, engine.Message{ConversationID: "c1", Text: text, Channel: "api", CustomerID: "u1"}); err != nil {
			s.t.Fatal(err)
		}
	}
	hs, err := s.st.Handoffs(s.ctx, store.HandoffFilter{ConversationID: "c1"})
	if err != nil || len(hs) != 1 {
		s.t.Fatalf("handoffs %+v, %v; want one", hs, err)
	}
	return hs[0].ID
}

// agent creates an agent, online, with auto-assignment as given ("" follows the server).
func (s *shop) agent(id string, maxChats int, auto string, skills ...string) store.Agent {
	s.t.Helper()
	if _, err := s.d.CreateAgent(s.ctx, s.admin, NewAgent{ID: id, Name: strings.ToUpper(id[:1]) + id[1:], Skills: skills, MaxChats: maxChats, AutoAssign: auto}, store.HashAPIKey("key-"+id)); err != nil {
		s.t.Fatal(err)
	}
	a, err := s.st.SetAgentStatus(s.ctx, id, store.AgentOnline, time.Time{})
	if err != nil {
		s.t.Fatal(err)
	}
	return a
}

// handoff starts conversation id, asks for a person and returns the handoff.
func (s *shop) handoff(id string) store.Handoff {
	s.t.Helper()
	res, err := s.e.Handle(s.ctx, engine.Message{ConversationID: id, Text: "I want to talk to a human"})
	if err != nil || res.Handoff == nil {
		s.t.Fatalf("handoff of %s: %+v, %v", id, res, err)
	}
	h, err := s.d.Handoff(s.ctx, res.Handoff.ID)
	if err != nil {
		s.t.Fatal(err)
	}
	return h
}

func (s *shop) route() map[string]string {
	s.t.Helper()
	routed, err := s.d.Route(s.ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	out := map[string]string{}
	for _, h := range routed {
		out[h.ConversationID] = h.Agent
	}
	return out
}

func (s *shop) mine(agent string) int {
	hs, _ := s.st.Handoffs(s.ctx, store.HandoffFilter{Agent: agent, Status: HandoffAssigned})
	return len(hs)
}

// Bug: switching to Online pulled waiting conversations to the agent without
// asking, and a manual claim then took them past max_chats.
func TestOnlineDoesNotPullWithoutAutoAssign(t *testing.T) {
	s := newShop(t)
	ann := s.agent("ann", 2, "", "customer_service")
	for _, id := range []string{"c1", "c2", "c3"} {
		s.handoff(id)
	}
	if got := s.route(); len(got) != 0 {
		t.Errorf("routed %v to an agent whose auto-assignment is off (the shop's default)", got)
	}
	for _, id := range []string{"c1", "c2"} {
		hs, _ := s.st.Handoffs(s.ctx, store.HandoffFilter{ConversationID: id})
		if _, err := s.d.Claim(s.ctx, hs[0].ID, ann, "agent:ann"); err != nil {
			t.Fatal(err)
		}
	}
	hs, _ := s.st.Handoffs(s.ctx, store.HandoffFilter{ConversationID: "c3"})
	if _, err := s.d.Claim(s.ctx, hs[0].ID, ann, "agent:ann"); !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), "max_chats") {
		t.Errorf("a third claim with max_chats 2 = %v, want a conflict naming max_chats", err)
	}
	if n := s.mine("ann"); n != 2 {
		t.Errorf("ann has %d conversations, want 2", n)
	}
	// A double click on one she has is still fine.
	hs, _ = s.st.Handoffs(s.ctx, store.HandoffFilter{ConversationID: "c1"})
	if _, err := s.d.Claim(s.ctx, hs[0].ID, ann, "agent:ann"); err != nil {
		t.Errorf("re-claiming her own: %v", err)
	}
}

// With auto-assignment on (the agent's own setting), the router fills the
// agent up to max_chats and no further.
func TestAutoAssignRespectsMaxChats(t *testing.T) {
	s := newShop(t)
	s.agent("bo", 2, store.AutoAssignOn, "customer_service")
	for _, id := range []string{"c1", "c2", "c3"} {
		s.handoff(id)
	}
	if got := s.route(); len(got) != 2 {
		t.Errorf("routed %v, want 2 (bo's max_chats)", got)
	}
	if got := s.route(); len(got) != 0 || s.mine("bo") != 2 {
		t.Errorf("second pass routed %v; bo has %d", got, s.mine("bo"))
	}
	// Off for this agent: nothing more even when they have room.
	if _, err := s.d.EditAgent(s.ctx, s.admin, "bo", AgentChanges{AutoAssign: ptr(store.AutoAssignOff), MaxChats: ptr(5)}); err != nil {
		t.Fatal(err)
	}
	if got := s.route(); len(got) != 0 {
		t.Errorf("routed %v to an agent who turned auto-assignment off", got)
	}
}

// Bug: a transfer from supervisors to vip came straight back to the agent who
// transferred it, 4 s later.
func TestTransferNeverBouncesBack(t *testing.T) {
	s := newShop(t)
	ann := s.agent("ann", 0, store.AutoAssignOn, "refund_approval", "vip_care", "customer_service")
	h := s.handoff("c1")
	if _, err := s.d.Claim(s.ctx, h.ID, ann, "agent:ann"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.d.Transfer(s.ctx, h.ID, ann, "vip", "VIP customer"); err != nil {
		t.Fatal(err)
	}
	if got := s.route(); len(got) != 0 {
		t.Errorf("routed %v: back to the agent who transferred it", got)
	}
	s.agent("bo", 0, store.AutoAssignOn, "vip_care")
	if got := s.route(); got["c1"] != "bo" {
		t.Errorf("routed %v, want bo (who has vip_care)", got)
	}
}

// A customer waiting hears their place: priority first, then the longest wait;
// how many agents could take them; and a wait estimated from recent claims.
func TestQueueReporter(t *testing.T) {
	s := newShop(t)
	q := NewQueueReporter(s.st, s.e.Now)
	h1, h2 := s.handoff("c1"), s.handoff("c2")
	w, err := q.Waiting(s.ctx, "c2")
	if err != nil || w == nil {
		t.Fatalf("Waiting(c2) = %+v, %v", w, err)
	}
	if w.HandoffID != h2.ID || w.Status.Position != 2 || w.Status.Available != 0 || w.Status.Wait != 0 || w.Status.Queue != "general" {
		t.Errorf("c2 = %+v, want second, nobody available, no estimate", w)
	}
	ann := s.agent("ann", 10, "", "customer_service")
	// Three claims, 5 s of the engine's clock apart at least: one place takes that long.
	for _, id := range []string{"c3", "c4", "c5"} {
		h := s.handoff(id)
		if _, err := s.d.Claim(s.ctx, h.ID, ann, "agent:ann"); err != nil {
			t.Fatal(err)
		}
	}
	q = NewQueueReporter(s.st, s.e.Now) // no cached estimate
	w, _ = q.Waiting(s.ctx, "c2")
	if w.Status.Position != 2 || w.Status.Available != 1 || w.Status.Wait <= 0 {
		t.Errorf("after three claims: %+v, want position 2, one agent, an estimate", w.Status)
	}
	first, _ := q.Waiting(s.ctx, "c1")
	if first.HandoffID != h1.ID || first.Status.Wait*2 != w.Status.Wait {
		t.Errorf("first in line waits %v, second %v: want half", first.Status.Wait, w.Status.Wait)
	}
	if w, _ := q.Waiting(s.ctx, "c3"); w != nil {
		t.Errorf("a claimed conversation waits: %+v", w)
	}
}

// The web chat's "Leave the queue": the handoff is cancelled and the bot has
// the conversation again; a retry does it once; too late once claimed.
func TestLeaveQueue(t *testing.T) {
	s := newShop(t)
	h := s.handoff("c1")
	res, err := s.d.LeaveQueue(s.ctx, "c1")
	if err != nil || res.HandedOff || len(res.Replies) != 1 || !strings.Contains(res.Replies[0].Text, "left the queue") {
		t.Fatalf("LeaveQueue = %+v, %v", res, err)
	}
	if got, _ := s.d.Handoff(s.ctx, h.ID); got.Status != HandoffCancelled {
		t.Errorf("handoff is %s, want cancelled", got.Status)
	}
	if res, err := s.d.LeaveQueue(s.ctx, "c1"); err != nil || !res.Duplicate {
		t.Errorf("a double click = %+v, %v; want the first result again", res, err)
	}
	// Cancelled handoffs can't be claimed.
	ann := s.agent("ann", 0, "", "customer_service")
	if _, err := s.d.Claim(s.ctx, h.ID, ann, "agent:ann"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("claiming a cancelled handoff = %v, want conflict", err)
	}
	h2 := s.handoff("c2")
	if _, err := s.d.Claim(s.ctx, h2.ID, ann, "agent:ann"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.d.LeaveQueue(s.ctx, "c2"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("leaving after a claim = %v, want conflict", err)
	}
	audit, _ := s.st.Audit(s.ctx, store.AuditFilter{Action: "handoff.cancelled"})
	if len(audit) != 1 || audit[0].Actor != "customer" {
		t.Errorf("audit = %+v, want one handoff.cancelled by the customer", audit)
	}
}

func ptr[T any](v T) *T { return &v }

// Admins edit agents, disable them (their conversations go back to waiting)
// and rotate or revoke keys; each act is audited, without the key.
func TestAgentAdministration(t *testing.T) {
	s := newShop(t)
	ann := s.agent("ann", 0, "", "customer_service")
	if _, err := s.d.CreateAgent(s.ctx, s.admin, NewAgent{ID: "ann", Name: "Other Ann"}, ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("creating ann again = %v, want conflict", err)
	}
	for _, bad := range []NewAgent{{ID: "x y", Name: "X"}, {ID: "x", Name: ""}, {ID: "x", Name: "X", Role: "boss"}, {ID: "x", Name: "X", MaxChats: 99}, {ID: "x", Name: "X", AutoAssign: "maybe"}} {
		if _, err := s.d.CreateAgent(s.ctx, s.admin, bad, ""); !errors.Is(err, engine.ErrInvalidInput) {
			t.Errorf("CreateAgent(%+v) = %v, want invalid input", bad, err)
		}
	}
	edited, err := s.d.EditAgent(s.ctx, s.admin, "ann", AgentChanges{Role: ptr(RoleSupervisor), Skills: ptr([]string{"vip_care", "customer_service", "vip_care"}), Name: ptr("Ann B.")})
	if err != nil {
		t.Fatal(err)
	}
	if edited.Role != RoleSupervisor || !cmp.Equal(edited.Skills, []string{"customer_service", "vip_care"}) || edited.Name != "Ann B." {
		t.Errorf("edited = %+v", edited)
	}
	if _, err := s.d.EditAgent(s.ctx, s.admin, "nobody", AgentChanges{Name: ptr("N")}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("editing an unknown agent = %v, want not found", err)
	}

	h := s.handoff("c1")
	if _, err := s.d.Claim(s.ctx, h.ID, ann, "agent:ann"); err != nil {
		t.Fatal(err)
	}
	off, err := s.d.SetAgentDisabled(s.ctx, s.admin, "ann", true)
	if err != nil {
		t.Fatal(err)
	}
	if !off.Disabled || off.Status != store.AgentOffline {
		t.Errorf("disabled = %+v", off)
	}
	if got, _ := s.d.Handoff(s.ctx, h.ID); got.Status != HandoffWaiting || got.Agent != "" {
		t.Errorf("the disabled agent's conversation is %s with %q, want waiting", got.Status, got.Agent)
	}
	if _, err := s.d.Claim(s.ctx, h.ID, off, "agent:ann"); !errors.Is(err, engine.ErrForbidden) {
		t.Errorf("a disabled agent's claim = %v, want forbidden", err)
	}
	if _, err := s.d.SetAgentDisabled(s.ctx, s.admin, "root", true); !errors.Is(err, engine.ErrInvalidInput) {
		t.Errorf("disabling oneself = %v, want invalid input", err)
	}
	if _, err := s.d.SetAgentDisabled(s.ctx, s.admin, "ann", false); err != nil {
		t.Fatal(err)
	}

	if _, err := s.d.RotateKey(s.ctx, s.admin, "ann", store.HashAPIKey("new")); err != nil {
		t.Fatal(err)
	}
	if a, err := s.st.AgentByKeyHash(s.ctx, store.HashAPIKey("new")); err != nil || a.ID != "ann" {
		t.Errorf("new key = %+v, %v", a, err)
	}
	if _, err := s.st.AgentByKeyHash(s.ctx, store.HashAPIKey("key-ann")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("old key after rotation = %v", err)
	}
	if _, err := s.d.RotateKey(s.ctx, s.admin, "ann", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.AgentByKeyHash(s.ctx, store.HashAPIKey("new")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoked key = %v", err)
	}

	var actions []string
	all, _ := s.st.Audit(s.ctx, store.AuditFilter{})
	for _, a := range all {
		if strings.HasPrefix(a.Action, "agent.") {
			actions = append(actions, a.Actor+" "+a.Action)
			if strings.Contains(string(a.Detail), store.HashAPIKey("new")) || strings.Contains(string(a.Detail), "key-ann") {
				t.Errorf("audit %s holds a key: %s", a.Action, a.Detail)
			}
		}
	}
	want := []string{"admin:root agent.create", "admin:root agent.update", "admin:root agent.disable", "admin:root agent.enable", "admin:root agent.key.rotate", "admin:root agent.key.revoke"}
	if diff := cmp.Diff(want, actions); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}

// The customer view: one customer on two channels, their conversations,
// tickets and ratings.
func TestCustomerView(t *testing.T) {
	s := newShop(t)
	phone := store.Identity{Channel: "phone", ExternalID: "+8613800000002"}
	for _, m := range []engine.Message{
		{ConversationID: "wa", Channel: "webhook:whatsapp", CustomerID: "wa-2", Customer: map[string]any{"vip": true, "tier": "gold", "name": "Li"},
			Identities: []store.Identity{phone, {Channel: "webhook:whatsapp", ExternalID: "wa-2"}}, Text: "I want to talk to a human"},
		{ConversationID: "sms", Channel: "sms", CustomerID: phone.ExternalID, Identities: []store.Identity{phone, {Channel: "sms", ExternalID: phone.ExternalID}}, Text: "where is my order AB123456"},
	} {
		if _, err := s.e.Handle(s.ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	ann := s.agent("ann", 0, "", "vip_care")
	hs, _ := s.st.Handoffs(s.ctx, store.HandoffFilter{ConversationID: "wa"})
	if _, err := s.d.Claim(s.ctx, hs[0].ID, ann, "agent:ann"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.d.CloseHandoff(s.ctx, hs[0].ID, ann, "done"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.e.Handle(s.ctx, engine.Message{ConversationID: "wa", Text: "5 great"}); err != nil {
		t.Fatal(err)
	}
	v, err := s.d.Customer(s.ctx, hs[0].CustomerID)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Profile.VIP || v.Profile.Tier != "gold" || v.Profile.Name != "Li" {
		t.Errorf("profile = %+v", v.Profile)
	}
	var convs []string
	for _, c := range v.Conversations {
		convs = append(convs, c.ID+"@"+c.Channel)
	}
	if diff := cmp.Diff([]string{"sms@sms", "wa@webhook:whatsapp"}, convs); diff != "" {
		t.Errorf("conversations, newest first (-want +got):\n%s", diff)
	}
	wa := v.Conversations[1]
	if wa.Score != 5 || len(wa.Handoffs) != 1 || wa.Handoffs[0].Queue != "vip" || wa.Handoffs[0].Agent != "ann" {
		t.Errorf("whatsapp conversation = %+v", wa)
	}
	if len(v.Satisfaction) != 1 || v.AverageScore != 5 || len(v.Identities) != 3 {
		t.Errorf("ratings %+v (avg %v), identities %+v", v.Satisfaction, v.AverageScore, v.Identities)
	}
	if _, err := s.d.Customer(s.ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown customer = %v", err)
	}
	items, err := s.d.ConversationTranscript(s.ctx, "wa")
	if err != nil || len(items) == 0 {
		t.Errorf("transcript = %v, %v", items, err)
	}
}

// Knowledge suggestions come from the customer's latest messages; quick
// replies are filled in for the conversation, with gaps shown.
func TestSuggestionsAndQuickReplies(t *testing.T) {
	s := newShop(t)
	for _, text := range []string{"I want to talk to a human", "how long does delivery take?"} {
		if _, err := s.e.Handle(s.ctx, engine.Message{ConversationID: "c1", Text: text, Channel: "api", CustomerID: "u1", Customer: map[string]any{"name": "Ann Lee", "tier": "silver"}}); err != nil {
			t.Fatal(err)
		}
	}
	hs, _ := s.st.Handoffs(s.ctx, store.HandoffFilter{ConversationID: "c1"})
	query, sugg, err := s.d.Suggestions(s.ctx, hs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if query != "how long does delivery take?" || len(sugg) == 0 {
		t.Fatalf("query %q, suggestions %+v", query, sugg)
	}
	if !strings.Contains(strings.ToLower(sugg[0].Title+sugg[0].Text), "deliver") {
		t.Errorf("best suggestion = %+v, want one about delivery", sugg[0])
	}

	ann := store.Agent{ID: "ann", Name: "Ann"}
	all, err := s.d.QuickReplies(s.ctx, hs[0].ID, ann, "")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]QuickReply{}
	for _, q := range all {
		byName[q.Name] = q
	}
	if got := byName["greeting"].Text; got != "Hi Ann Lee, this is Ann from the shop. I'm looking at your conversation now." {
		t.Errorf("greeting = %q", got)
	}
	if got := byName["order_delayed"]; !strings.Contains(got.Text, "[slot.order_id]") || !cmp.Equal(got.Missing, []string{"slot.order_id"}) {
		t.Errorf("order_delayed = %+v, want the order id shown as missing", got)
	}
	found, _ := s.d.QuickReplies(s.ctx, hs[0].ID, ann, "VIP silver")
	if len(found) != 1 || found[0].Name != "vip_thanks" {
		t.Errorf("search \"VIP silver\" = %+v", found)
	}
}

// The knowledge base is searched for what the customer asked, not for their
// request for a person: "人工客服" alone brings up the support hours.
func TestSuggestionsLeaveOutTheRequestForAPerson(t *testing.T) {
	tests := []struct {
		name     string
		messages []string
		query    string
		best     string // in the best suggestion's title; "": not checked
	}{
		{"zh", []string{"我的包裹一直没有送到", "我要找人工客服"}, "我的包裹一直没有送到", ""},
		{"en", []string{"my parcel still hasn't arrived", "I want to talk to a human"}, "my parcel still hasn't arrived", "didn't receive"},
		// Nothing else to go on: the request is still searched.
		{"only the request", []string{"I want to talk to a human"}, "I want to talk to a human", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newShop(t)
			id := s.handedOff(tt.messages...)
			query, sugg, err := s.d.Suggestions(s.ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.query, query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
			if tt.best != "" && (len(sugg) == 0 || !strings.Contains(sugg[0].Title, tt.best)) {
				t.Errorf("suggestions %+v, want the best about %q", sugg, tt.best)
			}
		})
	}
}

// A customer who had the bot track an order and then asked for a person is
// still talking about that order: the quick replies name it, though the
// dialog that asked for it ended before the handoff.
func TestQuickRepliesKnowTheOrderTrackedBefore(t *testing.T) {
	tests := []struct {
		name     string
		messages []string
		want     string
	}{
		{"en", []string{"where is my order AB123456?", "I want to talk to a human"},
			"I'm sorry order AB123456 is late. I've asked the warehouse to hurry it and will update you by tomorrow."},
		{"zh", []string{"我的订单 AB123456 什么时候到？", "转人工"},
			"很抱歉订单 AB123456 延迟了。我已催促仓库尽快发货，明天前给您回复。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newShop(t)
			id := s.handedOff(tt.messages...)
			got, err := s.d.QuickReplies(s.ctx, id, store.Agent{ID: "ann", Name: "Ann"}, "order_delayed")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("quick replies %+v, want order_delayed", got)
			}
			if diff := cmp.Diff(QuickReply{Name: "order_delayed", Title: "Order delayed", Text: tt.want, Language: tt.name, Missing: []string{}}, got[0]); diff != "" {
				t.Errorf("order_delayed (-want +got):\n%s", diff)
			}
		})
	}
}
