package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/websocket"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/examples/shop/backend"
)

const (
	deskAdmin  = "desk-admin-token"
	deskSecret = "desk-webhook-secret"
	deskTwilio = "desk-twilio-token"
	deskPublic = "https://parley.example.com"
)

// deskEnv is the shop bot behind the HTTP server, with its order system, a
// clock the test moves, and recorders for SMS and email.
type deskEnv struct {
	*inboxEnv
	shop  *backend.Server
	clock *deskClock
	sms   *channels.Recorder
	email *channels.Recorder
	keys  map[string]string // agent id -> key
}

type deskClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *deskClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Second)
	return c.now
}

func (c *deskClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newDeskEnv(t *testing.T) *deskEnv {
	t.Helper()
	return newDeskEnvOn(t, memstore.New())
}

// newDeskEnvOn is newDeskEnv on store st.
func newDeskEnvOn(t *testing.T, st store.Store) *deskEnv {
	t.Helper()
	shop := enginetest.StartShopBackend(t)
	bot := enginetest.Load(t, enginetest.ShopDir())
	clock := &deskClock{now: monday10}
	e, err := engine.New(context.Background(), bot, engine.Options{Store: st, Clock: clock.Now, Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	env := &deskEnv{shop: shop, clock: clock, sms: &channels.Recorder{}, email: &channels.Recorder{}, keys: map[string]string{}}
	srv := NewServer(e, ServerConfig{Token: deskAdmin, RequireAuth: true, RouteEvery: -1, SweepEvery: -1, RateLimit: -1, WebhookSecret: deskSecret,
		TwilioAuthToken: deskTwilio, PublicURL: deskPublic,
		Senders: map[string]channels.Sender{"sms": env.sms, "email": env.email}})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close(context.Background()) })
	env.inboxEnv = &inboxEnv{t: t, url: ts.URL, srv: srv, store: st}
	for _, a := range []struct {
		id, role string
		skills   []string
	}{
		{"ann", "agent", []string{"customer_service", "refunds"}},
		{"bo", "agent", []string{"callbacks"}},
		{"tom", "supervisor", []string{"refund_approval", "refunds"}},
		{"vic", "supervisor", []string{"vip_care"}},
	} {
		out := env.must(201, "POST", "/v1/admin/agents", deskAdmin, map[string]any{"id": a.id, "name": strings.ToUpper(a.id[:1]) + a.id[1:], "role": a.role, "skills": a.skills})
		env.keys[a.id] = out["key"].(string)
	}
	return env
}

// request is call with headers and a raw body.
func (env *deskEnv) request(method, path, contentType, body string, header ...string) (int, string) {
	env.t.Helper()
	req, err := http.NewRequest(method, env.url+path, strings.NewReader(body))
	if err != nil {
		env.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		env.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

func field(m map[string]any, path ...string) any {
	var v any = m
	for _, p := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[p]
	}
	return v
}

func historyFields(ticket map[string]any) []string {
	var out []string
	for _, h := range ticket["history"].([]any) {
		e := h.(map[string]any)
		out = append(out, strings.Trim(e["field"].(string)+":"+str(e["to"]), ":"))
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func TestTicketsAPI(t *testing.T) {
	env := newDeskEnv(t)
	ann, bo, tom := env.keys["ann"], env.keys["bo"], env.keys["tom"]
	newTicket := map[string]any{"subject": "Broken screen", "description": "Order AB123456 arrived cracked.", "customer": map[string]any{"email": "Cy <cy@example.com>"}}
	status, raw := env.request("POST", "/v1/tickets", "application/json", mustJSON(newTicket), "Authorization", "Bearer "+ann, "Idempotency-Key", "k1")
	if status != 201 {
		t.Fatalf("POST /v1/tickets = %d %s", status, raw)
	}
	var created map[string]any
	_ = json.Unmarshal([]byte(raw), &created)
	tk := created["ticket"].(map[string]any)
	id := tk["id"].(string)
	if tk["queue"] != "refund_review" || tk["priority"] != "high" || tk["channel"] != "api" || field(created, "classification", "rule") != "damaged_with_order" || tk["due_at"] == nil {
		t.Errorf("created = %v", created)
	}
	sent := waitSent(t, env.email, 1)
	if sent[0].To != "cy@example.com" || !strings.Contains(sent[0].Subject, id) || !strings.Contains(sent[0].Text, "Your request is ticket "+id) {
		t.Errorf("acknowledgement = %+v", sent[0])
	}
	status, raw = env.request("POST", "/v1/tickets", "application/json", mustJSON(newTicket), "Authorization", "Bearer "+ann, "Idempotency-Key", "k1")
	if status != 200 || !strings.Contains(raw, id) {
		t.Errorf("the same request again = %d %s, want 200 and the same ticket", status, raw)
	}
	for _, bad := range []struct {
		body map[string]any
		cred string
		want int
	}{
		{map[string]any{"subject": "x"}, ann, 400},
		{map[string]any{"subject": "x", "customer": map[string]any{"email": "not an email"}}, ann, 400},
		{map[string]any{"subject": "x", "customer": map[string]any{"email": "a@example.com"}, "queue": "nope"}, ann, 400},
		{newTicket, "", 401},
	} {
		if got, out := env.call("POST", "/v1/tickets", bad.cred, bad.body); got != bad.want {
			t.Errorf("POST %v = %d %v, want %d", bad.body, got, out, bad.want)
		}
	}

	list := func(query string) []string {
		t.Helper()
		out := env.must(200, "GET", "/v1/tickets"+query, ann, nil)
		var ids []string
		for _, x := range out["tickets"].([]any) {
			ids = append(ids, x.(map[string]any)["id"].(string))
		}
		return ids
	}
	if got := list("?status=open,pending&assignee=none&q=CRACKED"); len(got) != 1 || got[0] != id {
		t.Errorf("filtered list = %v, want [%s]", got, id)
	}
	if got := list("?queue=general"); len(got) != 0 {
		t.Errorf("general queue = %v, want none", got)
	}
	env.must(400, "GET", "/v1/tickets?status=done", ann, nil)

	// Ann takes it, asks the customer for more (the customer is told), notes.
	tkt := env.must(200, "PATCH", "/v1/tickets/"+id, ann, map[string]any{"assignee": "ann"})
	if tkt["assignee"] != "ann" {
		t.Errorf("assignee = %v", tkt["assignee"])
	}
	if got := list("?assignee=me"); len(got) != 1 {
		t.Errorf("assignee=me = %v", got)
	}
	env.must(200, "PATCH", "/v1/tickets/"+id, ann, map[string]any{"status": "pending", "note": "asked for a photo"})
	if sent := waitSent(t, env.email, 2); !strings.Contains(sent[1].Text, "We need a little more from you") {
		t.Errorf("pending notice = %q", sent[1].Text)
	}
	tkt = env.must(200, "POST", "/v1/tickets/"+id+"/notes", ann, map[string]any{"text": "photo received"})
	want := []string{"status:open", "assignee:ann", "status:pending", "note"}
	if got := historyFields(tkt); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("history = %v, want %v", got, want)
	}
	if ids := field(tkt, "customer", "identities").([]any); len(ids) == 0 {
		t.Errorf("detail without the customer's identities: %v", tkt["customer"])
	}
	// Bo works another queue; a closed ticket stays closed.
	env.must(403, "PATCH", "/v1/tickets/"+id, bo, map[string]any{"status": "solved"})
	env.must(403, "PATCH", "/v1/tickets/"+id, ann, map[string]any{"assignee": "bo"})
	env.must(200, "PATCH", "/v1/tickets/"+id, tom, map[string]any{"status": "closed"})
	env.must(409, "PATCH", "/v1/tickets/"+id, tom, map[string]any{"status": "open"})
	env.must(404, "PATCH", "/v1/tickets/nope", tom, map[string]any{"status": "open"})
	env.must(400, "PATCH", "/v1/tickets/"+id, tom, map[string]any{"priority": "asap"})
	env.must(400, "POST", "/v1/tickets/"+id+"/notes", tom, map[string]any{"text": " "})
	if rows, _ := env.store.Audit(context.Background(), store.AuditFilter{Action: "ticket.update"}); len(rows) != 4 {
		t.Errorf("%d ticket.update audit rows, want 4", len(rows))
	}
}

// An agent finds a customer's tickets by the email or phone the customer
// gives on the phone: exact, any case, the phone's spacing and "+" ignored,
// whichever of their identities opened each ticket; and a form's ticket by
// the contact it was filed with. A name is only text.
func TestTicketSearchByContact(t *testing.T) {
	env := newDeskEnv(t)
	ann := env.keys["ann"]
	create := func(body map[string]any, key string) string {
		t.Helper()
		status, raw := env.request("POST", "/v1/tickets", "application/json", mustJSON(body), "Authorization", "Bearer "+ann, "Idempotency-Key", key)
		if status != 201 {
			t.Fatalf("POST /v1/tickets = %d %s", status, raw)
		}
		var out map[string]any
		_ = json.Unmarshal([]byte(raw), &out)
		return out["ticket"].(map[string]any)["id"].(string)
	}
	byEmail := create(map[string]any{"subject": "Invoice copy", "customer": map[string]any{"email": "Cy <cy@example.com>"}}, "k1")
	byBoth := create(map[string]any{"subject": "Where is my parcel", "customer": map[string]any{"email": "cy@example.com", "phone": "+86 138 1234 5678"}}, "k2")
	other := create(map[string]any{"subject": "Mail from cy@example.com bounced", "customer": map[string]any{"email": "dee@example.com"}}, "k3")
	form := url.Values{"name": {"Eve"}, "email": {"eve@example.com"}, "phone": {"(555) 010-9999"}, "message": {"Gift cards?"}, "client_id": {"f-1"}}
	status, raw := env.request("POST", "/v1/channels/form", "application/x-www-form-urlencoded", form.Encode(), "Accept", "application/json")
	if status != 201 {
		t.Fatalf("form = %d %s", status, raw)
	}
	var formOut map[string]any
	_ = json.Unmarshal([]byte(raw), &formOut)
	fromForm := formOut["ticket"].(map[string]any)["id"].(string)

	for _, tt := range []struct {
		q    string
		want []string // newest first, as the list is
	}{
		{"cy@example.com", []string{other, byBoth, byEmail}}, // the third by its text
		{"  CY@Example.COM ", []string{other, byBoth, byEmail}},
		{"dee@example.com", []string{other}},
		{"+86 138 1234 5678", []string{byBoth, byEmail}},
		{"8613812345678", []string{byBoth, byEmail}},
		{"+86-(138)-1234.5678", []string{byBoth, byEmail}},
		{"eve@example.com", []string{fromForm}},
		{"555 010 9999", []string{fromForm}},
		{"ve@example.com", nil},
		{"13812345678", nil}, // exact: a number without its country code is another number
		{"Eve", nil},         // a name is not a contact
		{"parcel", []string{byBoth}},
	} {
		out := env.must(200, "GET", "/v1/tickets?status=&q="+url.QueryEscape(tt.q), ann, nil)
		var got []string
		for _, x := range out["tickets"].([]any) {
			got = append(got, x.(map[string]any)["id"].(string))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("q=%q (-want +got):\n%s", tt.q, diff)
		}
	}
}

func TestTicketsFromEmailAndForms(t *testing.T) {
	env := newDeskEnv(t)
	email := `{"from":"Bo <bo@example.com>","to":"support@shop.example","subject":"Complaint","text":"This is unacceptable, I want to file a complaint about my delivery.","message_id":"<m-42@example.com>"}`
	sig := channels.SignHMAC([]byte(email), deskSecret)
	status, raw := env.request("POST", "/v1/channels/email/tickets", "application/json", email, channels.SignatureHeader, sig)
	if status != 201 || !strings.Contains(raw, `"queue":"priority"`) || !strings.Contains(raw, `"priority":"urgent"`) {
		t.Fatalf("email ticket = %d %s", status, raw)
	}
	if status, again := env.request("POST", "/v1/channels/email/tickets", "application/json", email, channels.SignatureHeader, sig); status != 200 || again[:40] != raw[:40] {
		t.Errorf("the same email again = %d %s", status, again)
	}
	if status, _ := env.request("POST", "/v1/channels/email/tickets", "application/json", email); status != 401 {
		t.Errorf("unsigned email = %d, want 401", status)
	}

	form := url.Values{"name": {"Cy"}, "email": {"cy@example.com"}, "subject": {"Gift cards"}, "message": {"Do you sell gift cards?"}, "client_id": {"f-1"}}
	status, page := env.request("POST", "/v1/channels/form", "application/x-www-form-urlencoded", form.Encode(), "Accept", "text/html")
	if status != 200 || !strings.Contains(page, "We received your request: ticket <strong>") {
		t.Fatalf("form = %d %s", status, page)
	}
	status, raw = env.request("POST", "/v1/channels/form", "application/x-www-form-urlencoded", form.Encode(), "Accept", "application/json")
	if status != 200 || !strings.Contains(raw, `"channel":"form"`) || !strings.Contains(raw, `"queue":"general"`) {
		t.Errorf("the same form again, as JSON = %d %s", status, raw)
	}
	env.must(400, "POST", "/v1/channels/form", "", map[string]any{"message": "no address to answer"})
	ts, _ := env.store.Tickets(context.Background(), store.TicketFilter{})
	if len(ts) != 2 {
		t.Errorf("%d tickets, want 2 (an email and a form)", len(ts))
	}
	// Both customers were told their ticket number by email.
	sent := waitSent(t, env.email, 2)
	if sent[0].To != "bo@example.com" && sent[1].To != "bo@example.com" {
		t.Errorf("acknowledgements went to %s and %s", sent[0].To, sent[1].To)
	}
	if sent[0].To != "cy@example.com" && sent[1].To != "cy@example.com" {
		t.Errorf("the form's sender was not answered: %s and %s", sent[0].To, sent[1].To)
	}
}

// Anyone can type someone else's email into a public form: the ticket is
// answered there, but it is nobody's customer record, so it neither joins
// that customer's history nor shows whoever works it anything of theirs.
func TestFormTicketLinksNoCustomer(t *testing.T) {
	env := newDeskEnv(t)
	email := `{"from":"Bo <bo@example.com>","to":"support@shop.example","subject":"Where is my parcel","text":"Order AB123456 has not come.","message_id":"<m-7@example.com>"}`
	status, raw := env.request("POST", "/v1/channels/email/tickets", "application/json", email, channels.SignatureHeader, channels.SignHMAC([]byte(email), deskSecret))
	if status != 201 {
		t.Fatalf("email ticket = %d %s", status, raw)
	}
	form := url.Values{"name": {"Not Bo"}, "email": {"bo@example.com"}, "message": {"Change my address to 1 Fake Street"}, "client_id": {"f-9"}}
	status, raw = env.request("POST", "/v1/channels/form", "application/x-www-form-urlencoded", form.Encode(), "Accept", "application/json")
	if status != 201 {
		t.Fatalf("form ticket = %d %s", status, raw)
	}
	ts, err := env.store.Tickets(context.Background(), store.TicketFilter{})
	if err != nil || len(ts) != 2 {
		t.Fatalf("tickets = %v, %v", ts, err)
	}
	byChannel := map[string]store.Ticket{}
	for _, tk := range ts {
		byChannel[tk.Channel] = tk
	}
	if byChannel["email"].CustomerID == "" {
		t.Errorf("the signed email found no customer")
	}
	formTicket := byChannel["form"]
	if formTicket.CustomerID != "" {
		t.Errorf("the form's claimed email linked customer %s", formTicket.CustomerID)
	}
	want := map[string]string{"email": "bo@example.com", "name": "Not Bo"}
	if diff := cmp.Diff(want, formTicket.Unverified); diff != "" {
		t.Errorf("unverified contact (-want +got):\n%s", diff)
	}
	view := env.must(200, "GET", "/v1/tickets/"+formTicket.ID, env.keys["tom"], nil)
	if view["customer_id"] != "" || view["unverified_contact"].(map[string]any)["email"] != "bo@example.com" {
		t.Errorf("ticket view = customer %v, unverified %v", view["customer_id"], view["unverified_contact"])
	}
}

// A form's sender name is personal data: the audit log's actor has it
// masked, as the audit masks a name anywhere, while the ticket keeps it
// whole for the agent.
func TestFormSenderMaskedInAudit(t *testing.T) {
	env := newDeskEnv(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name, wantActor string
	}{
		{"Not Bo", "channel:form (N****o)"},
		{"  张三丰 ", "channel:form (张*丰)"},
		{"", "channel:form"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"name": {tt.name}, "email": {"bo@example.com"}, "message": {"Where is my parcel?"}, "client_id": {"f-" + tt.name}}
			status, raw := env.request("POST", "/v1/channels/form", "application/x-www-form-urlencoded", form.Encode(), "Accept", "application/json")
			if status != 201 {
				t.Fatalf("form = %d %s", status, raw)
			}
			var out map[string]any
			_ = json.Unmarshal([]byte(raw), &out)
			id := out["ticket"].(map[string]any)["id"].(string)
			entries, err := env.store.Audit(ctx, store.AuditFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var actors []string
			for _, a := range entries {
				if a.Action == "ticket.create" && strings.Contains(string(a.Detail), id) {
					actors = append(actors, a.Actor)
				}
			}
			if diff := cmp.Diff([]string{tt.wantActor}, actors); diff != "" {
				t.Errorf("audit actor (-want +got):\n%s", diff)
			}
			tk, err := env.store.Ticket(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := tk.Unverified["name"], strings.TrimSpace(tt.name); got != want {
				t.Errorf("ticket name = %q, want %q", got, want)
			}
		})
	}
}

// A ticket opened in a chat is announced to agents live, and its status
// changes reach the customer on the chat's channel.
func TestTicketsLive(t *testing.T) {
	env := newDeskEnv(t)
	ann := env.keys["ann"]
	ws, err := websocket.Dial("ws"+strings.TrimPrefix(env.url, "http")+"/v1/agent/ws?key="+ann, "", env.url)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	_ = ws.SetDeadline(time.Now().Add(30 * time.Second))

	const phone = "+8613812345678"
	for i, text := range []string{"refund GH500000, it's the wrong item", "yes"} {
		sms := url.Values{"From": {phone}, "To": {"+14155550199"}, "Body": {text}, "MessageSid": {"SM" + string(rune('a'+i))}, "NumMedia": {"0"}}
		sig := channels.TwilioSignature(deskPublic+"/v1/channels/sms", sms, deskTwilio)
		if status, raw := env.request("POST", "/v1/channels/sms", "application/x-www-form-urlencoded", sms.Encode(), "X-Twilio-Signature", sig); status != 200 {
			t.Fatalf("sms %q = %d %s", text, status, raw)
		}
	}
	var id string
	for id == "" {
		var f agentUpdate
		if err := websocket.JSON.Receive(ws, &f); err != nil {
			t.Fatalf("no ticket_created on the agents' WebSocket: %v", err)
		}
		if f.Type == "ticket_created" && f.Queue == "refund_review" {
			id = f.TicketID
		}
	}
	waitSent(t, env.sms, 2) // the bot's two replies
	env.must(200, "PATCH", "/v1/tickets/"+id, ann, map[string]any{"status": "solved"})
	sent := waitSent(t, env.sms, 3)
	if sent[2].To != phone || !strings.Contains(sent[2].Text, "Good news: ticket "+id) {
		t.Errorf("solved notice = %+v", sent[2])
	}
	tkt := env.must(200, "GET", "/v1/tickets/"+id, ann, nil)
	if tkt["channel"] != "sms" || len(tkt["transcript"].([]any)) == 0 {
		t.Errorf("ticket from an SMS chat: channel %v, %d transcript items", tkt["channel"], len(tkt["transcript"].([]any)))
	}
}

func TestSLABreachesAreFlaggedAndCounted(t *testing.T) {
	env := newDeskEnv(t)
	ann := env.keys["ann"]
	out := env.must(201, "POST", "/v1/tickets", ann, map[string]any{"subject": "Call me", "priority": "urgent", "queue": "general", "customer": map[string]any{"phone": "+8613800000001"}})
	id := field(out, "ticket", "id").(string)
	env.clock.Advance(5 * time.Hour) // general urgent: 4h
	if tkt := env.must(200, "GET", "/v1/tickets/"+id, ann, nil); tkt["overdue"] != true || tkt["breached_at"] != nil {
		t.Errorf("before the sweep: overdue %v, breached %v", tkt["overdue"], tkt["breached_at"])
	}
	env.srv.sweep(context.Background())
	env.srv.sweep(context.Background())
	if tkt := env.must(200, "GET", "/v1/tickets/"+id, ann, nil); tkt["breached_at"] == nil {
		t.Error("not flagged after the sweep")
	}
	got := scrapeMetrics(t, env.srv.metrics.Handler(), "parley_ticket_sla_breaches_total", "parley_tickets_overdue", "parley_tickets_created_total")
	want := []string{
		`parley_tickets_created_total{queue="general",channel="api"} 1`,
		`parley_ticket_sla_breaches_total{queue="general",priority="urgent"} 1`,
		`parley_tickets_overdue{queue="general"} 1`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("metrics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := env.must(200, "GET", "/v1/tickets?breached=true", ann, nil)["tickets"].([]any); len(got) != 1 {
		t.Errorf("breached=true lists %d tickets, want 1", len(got))
	}
}

func mustJSON(v any) string {
	var b bytes.Buffer
	_ = json.NewEncoder(&b).Encode(v)
	return b.String()
}

// refundInChat asks for a refund of order in a new web conversation and
// returns the conversation, its token and the approval asked.
func (env *deskEnv) refundInChat(order string) (conv, token, approval string) {
	env.t.Helper()
	conv, token = env.conversation()
	env.say(conv, token, "refund "+order+", it's the wrong item")
	env.say(conv, token, "yes")
	out := env.must(200, "GET", "/v1/approvals", env.keys["tom"], nil)
	for _, a := range out["approvals"].([]any) {
		if m := a.(map[string]any); m["conversation_id"] == conv {
			return conv, token, m["id"].(string)
		}
	}
	env.t.Fatalf("no approval asked in %s: %v", conv, out)
	return
}

func TestApprovalsAPI(t *testing.T) {
	env := newDeskEnv(t)
	ann, tom, vic := env.keys["ann"], env.keys["tom"], env.keys["vic"]
	conv, token, id := env.refundInChat("RS005001")

	// An agent sees only what agents may decide: not this one.
	if out := env.must(200, "GET", "/v1/approvals", ann, nil); len(out["approvals"].([]any)) != 0 {
		t.Errorf("ann sees %v", out)
	}
	env.must(403, "GET", "/v1/approvals/"+id, ann, nil)
	env.must(403, "POST", "/v1/approvals/"+id+"/approve", ann, nil)
	a := env.must(200, "GET", "/v1/approvals/"+id, tom, nil)
	if a["status"] != "pending" || a["may_decide"] != true || field(a, "call", "idempotency_key") != "refund-RS005001" || field(a, "call", "input", "amount") != 5001.0 ||
		!strings.Contains(a["reason"].(string), "¥5,001.00") || len(a["transcript"].([]any)) == 0 {
		t.Errorf("approval = %v", a)
	}
	// The rule that asked, as the analyst described it: what the supervisor weighs.
	if a["rule"] != "refund_supervisor" || !strings.Contains(str(a["rule_text"]), "Large refunds wait for a supervisor") {
		t.Errorf("rule = %v, %v; want refund_supervisor and its description", a["rule"], a["rule_text"])
	}
	if a := env.must(200, "GET", "/v1/approvals/"+id, vic, nil); a["may_decide"] != false {
		t.Errorf("vic (vip_care) may decide: %v", a["may_decide"])
	}
	env.must(403, "POST", "/v1/approvals/"+id+"/approve", vic, nil)
	if st := env.shop.Stats(); st.RefundsApplied["RS005001"] != 0 {
		t.Fatalf("refunded before approval")
	}

	a = env.must(200, "POST", "/v1/approvals/"+id+"/approve", tom, map[string]any{"note": "photos checked"})
	if a["status"] != "approved" || a["outcome"] != "ok" || a["decided_by"] != "agent:tom" || a["note"] != "photos checked" {
		t.Errorf("approved = %v", a)
	}
	// The double click.
	env.must(200, "POST", "/v1/approvals/"+id+"/approve", tom, nil)
	env.must(409, "POST", "/v1/approvals/"+id+"/reject", tom, nil)
	if st := env.shop.Stats(); st.RefundsApplied["RS005001"] != 1 || st.Requests["POST /orders/{id}/refunds"] != 1 {
		t.Errorf("refunds applied %d, requested %d; want 1 and 1", st.RefundsApplied["RS005001"], st.Requests["POST /orders/{id}/refunds"])
	}
	items := env.items(conv, token)
	if last := items[len(items)-1]; !strings.Contains(last, "order RS005001 is approved (reference RF-") {
		t.Errorf("the customer's last item = %q", last)
	}
	if out := env.must(200, "GET", "/v1/approvals", tom, nil); len(out["approvals"].([]any)) != 0 {
		t.Errorf("still pending: %v", out)
	}
	if out := env.must(200, "GET", "/v1/approvals?status=all", tom, nil); len(out["approvals"].([]any)) != 1 {
		t.Errorf("status=all: %v", out)
	}
	env.must(400, "GET", "/v1/approvals?status=maybe", tom, nil)
	env.must(404, "POST", "/v1/approvals/nope/approve", tom, nil)
}

// The decision reaches an SMS customer by SMS; an expiry reaches a web
// customer in the chat.
func TestApprovalRepliesOnChannels(t *testing.T) {
	env := newDeskEnv(t)
	tom := env.keys["tom"]
	const phone = "+8613812345678"
	for i, text := range []string{"refund EF111111, wrong item", "yes"} {
		sms := url.Values{"From": {phone}, "To": {"+14155550199"}, "Body": {text}, "MessageSid": {"SM" + string(rune('a'+i))}, "NumMedia": {"0"}}
		sig := channels.TwilioSignature(deskPublic+"/v1/channels/sms", sms, deskTwilio)
		if status, raw := env.request("POST", "/v1/channels/sms", "application/x-www-form-urlencoded", sms.Encode(), "X-Twilio-Signature", sig); status != 200 {
			t.Fatalf("sms %q = %d %s", text, status, raw)
		}
	}
	waitSent(t, env.sms, 2)
	out := env.must(200, "GET", "/v1/approvals", tom, nil)
	id := out["approvals"].([]any)[0].(map[string]any)["id"].(string)
	env.must(200, "POST", "/v1/approvals/"+id+"/reject", tom, map[string]any{"note": "no proof"})
	if sent := waitSent(t, env.sms, 3); sent[2].To != phone || !strings.Contains(sent[2].Text, "did not approve the refund of order EF111111") {
		t.Errorf("rejection by SMS = %+v", sent[2])
	}

	conv, token, _ := env.refundInChat("RS005001")
	env.clock.Advance(49 * time.Hour)
	env.srv.sweep(context.Background())
	items := env.items(conv, token)
	if last := items[len(items)-1]; !strings.Contains(last, "Nobody could approve the refund of order RS005001 in time") {
		t.Errorf("the customer's last item = %q", last)
	}
	got := scrapeMetrics(t, env.srv.metrics.Handler(), "parley_approvals_")
	want := []string{
		`parley_approvals_requested_total{queue="supervisors"} 2`,
		`parley_approvals_decided_total{decision="expired"} 1`,
		`parley_approvals_decided_total{decision="rejected"} 1`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("metrics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
