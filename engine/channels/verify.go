package channels

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// ErrSignature: a webhook's signature is missing or does not match, so it did
// not come from the provider.
var ErrSignature = errors.New("bad webhook signature")

// SignatureHeader carries the HMAC of generic webhooks, both ways.
const SignatureHeader = "X-Parley-Signature"

// VerifyTwilio checks X-Twilio-Signature as Twilio documents it: base64 of
// HMAC-SHA1, keyed by the auth token, over the full URL Twilio requested
// followed by every POST parameter name and value, sorted by name.
// publicURL is the server's address as Twilio sees it (scheme, host and any
// prefix a proxy strips, e.g. "https://parley.example.com"); the request's
// path and query are appended. Empty: the request's own Host is used.
func VerifyTwilio(r *http.Request, publicURL, authToken string) error {
	got := r.Header.Get("X-Twilio-Signature")
	if got == "" {
		return fmt.Errorf("%w: X-Twilio-Signature is missing", ErrSignature)
	}
	if err := r.ParseForm(); err != nil {
		return fmt.Errorf("%w: form body: %v", ErrInvalid, err)
	}
	want := TwilioSignature(requestURL(r, publicURL), r.PostForm, authToken)
	if !hmac.Equal([]byte(got), []byte(want)) {
		return fmt.Errorf("%w: X-Twilio-Signature does not match", ErrSignature)
	}
	return nil
}

// TwilioSignature computes the X-Twilio-Signature of a form post to fullURL.
func TwilioSignature(fullURL string, form map[string][]string, authToken string) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range keys {
		vals := append([]string(nil), form[k]...)
		sort.Strings(vals)
		for _, v := range vals {
			b.WriteString(k)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func requestURL(r *http.Request, publicURL string) string {
	if publicURL == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
			scheme = p
		}
		publicURL = scheme + "://" + r.Host
	}
	return strings.TrimRight(publicURL, "/") + r.URL.RequestURI()
}

// SignHMAC is the X-Parley-Signature value for body: "sha256=" and the hex
// HMAC-SHA256 keyed by secret.
func SignHMAC(body []byte, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifyHMAC checks an X-Parley-Signature header against body, in constant time.
func VerifyHMAC(body []byte, header, secret string) error {
	if header == "" {
		return fmt.Errorf("%w: %s is missing", ErrSignature, SignatureHeader)
	}
	hexSum, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return fmt.Errorf("%w: %s must be sha256=<hex>", ErrSignature, SignatureHeader)
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil {
		return fmt.Errorf("%w: %s is not hex", ErrSignature, SignatureHeader)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return fmt.Errorf("%w: %s does not match", ErrSignature, SignatureHeader)
	}
	return nil
}
