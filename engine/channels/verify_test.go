package channels

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestVerifyTwilio(t *testing.T) {
	const token = "12345"
	form := url.Values{"To": {"+18005551212"}, "From": {"+12349013030"}, "Body": {"hi"}, "MessageSid": {"SM1"}}
	// The vector, spelled out as Twilio documents it: URL, then name+value
	// pairs sorted by name.
	signed := "https://parley.example.com/v1/channels/sms?x=1" + "Bodyhi" + "From+12349013030" + "MessageSidSM1" + "To+18005551212"
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(signed))
	good := base64.StdEncoding.EncodeToString(mac.Sum(nil))

	tests := []struct {
		name      string
		publicURL string
		signature string
		form      url.Values
		wantErr   string
	}{
		{"valid", "https://parley.example.com", good, form, ""},
		{"trailing slash in public url", "https://parley.example.com/", good, form, ""},
		{"missing", "https://parley.example.com", "", form, "X-Twilio-Signature is missing"},
		{"wrong url", "https://evil.example.com", good, form, "does not match"},
		{"tampered body", "https://parley.example.com", good, url.Values{"To": {"+18005551212"}, "From": {"+12349013030"}, "Body": {"refund all"}, "MessageSid": {"SM1"}}, "does not match"},
		{"host from request", "", good, form, "does not match"}, // httptest's host is example.com
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/v1/channels/sms?x=1", strings.NewReader(tt.form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.signature != "" {
				r.Header.Set("X-Twilio-Signature", tt.signature)
			}
			err := VerifyTwilio(r, tt.publicURL, token)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				// The form is still there for the parser.
				if in, err := ParseTwilioSMS(r); err != nil || in.Text != "hi" {
					t.Errorf("parse after verify: %+v, %v", in, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrSignature) {
				t.Errorf("error = %v, want ErrSignature containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestVerifyHMAC(t *testing.T) {
	body := []byte(`{"channel":"app","user_id":"u1","text":"hi","message_id":"w1"}`)
	mac := hmac.New(sha256.New, []byte("s3cret"))
	mac.Write(body)
	good := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if got := SignHMAC(body, "s3cret"); got != good {
		t.Fatalf("SignHMAC = %s, want %s", got, good)
	}
	tests := []struct {
		name, header, secret string
		body                 []byte
		wantErr              string
	}{
		{"valid", good, "s3cret", body, ""},
		{"missing", "", "s3cret", body, "is missing"},
		{"no prefix", strings.TrimPrefix(good, "sha256="), "s3cret", body, "must be sha256=<hex>"},
		{"not hex", "sha256=zz", "s3cret", body, "not hex"},
		{"wrong secret", good, "other", body, "does not match"},
		{"tampered", good, "s3cret", bytes.Replace(body, []byte("hi"), []byte("ho"), 1), "does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifyHMAC(tt.body, tt.header, tt.secret)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrSignature) {
				t.Errorf("error = %v, want ErrSignature containing %q", err, tt.wantErr)
			}
		})
	}
}
