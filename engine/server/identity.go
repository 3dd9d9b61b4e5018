package server

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/store"
)

// A visitor's email or phone links them to a customer (and shows the agent
// that customer's history and identities) only when someone vouches for it:
// a channel that verified the sender (a signed webhook), or the site the chat
// is embedded in, which knows its signed-in user and signs their identity
// with PARLEY_IDENTITY_SECRET. What a visitor merely types in is kept as an
// unverified attribute the agent sees labelled as such.

// SignedIdentity is what an embedding site vouches for: its signed-in user's
// email and phone (either may be empty), until Expires (Unix seconds).
// Signature is hex HMAC-SHA256, keyed with PARLEY_IDENTITY_SECRET, of
// IdentityMessage(email, phone, expires).
type SignedIdentity struct {
	Email     string `json:"email"`
	Phone     string `json:"phone"`
	Expires   int64  `json:"expires"`
	Signature string `json:"signature"`
}

// IdentityMessage is the text an embedding site signs, exactly as the email
// and phone are sent:
//
//	parley-identity:v1\n<email>\n<phone>\n<expires>
func IdentityMessage(email, phone string, expires int64) string {
	return "parley-identity:v1\n" + email + "\n" + phone + "\n" + strconv.FormatInt(expires, 10)
}

// SignIdentity signs an identity as an embedding site's server does.
func SignIdentity(secret, email, phone string, expires int64) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(IdentityMessage(email, phone, expires)))
	return hex.EncodeToString(m.Sum(nil))
}

// verifyIdentity checks a signed identity and returns its identities,
// normalized, phone first (as channel webhooks resolve them).
func (s *Server) verifyIdentity(id SignedIdentity, now time.Time) ([]store.Identity, error) {
	if s.cfg.IdentitySecret == "" {
		return nil, fmt.Errorf("%w: identity: this server verifies no identities; set PARLEY_IDENTITY_SECRET to accept signed ones", engine.ErrInvalidInput)
	}
	if id.Email == "" && id.Phone == "" {
		return nil, fmt.Errorf("%w: identity: give an email, a phone or both", engine.ErrInvalidInput)
	}
	want := SignIdentity(s.cfg.IdentitySecret, id.Email, id.Phone, id.Expires)
	if !hmac.Equal([]byte(want), []byte(id.Signature)) {
		return nil, echo.NewHTTPError(http.StatusUnauthorized, "identity.signature does not match; sign \"parley-identity:v1\\n<email>\\n<phone>\\n<expires>\" with PARLEY_IDENTITY_SECRET (HMAC-SHA256, hex)")
	}
	if now.Unix() > id.Expires {
		return nil, echo.NewHTTPError(http.StatusUnauthorized, "identity has expired; sign a fresh one")
	}
	var ids []store.Identity
	if id.Phone != "" {
		phone, err := channels.NormalizePhone(id.Phone)
		if err != nil {
			return nil, fmt.Errorf("%w: identity.phone: %v", engine.ErrInvalidInput, err)
		}
		ids = append(ids, store.Identity{Channel: "phone", ExternalID: phone})
	}
	if id.Email != "" {
		addr, _, err := channels.NormalizeEmail(id.Email)
		if err != nil {
			return nil, fmt.Errorf("%w: identity.email: %v", engine.ErrInvalidInput, err)
		}
		ids = append(ids, store.Identity{Channel: "email", ExternalID: addr})
	}
	return ids, nil
}

// sealProfile encrypts what a visitor said about themselves into their
// conversation token: it reaches the handoff with each message without being
// stored before there is a conversation, and a token (kept in browser storage
// and WebSocket URLs) shows none of it.
func (t tokenSigner) sealProfile(profile map[string]string) string {
	if len(profile) == 0 {
		return ""
	}
	plain, _ := json.Marshal(profile)
	aead := t.profile
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, plain, nil))
}

// openProfile reverses sealProfile; anything that does not open is no profile.
func (t tokenSigner) openProfile(sealed string) map[string]string {
	if sealed == "" {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(sealed)
	aead := t.profile
	if err != nil || len(raw) < aead.NonceSize() {
		return nil
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], nil)
	if err != nil {
		return nil
	}
	var profile map[string]string
	if json.Unmarshal(plain, &profile) != nil {
		return nil
	}
	return profile
}

// profileCipher is AES-256-GCM under a key derived from the token secret (a
// different use gets a different key).
func profileCipher(secret []byte) cipher.AEAD {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("parley-profile-key"))
	block, _ := aes.NewCipher(m.Sum(nil))
	aead, _ := cipher.NewGCM(block)
	return aead
}
