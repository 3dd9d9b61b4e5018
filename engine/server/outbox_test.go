package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// flakySender fails its first fails sends as a gateway that is down would,
// then hands messages to the recorder.
type flakySender struct {
	mu       sync.Mutex
	fails    int
	attempts int
	err      error
	rec      channels.Recorder
}

func (f *flakySender) Send(ctx context.Context, m channels.Outbound) error {
	f.mu.Lock()
	f.attempts++
	fail := f.attempts <= f.fails
	f.mu.Unlock()
	if fail {
		if f.err != nil {
			return f.err
		}
		return &channels.SendError{Provider: "twilio", Status: 503, Message: "service unavailable", Retryable: true}
	}
	return f.rec.Send(ctx, m)
}

type outboxHarness struct {
	*channelHarness
	srv    *Server
	engine *engine.Engine
}

func newOutboxHarness(t *testing.T, st store.Store, sms channels.Sender, cfg ServerConfig) *outboxHarness {
	t.Helper()
	e := newShopEngine(t, st, monday10)
	cfg.RouteEvery, cfg.SweepEvery, cfg.RateLimit, cfg.RateBurst = -1, -1, 1000, 1000
	cfg.Senders = map[string]channels.Sender{"sms": sms}
	if cfg.Outbox.Backoff == 0 {
		cfg.Outbox.Backoff, cfg.Outbox.MaxBackoff = 5*time.Millisecond, 20*time.Millisecond
	}
	s := NewServer(e, cfg)
	ts := httptest.NewServer(s)
	t.Cleanup(func() { ts.Close(); s.Close(context.Background()) })
	return &outboxHarness{channelHarness: &channelHarness{url: ts.URL, store: st}, srv: s, engine: e}
}

// waitOutbox waits until message id has status.
func waitOutbox(t *testing.T, st store.Store, id, status string) store.OutboxMessage {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		m, err := st.OutboxMessage(context.Background(), id)
		if err == nil && m.Status == status {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox message %s: %+v, %v; want %s", id, m, err, status)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func sentIDs(ms []channels.Outbound) []string {
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.MessageID)
	}
	return ids
}

// A gateway down for three attempts: the replies arrive once it is back, in
// order, each once, and the record says how it went.
func TestOutboxRetriesUntilTheGatewayIsBack(t *testing.T) {
	st := memstore.New()
	sms := &flakySender{fails: 3}
	h := newOutboxHarness(t, st, sms, ServerConfig{})
	const phone = "+8613812345678"
	conv := ChannelConversationID("sms", phone)

	if res := h.postSMS(t, phone, "where is my order AB123456", "SM1"); res.Status != http.StatusOK {
		t.Fatalf("webhook: %+v", res)
	}
	_, replies := logOf(t, st, conv)
	m := waitOutbox(t, st, "re-SM1", store.OutboxSent)
	if m.Attempts != 4 || m.LastError != "" || m.Parts != replies || m.SentAt.IsZero() {
		t.Errorf("record after the gateway came back: %+v", m)
	}
	var want []string
	for i := 1; i <= replies; i++ {
		want = append(want, "re-SM1-"+string(rune('0'+i)))
	}
	if diff := cmp.Diff(want, sentIDs(sms.rec.Sent())); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}

	// Twilio retries SM1 once the message was sent: nothing goes out again.
	h.postSMS(t, phone, "where is my order AB123456", "SM1")
	h.postSMS(t, phone, "thanks, bye", "SM2")
	waitOutbox(t, st, "re-SM2", store.OutboxSent)
	var first int
	for _, id := range sentIDs(sms.rec.Sent()) {
		if strings.HasPrefix(id, "re-SM1-") {
			first++
		}
	}
	if first != replies {
		t.Errorf("replies to SM1 sent %d times, want %d", first, replies)
	}
	if body := scrape(t, h.srv); !strings.Contains(body, `parley_outbox_attempts_total{channel="sms",result="retry"} 3`) {
		t.Errorf("metrics lack the retries:\n%s", grepLines(body, "parley_outbox"))
	}
}

