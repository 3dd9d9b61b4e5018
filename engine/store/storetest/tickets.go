package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

func ticketIDs(ts []store.Ticket) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

// A turn's ticket keeps every field; a later turn changes what the bot
// decides and leaves what agents set.
func testTicketFields(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	at := turn.Now().Add(-time.Hour)
	full := store.Ticket{ID: "t1", CustomerID: "cus1", Channel: "sms", Queue: "refunds", Subject: "Refund AB123456", Description: "The screen is cracked",
		Priority: "high", Status: "open", Assignee: "ann", Language: "zh", DueAt: at.Add(8 * time.Hour), BreachedAt: at.Add(9 * time.Hour), CreatedAt: at,
		History: []store.StatusChange{{Status: "open", Actor: "bot", At: at}, {Status: "open", Actor: "agent:ann", At: at, Field: "assignee", From: "", To: "ann"}}}
	before := turn.Now()
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "m")
		rec.Tickets = []store.Ticket{full}
	})
	got, err := s.Ticket(ctx, "t1")
	if err != nil {
		t.Fatal(err)
	}
	want := full
	want.ConversationID = "c1"
	if diff := cmp.Diff(want, got, ignoreTicketAt); diff != "" {
		t.Errorf("Ticket(t1) (-want +got):\n%s", diff)
	}
	if got.UpdatedAt.Before(before) {
		t.Errorf("UpdatedAt %v, want the commit time (after %v)", got.UpdatedAt, before)
	}
	if _, err := s.Ticket(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Ticket(unknown) = %v, want ErrNotFound", err)
	}

	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "m")
		rec.Tickets = []store.Ticket{{ID: "t1", CustomerID: "cus1", Queue: "refunds", Subject: "Refund AB123456", Priority: "urgent", Status: "pending",
			History: []store.StatusChange{{Status: "pending", Actor: "bot", At: at.Add(time.Minute)}}}}
	})
	got, err = s.Ticket(ctx, "t1")
	if err != nil {
		t.Fatal(err)
	}
	want.Priority, want.Status = "urgent", "pending"
	want.History = append(want.History, store.StatusChange{Status: "pending", Actor: "bot", At: at.Add(time.Minute)})
	if diff := cmp.Diff(want, got, ignoreTicketAt); diff != "" {
		t.Errorf("after a turn's update (-want +got):\n%s", diff)
	}
}

func testCreateTicket(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	tk := store.Ticket{CustomerID: "cus1", Channel: "email", Queue: "general", Subject: "Where is my invoice?", Description: "I need it for my taxes",
		Priority: "normal", Language: "en", SourceKey: "<msg-1@example.com>",
		History: []store.StatusChange{{Status: "open", Actor: "channel:email"}}}
	audit := store.AuditEntry{Actor: "channel:email", Action: "ticket.create", Detail: raw(`{"queue":"general"}`)}
	got, created, err := s.CreateTicket(ctx, tk, audit)
	if err != nil {
		t.Fatal(err)
	}
	if !created || got.ID == "" || got.Status != "open" || got.ConversationID != "" || got.CreatedAt.IsZero() || got.UpdatedAt.IsZero() || len(got.History) != 1 || got.History[0].At.IsZero() {
		t.Fatalf("CreateTicket = %+v, created %v; want a new open ticket with id, times and history", got, created)
	}
	stored, err := s.Ticket(ctx, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, stored); diff != "" {
		t.Errorf("stored ticket (-created +stored):\n%s", diff)
	}

	// A form's unverified contact is kept as it was given, beside no customer.
	form, _, err := s.CreateTicket(ctx, store.Ticket{Channel: "form", Queue: "general", Subject: "Gift cards?",
		Unverified: map[string]string{"email": "cy@example.com", "name": "Cy"}}, store.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	if stored, err := s.Ticket(ctx, form.ID); err != nil || !cmp.Equal(stored.Unverified, map[string]string{"email": "cy@example.com", "name": "Cy"}) || stored.CustomerID != "" {
		t.Errorf("form ticket = %+v, %v; want its unverified contact kept", stored, err)
	}

	// The same email delivered again: the same ticket, no second audit row.
	again, created, err := s.CreateTicket(ctx, tk, audit)
	if err != nil || created || again.ID != got.ID {
		t.Errorf("CreateTicket again = %s, created %v, %v; want %s, not created", again.ID, created, err, got.ID)
	}
	if a, _ := s.Audit(ctx, store.AuditFilter{Action: "ticket.create"}); len(a) != 1 || a[0].Actor != "channel:email" {
		t.Errorf("ticket.create audit = %+v, want one row", a)
	}
	// A given id that is taken is a conflict.
	if _, _, err := s.CreateTicket(ctx, store.Ticket{ID: got.ID, Subject: "x"}, store.AuditEntry{}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("CreateTicket with a taken id = %v, want ErrConflict", err)
	}

	// Double submits racing: one ticket.
	const n = 6
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk, _, err := s.CreateTicket(ctx, store.Ticket{Subject: "form", SourceKey: "form-42"}, store.AuditEntry{Actor: "channel:form", Action: "ticket.create"})
			if err != nil {
				t.Errorf("concurrent CreateTicket: %v", err)
			}
			ids[i] = tk.ID
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("concurrent creates with one source key made tickets %v", ids)
		}
	}
	if ts, _ := s.Tickets(ctx, store.TicketFilter{Text: "form"}); len(ts) != 1 {
		t.Errorf("%d tickets from racing submits, want 1", len(ts))
	}
}

