package desk_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
)

func ptr[T any](v T) *T { return &v }

// Tickets without a chat are classified by the bot's NLU and triage blocks.
func TestClassify(t *testing.T) {
	en := newEnv(t, memKind)
	for _, tc := range []struct {
		text              string
		queue, prio, rule string
	}{
		{"My headphones arrived broken, order AB123456", "refund_review", "high", "damaged_with_order"},
		{"订单AB123456的耳机坏了", "refund_review", "high", "damaged_with_order"},
		{"The screen is cracked", "general", "normal", ""}, // damaged, but no order number
		{"I want a refund for my order", "refund_review", "normal", "refunds"},
		{"This is unacceptable, I will file a complaint", "priority", "urgent", "angry"},
		{"Do you sell gift cards?", "general", "normal", ""},
	} {
		c := en.e.ClassifyTicket(engine.IncomingTicket{Text: tc.text, Channel: "email"})
		if got := [3]string{c.Queue, c.Priority, c.Rule}; got != [3]string{tc.queue, tc.prio, tc.rule} {
			t.Errorf("Classify(%q) = %v (intent %q %.2f), want %v", tc.text, got, c.Intent, c.Confidence, [3]string{tc.queue, tc.prio, tc.rule})
		}
	}
}

func TestCreateTicket(t *testing.T) {
	en := newEnv(t, memKind)
	ctx := context.Background()
	nt := desk.NewTicket{
		Subject: "Broken headphones", Description: "Order AB123456 arrived damaged, the left earbud is cracked.",
		Channel: "email", Identities: []store.Identity{{Channel: "email", ExternalID: "ann@example.com"}},
		SourceKey: "<m1@example.com>", Actor: "channel:email",
	}
	tk, c, created, notice, err := en.d.CreateTicket(ctx, nt)
	if err != nil {
		t.Fatal(err)
	}
	if !created || tk.Queue != "refund_review" || tk.Priority != "high" || c.Rule != "damaged_with_order" || tk.Channel != "email" ||
		tk.ConversationID != "" || tk.CustomerID == "" || tk.Language != "en" || tk.Status != desk.TicketOpen {
		t.Errorf("ticket = %+v, classification %+v", tk, c)
	}
	if want := tk.CreatedAt.Add(8 * time.Hour); !tk.DueAt.Equal(want) {
		t.Errorf("due %v, want %v (refund_review high: 8h)", tk.DueAt, want)
	}
	if len(notice.Replies) != 1 || !strings.Contains(notice.Replies[0].Text, "ticket "+tk.ID) || notice.To != (store.Identity{Channel: "email", ExternalID: "ann@example.com"}) {
		t.Errorf("notice = %+v", notice)
	}
	// The same email again: the same ticket; the same notice, marked
	// Duplicate, which the outbox records only if a crash lost it.
	first := notice
	again, _, created, notice, err := en.d.CreateTicket(ctx, nt)
	if err != nil || created || again.ID != tk.ID || !notice.Duplicate || notice.Key != first.Key || len(notice.Replies) != 1 {
		t.Errorf("redelivery: %s created=%v notice=%+v %v", again.ID, created, notice, err)
	}
	// A given queue skips triage; bad input names the field.
	tk2, _, _, _, err := en.d.CreateTicket(ctx, desk.NewTicket{Subject: "Invoice", Channel: "api", Queue: "callbacks", Priority: "low",
		Identities: []store.Identity{{Channel: "phone", ExternalID: "+8613800000001"}}, Actor: "agent:ann"})
	if err != nil || tk2.Queue != "callbacks" || tk2.Priority != "low" || !tk2.DueAt.IsZero() {
		t.Errorf("given queue: %+v, %v (callbacks has no low SLA)", tk2, err)
	}
	for _, bad := range []desk.NewTicket{
		{Channel: "api", Identities: nt.Identities},
		{Subject: "x", Channel: "api"},
		{Subject: "x", Channel: "api", Identities: nt.Identities, Queue: "nope"},
		{Subject: "x", Channel: "api", Identities: nt.Identities, Priority: "asap"},
	} {
		if _, _, _, _, err := en.d.CreateTicket(ctx, bad); !errors.Is(err, engine.ErrInvalidInput) {
			t.Errorf("CreateTicket(%+v) = %v, want ErrInvalidInput", bad, err)
		}
	}
	if rows, _ := en.st.Audit(ctx, store.AuditFilter{Action: "ticket.create"}); len(rows) != 2 {
		t.Errorf("%d ticket.create audit rows, want 2", len(rows))
	}
}

