package channels

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkParsed holds every parser to one contract: an error is ErrInvalid, and
// a message it accepts has a sender, an id and visible text, all valid UTF-8
// without NUL (so every store can keep it).
func checkParsed(t *testing.T, in Inbound, err error) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("error %v is not ErrInvalid", err)
		}
		return
	}
	if in.From == "" || in.MessageID == "" || Blank(in.Text) {
		t.Fatalf("accepted a message without sender, id or text: %+v", in)
	}
	for _, s := range []string{in.From, in.To, in.Text, in.Subject, in.MessageID} {
		if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
			t.Fatalf("accepted %q: invalid UTF-8 or NUL", s)
		}
	}
}

func FuzzParseWebhook(f *testing.F) {
	for _, seed := range []string{
		`{"channel":"whatsapp","user_id":"u1","text":"where is my order AB123456?","message_id":"m1","profile":{"name":"Ann","phone":"+86 138 0013 8000","email":"Ann@Example.com"}}`,
		`{"channel":"wa","user_id":"u1","text":"hi","message_id":"m1"}{"channel":"wa"}`,
		`{"channel":"wa","user_id":"u1","text":"\u200b","message_id":"m1"}`,
		`{"channel":"wa","user_id":"u\u0000","text":"hi","message_id":"m1"}`,
		`{"channel":"WA!","user_id":"u1","text":"hi","message_id":"m1"}`,
		`{"channel":"wa","user_id":"u1","text":"hi","message_id":"m1","profile":{"nested":{"a":["\u0000"]}}}`,
		`{"channel":"wa","user_id":"u1","text":"hi","message_id":"m1","extra":1}`,
		"", "null", "[]", "{", "\xff\xfe",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := ParseWebhook(body)
		checkParsed(t, in, err)
		if err == nil && !strings.HasPrefix(in.Channel, "webhook:") {
			t.Fatalf("channel %q", in.Channel)
		}
	})
}

func FuzzParseEmail(f *testing.F) {
	for _, seed := range []string{
		`{"from":"Ann <Ann@Example.com>","to":"help@shop.example","subject":"Order","text":"Where is AB123456?\n\nOn Mon, Parley <help@shop.example> wrote:\n> hello","message_id":"<e1@example.com>"}`,
		`{"from":"ann@example.com","html":"<p>hi<br>there</p><blockquote>old</blockquote>"}`,
		`{"from":"ann@example.com","text":"-- \nsignature only"}`,
		`{"from":"not an address","text":"hi"}`,
		`{"from":"ann@example.com","text":"\u0000"}`,
		`{"from":"ann@example.com","to":",,,","text":"hi"}`,
		"", "{}", "\xff",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := ParseEmail(body)
		checkParsed(t, in, err)
	})
}

func FuzzParseTwilioSMS(f *testing.F) {
	for _, seed := range []string{
		"MessageSid=SM1&From=%2B8613800138000&To=%2B8610000&Body=where+is+AB123456",
		"MessageSid=SM1&From=%2B8613800138000&To=%2B8610000&Body=%E2%80%8B",
		"MessageSid=SM1&From=%2B8613800138000&To=%2B8610000&Body=hi%00",
		"MessageSid=SM1&From=abc&To=%2B1&Body=hi",
		"MessageSid=SM%FF&From=%2B8613800138000&To=%2B8610000&Body=%FF%FE",
		"%zz", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, form string) {
		r := httptest.NewRequest("POST", "/v1/channels/sms", strings.NewReader(form))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		in, err := ParseTwilioSMS(r)
		checkParsed(t, in, err)
	})
}