func testUpdateTicket(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "m")
		rec.Tickets = []store.Ticket{{ID: "t1", Queue: "general", Subject: "help", Priority: "normal", Status: "open",
			History: []store.StatusChange{{Status: "open", Actor: "bot"}}}}
	})
	due := turn.Now().Add(2 * time.Hour)
	got, err := s.UpdateTicket(ctx, "t1", func(tk *store.Ticket) (store.AuditEntry, error) {
		tk.Queue, tk.Priority, tk.Assignee, tk.DueAt = "refunds", "urgent", "ann", due
		tk.History = append(tk.History,
			store.StatusChange{Status: "open", Actor: "agent:bo", Field: "queue", From: "general", To: "refunds"},
			store.StatusChange{Status: "open", Actor: "agent:bo", Field: "note", Note: "customer called twice"})
		return store.AuditEntry{Actor: "agent:bo", Action: "ticket.update", Detail: raw(`{"queue":"refunds"}`)}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Queue != "refunds" || got.Assignee != "ann" || !got.DueAt.Equal(turn.Time(due)) || len(got.History) != 3 || got.History[2].At.IsZero() {
		t.Errorf("UpdateTicket = %+v", got)
	}
	stored, _ := s.Ticket(ctx, "t1")
	if diff := cmp.Diff(got, stored); diff != "" {
		t.Errorf("stored after UpdateTicket (-returned +stored):\n%s", diff)
	}
	if a, _ := s.Audit(ctx, store.AuditFilter{Action: "ticket.update"}); len(a) != 1 || a[0].ConversationID != "c1" || a[0].Actor != "agent:bo" {
		t.Errorf("ticket.update audit = %+v", a)
	}

	boom := errors.New("boom")
	for _, tc := range []struct {
		name string
		fn   func(*store.Ticket) (store.AuditEntry, error)
		want error
	}{
		{"fn fails", func(tk *store.Ticket) (store.AuditEntry, error) {
			tk.Status = "closed"
			return store.AuditEntry{}, boom
		}, boom},
		{"id changed", func(tk *store.Ticket) (store.AuditEntry, error) { tk.ID = "t2"; return store.AuditEntry{}, nil }, store.ErrInvalid},
		{"conversation changed", func(tk *store.Ticket) (store.AuditEntry, error) {
			tk.ConversationID = "c9"
			return store.AuditEntry{}, nil
		}, store.ErrInvalid},
		{"history rewritten", func(tk *store.Ticket) (store.AuditEntry, error) {
			tk.History = tk.History[:1]
			return store.AuditEntry{}, nil
		}, store.ErrInvalid},
	} {
		if _, err := s.UpdateTicket(ctx, "t1", tc.fn); !errors.Is(err, tc.want) {
			t.Errorf("%s: UpdateTicket = %v, want %v", tc.name, err, tc.want)
		}
	}
	if after, _ := s.Ticket(ctx, "t1"); after.Status != "open" || len(after.History) != 3 {
		t.Errorf("failed updates changed the ticket: %+v", after)
	}
	if _, err := s.UpdateTicket(ctx, "nope", func(*store.Ticket) (store.AuditEntry, error) { return store.AuditEntry{}, nil }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateTicket(unknown) = %v, want ErrNotFound", err)
	}

	// Agents noting at once: no note is lost.
	const n = 8
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateTicket(ctx, "t1", func(tk *store.Ticket) (store.AuditEntry, error) {
				tk.History = append(tk.History, store.StatusChange{Status: tk.Status, Actor: fmt.Sprintf("agent:a%d", i), Field: "note", Note: "hi"})
				return store.AuditEntry{}, nil
			})
			if err != nil {
				t.Errorf("concurrent UpdateTicket: %v", err)
			}
		}()
	}
	wg.Wait()
	if after, _ := s.Ticket(ctx, "t1"); len(after.History) != 3+n {
		t.Errorf("%d history entries after %d concurrent notes, want %d", len(after.History), n, 3+n)
	}
}

