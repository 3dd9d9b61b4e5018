package server

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/engine/desk"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine/store"
)

var (
	errUnauthorized = echo.NewHTTPError(http.StatusUnauthorized, "a valid API key or conversation token is required (Authorization: Bearer ...)")
	errForbidden    = echo.NewHTTPError(http.StatusForbidden, "this key may not do that")
	errDisabled     = echo.NewHTTPError(http.StatusForbidden, "this agent is disabled; an admin can enable them again")
)

// conversationClaims are what a conversation token carries: which conversation it
// opens, the customer id it resolved to (never an email or phone: tokens sit in
// browsers' storage and WebSocket URLs), and until when. Signed, so it needs no
// storage and survives restarts as long as the secret does.
type conversationClaims struct {
	ConversationID string `json:"c"`
	CustomerID     string `json:"u,omitempty"`
	Channel        string `json:"ch,omitempty"`
	Language       string `json:"l,omitempty"`
	// Profile is what the visitor said about themselves, sealed (sealProfile).
	Profile string `json:"p,omitempty"`
	Expires int64  `json:"exp"` // Unix seconds
}

// tokenLifetime is how long a web chat can come back to its conversation.
const tokenLifetime = 30 * 24 * time.Hour

// tokenSigner signs conversation tokens and seals the profiles in them. It
// keys its HMAC and derives the profile cipher once: every customer request
// verifies a token, and keying them anew cost more than the check itself.
type tokenSigner struct {
	macs *sync.Pool // of *keyedMAC
	// profile seals profiles (identity.go); GCM keeps no state between
	// calls, so one serves every request.
	profile cipher.AEAD
}

func newTokenSigner(secret []byte) tokenSigner {
	key := slices.Clone(secret)
	return tokenSigner{
		macs:    &sync.Pool{New: func() any { return &keyedMAC{h: hmac.New(sha256.New, key)} }},
		profile: profileCipher(key),
	}
}

func (t tokenSigner) sign(c conversationClaims) string {
	raw, _ := json.Marshal(c)
	body := base64.RawURLEncoding.EncodeToString(raw)
	var mac [macLen]byte
	return body + "." + string(t.mac(mac[:0], body))
}

// macLen is the length of a token's MAC: 32 bytes in unpadded base64.
const macLen = 43

// mac appends the base64 MAC of a token's body to dst.
func (t tokenSigner) mac(dst []byte, body string) []byte {
	m := t.macs.Get().(*keyedMAC)
	defer func() {
		if cap(m.buf) > 4096 {
			m.buf = nil // a forged, oversized token's buffer is not kept
		}
		t.macs.Put(m)
	}()
	m.h.Reset()
	// One Write from a kept buffer: writing the string itself would copy it
	// to a new slice on every call.
	m.buf = append(append(m.buf[:0], "parley-conversation:"...), body...)
	m.h.Write(m.buf)
	var sum [sha256.Size]byte
	return base64.RawURLEncoding.AppendEncode(dst, m.h.Sum(sum[:0]))
}

// keyedMAC is an HMAC keyed with the secret and a buffer for its input.
type keyedMAC struct {
	h   hash.Hash
	buf []byte
}

func (t tokenSigner) verify(token string) (conversationClaims, bool) {
	var c conversationClaims
	body, mac, ok := strings.Cut(token, ".")
	var want [macLen]byte
	if !ok || subtle.ConstantTimeCompare([]byte(mac), t.mac(want[:0], body)) != 1 {
		return c, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || json.Unmarshal(raw, &c) != nil || c.ConversationID == "" || time.Now().Unix() > c.Expires {
		return c, false
	}
	return c, true
}

// NewAPIKey makes a random API key.
func NewAPIKey() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return "pk_" + base64.RawURLEncoding.EncodeToString(b)
}

// caller is who is making a request.
type caller struct {
	agent        *store.Agent        // an API key's agent (or the admin token)
	conversation *conversationClaims // a customer's conversation token
}

const callerKey = "parley.caller"

// bearer is the credential a request carries: "Authorization: Bearer ...", or,
// on a WebSocket upgrade only, ?token= or ?key= (browsers can't set headers on
// a WebSocket). Anywhere else a credential in the URL is ignored: URLs end up
// in browser history, proxy logs and Referer headers.
func bearer(c echo.Context) string {
	h := c.Request().Header.Get("Authorization")
	if v, ok := strings.CutPrefix(h, "Bearer "); ok {
		return strings.TrimSpace(v)
	}
	if !isWebSocketUpgrade(c.Request()) {
		return ""
	}
	if v := c.QueryParam("token"); v != "" {
		return v
	}
	return c.QueryParam("key")
}

func isWebSocketUpgrade(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// identify works out who calls: an agent key, the admin token, a conversation
// token, or nobody.
func (s *Server) identify(c echo.Context) (caller, error) {
	if v, ok := c.Get(callerKey).(caller); ok {
		return v, nil
	}
	var who caller
	tok := bearer(c)
	switch {
	case tok == "":
		// Nobody: customers start conversations and agents sign in with a key,
		// on loopback too (the demo agent's key there).
	case s.cfg.Token != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.Token)) == 1:
		who.agent = &store.Agent{ID: "admin", Name: "Admin", Role: desk.RoleAdmin, Status: "online"}
	case strings.HasPrefix(tok, "pk_"):
		a, err := s.store.AgentByKeyHash(c.Request().Context(), store.HashAPIKey(tok))
		if errors.Is(err, store.ErrNotFound) {
			return who, errUnauthorized
		}
		if err != nil {
			return who, fmt.Errorf("check API key: %w", err)
		}
		if a.Disabled {
			return who, errDisabled
		}
		who.agent = &a
	default:
		claims, ok := s.tokens.verify(tok)
		if !ok {
			return who, errUnauthorized
		}
		who.conversation = &claims
	}
	c.Set(callerKey, who)
	return who, nil
}

// requireRole lets through agents with at least role.
func (s *Server) requireRole(role string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			who, err := s.identify(c)
			if err != nil {
				return err
			}
			if who.agent == nil {
				return errUnauthorized
			}
			if desk.RoleRank(who.agent.Role) < desk.RoleRank(role) {
				return errForbidden
			}
			return next(c)
		}
	}
}

// requireConversation lets through the conversation's own token, or a
// supervisor's (or admin's) key: an agent reads conversations through the
// handoffs they hold (GET /v1/agent/handoffs/{id}), not any conversation.
func (s *Server) requireConversation(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		who, err := s.identify(c)
		if err != nil {
			return err
		}
		switch {
		case who.agent != nil && desk.RoleRank(who.agent.Role) < desk.RoleRank(desk.RoleSupervisor):
			return errForbidden
		case who.agent != nil:
		case who.conversation != nil && who.conversation.ConversationID == c.Param("id"):
		case who.conversation != nil:
			return errForbidden
		default:
			return errUnauthorized
		}
		return next(c)
	}
}

func agentOf(c echo.Context) store.Agent {
	who, _ := c.Get(callerKey).(caller)
	if who.agent == nil {
		return store.Agent{}
	}
	return *who.agent
}
