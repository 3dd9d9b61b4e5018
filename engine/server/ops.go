package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/engine"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/policies"
)

// Defaults for ServerConfig.RateLimit and RateBurst: generous for a person
// chatting (a message every few seconds), tight for a script.
const (
	DefaultRateLimit = 20
	DefaultRateBurst = 40
)

// readyTimeout bounds the readiness checks: an orchestrator's probe gives up
// after a second or so, and a slow answer must not read as "down".
const readyTimeout = 2 * time.Second

// Metrics returns the server's metrics, for the caller to set the version
// parley_build_info reports and to count what it serves itself.
func (s *Server) Metrics() *Metrics { return s.metrics }

// routesOps registers the operator routes: liveness, readiness and metrics.
func (s *Server) routesOps() {
	s.echo.GET("/healthz", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	})
	s.echo.GET("/readyz", s.readyz)
	metrics := s.metrics.Handler()
	s.echo.GET("/metrics", func(c echo.Context) error {
		metrics.ServeHTTP(c.Response(), c.Request())
		return nil
	})
}

// readiness is the body of /readyz.
type readiness struct {
	Status  string   `json:"status"` // ready or unavailable
	Bot     string   `json:"bot,omitempty"`
	Reasons []string `json:"reasons,omitempty"`
	// Connectors are information only: the bot stays ready when a backend is
	// down, since its policies say what to tell the customer then (on_error),
	// and taking it out of rotation would answer no one at all.
	Connectors []engine.ConnectorHealth `json:"connectors"`
	Error      *apiError                `json:"error,omitempty"`
}

type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// readyz answers 200 when the store answers a query and policies are loaded,
// 503 with the reasons otherwise.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), readyTimeout)
	defer cancel()
	e := s.Engine()
	out := readiness{Status: "ready", Connectors: []engine.ConnectorHealth{}}
	if e == nil || e.Bot() == nil {
		out.Reasons = append(out.Reasons, "no policies are loaded")
	} else {
		out.Bot = e.Bot().Name
		healthDone := make(chan []engine.ConnectorHealth, 1)
		go func() { healthDone <- e.ConnectorHealth(ctx) }()
		if err := pingStore(ctx, e.Store()); err != nil {
			out.Reasons = append(out.Reasons, "store: "+err.Error())
		}
		out.Connectors = <-healthDone
	}
	if len(out.Reasons) == 0 {
		return c.JSON(http.StatusOK, out)
	}
	out.Status = "unavailable"
	out.Error = &apiError{Code: "unavailable", Message: strings.Join(out.Reasons, "; ")}
	return c.JSON(http.StatusServiceUnavailable, out)
}

// pingStore asks the store for a conversation that does not exist: the
// cheapest query every store answers, and one that takes no lock.
func pingStore(ctx context.Context, st store.Store) error {
	if st == nil {
		return errors.New("no store")
	}
	_, err := st.Conversation(ctx, "readyz-probe")
	if err == nil || errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// rateLimit limits each client to rate requests per second with bursts of
// burst (ServerConfig.RateLimit and RateBurst), answering 429 with Retry-After
// past it. rate 0 means DefaultRateLimit and DefaultRateBurst; a negative rate
// turns limiting off; burst 0 with a rate set means twice the rate.
func rateLimit(rate float64, burst int, key func(echo.Context) string) echo.MiddlewareFunc {
	switch {
	case rate < 0:
		return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
	case rate == 0:
		rate = DefaultRateLimit
		if burst == 0 {
			burst = DefaultRateBurst
		}
	}
	if burst <= 0 {
		burst = int(math.Max(1, math.Ceil(2*rate)))
	}
	return newRateLimiter(rate, burst, time.Now).middleware(key)
}

// maxBuckets bounds the limiter's memory when many clients (or a scan with
// forged keys) arrive at once; beyond it, new clients share one bucket, so a
// flood of fresh keys is limited as one client rather than not at all.
const maxBuckets = 100_000

// rateLimiter keeps one token bucket per client key.
type rateLimiter struct {
	rate  float64 // tokens per second
	burst float64
	now   func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
	// idleAfter: a bucket untouched this long has refilled to full, so
	// dropping it changes nothing for its client.
	idleAfter time.Duration
}

type bucket struct {
	tokens float64
	last   time.Time
}

const overflowKey = "\x00overflow"

func newRateLimiter(rate float64, burst int, now func() time.Time) *rateLimiter {
	idle := time.Duration(float64(burst) / rate * float64(time.Second))
	return &rateLimiter{
		rate: rate, burst: float64(burst), now: now,
		buckets: map[string]*bucket{}, lastSweep: now(), idleAfter: max(idle, time.Second),
	}
}

// allow takes a token from key's bucket; when there is none, it says how long
// until there will be.
func (l *rateLimiter) allow(key string) (ok bool, retryAfter time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= l.idleAfter {
		l.sweep(now)
	}
	b := l.buckets[key]
	if b == nil {
		// No sweep here: under a flood of new keys it would scan the whole map
		// for every request. The periodic sweep catches up within idleAfter.
		if len(l.buckets) >= maxBuckets {
			key = overflowKey
			b = l.buckets[key]
		}
		if b == nil {
			b = &bucket{tokens: l.burst, last: now}
			l.buckets[key] = b
		}
	}
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = math.Min(l.burst, b.tokens+elapsed*l.rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := (1 - b.tokens) / l.rate
	return false, time.Duration(wait * float64(time.Second))
}

// sweep drops buckets that have refilled; called with mu held.
func (l *rateLimiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if now.Sub(b.last) >= l.idleAfter {
			delete(l.buckets, k)
		}
	}
	l.lastSweep = now
}

func (l *rateLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

func (l *rateLimiter) middleware(key func(echo.Context) string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ok, wait := l.allow(key(c))
			if ok {
				return next(c)
			}
			secs := int(math.Ceil(wait.Seconds()))
			c.Response().Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
			return c.JSON(http.StatusTooManyRequests, map[string]any{"error": apiError{
				Code:    "rate_limited",
				Message: fmt.Sprintf("too many requests: at most %g per second; retry in %d s", l.rate, max(secs, 1)),
			}})
		}
	}
}