// A message that fails every attempt is marked failed, visible to admins,
// and tried once more on request.
func TestOutboxGivesUpAndAdminRetries(t *testing.T) {
	st := memstore.New()
	sms := &flakySender{fails: 1000}
	const token, twilioToken, publicURL = "admin-token-of-thirty-two-characters", "twilio-secret", "https://parley.example"
	h := newOutboxHarness(t, st, sms, ServerConfig{Token: token, TwilioAuthToken: twilioToken, PublicURL: publicURL,
		Outbox: OutboxConfig{MaxAttempts: 3, Backoff: time.Nanosecond, MaxBackoff: time.Nanosecond}}) // a retry due before the attempt is recorded: the dispatcher must go on, not wait for the poll
	form := url.Values{"From": {"+8613812345678"}, "To": {"+14155550199"}, "Body": {"where is my order AB123456"}, "MessageSid": {"SM1"}, "NumMedia": {"0"}}
	if res := h.post(t, "/v1/channels/sms", "application/x-www-form-urlencoded", form.Encode(),
		"X-Twilio-Signature", channels.TwilioSignature(publicURL+"/v1/channels/sms", form, twilioToken)); res.Status != http.StatusOK {
		t.Fatalf("webhook: %+v", res)
	}
	m := waitOutbox(t, st, "re-SM1", store.OutboxFailed)
	if m.Attempts != 3 || !strings.Contains(m.LastError, "503") {
		t.Errorf("failed record: %+v", m)
	}
	if body := scrape(t, h.srv); !strings.Contains(body, `parley_outbox_attempts_total{channel="sms",result="failed"} 1`) {
		t.Errorf("metrics lack the failure:\n%s", grepLines(body, "parley_outbox"))
	}

	sms.mu.Lock()
	sms.fails = 0
	sms.mu.Unlock()
	h.srv.wake(m.ConversationID) // failed messages are not retried by themselves
	if got, _ := st.OutboxMessage(context.Background(), "re-SM1"); got.Status != store.OutboxFailed {
		t.Fatalf("a failed message went out again unasked: %+v", got)
	}
	auth := []string{"Authorization", "Bearer " + token}
	list := h.get(t, "/v1/admin/outbox?status=failed", auth...)
	var listed struct{ Messages []store.OutboxMessage }
	if err := json.Unmarshal([]byte(list.Body), &listed); err != nil || len(listed.Messages) != 1 || listed.Messages[0].ID != "re-SM1" {
		t.Fatalf("GET /v1/admin/outbox?status=failed: %+v", list)
	}
	if res := h.post(t, "/v1/admin/outbox/re-SM1/retry", "application/json", "", auth...); res.Status != http.StatusOK {
		t.Fatalf("retry: %+v", res)
	}
	waitOutbox(t, st, "re-SM1", store.OutboxSent)
	if res := h.post(t, "/v1/admin/outbox/re-SM1/retry", "application/json", "", auth...); res.Status != http.StatusConflict {
		t.Errorf("retry of a sent message: %+v, want 409", res)
	}
}

// A refusal of the message itself (a bad number) is not retried.
func TestOutboxPermanentFailure(t *testing.T) {
	st := memstore.New()
	sms := &flakySender{fails: 1000, err: &channels.SendError{Provider: "twilio", Status: 400, Message: "invalid 'To' number"}}
	h := newOutboxHarness(t, st, sms, ServerConfig{})
	h.postSMS(t, "+8613812345678", "where is my order AB123456", "SM1")
	if m := waitOutbox(t, st, "re-SM1", store.OutboxFailed); m.Attempts != 1 {
		t.Errorf("attempts on a permanent failure: %d, want 1", m.Attempts)
	}
}

// The crash window between a turn's commit and its replies' record: the
// provider's retry of the message records and sends them.
func TestOutboxProviderRetryClosesTheCrashWindow(t *testing.T) {
	st := memstore.New()
	sms := &flakySender{}
	h := newOutboxHarness(t, st, sms, ServerConfig{})
	const phone = "+8613812345678"
	conv := ChannelConversationID("sms", phone)
	// The turn commits as the webhook's would, then the process "dies".
	res, err := h.engine.Handle(context.Background(), engine.Message{
		ConversationID: conv, ClientMessageID: "SM1", Channel: "sms", CustomerID: phone,
		Text: "where is my order AB123456", Identities: []store.Identity{{Channel: "sms", ExternalID: phone}},
	})
	if err != nil || len(res.Replies) == 0 {
		t.Fatalf("turn: %+v, %v", res, err)
	}
	if _, err := st.OutboxMessage(context.Background(), "re-SM1"); err == nil {
		t.Fatal("recorded without the server")
	}
	h.postSMS(t, phone, "where is my order AB123456", "SM1")
	waitOutbox(t, st, "re-SM1", store.OutboxSent)
	if got := len(sms.rec.Sent()); got != len(res.Replies) {
		t.Errorf("sent %d messages, want %d", got, len(res.Replies))
	}
	if _, replies := logOf(t, st, conv); replies != len(res.Replies) {
		t.Errorf("the retry ran the turn again: %d replies in the log", replies)
	}
}

