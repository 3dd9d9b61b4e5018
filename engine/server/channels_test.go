package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

type channelHarness struct {
	url   string
	store store.Store
	sms   *channels.Recorder
	email *channels.Recorder
	wa    *channels.Recorder
}

func newChannelHarness(t *testing.T, cfg ServerConfig) *channelHarness {
	t.Helper()
	h := &channelHarness{store: memstore.New(), sms: &channels.Recorder{}, email: &channels.Recorder{}, wa: &channels.Recorder{}}
	e := newShopEngine(t, h.store, monday10)
	cfg.RouteEvery, cfg.RateLimit, cfg.RateBurst = -1, 1000, 1000
	cfg.Senders = map[string]channels.Sender{"sms": h.sms, "email": h.email, "whatsapp": h.wa}
	s := NewServer(e, cfg)
	ts := httptest.NewServer(s)
	t.Cleanup(func() { ts.Close(); s.Close(context.Background()) })
	h.url = ts.URL
	return h
}

type webhookResponse struct {
	Status      int
	ContentType string
	Body        string
}

func (h *channelHarness) post(t *testing.T, path, contentType, body string, header ...string) webhookResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return webhookResponse{resp.StatusCode, resp.Header.Get("Content-Type"), string(raw)}
}

func (h *channelHarness) postSMS(t *testing.T, from, text, sid string, header ...string) webhookResponse {
	t.Helper()
	form := url.Values{"From": {from}, "To": {"+14155550199"}, "Body": {text}, "MessageSid": {sid}, "NumMedia": {"0"}}
	return h.post(t, "/v1/channels/sms", "application/x-www-form-urlencoded", form.Encode(), header...)
}

