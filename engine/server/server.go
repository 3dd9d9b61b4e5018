// Package server is Parley's HTTP side, built on the engine (turns) and the desk
// (the human side): it authenticates callers, decodes requests, maps errors to
// statuses, and wakes live connections. It holds no business rules of its own.
package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/engine"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
)

// Server is Parley's HTTP side: the customer API and web chat, channel webhooks,
// the agent inbox and console, and operations endpoints. Routes are grouped by
// who calls them, one file each (customer.go, agent.go, operator.go,
// channels.go, ops.go, web.go).
type Server struct {
	engine  atomic.Pointer[engine.Engine]
	store   store.Store
	cfg     ServerConfig
	echo    *echo.Echo
	log     *slog.Logger
	hub     *hub
	metrics *Metrics
	tokens  tokenSigner
	queues  *desk.QueueReporter

	// inflight counts turns in progress per engine, so a hot reload closes the
	// old engine only after its last turn.
	mu       sync.Mutex
	inflight map[*engine.Engine]*sync.WaitGroup

	// sending counts replies still going out on channels; dispatch sends each
	// conversation's outbox in order (outbox.go).
	sending  sync.WaitGroup
	dispatch dispatcher
	routing  sync.Mutex
	// following: the store's change feed is running (Run), so WebSockets need
	// no periodic re-read.
	following atomic.Bool

	// reloadsStarted numbers reloads; reloadSwapped (under reloadMu) is the
	// newest one in service, so an older one finishing late is dropped.
	reloadsStarted atomic.Uint64
	reloadMu       sync.Mutex
	reloadSwapped  uint64
	// v serves a candidate version of the policies beside the current one
	// (versions.go).
	v versions
}

// ServerConfig configures the HTTP side.
type ServerConfig struct {
	// Token, when set, is an admin API key ("Authorization: Bearer TOKEN"), for
	// bootstrapping: agents and their keys are created with it. Agent and
	// admin routes always need a key; without Token there is no admin key,
	// only agents' own.
	Token string
	// RequireAuth says the server is exposed beyond a laptop: unsigned channel
	// webhooks are refused (anyone could write "from" any phone or email).
	// Without it and without Token, requests must name a loopback host.
	RequireAuth bool
	// Secret signs conversation tokens; nil: a random one, so tokens do not
	// survive a restart. `parley serve` keeps one in the data folder.
	Secret []byte
	Logger *slog.Logger
	// Senders deliver replies on channels other than web and API, by channel name
	// (sms, email, or a webhook channel's own name).
	Senders map[string]channels.Sender
	// RateLimit is requests per second per client (agent, conversation, or
	// address) with bursts of RateBurst; 0: 20 per second, bursts of 40.
	// Negative: no limit. RateBurst 0 with a rate set: twice the rate.
	RateLimit float64
	RateBurst int
	// RouteEvery is how often waiting conversations are offered to available
	// agents; 0: every 2 seconds. Negative: never (tests route by hand).
	RouteEvery time.Duration
	// SweepEvery is how often approvals nobody decided are expired, decisions a
	// crash left undone are finished and tickets past their due time flagged;
	// 0: every 30 seconds. Negative: never (tests sweep by hand).
	SweepEvery time.Duration
	// Outbox tunes the sending of messages on channels: retries and how often
	// messages a crash left pending are looked for.
	Outbox OutboxConfig
	// WebSocketPing is how often live connections are pinged; one silent for
	// two and a half pings is closed. 0: DefaultWebSocketPing.
	WebSocketPing time.Duration

	// Channel webhooks.
	TwilioAuthToken string // verifies X-Twilio-Signature when set
	PublicURL       string // the URL Twilio posts to, for the signature
	WebhookSecret   string // verifies X-Parley-Signature when set
	// IdentitySecret verifies the identities an embedding site signs for its
	// signed-in users (SignedIdentity); without it a visitor's email or phone
	// is only an unverified attribute.
	IdentitySecret string
}

