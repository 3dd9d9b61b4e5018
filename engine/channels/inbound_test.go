package channels

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var ignoreReceivedAt = cmpopts.IgnoreFields(Inbound{}, "ReceivedAt")

func formRequest(form url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/v1/channels/sms", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func TestParseTwilioSMS(t *testing.T) {
	valid := func() url.Values {
		return url.Values{"From": {"+1 (415) 555-0100"}, "To": {"+1-415-555-0199"}, "Body": {" where is my order? "}, "MessageSid": {"SM123"}, "NumMedia": {"0"}}
	}
	tests := []struct {
		name    string
		edit    func(url.Values)
		want    Inbound
		wantErr string
	}{
		{"valid", func(url.Values) {}, Inbound{
			Channel: "sms", From: "+14155550100", To: "+14155550199", Text: "where is my order?", MessageID: "SM123",
			Profile: map[string]any{"phone": "+14155550100"},
		}, ""},
		{"no MessageSid", func(v url.Values) { v.Del("MessageSid") }, Inbound{}, "MessageSid is missing"},
		{"no From", func(v url.Values) { v.Del("From") }, Inbound{}, "From is missing"},
		{"empty Body", func(v url.Values) { v.Set("Body", "  ") }, Inbound{}, "Body is missing"},
		{"From not a phone", func(v url.Values) { v.Set("From", "+1 415 CALL ME") }, Inbound{}, "From: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := valid()
			tt.edit(form)
			got, err := ParseTwilioSMS(formRequest(form))
			checkErr(t, err, tt.wantErr)
			if tt.wantErr != "" {
				return
			}
			if d := cmp.Diff(tt.want, got, ignoreReceivedAt); d != "" {
				t.Errorf("inbound (-want +got):\n%s", d)
			}
			if got.ReceivedAt.IsZero() {
				t.Error("ReceivedAt is not set")
			}
		})
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Fatalf("no error, want one containing %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Fatalf("error %q does not contain %q", err, want)
	case want != "" && !errors.Is(err, ErrInvalid):
		t.Fatalf("error %q does not wrap ErrInvalid", err)
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{"+86 138-1234-5678", "+8613812345678", ""},
		{"(415) 555.0100", "4155550100", ""},
		{"+1+2", "", "not a phone number"},
		{"12", "", "not a phone number"},
		{"whatsapp:+1415", "", "not a phone number"},
	}
	for _, tt := range tests {
		got, err := NormalizePhone(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("NormalizePhone(%q) = %q, %v; want error %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseEmail(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    Inbound
		wantErr string
	}{
		{
			name: "reply with quoted history and signature",
			body: `{"from": "Ann Lee <Ann@Example.com>", "to": "Shop <help@shop.example>", "subject": "Re: your order",
				"text": "Where is order AB123456?\r\n\r\n-- \r\nAnn Lee\r\nSent from my phone\r\n", "message_id": "<abc@mail.example>"}`,
			want: Inbound{Channel: "email", From: "ann@example.com", To: "help@shop.example", Subject: "Re: your order",
				Text: "Where is order AB123456?", MessageID: "abc@mail.example",
				Profile: map[string]any{"email": "ann@example.com", "name": "Ann Lee"}},
		},
		{
			name: "on ... wrote and > lines",
			body: `{"from": "bo@example.com", "text": "Yes please refund it.\n> earlier line\nThanks\n\nOn Mon, 23 Nov 2026 at 10:00, Shop <help@shop.example> wrote:\n> Do you want a refund?\n> Reply yes or no", "message_id": "m2"}`,
			want: Inbound{Channel: "email", From: "bo@example.com", Text: "Yes please refund it.\nThanks", MessageID: "m2",
				Profile: map[string]any{"email": "bo@example.com"}},
		},
		{
			name: "wrapped wrote line",
			body: `{"from": "bo@example.com", "text": "cancel it\n\nOn Mon, 23 Nov 2026 at 10:00, Shop Support\n<help@shop.example> wrote:\nquoted without markers", "message_id": "m3"}`,
			want: Inbound{Channel: "email", From: "bo@example.com", Text: "cancel it", MessageID: "m3",
				Profile: map[string]any{"email": "bo@example.com"}},
		},
		{
			name: "chinese client quote",
			body: `{"from": "王芳 <wang@example.cn>", "subject": "退款", "text": "我要退款\n\n在 2026年11月23日 10:00，客服 <help@shop.example> 写道：\n> 请问有什么可以帮您？", "message_id": "m4"}`,
			want: Inbound{Channel: "email", From: "wang@example.cn", Subject: "退款", Text: "我要退款", MessageID: "m4",
				Profile: map[string]any{"email": "wang@example.cn", "name": "王芳"}},
		},
		{
			name: "html only",
			body: `{"from": "cy@example.com", "html": "<html><head><style>p{}</style></head><body><p>Track &amp; trace <b>AB123456</b></p><div>thanks</div><blockquote>old mail</blockquote></body></html>", "message_id": "m5"}`,
			want: Inbound{Channel: "email", From: "cy@example.com", Text: "Track & trace AB123456\nthanks", MessageID: "m5",
				Profile: map[string]any{"email": "cy@example.com"}},
		},
		{name: "no from", body: `{"text": "hi", "message_id": "x"}`, wantErr: "from is missing"},
		{name: "bad from", body: `{"from": "not an address", "text": "hi", "message_id": "x"}`, wantErr: "from: "},
		{name: "bad to", body: `{"from": "a@example.com", "to": "@@", "text": "hi", "message_id": "x"}`, wantErr: "to: "},
		{name: "no text", body: `{"from": "a@example.com", "message_id": "x"}`, wantErr: "text and html are both empty"},
		{name: "only quote", body: `{"from": "a@example.com", "text": "> old\n> older", "message_id": "x"}`, wantErr: "nothing but quoted history"},
		{name: "not json", body: `{"from": `, wantErr: "not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseEmail([]byte(tt.body))
			checkErr(t, err, tt.wantErr)
			if tt.wantErr != "" {
				return
			}
			if d := cmp.Diff(tt.want, got, ignoreReceivedAt); d != "" {
				t.Errorf("inbound (-want +got):\n%s", d)
			}
		})
	}
}

// Without a Message-ID a provider's retry must still be recognised.
func TestParseEmailDerivesStableMessageID(t *testing.T) {
	body := []byte(`{"from": "Ann <ann@example.com>", "subject": "order", "text": "where is it?"}`)
	a, errA := ParseEmail(body)
	b, errB := ParseEmail(body)
	other, errC := ParseEmail([]byte(`{"from": "Ann <ann@example.com>", "subject": "order", "text": "cancel it"}`))
	if err := errors.Join(errA, errB, errC); err != nil {
		t.Fatal(err)
	}
	if a.MessageID == "" || a.MessageID != b.MessageID || a.MessageID == other.MessageID {
		t.Errorf("derived ids: %q, %q, other %q; want equal for the same email and different otherwise", a.MessageID, b.MessageID, other.MessageID)
	}
}

func TestParseWebhook(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    Inbound
		wantErr string
	}{
		{
			name: "valid with profile",
			body: `{"channel": "whatsapp", "user_id": "wa-77", "text": "hi", "message_id": "w1", "profile": {"name": "Ann", "phone": "+1 415 555 0100", "email": "Ann@Example.com", "vip": true}}`,
			want: Inbound{Channel: "webhook:whatsapp", From: "wa-77", Text: "hi", MessageID: "w1",
				Profile: map[string]any{"name": "Ann", "phone": "+14155550100", "email": "ann@example.com", "vip": true}},
		},
		{
			name: "no profile",
			body: `{"channel": "app", "user_id": "u1", "text": "hello", "message_id": "w2"}`,
			want: Inbound{Channel: "webhook:app", From: "u1", Text: "hello", MessageID: "w2", Profile: map[string]any{}},
		},
		{name: "no channel", body: `{"user_id": "u1", "text": "hi", "message_id": "w"}`, wantErr: "channel is missing"},
		{name: "bad channel", body: `{"channel": "Whats App", "user_id": "u1", "text": "hi", "message_id": "w"}`, wantErr: `channel "Whats App"`},
		{name: "no user_id", body: `{"channel": "app", "text": "hi", "message_id": "w"}`, wantErr: "user_id is missing"},
		{name: "no text", body: `{"channel": "app", "user_id": "u1", "message_id": "w"}`, wantErr: "text is missing"},
		{name: "no message_id", body: `{"channel": "app", "user_id": "u1", "text": "hi"}`, wantErr: "message_id is missing"},
		{name: "bad phone", body: `{"channel": "app", "user_id": "u1", "text": "hi", "message_id": "w", "profile": {"phone": 12}}`, wantErr: "profile.phone"},
		{name: "bad email", body: `{"channel": "app", "user_id": "u1", "text": "hi", "message_id": "w", "profile": {"email": "nope"}}`, wantErr: "profile.email"},
		{name: "unknown field", body: `{"channel": "app", "user": "u1"}`, wantErr: `unknown field "user"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseWebhook([]byte(tt.body))
			checkErr(t, err, tt.wantErr)
			if tt.wantErr != "" {
				return
			}
			if d := cmp.Diff(tt.want, got, ignoreReceivedAt); d != "" {
				t.Errorf("inbound (-want +got):\n%s", d)
			}
		})
	}
}

func TestInboundIdentities(t *testing.T) {
	in := Inbound{Profile: map[string]any{"email": "a@example.com", "phone": "+14155550100", "name": "A"}}
	want := []Identity{{Kind: "phone", Value: "+14155550100"}, {Kind: "email", Value: "a@example.com"}}
	if d := cmp.Diff(want, in.Identities()); d != "" {
		t.Errorf("identities (-want +got):\n%s", d)
	}
}