// The status workflow, with a history of who changed what, and the customer
// told in the conversation that opened the ticket.
func TestTicketWorkflow(t *testing.T) {
	en := newEnv(t, memKind)
	ctx := context.Background()
	en.say("c1", "refund GH500000, it's the wrong item")
	res := en.say("c1", "yes")
	if len(res.Tickets) != 1 {
		t.Fatalf("no ticket: %+v", res)
	}
	tk, err := en.d.Ticket(ctx, res.Tickets[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Channel != "web" || tk.Language != "en" || tk.Queue != "refund_review" || !tk.DueAt.Equal(tk.CreatedAt.Add(48*time.Hour)) {
		t.Errorf("ticket from the chat = %+v", tk)
	}
	ann := en.agent("ann")
	steps := []struct {
		name    string
		change  desk.TicketChange
		status  string
		told    string
		wantErr error
		errSays string
	}{
		{"take it", desk.TicketChange{Assignee: ptr("ann")}, "open", "", nil, ""},
		{"wait for the customer", desk.TicketChange{Status: ptr("pending"), Note: "asked for photos"}, "pending", "We need a little more", nil, ""},
		{"the same again", desk.TicketChange{Status: ptr("pending")}, "pending", "", nil, ""},
		{"the same again with its note", desk.TicketChange{Status: ptr("pending"), Note: "asked for photos"}, "pending", "", nil, ""},
		{"solve", desk.TicketChange{Status: ptr("solved"), Key: "k1"}, "solved", "is solved", nil, ""},
		{"solve, retried", desk.TicketChange{Status: ptr("solved"), Key: "k1"}, "solved", "", nil, ""},
		{"its key for another change", desk.TicketChange{Status: ptr("open"), Key: "k1"}, "solved", "", store.ErrConflict, "client_id"},
		{"reopen", desk.TicketChange{Status: ptr("open")}, "open", "open again", nil, ""},
		{"close", desk.TicketChange{Status: ptr("closed")}, "closed", "", nil, ""},
		{"closed is final", desk.TicketChange{Status: ptr("open")}, "closed", "", store.ErrConflict, "closed, which is final; open a new ticket"},
		{"an unknown status", desk.TicketChange{Status: ptr("done")}, "closed", "", engine.ErrInvalidInput, ""},
		{"nothing", desk.TicketChange{}, "closed", "", engine.ErrInvalidInput, ""},
	}
	for _, s := range steps {
		before, _ := en.st.Events(ctx, "c1", 0, 0)
		got, notice, err := en.d.UpdateTicket(ctx, tk.ID, ann, s.change)
		if !errors.Is(err, s.wantErr) {
			t.Fatalf("%s: %v, want %v", s.name, err, s.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), s.errSays) {
			t.Errorf("%s: %q, want it to say %q", s.name, err, s.errSays)
		}
		if err == nil && got.Status != s.status {
			t.Errorf("%s: status %s, want %s", s.name, got.Status, s.status)
		}
		told := strings.Join(texts(&engine.TurnResult{Replies: notice.Replies}), " ")
		if s.told == "" && (told != "" && !notice.Duplicate) || s.told != "" && !strings.Contains(told, s.told) {
			t.Errorf("%s: told %q, want %q", s.name, told, s.told)
		}
		after, _ := en.st.Events(ctx, "c1", 0, 0)
		if s.told != "" && countType(after, "ticket_updated") != countType(before, "ticket_updated")+1 {
			t.Errorf("%s: no ticket_updated in the conversation", s.name)
		}
	}
	tk, _ = en.d.Ticket(ctx, tk.ID)
	var fields []string
	for _, h := range tk.History {
		fields = append(fields, h.Field+":"+h.From+">"+h.To)
	}
	want := []string{"status:>open", "assignee:>ann", "status:open>pending", "status:pending>solved", "status:solved>open", "status:open>closed"}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if tk.History[2].Note != "asked for photos" || tk.History[2].Actor != "agent:ann" {
		t.Errorf("the pending change = %+v, want ann's note", tk.History[2])
	}
	if rows, _ := en.st.Audit(ctx, store.AuditFilter{ConversationID: "c1", Action: "ticket.update"}); len(rows) != 5 {
		t.Errorf("%d ticket.update audit rows, want 5", len(rows))
	}
}

func TestTicketPermissions(t *testing.T) {
	en := newEnv(t, memKind)
	ctx := context.Background()
	tk, _, _, _, err := en.d.CreateTicket(ctx, desk.NewTicket{Subject: "I want a refund", Channel: "api",
		Identities: []store.Identity{{Channel: "email", ExternalID: "cy@example.com"}}, Actor: "agent:tom"})
	if err != nil || tk.Queue != "refund_review" {
		t.Fatalf("ticket %+v, %v", tk, err)
	}
	if _, err := en.st.PutAgent(ctx, store.Agent{ID: "gone", Name: "Gone", Role: desk.RoleAgent, Skills: []string{"refunds"}, Disabled: true}); err != nil {
		t.Fatal(err)
	}
	as, err := en.d.Assignees(ctx, tk)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if a.ID == "gone" {
			t.Errorf("a disabled agent is offered as the ticket's assignee")
		}
	}
	for _, tc := range []struct {
		agent  string
		change desk.TicketChange
		want   error
	}{
		{"bo", desk.TicketChange{Note: "hi"}, engine.ErrForbidden},                  // not his queue
		{"ann", desk.TicketChange{Assignee: ptr("bo")}, engine.ErrForbidden},        // agents don't assign others
		{"ann", desk.TicketChange{Assignee: ptr("nobody")}, engine.ErrInvalidInput}, // no such agent
		{"tom", desk.TicketChange{Assignee: ptr("gone")}, engine.ErrInvalidInput},   // disabled: nobody would work it
		{"ann", desk.TicketChange{Reply: "hi", Note: "and a note"}, engine.ErrInvalidInput},
		{"ann", desk.TicketChange{Assignee: ptr("ann")}, nil}, // she takes it
		{"tom", desk.TicketChange{Note: "supervisors change any ticket"}, nil},
		{"bo", desk.TicketChange{Status: ptr("solved")}, engine.ErrForbidden}, // ann has it
		{"tom", desk.TicketChange{Assignee: ptr("bo"), Queue: ptr("callbacks")}, nil},
		{"bo", desk.TicketChange{Status: ptr("solved")}, nil},
	} {
		if _, _, err := en.d.UpdateTicket(ctx, tk.ID, en.agent(tc.agent), tc.change); !errors.Is(err, tc.want) {
			t.Errorf("%s %+v: %v, want %v", tc.agent, tc.change, err, tc.want)
		}
	}
}

// Due times come from the queue's SLA; a breach is flagged once, and a move to
// a queue or priority with more time lifts it.
func TestSLA(t *testing.T) {
	en := newEnv(t, memKind)
	ctx := context.Background()
	tk, _, _, _, err := en.d.CreateTicket(ctx, desk.NewTicket{Subject: "Do you sell gift cards?", Channel: "form",
		Identities: []store.Identity{{Channel: "email", ExternalID: "bo@example.com"}}, Actor: "channel:form"})
	if err != nil {
		t.Fatal(err)
	}
	if !tk.DueAt.Equal(tk.CreatedAt.Add(24 * time.Hour)) {
		t.Fatalf("due %v, want creation + 24h (general, normal)", tk.DueAt)
	}
	tom := en.agent("tom")
	tk, _, err = en.d.UpdateTicket(ctx, tk.ID, tom, desk.TicketChange{Priority: ptr("urgent")})
	if err != nil || !tk.DueAt.Equal(tk.CreatedAt.Add(4*time.Hour)) {
		t.Fatalf("urgent: due %v, %v; want creation + 4h", tk.DueAt, err)
	}
	en.clock.Advance(5 * time.Hour)
	flagged, err := en.d.FlagBreaches(ctx)
	if err != nil || len(flagged) != 1 || flagged[0].ID != tk.ID || flagged[0].BreachedAt.IsZero() {
		t.Fatalf("FlagBreaches = %+v, %v", flagged, err)
	}
	if again, _ := en.d.FlagBreaches(ctx); len(again) != 0 {
		t.Errorf("flagged twice: %+v", again)
	}
	if rows, _ := en.st.Audit(ctx, store.AuditFilter{Action: "ticket.sla_breach"}); len(rows) != 1 {
		t.Errorf("%d sla_breach audit rows, want 1", len(rows))
	}
	tk, _, err = en.d.UpdateTicket(ctx, tk.ID, tom, desk.TicketChange{Priority: ptr("low")})
	if err != nil || !tk.BreachedAt.IsZero() || !tk.DueAt.Equal(tk.CreatedAt.Add(72*time.Hour)) {
		t.Errorf("low: due %v breached %v, %v; want 72h and the breach lifted", tk.DueAt, tk.BreachedAt, err)
	}
	// Solved tickets are never breached.
	if _, _, err := en.d.UpdateTicket(ctx, tk.ID, tom, desk.TicketChange{Status: ptr("solved")}); err != nil {
		t.Fatal(err)
	}
	en.clock.Advance(100 * time.Hour)
	if flagged, _ := en.d.FlagBreaches(ctx); len(flagged) != 0 {
		t.Errorf("a solved ticket was flagged: %+v", flagged)
	}
	// Reopened, it gets a new due time from now.
	tk, _, err = en.d.UpdateTicket(ctx, tk.ID, tom, desk.TicketChange{Status: ptr("open")})
	if err != nil || !tk.DueAt.Equal(en.clock.Now().Add(72*time.Hour)) {
		t.Errorf("reopened: due %v, %v; want now + 72h", tk.DueAt, err)
	}
}

// A note sent several times at once with one key (a double submit, a
// client's retries racing) is one note in every store; the same key for
// other text is refused, another agent's same key is theirs.
func TestTicketNoteRetriesAtOnce(t *testing.T) {
	for _, kind := range []storeKind{memKind, sqliteKind, postgresKind} {
		t.Run(kind.name, func(t *testing.T) {
			en := newEnv(t, kind)
			ctx := context.Background()
			tk, _, _, _, err := en.d.CreateTicket(ctx, desk.NewTicket{Subject: "I want a refund", Channel: "api",
				Identities: []store.Identity{{Channel: "email", ExternalID: "cy@example.com"}}, Actor: "agent:tom"})
			if err != nil {
				t.Fatal(err)
			}
			tom := en.agent("tom")
			var wg sync.WaitGroup
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, _, err := en.d.UpdateTicket(ctx, tk.ID, tom, desk.TicketChange{Note: "called the courier", Key: "n-1"}); err != nil {
						t.Errorf("a retry: %v", err)
					}
				}()
			}
			wg.Wait()
			if _, _, err := en.d.UpdateTicket(ctx, tk.ID, tom, desk.TicketChange{Note: "called the shop", Key: "n-1"}); !errors.Is(err, store.ErrConflict) {
				t.Errorf("the key with other text: %v, want a conflict", err)
			}
			if _, _, err := en.d.UpdateTicket(ctx, tk.ID, en.agent("ann"), desk.TicketChange{Note: "called the courier", Key: "n-1"}); err != nil {
				t.Errorf("another agent's key: %v", err)
			}
			got, _ := en.d.Ticket(ctx, tk.ID)
			var notes []string
			for _, h := range got.History {
				if h.Field == "note" {
					notes = append(notes, h.Actor+": "+h.Note)
				}
			}
			if diff := cmp.Diff([]string{"agent:tom: called the courier", "agent:ann: called the courier"}, notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
			if rows, _ := en.st.Audit(ctx, store.AuditFilter{Action: "ticket.update"}); len(rows) != 2 {
				t.Errorf("%d ticket.update audit rows, want 2", len(rows))
			}
		})
	}
}