func testTicketFilters(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	now := turn.Now()
	mk := func(id, conv string, mod func(*store.Ticket)) {
		tk := store.Ticket{ID: id, CustomerID: "cus-" + conv, Queue: "general", Subject: "subject " + id, Priority: "normal", Status: "open", CreatedAt: now.Add(time.Duration(len(id)) * time.Millisecond)}
		mod(&tk)
		if conv == "" {
			if _, _, err := s.CreateTicket(ctx, tk, store.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			return
		}
		mustCommit(t, s, conv, func(c *store.Conversation, rec *store.TurnRecord) {
			rec.Events = events(c.LastSeq, 1, "m")
			rec.Tickets = []store.Ticket{tk}
		})
	}
	mk("a", "c1", func(tk *store.Ticket) { tk.Assignee = "ann"; tk.DueAt = now.Add(-time.Hour); tk.BreachedAt = now })
	mk("bb", "c2", func(tk *store.Ticket) { tk.Status = "pending"; tk.Priority = "urgent"; tk.DueAt = now.Add(time.Hour) })
	mk("ccc", "", func(tk *store.Ticket) {
		tk.Queue, tk.Subject, tk.Description = "refunds", "100% broken_screen", "屏幕坏了 (Cracked)"
	})
	mk("dddd", "c1", func(tk *store.Ticket) { tk.Status = "solved"; tk.Assignee = "bo" })
	for _, tc := range []struct {
		filter store.TicketFilter
		want   []string
	}{
		{store.TicketFilter{}, []string{"a", "bb", "ccc", "dddd"}},
		{store.TicketFilter{CustomerID: "cus-c1"}, []string{"a", "dddd"}},
		{store.TicketFilter{Statuses: []string{"open", "pending"}}, []string{"a", "bb", "ccc"}},
		{store.TicketFilter{Status: "open", Statuses: []string{"pending", "solved"}}, nil},
		{store.TicketFilter{Priority: "urgent"}, []string{"bb"}},
		{store.TicketFilter{Assignee: "ann"}, []string{"a"}},
		{store.TicketFilter{Unassigned: true}, []string{"bb", "ccc"}},
		{store.TicketFilter{Breached: true}, []string{"a"}},
		{store.TicketFilter{DueBefore: now}, []string{"a"}},
		{store.TicketFilter{DueBefore: now.Add(2 * time.Hour)}, []string{"a", "bb"}},
		{store.TicketFilter{Text: "BROKEN"}, []string{"ccc"}},
		{store.TicketFilter{Text: "100%"}, []string{"ccc"}},
		{store.TicketFilter{Text: "n_s"}, []string{"ccc"}},
		{store.TicketFilter{Text: "_"}, []string{"ccc"}},
		{store.TicketFilter{Text: "%"}, []string{"ccc"}},
		{store.TicketFilter{Text: "坏了"}, []string{"ccc"}},
		{store.TicketFilter{Text: "cracked"}, []string{"ccc"}},
		{store.TicketFilter{Text: "subject"}, []string{"a", "bb", "dddd"}},
		{store.TicketFilter{Queue: "refunds", Unassigned: true}, []string{"ccc"}},
		{store.TicketFilter{Statuses: []string{"open", "pending", "solved"}, Limit: 2}, []string{"ccc", "dddd"}},
	} {
		got, err := s.Tickets(ctx, tc.filter)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, ticketIDs(got)); diff != "" {
			t.Errorf("Tickets(%+v) (-want +got):\n%s", tc.filter, diff)
		}
	}
}