// clientKey names who is asking by the credential they send, unchecked, else
// their IP address. Keys are hashed so the limiter's memory holds no
// credentials. Servers use Server.rateKey, which believes only credentials that
// check out.
func clientKey(c echo.Context) string {
	r := c.Request()
	cred := ""
	if auth := r.Header.Get("Authorization"); len(auth) > 7 && strings.EqualFold(auth[:7], "Bearer ") {
		cred = auth[7:]
	} else if v := r.URL.Query().Get("token"); v != "" {
		cred = v
	} else if v := r.URL.Query().Get("key"); v != "" {
		cred = v
	}
	if cred != "" {
		sum := sha256.Sum256([]byte(cred))
		return "k:" + hex.EncodeToString(sum[:12])
	}
	return "ip:" + clientIP(c)
}

// clientIP is the peer's address; proxy headers are believed only when the
// server was told which proxies to trust (echo's IPExtractor), since anyone can
// send X-Forwarded-For and would get a fresh bucket per forged address.
func clientIP(c echo.Context) string {
	if c.Echo().IPExtractor != nil {
		return c.RealIP()
	}
	host, _, err := net.SplitHostPort(c.Request().RemoteAddr)
	if err != nil {
		return c.Request().RemoteAddr
	}
	return host
}

// requestIDHeader carries a request's id: a caller's own (a proxy's, say) is
// kept so one id follows the request through every log.
const requestIDHeader = "X-Request-Id"

// requestIDKey is where requestLog leaves the id in the echo context.
const requestIDKey = "request_id"

// RequestID returns the id requestLog gave the request ("" outside it).
func RequestID(c echo.Context) string {
	id, _ := c.Get(requestIDKey).(string)
	return id
}

// requestLog writes one structured line per request: method, route pattern,
// path, status, duration, response size and request id; successful reads at
// debug level. It never logs bodies or
// query strings (tokens and keys travel in them, and messages are personal
// data), and masks emails, phone and card numbers in what it does log, since
// paths can carry ids a channel chose (a phone number as a customer id).
func requestLog(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			started := time.Now()
			id := c.Request().Header.Get(requestIDHeader)
			if !validRequestID(id) {
				id = newRequestID()
			}
			c.Set(requestIDKey, id)
			c.Response().Header().Set(requestIDHeader, id)

			err := next(c)
			if err != nil {
				c.Error(err) // so the status logged is the one sent
			}
			status := c.Response().Status
			level := slog.LevelInfo
			switch method := c.Request().Method; {
			case status >= 500:
				level = slog.LevelError
			case status >= 400:
				level = slog.LevelWarn
			case method == http.MethodGet || method == http.MethodHead:
				// Reads that went well (health checks, the console's polling,
				// pages) would drown what changed: at debug level.
				level = slog.LevelDebug
			}
			attrs := []slog.Attr{
				slog.Any("request_id", logID(id)),
				slog.String("method", c.Request().Method),
				slog.String("route", routeLabel(c)),
				slog.Any("path", logPath(c.Request().URL.Path)),
				slog.Int("status", status),
				slog.Duration("duration", time.Since(started)),
				slog.Int64("bytes", c.Response().Size),
			}
			if err != nil && status >= 500 {
				attrs = append(attrs, slog.String("error", maskString(policies.DefaultMasker, err.Error())))
			}
			logger.LogAttrs(c.Request().Context(), level, "http request", attrs...)
			return nil
		}
	}
}

// validRequestID accepts ids a proxy would send (uuids, hex, base64url) and
// refuses anything that could forge log lines or bloat them.
func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