// NewServer builds the server around an engine. Close it to stop its background
// work (routing, live updates).
func NewServer(e *engine.Engine, cfg ServerConfig) *Server {
	s := &Server{
		store:    e.Store(),
		cfg:      cfg,
		log:      cfg.Logger,
		hub:      newHub(),
		metrics:  NewMetrics(),
		inflight: map[*engine.Engine]*sync.WaitGroup{},
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	secret := cfg.Secret
	if len(secret) == 0 {
		secret = make([]byte, 32)
		_, _ = rand.Read(secret)
	}
	s.tokens = newTokenSigner(secret)
	s.metrics.SetLive(s.liveInbox)
	if gc, ok := s.store.(store.GroupCommitter); ok {
		s.metrics.SetGroupCommits(gc.GroupCommits)
	}
	s.queues = desk.NewQueueReporter(s.store, func() time.Time { return s.Engine().Now() })
	s.adopt(e)
	s.engine.Store(e)

	srv := echo.New()
	srv.HideBanner = true
	srv.HidePort = true
	srv.HTTPErrorHandler = writeError
	srv.Use(s.metrics.Middleware())
	srv.Use(requestLog(s.log))
	srv.Use(refuseNUL)
	if !cfg.RequireAuth && cfg.Token == "" {
		srv.Use(loopbackHostOnly)
	}
	// A message is at most engine.MaxMessageBytes of text; leave room for the JSON around it.
	// Channel webhooks have their own limits: an email with its quoted history is
	// larger, and providers post from a few addresses at a rate no customer would.
	notChannels := func(mw echo.MiddlewareFunc) echo.MiddlewareFunc {
		return func(next echo.HandlerFunc) echo.HandlerFunc {
			limited := mw(next)
			return func(c echo.Context) error {
				if strings.HasPrefix(c.Request().URL.Path, "/v1/channels/") {
					return next(c)
				}
				return limited(c)
			}
		}
	}
	srv.Use(notChannels(bodyLimit(2*engine.MaxMessageBytes + 4096)))
	srv.Use(notChannels(rateLimit(cfg.RateLimit, cfg.RateBurst, s.rateKey)))
	s.echo = srv

	s.routesOps()
	s.routesCustomer()
	s.routesQueue()
	s.routesAgent()
	s.routesWorkspace()
	s.routesAdmin()
	s.routesOperator()
	s.routesTickets()
	s.routesApprovals()
	s.routesReports()
	s.routesPolicies()
	s.routesChannels()
	s.routesIntake()
	s.routesWeb()
	s.routesOpenAPI()
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// rateKey names a client for rate limiting: an agent or a conversation whose
// credential checks out (many customers share an office's address), else the
// address. An unchecked credential must not count: a client sending a new made-up
// token with each request would get a fresh allowance each time.
func (s *Server) rateKey(c echo.Context) string {
	who, err := s.identify(c)
	switch {
	case err != nil:
	case who.agent != nil:
		return "a:" + who.agent.ID
	case who.conversation != nil:
		return "c:" + who.conversation.ConversationID
	}
	return "ip:" + clientIP(c)
}

// engine.Engine is the engine serving now; a hot reload replaces it.
func (s *Server) Engine() *engine.Engine { return s.engine.Load() }

// Swap puts a new engine in service and returns the old one once its turns in
// progress have finished, for the caller to close.
func (s *Server) Swap(e *engine.Engine) *engine.Engine {
	old, drained := s.swapEngine(e)
	drained()
	return old
}

// swapEngine puts e in service and returns the old engine with a func that
// waits for the old engine's turns in progress.
func (s *Server) swapEngine(e *engine.Engine) (*engine.Engine, func()) {
	s.adopt(e)
	old := s.engine.Swap(e)
	s.mu.Lock()
	wg := s.inflight[old]
	delete(s.inflight, old)
	s.mu.Unlock()
	if wg == nil {
		return old, func() {}
	}
	return old, wg.Wait
}

// acquire returns the current engine and a release func; Swap waits for it.
func (s *Server) acquire() (*engine.Engine, func()) {
	s.mu.Lock()
	e := s.engine.Load()
	wg := s.inflight[e]
	if wg == nil {
		wg = &sync.WaitGroup{}
		s.inflight[e] = wg
	}
	wg.Add(1)
	s.mu.Unlock()
	return e, wg.Done
}

// Run routes waiting conversations to agents, sweeps the desk (see
// ServerConfig.SweepEvery), and follows the changes other instances make (when
// the store has a change feed), until ctx ends.
func (s *Server) Run(ctx context.Context) {
	var wg sync.WaitGroup
	if feed, ok := s.store.(store.ChangeFeed); ok {
		// following is set by the feed's first Resync, which comes once it
		// really listens.
		wg.Go(func() {
			defer s.following.Store(false)
			_ = feed.Changes(ctx, s.changed)
		})
	}
	wg.Go(func() { every(ctx, s.cfg.RouteEvery, 2*time.Second, s.route) })
	wg.Go(func() {
		// At once on start: a crash may have left decisions to finish.
		if s.cfg.SweepEvery >= 0 {
			s.sweep(ctx)
		}
		every(ctx, s.cfg.SweepEvery, 30*time.Second, s.sweep)
	})
	wg.Go(func() {
		// At once on start: a crash may have left replies unsent.
		s.dispatchDue(ctx)
		every(ctx, s.cfg.Outbox.withDefaults().Every, 0, s.dispatchDue)
	})
	wg.Wait()
}

// every runs fn every period (def when 0; never when negative) until ctx ends.
func every(ctx context.Context, period, def time.Duration, fn func(context.Context)) {
	if period == 0 {
		period = def
	}
	if period < 0 {
		<-ctx.Done()
		return
	}
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn(ctx)
		}
	}
}