// logOf is the conversation's customer messages and the number of bot replies.
func logOf(t *testing.T, st store.Store, conversationID string) (messages []string, replies int) {
	t.Helper()
	events, err := st.Events(context.Background(), conversationID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, se := range events {
		var ev dialog.Event
		if err := json.Unmarshal(se.Data, &ev); err != nil {
			t.Fatal(err)
		}
		switch {
		case ev.Type == dialog.EventMessageReceived && ev.Message != nil:
			messages = append(messages, ev.Message.Text)
		case ev.Type == dialog.EventReplySent:
			replies++
		}
	}
	return messages, replies
}

func waitSent(t *testing.T, rec *channels.Recorder, n int) []channels.Outbound {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := rec.Wait(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestChannelSMSReplyAndRedelivery(t *testing.T) {
	h := newChannelHarness(t, ServerConfig{})
	const phone = "+8613812345678"
	conv := ChannelConversationID("sms", phone)

	res := h.postSMS(t, "+86 138-1234-5678", "where is my order AB123456", "SM1")
	if d := cmp.Diff(webhookResponse{200, "text/xml; charset=utf-8", emptyTwiML}, res); d != "" {
		t.Fatalf("webhook response (-want +got):\n%s", d)
	}
	_, replies := logOf(t, h.store, conv)
	if replies == 0 {
		t.Fatal("the bot did not reply")
	}
	sent := waitSent(t, h.sms, replies)
	for i, m := range sent {
		if m.Channel != "sms" || m.To != phone || m.ConversationID != conv || m.Text == "" || !strings.HasPrefix(m.MessageID, "re-SM1-") {
			t.Errorf("reply %d = %+v, want an SMS to %s in %s", i, m, phone, conv)
		}
	}

	// Twilio retries SM1: one turn, replies sent once.
	if res := h.postSMS(t, phone, "where is my order AB123456", "SM1"); res.Status != 200 {
		t.Fatalf("redelivery: %+v", res)
	}
	// A new message is a barrier: its replies come after any the redelivery
	// would (wrongly) have sent.
	h.postSMS(t, phone, "thanks, bye", "SM2")
	messages, total := logOf(t, h.store, conv)
	if d := cmp.Diff([]string{"where is my order AB123456", "thanks, bye"}, messages); d != "" {
		t.Errorf("customer messages (-want +got):\n%s", d)
	}
	sent = waitSent(t, h.sms, total)
	var first int
	for _, m := range sent {
		if strings.HasPrefix(m.MessageID, "re-SM1-") {
			first++
		}
	}
	if first != replies || len(sent) != total {
		t.Errorf("sent %d replies to SM1 (want %d), %d in all (want %d)", first, replies, len(sent), total)
	}
}

// SMS shows buttons as numbered lines; answering with the number is pressing
// the button.
func TestChannelSMSNumberedButtons(t *testing.T) {
	h := newChannelHarness(t, ServerConfig{})
	const phone = "+14155550100"
	h.postSMS(t, phone, "refund CD654321, wrong item", "SM1")
	_, replies := logOf(t, h.store, ChannelConversationID("sms", phone))
	sent := waitSent(t, h.sms, replies)
	var withButtons *channels.Outbound
	for i := range sent {
		if len(sent[i].Buttons) > 0 {
			withButtons = &sent[i]
		}
	}
	if withButtons == nil || withButtons.Buttons[0].Payload != "yes" {
		t.Fatalf("replies %+v: want a confirmation with a yes button first", sent)
	}
	h.postSMS(t, phone, "1", "SM2")
	if messages, _ := logOf(t, h.store, ChannelConversationID("sms", phone)); len(messages) != 2 || messages[1] != "yes" {
		t.Errorf("customer messages = %q, want \"1\" read as the yes button", messages)
	}
	tickets, err := h.store.Tickets(context.Background(), store.TicketFilter{ConversationID: ChannelConversationID("sms", phone)})
	if err != nil || len(tickets) != 1 {
		t.Errorf("tickets = %+v, %v; want the refund review confirmed by \"1\"", tickets, err)
	}
}

func TestChannelSignatures(t *testing.T) {
	const publicURL, twilioToken, secret = "https://parley.example.com", "tok", "s3cret"
	h := newChannelHarness(t, ServerConfig{TwilioAuthToken: twilioToken, PublicURL: publicURL, WebhookSecret: secret})
	form := url.Values{"From": {"+14155550100"}, "To": {"+14155550199"}, "Body": {"hi"}, "MessageSid": {"SM9"}}
	twilioSig := channels.TwilioSignature(publicURL+"/v1/channels/sms", form, twilioToken)
	hook := `{"channel":"whatsapp","user_id":"wa-1","text":"hi","message_id":"w9"}`

	tests := []struct {
		name, path, contentType, body string
		header                        []string
		want                          int
	}{
		{"sms unsigned", "/v1/channels/sms", "application/x-www-form-urlencoded", form.Encode(), nil, 401},
		{"sms wrong signature", "/v1/channels/sms", "application/x-www-form-urlencoded", form.Encode(), []string{"X-Twilio-Signature", channels.TwilioSignature(publicURL+"/v1/channels/sms", form, "other")}, 403},
		{"sms signed", "/v1/channels/sms", "application/x-www-form-urlencoded", form.Encode(), []string{"X-Twilio-Signature", twilioSig}, 200},
		{"webhook unsigned", "/v1/channels/webhook", "application/json", hook, nil, 401},
		{"webhook wrong signature", "/v1/channels/webhook", "application/json", hook, []string{channels.SignatureHeader, channels.SignHMAC([]byte(hook), "other")}, 403},
		{"webhook signed", "/v1/channels/webhook", "application/json", hook, []string{channels.SignatureHeader, channels.SignHMAC([]byte(hook), secret)}, 202},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if res := h.post(t, tt.path, tt.contentType, tt.body, tt.header...); res.Status != tt.want {
				t.Errorf("status = %d, want %d: %s", res.Status, tt.want, res.Body)
			}
		})
	}
}

func TestChannelBadInput(t *testing.T) {
	h := newChannelHarness(t, ServerConfig{})
	tests := []struct {
		name, path, contentType, body string
		wantMessage                   string
	}{
		{"sms without MessageSid", "/v1/channels/sms", "application/x-www-form-urlencoded", "From=%2B14155550100&To=%2B14155550199&Body=hi", "MessageSid is missing"},
		{"sms with a bad From", "/v1/channels/sms", "application/x-www-form-urlencoded", "From=call+me&To=%2B14155550199&Body=hi&MessageSid=SM1", "From: "},
		{"email without from", "/v1/channels/email", "application/json", `{"text":"hi","message_id":"m1"}`, "from is missing"},
		{"email not json", "/v1/channels/email", "application/json", `{"from":`, "not JSON"},
		{"webhook without user_id", "/v1/channels/webhook", "application/json", `{"channel":"whatsapp","text":"hi","message_id":"w1"}`, "user_id is missing"},
		{"webhook without message_id", "/v1/channels/webhook", "application/json", `{"channel":"whatsapp","user_id":"u","text":"hi"}`, "message_id is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := h.post(t, tt.path, tt.contentType, tt.body)
			var body struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			_ = json.Unmarshal([]byte(res.Body), &body)
			if res.Status != 400 || body.Error.Code != "invalid_input" || !strings.Contains(body.Error.Message, tt.wantMessage) {
				t.Errorf("response %d %s, want 400 invalid_input naming %q", res.Status, res.Body, tt.wantMessage)
			}
		})
	}
}