// A keyed status change whose notice failed, retried after the ticket moved
// on, does not tell the customer of the old move: they would read "solved"
// about a ticket that is open again.
func TestKeyedStatusRetryAfterTheTicketMoved(t *testing.T) {
	en := newEnv(t, memKind)
	ctx := context.Background()
	en.say("c1", "refund GH500000, it's the wrong item")
	res := en.say("c1", "yes")
	if len(res.Tickets) != 1 {
		t.Fatalf("no ticket: %+v", res)
	}
	id, ann := res.Tickets[0].ID, en.agent("ann")
	if _, _, err := en.d.UpdateTicket(ctx, id, ann, desk.TicketChange{Assignee: ptr("ann")}); err != nil {
		t.Fatal(err)
	}
	// The change is stored; telling the customer fails.
	down := &turnsDown{Store: en.st, down: true}
	en.use(down)
	if _, _, err := en.d.UpdateTicket(ctx, id, ann, desk.TicketChange{Status: ptr("solved"), Key: "k1"}); err == nil {
		t.Fatal("the solve was told with the conversation unreachable")
	}
	down.down = false
	if tk, _ := en.d.Ticket(ctx, id); tk.Status != "solved" {
		t.Fatalf("status %s after the solve, want solved", tk.Status)
	}
	if _, _, err := en.d.UpdateTicket(ctx, id, ann, desk.TicketChange{Status: ptr("open")}); err != nil {
		t.Fatal(err)
	}
	before, _ := en.st.Events(ctx, "c1", 0, 0)
	got, notice, err := en.d.UpdateTicket(ctx, id, ann, desk.TicketChange{Status: ptr("solved"), Key: "k1"})
	if err != nil || got.Status != "open" {
		t.Fatalf("the retry: %s, %v; want the ticket as it is (open)", got.Status, err)
	}
	after, _ := en.st.Events(ctx, "c1", 0, 0)
	if len(notice.Replies) != 0 || countType(after, "ticket_updated") != countType(before, "ticket_updated") {
		t.Errorf("the retry told the customer %q of a solve since undone", texts(&engine.TurnResult{Replies: notice.Replies}))
	}
}