// A search also finds the tickets of the customer known by an email or a
// phone (an identity of theirs, whichever identity opened the ticket) and
// those a public form filed with it as their unverified contact. The
// contacts come normalized, as identities are stored.
func testTicketSearchByContact(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	zoe, err := s.ResolveCustomer(ctx, "email", "zoe@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LinkIdentity(ctx, zoe.ID, "phone", "+8613812345678"); err != nil {
		t.Fatal(err)
	}
	max, err := s.ResolveCustomer(ctx, "phone", "+15551234567")
	if err != nil {
		t.Fatal(err)
	}
	now := turn.Now()
	for i, tk := range []store.Ticket{
		{ID: "zoe-chat", CustomerID: zoe.ID, Subject: "Where is my parcel"},
		{ID: "zoe-mail", CustomerID: zoe.ID, Subject: "Invoice"},
		{ID: "max", CustomerID: max.ID, Subject: "zoe@example.com asked me to write"},
		{ID: "form", Subject: "Broken screen", Unverified: map[string]string{"email": "ann@example.com", "phone": "+8613900000000", "name": "Ann"}},
		{ID: "nobody", Subject: "Refund"},
	} {
		tk.Queue, tk.Status, tk.Priority, tk.CreatedAt = "general", "open", "normal", now.Add(time.Duration(i)*time.Millisecond)
		if _, _, err := s.CreateTicket(ctx, tk, store.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
	}
	email := func(a string) []store.Identity { return []store.Identity{{Channel: "email", ExternalID: a}} }
	phone := func(p ...string) []store.Identity {
		var ids []store.Identity
		for _, v := range p {
			ids = append(ids, store.Identity{Channel: "phone", ExternalID: v})
		}
		return ids
	}
	for _, tc := range []struct {
		filter store.TicketFilter
		want   []string
	}{
		{store.TicketFilter{Text: "zoe@example.com", Contacts: email("zoe@example.com")}, []string{"zoe-chat", "zoe-mail", "max"}},
		{store.TicketFilter{Contacts: email("zoe@example.com")}, []string{"zoe-chat", "zoe-mail"}},
		{store.TicketFilter{Contacts: phone("+8613812345678", "8613812345678")}, []string{"zoe-chat", "zoe-mail"}},
		{store.TicketFilter{Contacts: phone("+15551234567", "15551234567")}, []string{"max"}},
		{store.TicketFilter{Contacts: email("ann@example.com")}, []string{"form"}},
		{store.TicketFilter{Contacts: phone("+8613900000000", "8613900000000")}, []string{"form"}},
		// A form's contact is compared as the search normalizes it: an email
		// in any case, a phone by its digits.
		{store.TicketFilter{Contacts: email("Ann@Example.COM")}, []string{"form"}},
		{store.TicketFilter{Contacts: phone("8613900000000")}, []string{"form"}},
		{store.TicketFilter{Contacts: phone("+86 139-0000-0000")}, []string{"form"}},
		{store.TicketFilter{Contacts: phone("+", "-")}, nil},
		// Exact: another address, or a name, is not a contact.
		{store.TicketFilter{Contacts: email("zoe@example.co")}, nil},
		{store.TicketFilter{Contacts: []store.Identity{{Channel: "name", ExternalID: "Ann"}}}, nil},
		{store.TicketFilter{Contacts: []store.Identity{{Channel: "email", ExternalID: "+8613812345678"}}}, nil},
		{store.TicketFilter{Text: "parcel", Contacts: email("nobody@example.com")}, []string{"zoe-chat"}},
		// The other filters still apply.
		{store.TicketFilter{Contacts: email("zoe@example.com"), Limit: 1}, []string{"zoe-mail"}},
		{store.TicketFilter{Contacts: email("zoe@example.com"), Status: "solved"}, nil},
	} {
		got, err := s.Tickets(ctx, tc.filter)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, ticketIDs(got)); diff != "" {
			t.Errorf("Tickets(%+v) (-want +got):\n%s", tc.filter, diff)
		}
	}

	// An update that changes the contact moves the ticket to the new one.
	if _, err := s.UpdateTicket(ctx, "form", func(tk *store.Ticket) (store.AuditEntry, error) {
		tk.Unverified = map[string]string{"email": "ann.b@example.com", "name": "Ann"}
		return store.AuditEntry{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if tk, err := s.Ticket(ctx, "form"); err != nil || tk.Unverified["email"] != "ann.b@example.com" || tk.Unverified["phone"] != "" {
		t.Errorf("form ticket after its contact changed = %+v, %v", tk.Unverified, err)
	}
	for _, tc := range []struct {
		filter store.TicketFilter
		want   []string
	}{
		{store.TicketFilter{Contacts: email("ann.b@example.com")}, []string{"form"}},
		{store.TicketFilter{Contacts: email("ann@example.com")}, nil},
		{store.TicketFilter{Contacts: phone("+8613900000000")}, nil},
	} {
		got, err := s.Tickets(ctx, tc.filter)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, ticketIDs(got)); diff != "" {
			t.Errorf("after the update, Tickets(%+v) (-want +got):\n%s", tc.filter, diff)
		}
	}
}

// Retention anonymizes tickets and approvals of purged conversations, and
// tickets without a conversation by their own age.
func testPurgeTickets(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	mustCommit(t, s, "old", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "m")
		rec.Tickets = []store.Ticket{{ID: "t-old", Subject: "Ann's refund", Description: "ann@example.com", Status: "open",
			History: []store.StatusChange{{Status: "open", Actor: "agent:bo", Field: "note", Note: "Ann called"}}}}
		rec.Approvals = []store.Approval{{ID: "a-old", Reason: "refund for Ann", Queue: "supervisors", Request: "old/1",
			Call: store.ApprovalCall{Name: "refund", Connector: "orders", Operation: "refund", Input: raw(`{"order_id":"AB123456"}`), IdempotencyKey: "k"}}}
	})
	lone, _, err := s.CreateTicket(ctx, store.Ticket{Subject: "Bo's invoice", Description: "bo@example.com", Status: "open",
		Unverified: map[string]string{"email": "bo@example.com", "phone": "+15550001111"},
		History:    []store.StatusChange{{Status: "open", Actor: "agent:bo", Field: "note", Note: "Bo is a VIP", Key: "agent:bo:k1", Digest: "d1"}}}, store.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	for !turn.Now().After(lone.UpdatedAt) {
	}
	cutoff := turn.Now()
	for !turn.Now().After(cutoff) {
	}
	recent, _, err := s.CreateTicket(ctx, store.Ticket{Subject: "Cy's question", Status: "open"}, store.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Purge(ctx, cutoff, "system"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"t-old", lone.ID} {
		tk, err := s.Ticket(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if tk.Subject != store.Purged || tk.Description != store.Purged || tk.History[0].Note != store.Purged || tk.Status != "open" {
			t.Errorf("ticket %s after purge = %+v, want anonymized", id, tk)
		}
	}
	// The digest of the note goes (it could confirm a guess of the text); the
	// key stays, so a late retry still adds nothing.
	if tk, _ := s.Ticket(ctx, lone.ID); tk.History[0].Digest != "" || tk.History[0].Key != "agent:bo:k1" {
		t.Errorf("lone ticket's keyed note after purge = %+v, want its key without a digest", tk.History[0])
	}
	// A search by the purged contact finds nothing.
	if tk, _ := s.Ticket(ctx, lone.ID); tk.Unverified != nil {
		t.Errorf("lone ticket's unverified contact after purge = %v, want none", tk.Unverified)
	}
	for _, c := range []store.Identity{{Channel: "email", ExternalID: "bo@example.com"}, {Channel: "phone", ExternalID: "15550001111"}} {
		if got, err := s.Tickets(ctx, store.TicketFilter{Contacts: []store.Identity{c}}); err != nil || len(got) != 0 {
			t.Errorf("search by %s after purge = %v, %v; want nothing", c.ExternalID, ticketIDs(got), err)
		}
	}
	// Nor by the purged text.
	for _, text := range []string{"Ann's refund", "bo@example.com", "Bo's"} {
		if got, err := s.Tickets(ctx, store.TicketFilter{Text: text}); err != nil || len(got) != 0 {
			t.Errorf("search for %q after purge = %v, %v; want nothing", text, ticketIDs(got), err)
		}
	}
	if got, err := s.Tickets(ctx, store.TicketFilter{Text: "question"}); err != nil || len(got) != 1 || got[0].ID != recent.ID {
		t.Errorf("search for a recent ticket's text after purge = %v, %v; want %s", ticketIDs(got), err, recent.ID)
	}
	if tk, _ := s.Ticket(ctx, recent.ID); tk.Subject != "Cy's question" {
		t.Errorf("a recent lone ticket was purged: %+v", tk)
	}
	a, err := s.Approval(ctx, "a-old")
	if err != nil {
		t.Fatal(err)
	}
	if a.Reason != store.Purged || a.Call.Input != nil || a.Call.Operation != "refund" || a.Call.IdempotencyKey != "k" {
		t.Errorf("approval after purge = %+v, want reason and input removed, the rest kept", a)
	}
}

// testTicketChangeKeys: a history entry's idempotency key is stored with its
// digest, is unique per ticket (a second entry with it is ErrConflict and
// adds nothing, even when concurrent retries race), and another ticket may
// use the same key.
func testTicketChangeKeys(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "m")
		rec.Tickets = []store.Ticket{
			{ID: "t1", Queue: "general", Subject: "help", Priority: "normal", Status: "open", History: []store.StatusChange{{Status: "open", Actor: "bot"}}},
			{ID: "t2", Queue: "general", Subject: "more", Priority: "normal", Status: "open", History: []store.StatusChange{{Status: "open", Actor: "bot"}}},
		}
	})
	note := func(id, key string) error {
		_, err := s.UpdateTicket(ctx, id, func(tk *store.Ticket) (store.AuditEntry, error) {
			tk.History = append(tk.History, store.StatusChange{Status: tk.Status, Actor: "agent:ann", Field: "note", Note: "called", Key: key, Digest: "d-" + key})
			return store.AuditEntry{}, nil
		})
		return err
	}
	if err := note("t1", "agent:ann:k1"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Ticket(ctx, "t1")
	if h := got.History[len(got.History)-1]; h.Key != "agent:ann:k1" || h.Digest != "d-agent:ann:k1" {
		t.Errorf("stored entry = %+v, want key agent:ann:k1 with its digest", h)
	}
	if err := note("t1", "agent:ann:k1"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a second entry with the key = %v, want ErrConflict", err)
	}
	if err := note("t2", "agent:ann:k1"); err != nil {
		t.Errorf("the key on another ticket = %v, want it stored", err)
	}

	// Retries racing: each reads the history under the lock, so one wins and
	// the others see its entry (or hit the uniqueness check).
	const n = 6
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateTicket(ctx, "t1", func(tk *store.Ticket) (store.AuditEntry, error) {
				for _, h := range tk.History {
					if h.Key == "agent:ann:k2" {
						return store.AuditEntry{}, nil
					}
				}
				tk.History = append(tk.History, store.StatusChange{Status: tk.Status, Actor: "agent:ann", Field: "note", Note: "again", Key: "agent:ann:k2"})
				return store.AuditEntry{}, nil
			})
			if err != nil && !errors.Is(err, store.ErrConflict) {
				t.Errorf("racing retry: %v", err)
			}
		}()
	}
	wg.Wait()
	after, _ := s.Ticket(ctx, "t1")
	keyed := 0
	for _, h := range after.History {
		if h.Key == "agent:ann:k2" {
			keyed++
		}
	}
	if keyed != 1 || len(after.History) != 3 {
		t.Errorf("after %d racing retries: %d entries with the key, %d in all; want 1 and 3", n, keyed, len(after.History))
	}
}