// The same phone on SMS and in a WhatsApp profile is one customer.
func TestChannelSameCustomerAcrossChannels(t *testing.T) {
	h := newChannelHarness(t, ServerConfig{})
	ctx := context.Background()
	h.postSMS(t, "+86 138 1234 5678", "where is my order AB123456", "SM1")
	res := h.post(t, "/v1/channels/webhook", "application/json",
		`{"channel":"whatsapp","user_id":"wa-42","text":"and my refund?","message_id":"w1","profile":{"phone":"+86-138-1234-5678","name":"Wang"}}`)
	if res.Status != 202 {
		t.Fatalf("webhook: %+v", res)
	}
	var accepted struct {
		ConversationID string `json:"conversation_id"`
	}
	if err := json.Unmarshal([]byte(res.Body), &accepted); err != nil || accepted.ConversationID != ChannelConversationID("webhook:whatsapp", "wa-42") {
		t.Errorf("webhook response %s: want the whatsapp conversation id", res.Body)
	}
	h.post(t, "/v1/channels/email", "application/json", `{"from":"someone@example.com","text":"hello","message_id":"e1"}`)

	smsConv, err := h.store.Conversation(ctx, ChannelConversationID("sms", "+8613812345678"))
	if err != nil {
		t.Fatal(err)
	}
	waConv, err := h.store.Conversation(ctx, accepted.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	emailConv, err := h.store.Conversation(ctx, ChannelConversationID("email", "someone@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if smsConv.CustomerID == "" || smsConv.CustomerID != waConv.CustomerID || emailConv.CustomerID == smsConv.CustomerID {
		t.Fatalf("customers: sms %q, whatsapp %q, other email %q; want sms = whatsapp only", smsConv.CustomerID, waConv.CustomerID, emailConv.CustomerID)
	}
	cust, err := h.store.Customer(ctx, smsConv.CustomerID)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Identity{{Channel: "phone", ExternalID: "+8613812345678"}, {Channel: "sms", ExternalID: "+8613812345678"}, {Channel: "webhook:whatsapp", ExternalID: "wa-42"}}
	if d := cmp.Diff(want, cust.Identities); d != "" {
		t.Errorf("identities (-want +got):\n%s", d)
	}
	// WhatsApp replies go to the whatsapp sender, addressed to the user id.
	if sent := waitSent(t, h.wa, 1); sent[0].To != "wa-42" || sent[0].Channel != "webhook:whatsapp" {
		t.Errorf("whatsapp reply = %+v", sent[0])
	}
}

func TestChannelEmailQuotedHistory(t *testing.T) {
	h := newChannelHarness(t, ServerConfig{})
	body := `{"from":"Ann Lee <Ann@Example.com>","to":"help@shop.example","subject":"Re: your order",
		"text":"Where is my order AB123456?\n\nOn Mon, 23 Nov 2026 at 10:00, Shop <help@shop.example> wrote:\n> I want a refund for CD654321\n> yes\n\n-- \nAnn","message_id":"<m1@mail.example>"}`
	res := h.post(t, "/v1/channels/email", "application/json", body)
	conv := ChannelConversationID("email", "ann@example.com")
	if d := cmp.Diff(webhookResponse{202, "application/json", `{"conversation_id":"` + conv + `"}` + "\n"}, res); d != "" {
		t.Fatalf("webhook response (-want +got):\n%s", d)
	}
	messages, _ := logOf(t, h.store, conv)
	if d := cmp.Diff([]string{"Where is my order AB123456?"}, messages); d != "" {
		t.Errorf("what the bot read (-want +got):\n%s", d)
	}
	// All replies of the turn are one email, threaded under the customer's.
	sent := waitSent(t, h.email, 1)
	got := sent[0]
	if got.To != "ann@example.com" || got.Subject != "Re: your order" || got.InReplyTo != "m1@mail.example" || got.Text == "" {
		t.Errorf("email reply = %+v", got)
	}
}