// turnsDown is a store whose conversations can't be reached while down: a
// ticket changes, and telling its customer fails.
type turnsDown struct {
	store.Store
	down bool
}

func (s *turnsDown) Begin(ctx context.Context, id string) (store.Tx, error) {
	if s.down {
		return nil, errors.New("the conversation store is down")
	}
	return s.Store.Begin(ctx, id)
}

// A keyed change that changes nothing (the ticket already has that priority)
// is remembered in every store: its key for another change is a conflict, and
// its retry after the ticket moved on is answered, not applied.
func TestKeyedChangeThatChangesNothing(t *testing.T) {
	for _, kind := range append([]storeKind{memKind}, durable...) {
		t.Run(kind.name, func(t *testing.T) {
			en := newEnv(t, kind)
			ctx := context.Background()
			en.say("c1", "refund GH500000, it's the wrong item")
			res := en.say("c1", "yes")
			if len(res.Tickets) != 1 {
				t.Fatalf("no ticket: %+v", res)
			}
			id, ann := res.Tickets[0].ID, en.agent("ann")
			tk, _ := en.d.Ticket(ctx, id)
			same := desk.TicketChange{Priority: ptr(tk.Priority), Key: "k1"}
			if _, _, err := en.d.UpdateTicket(ctx, id, ann, same); err != nil {
				t.Fatal(err)
			}
			if _, _, err := en.d.UpdateTicket(ctx, id, ann, desk.TicketChange{Priority: ptr("low"), Key: "k1"}); !errors.Is(err, store.ErrConflict) {
				t.Errorf("its key for another change: %v, want a conflict", err)
			}
			if _, _, err := en.d.UpdateTicket(ctx, id, ann, desk.TicketChange{Priority: ptr("low"), Key: "k2"}); err != nil {
				t.Fatal(err)
			}
			got, _, err := en.d.UpdateTicket(ctx, id, ann, same)
			if err != nil || got.Priority != "low" {
				t.Errorf("the retry: priority %s, %v; want the ticket as it is (low)", got.Priority, err)
			}
			var fields []string
			for _, h := range desk.History(got) {
				fields = append(fields, h.Field+":"+h.To)
			}
			if diff := cmp.Diff([]string{"status:open", "priority:low"}, fields); diff != "" {
				t.Errorf("history (-want +got):\n%s", diff)
			}
		})
	}
}