// changed wakes the connections a change by another instance concerns, as
// announce does for this instance's own turns.
func (s *Server) changed(c store.Change) {
	switch {
	case c.Resync:
		s.following.Store(true)
		s.hub.publishAll()
		s.hub.publishAgents(agentUpdate{Type: "queue_changed"})
	default:
		s.hub.publishConversation(c.ConversationID)
		if c.Handoff {
			s.hub.publishAgents(agentUpdate{Type: "queue_changed"})
		}
		if c.HandedOff || c.Handoff {
			s.hub.publishAgents(agentUpdate{Type: "conversation_changed", ConversationID: c.ConversationID})
		}
		for _, t := range c.Tickets {
			s.hub.publishAgents(agentUpdate{Type: "ticket_created", TicketID: t.ID, Queue: t.Queue, ConversationID: c.ConversationID})
		}
		for _, a := range c.Approvals {
			s.hub.publishAgents(agentUpdate{Type: "approval_requested", ApprovalID: a.ID, Queue: a.Queue, ConversationID: c.ConversationID})
		}
	}
}

func (s *Server) route(ctx context.Context) {
	// One routing pass at a time: two at once would both see an agent with room
	// for one more conversation and both give them one.
	s.routing.Lock()
	defer s.routing.Unlock()
	e, release := s.acquire()
	defer release()
	routed, err := desk.New(e).Route(ctx)
	if err != nil {
		s.log.Warn("routing", "error", err)
	}
	for _, h := range routed {
		s.hub.publishConversation(h.ConversationID)
		s.hub.publishAgents(agentUpdate{Type: "queue_changed"})
	}
}

// Close stops live updates (open WebSockets get a going-away close) and waits
// for replies still going out on channels, up to ctx.
func (s *Server) Close(ctx context.Context) error {
	s.hub.close()
	// Conversations being sent finish; what is left pending (retries, and
	// what arrives from now on) is sent after the restart.
	s.dispatch.mu.Lock()
	s.dispatch.closed = true
	s.dispatch.mu.Unlock()
	done := make(chan struct{})
	go func() { s.sending.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("replies still being sent at shutdown: %w", ctx.Err())
	}
}

// Echo exposes the router, for tests that add routes.
func (s *Server) Echo() *echo.Echo { return s.echo }

// loopbackHostOnly guards a server without credentials (a laptop): requests
// must name a loopback host, so a web page whose own host name resolves to
// 127.0.0.1 (DNS rebinding) can't read conversations through the browser.
func loopbackHostOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		host := c.Request().Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.Trim(host, "[]")
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return echo.NewHTTPError(http.StatusForbidden, "this server has no API token, so it answers only on localhost; set PARLEY_API_TOKEN to serve other hosts")
		}
		return next(c)
	}
}