// What a crash left pending is sent when the server starts, in the order it
// was recorded, before the messages that come after.
func TestOutboxPendingSentOnStart(t *testing.T) {
	st := memstore.New()
	ctx := context.Background()
	for _, id := range []string{"re-A", "re-B"} {
		if _, _, err := st.EnqueueOutbox(ctx, store.OutboxMessage{ID: id, ConversationID: "sms:x", Channel: "sms", To: "+15550001", Replies: []store.OutboxReply{{Text: id}}}); err != nil {
			t.Fatal(err)
		}
	}
	sms := &flakySender{}
	h := newOutboxHarness(t, st, sms, ServerConfig{Outbox: OutboxConfig{Every: -1}})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { h.srv.Run(runCtx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	waitOutbox(t, st, "re-B", store.OutboxSent)
	if diff := cmp.Diff([]string{"re-A-1", "re-B-1"}, sentIDs(sms.rec.Sent())); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
}

func (h *channelHarness) get(t *testing.T, path string, header ...string) webhookResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, h.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	_, _ = io.Copy(&b, resp.Body)
	return webhookResponse{resp.StatusCode, resp.Header.Get("Content-Type"), b.String()}
}

func scrape(t *testing.T, s *Server) string {
	t.Helper()
	rec := httptest.NewRecorder()
	s.Metrics().Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return rec.Body.String()
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// An agent's reply committed by a process that died before recording it: the
// console's retry with the same client_message_id sends it, once.
func TestOutboxAgentReplyRetryClosesTheCrashWindow(t *testing.T) {
	env := newDeskEnv(t)
	const phone = "+8613812345678"
	sms := url.Values{"From": {phone}, "To": {"+14155550199"}, "Body": {"I want to speak to a person"}, "MessageSid": {"SM1"}, "NumMedia": {"0"}}
	sig := channels.TwilioSignature(deskPublic+"/v1/channels/sms", sms, deskTwilio)
	if status, raw := env.request("POST", "/v1/channels/sms", "application/x-www-form-urlencoded", sms.Encode(), "X-Twilio-Signature", sig); status != 200 {
		t.Fatalf("sms = %d %s", status, raw)
	}
	conv := ChannelConversationID("sms", phone)
	bot := len(waitSent(t, env.sms, 1))
	hid := env.handoffID(conv)
	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/claim", env.keys["tom"], nil)

	ctx := context.Background()
	tom, err := env.store.Agent(ctx, "tom")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.New(env.srv.Engine()).AgentReply(ctx, hid, tom, "Hi, this is Tom.", "r1"); err != nil {
		t.Fatal(err)
	}
	id := agentMessageID(conv, "r1")
	if _, err := env.store.OutboxMessage(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("recorded without the server: %v", err)
	}
	for range 2 {
		env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/reply", env.keys["tom"], map[string]any{"text": "Hi, this is Tom.", "client_message_id": "r1"})
	}
	waitOutbox(t, env.store, id, store.OutboxSent)
	var got []string
	for _, m := range env.sms.Sent()[bot:] {
		got = append(got, m.MessageID+" "+m.Text)
	}
	if diff := cmp.Diff([]string{id + "-1 Hi, this is Tom."}, got); diff != "" {
		t.Errorf("sent after the reply (-want +got):\n%s", diff)
	}
}

// What an action tells the customer (a survey, a decision, a ticket notice)
// committed by a process that died before recording it: the action's retry
// through the API records it, under an id derived from what produced it, and
// it is sent once.
func TestOutboxRetriedActionsCloseTheCrashWindow(t *testing.T) {
	ctx := context.Background()
	sentSince := func(rec *channels.Recorder, from int) []string {
		var got []string
		for _, m := range rec.Sent()[from:] {
			got = append(got, m.MessageID)
		}
		return got
	}
	unrecorded := func(t *testing.T, st store.Store, id string) {
		t.Helper()
		if _, err := st.OutboxMessage(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("%s recorded without the server: %v", id, err)
		}
	}

	t.Run("survey", func(t *testing.T) {
		env := newDeskEnv(t)
		conv := env.smsSays(t, "+8613812345678", "SM1", "I want to speak to a person")
		before := len(waitSent(t, env.sms, 1))
		hid := env.handoffID(conv)
		env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/claim", env.keys["tom"], nil)
		tom, _ := env.store.Agent(ctx, "tom")
		if _, _, err := desk.New(env.srv.Engine()).CloseHandoff(ctx, hid, tom, "done"); err != nil {
			t.Fatal(err)
		}
		id := surveyMessageID(conv, hid)
		unrecorded(t, env.store, id)
		for range 2 {
			env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/close", env.keys["tom"], nil)
		}
		waitOutbox(t, env.store, id, store.OutboxSent)
		if diff := cmp.Diff([]string{id + "-1"}, sentSince(env.sms, before)); diff != "" {
			t.Errorf("sent after the close (-want +got):\n%s", diff)
		}
	})

	t.Run("approval", func(t *testing.T) {
		env := newDeskEnv(t)
		const phone = "+8613812345678"
		env.smsSays(t, phone, "SMa", "refund EF111111, wrong item")
		env.smsSays(t, phone, "SMb", "yes")
		before := len(waitSent(t, env.sms, 2))
		out := env.must(200, "GET", "/v1/approvals", env.keys["tom"], nil)
		aid := out["approvals"].([]any)[0].(map[string]any)["id"].(string)
		tom, _ := env.store.Agent(ctx, "tom")
		if _, _, err := desk.New(env.srv.Engine()).Decide(ctx, aid, tom, desk.Reject, "no proof"); err != nil {
			t.Fatal(err)
		}
		id := approvalMessageID(aid, store.ApprovalRejected)
		unrecorded(t, env.store, id)
		for range 2 {
			env.must(200, "POST", "/v1/approvals/"+aid+"/reject", env.keys["tom"], map[string]any{"note": "no proof"})
		}
		m := waitOutbox(t, env.store, id, store.OutboxSent)
		if diff := cmp.Diff([]string{id + "-1"}, sentSince(env.sms, before)); diff != "" {
			t.Errorf("sent after the decision (-want +got):\n%s", diff)
		}
		if len(m.Replies) == 0 || !strings.Contains(m.Replies[0].Text, "did not approve the refund of order EF111111") {
			t.Errorf("recorded %+v", m.Replies)
		}
	})

	t.Run("ticket acknowledgement", func(t *testing.T) {
		env := newDeskEnv(t)
		tk, _, created, n, err := desk.New(env.srv.Engine()).CreateTicket(ctx, desk.NewTicket{Subject: "Broken screen", Channel: "api", SourceKey: "api:ann:k1",
			Identities: []store.Identity{{Channel: "email", ExternalID: "cy@example.com"}}, Actor: "agent:ann"})
		if err != nil || !created {
			t.Fatalf("create: %v %v", created, err)
		}
		id := noticeMessageID(n.Key)
		unrecorded(t, env.store, id)
		for range 2 {
			status, raw := env.request("POST", "/v1/tickets", "application/json", mustJSON(map[string]any{"subject": "Broken screen", "customer": map[string]any{"email": "cy@example.com"}}),
				"Authorization", "Bearer "+env.keys["ann"], "Idempotency-Key", "k1")
			if status != 200 || !strings.Contains(raw, tk.ID) {
				t.Fatalf("the same request again = %d %s", status, raw)
			}
		}
		waitOutbox(t, env.store, id, store.OutboxSent)
		if diff := cmp.Diff([]string{id}, sentSince(env.email, 0)); diff != "" {
			t.Errorf("sent (-want +got):\n%s", diff)
		}
	})

	t.Run("ticket notice", func(t *testing.T) {
		env := newDeskEnv(t)
		created := env.must(201, "POST", "/v1/tickets", env.keys["ann"], map[string]any{"subject": "Broken screen", "description": "Order AB123456 arrived cracked.",
			"customer": map[string]any{"email": "cy@example.com"}})
		tid := created["ticket"].(map[string]any)["id"].(string)
		before := len(waitSent(t, env.email, 1))
		ann, _ := env.store.Agent(ctx, "ann")
		pending := "pending"
		tk, n, err := desk.New(env.srv.Engine()).UpdateTicket(ctx, tid, ann, desk.TicketChange{Status: &pending})
		if err != nil || n.Key == "" {
			t.Fatalf("update: %+v %v", n, err)
		}
		id := noticeMessageID(n.Key)
		if !strings.Contains(n.Key, tk.ID) {
			t.Errorf("notice key %q does not name the ticket", n.Key)
		}
		unrecorded(t, env.store, id)
		for range 2 {
			env.must(200, "PATCH", "/v1/tickets/"+tid, env.keys["ann"], map[string]any{"status": "pending"})
		}
		waitOutbox(t, env.store, id, store.OutboxSent)
		// One email carries every reply: the outbox id is its Message-ID.
		if diff := cmp.Diff([]string{id}, sentSince(env.email, before)); diff != "" {
			t.Errorf("sent after the change (-want +got):\n%s", diff)
		}
	})
}

// smsSays posts a signed SMS from phone and returns its conversation.
func (env *deskEnv) smsSays(t *testing.T, phone, sid, text string) string {
	t.Helper()
	sms := url.Values{"From": {phone}, "To": {"+14155550199"}, "Body": {text}, "MessageSid": {sid}, "NumMedia": {"0"}}
	sig := channels.TwilioSignature(deskPublic+"/v1/channels/sms", sms, deskTwilio)
	if status, raw := env.request("POST", "/v1/channels/sms", "application/x-www-form-urlencoded", sms.Encode(), "X-Twilio-Signature", sig); status != 200 {
		t.Fatalf("sms %q = %d %s", text, status, raw)
	}
	return ChannelConversationID("sms", phone)
}