// paging reads ?after=SEQ&limit=N (default 500, at most 5000).
func paging(c echo.Context) (after int64, limit int, err error) {
	limit = 500
	if v := c.QueryParam("after"); v != "" {
		if after, err = strconv.ParseInt(v, 10, 64); err != nil || after < 0 {
			return 0, 0, fmt.Errorf("%w: after must be an event seq", engine.ErrInvalidInput)
		}
	}
	if v := c.QueryParam("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 5000 {
			return 0, 0, fmt.Errorf("%w: limit must be from 1 to 5000", engine.ErrInvalidInput)
		}
	}
	return after, limit, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func decodeJSON(c echo.Context, v any) error {
	// Browsers send text/plain across sites without asking first; insisting on
	// JSON keeps other sites' pages from posting to the API (and to an open
	// server on a developer's laptop).
	if ct := c.Request().Header.Get("Content-Type"); c.Request().ContentLength != 0 && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the request body as JSON, with Content-Type: application/json")
	}
	if err := utf8Only(c); err != nil {
		return err
	}
	// Every caller's body is bounded (bodyLimit, or the route's own limit).
	raw, err := io.ReadAll(c.Request().Body)
	if err == nil && !utf8.Valid(raw) {
		// The decoder would quietly turn the bytes into U+FFFD: the customer's
		// words would be garbled, not refused as webhooks' are.
		return fmt.Errorf("%w: %s is not valid UTF-8; send the body as UTF-8", engine.ErrInvalidInput, utf8Field(raw))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err == nil {
		err = dec.Decode(v)
	}
	if err == nil {
		// One JSON value and nothing after it: trailing bytes are a client
		// bug (two objects, a truncated concatenation) to report, not ignore.
		if _, more := dec.Token(); more != io.EOF {
			err = errors.New("there is more after the JSON object; send exactly one")
		}
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fmt.Errorf("%w: request body is over %d bytes", engine.ErrMessageTooLarge, tooBig.Limit)
		}
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%w: request body is empty; send a JSON object", engine.ErrInvalidInput)
		}
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			// By the field's JSON name and type, not the Go struct's.
			if typeErr.Field == "" {
				return fmt.Errorf("%w: request body must be a JSON object, not %s", engine.ErrInvalidInput, jsonKind(typeErr.Value))
			}
			return fmt.Errorf("%w: %s must be %s, not %s", engine.ErrInvalidInput, typeErr.Field, jsonTypeName(typeErr.Type), jsonKind(typeErr.Value))
		}
		return fmt.Errorf("%w: request body: %v", engine.ErrInvalidInput, err)
	}
	// JSON can carry U+0000 only as the escape \u0000 (a raw NUL byte in a
	// string is a syntax error), so a body without one needs no walk through
	// what it decoded to.
	if bytes.Contains(raw, []byte(`\u0000`)) {
		if field := nulField(v); field != "" {
			return errNUL(field)
		}
	}
	return nil
}

func bodyLimit(n int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, n)
			return next(c)
		}
	}
}

// writeError is the one place errors become HTTP responses: {"error": {"code", "message"}}.
func writeError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := HTTPStatus(err)
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status = he.Code
	}
	msg := err.Error()
	if he != nil {
		msg = fmt.Sprint(he.Message)
	}
	if status == http.StatusInternalServerError {
		c.Logger().Error(err)
		msg = "internal error"
	}
	_ = c.JSON(status, map[string]any{"error": map[string]any{"code": errorCode(status), "message": msg}})
}

func errorCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "invalid_input"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusConflict:
		return "conflict"
	case http.StatusUnauthorized:
		return "unauthorized"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusTooManyRequests:
		return "rate_limited"
	case http.StatusServiceUnavailable:
		return "unavailable"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	case http.StatusInternalServerError:
		return "internal"
	default:
		return strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
	}
}

// RunSweeper settles the outcomes of conversations whose customers went quiet,
// with the engine serving at each pass, until ctx ends.
func (s *Server) RunSweeper(ctx context.Context, every time.Duration, logf func(error)) {
	if every <= 0 {
		every = time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		e, release := s.acquire()
		for {
			n, err := e.SettleDue(ctx, 200)
			if err != nil && ctx.Err() == nil && logf != nil {
				logf(err)
			}
			if err != nil || n < 200 {
				break
			}
		}
		release()
	}
}
