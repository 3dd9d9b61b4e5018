// Package backend is a small HTTP service standing in for the shop's order,
// customer (CRM), refund and ticket systems. The shop bot (examples/shop) talks
// to it through the generic http connector; tests start it in-process and demos
// run it with cmd/shop-backend.
//
// It is deliberately strict where a real payment system is: refunds need an
// Idempotency-Key, a key is never applied twice (not even by concurrent
// duplicates or a retry after a timeout that succeeded on the server), and
// faults can be injected to prove the bot copes.
//
// Routes (JSON everywhere; errors are {"error":{"code":"...","message":"..."}}):
//
//	GET    /healthz
//	GET    /orders/{id}
//	POST   /orders/{id}/refunds   (Idempotency-Key required)
//	PUT    /orders/{id}/address   (Idempotency-Key optional)
//	GET    /customers/{id}
//	GET    /customers?email=...  or  ?phone=...
//	POST   /tickets               (Idempotency-Key optional)
//	GET    /tickets/{id}
//
// With Options.Faults, also: POST/GET/DELETE /_faults, GET /_stats, POST /_reset.
package backend

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Options configures a Server. The zero value is usable.
type Options struct {
	// Now stamps created_at fields; defaults to time.Now.
	Now func() time.Time
	// Logger receives one line per request and per committed change; defaults to discarding.
	Logger *slog.Logger
	// Faults enables the /_faults, /_stats and /_reset endpoints. The Go methods
	// (InjectFault, Stats, Reset...) work regardless.
	Faults bool
}

// Stats counts what the server did since it started or was last Reset.
type Stats struct {
	// RefundsApplied is the number of refunds committed per order id.
	RefundsApplied map[string]int `json:"refunds_applied"`
	// AddressUpdates is the number of address changes committed per order id.
	AddressUpdates map[string]int `json:"address_updates"`
	TicketsCreated int            `json:"tickets_created"`
	// Requests counts requests per route pattern, e.g. "POST /orders/{id}/refunds";
	// requests that match no route count under "unmatched".
	Requests map[string]int `json:"requests"`
	// IdempotentReplays counts requests answered from a stored idempotent response.
	IdempotentReplays int `json:"idempotent_replays"`
	// FaultsTriggered counts requests an injected fault applied to.
	FaultsTriggered int `json:"faults_triggered"`
}

// Server is the backend; it implements http.Handler and is safe for concurrent use.
type Server struct {
	now func() time.Time
	log *slog.Logger
	mux *http.ServeMux

	// mu guards the data, the idempotency records and the stats. Each request's
	// check-work-record sequence runs entirely under it, which is what makes a
	// concurrent duplicate see the first request's stored response.
	mu          sync.Mutex
	orders      map[string]*order
	customers   map[string]*customer
	tickets     map[string]*ticket
	idempotency map[string]idempotencyRecord
	lastRefund  int
	lastTicket  int
	stats       Stats

	faultMu sync.Mutex
	faults  []*activeFault
}

const (
	maxBodyBytes          = 1 << 20
	maxIdempotencyKeyLen  = 255
	minAddressLen         = 10
	maxAddressLen         = 500
	maxTextLen            = 2000
	idempotencyKeyHeader  = "Idempotency-Key"
	idempotentReplayed    = "Idempotent-Replayed"
	firstGeneratedIDValue = 1000
)

// New returns a Server loaded with the seed data.
func New(opts Options) *Server {
	s := &Server{now: opts.Now, log: opts.Logger, mux: http.NewServeMux()}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.Reset()

	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /orders/{id}", s.getOrder)
	s.mux.HandleFunc("POST /orders/{id}/refunds", s.createRefund)
	s.mux.HandleFunc("PUT /orders/{id}/address", s.updateAddress)
	s.mux.HandleFunc("GET /customers/{id}", s.getCustomer)
	s.mux.HandleFunc("GET /customers", s.findCustomer)
	s.mux.HandleFunc("POST /tickets", s.createTicket)
	s.mux.HandleFunc("GET /tickets/{id}", s.getTicket)
	if opts.Faults {
		s.mux.HandleFunc("POST /_faults", s.postFault)
		s.mux.HandleFunc("GET /_faults", s.getFaults)
		s.mux.HandleFunc("DELETE /_faults", s.deleteFaults)
		s.mux.HandleFunc("GET /_stats", s.getStats)
		s.mux.HandleFunc("POST /_reset", s.postReset)
	}
	return s
}

// Reset restores the seed data, forgets idempotency keys, zeroes the stats and
// clears faults, so each test can start from the same place.
func (s *Server) Reset() {
	s.mu.Lock()
	s.orders = seedOrders()
	s.customers = seedCustomers()
	s.tickets = map[string]*ticket{}
	s.idempotency = map[string]idempotencyRecord{}
	s.lastRefund = firstGeneratedIDValue
	s.lastTicket = firstGeneratedIDValue
	s.stats = Stats{RefundsApplied: map[string]int{}, AddressUpdates: map[string]int{}, Requests: map[string]int{}}
	s.mu.Unlock()
	s.ClearFaults()
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.RefundsApplied = maps.Clone(s.stats.RefundsApplied)
	st.AddressUpdates = maps.Clone(s.stats.AddressUpdates)
	st.Requests = maps.Clone(s.stats.Requests)
	return st
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w}
	handler, pattern := s.mux.Handler(r)
	admin := strings.HasPrefix(r.URL.Path, "/_")
	switch {
	case pattern == "":
		s.count(func(st *Stats) { st.Requests["unmatched"]++ })
		serveUnmatched(rec, r, handler)
	case admin:
		s.mux.ServeHTTP(rec, r)
	default:
		s.count(func(st *Stats) { st.Requests[pattern]++ })
		if f, ok := s.takeFault(r.Method, r.URL.Path); ok {
			s.serveWithFault(rec, r, f, s.mux)
		} else {
			s.mux.ServeHTTP(rec, r)
		}
	}
	s.log.InfoContext(r.Context(), "request",
		"method", r.Method, "path", r.URL.Path, "status", rec.statusCode(),
		"replayed", rec.Header().Get(idempotentReplayed) == "true",
		"duration_ms", time.Since(start).Milliseconds())
}

func (s *Server) count(update func(*Stats)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	update(&s.stats)
}

func (s *Server) countFault() { s.count(func(st *Stats) { st.FaultsTriggered++ }) }

// serveUnmatched turns the mux's plain-text 404 and 405 into JSON errors.
func serveUnmatched(w http.ResponseWriter, r *http.Request, handler http.Handler) {
	buf := &bufferedResponse{header: http.Header{}}
	handler.ServeHTTP(buf, r)
	switch buf.statusCode() {
	case http.StatusNotFound:
		writeError(w, http.StatusNotFound, "not_found", fmt.Sprintf("no route for %s %s", r.Method, r.URL.Path))
	case http.StatusMethodNotAllowed:
		w.Header().Set("Allow", buf.header.Get("Allow"))
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed",
			fmt.Sprintf("%s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, buf.header.Get("Allow")))
	default: // e.g. the mux's redirect to a cleaned path
		buf.copyTo(w)
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// ---- orders ----

type orderJSON struct {
	ID         string  `json:"id"`
	Status     string  `json:"status"`
	Carrier    string  `json:"carrier"`
	ETA        string  `json:"eta"`
	Total      float64 `json:"total"`
	Currency   string  `json:"currency"`
	Email      string  `json:"email"`
	CustomerID string  `json:"customer_id"`
	Refunded   float64 `json:"refunded"`
	Address    string  `json:"address"`
}

func (o *order) view() orderJSON {
	return orderJSON{
		ID: o.ID, Status: o.Status, Carrier: o.Carrier, ETA: o.ETA,
		Total: fromCents(o.TotalCents), Currency: currency, Email: o.Email,
		CustomerID: o.CustomerID, Refunded: fromCents(o.RefundedCents), Address: o.Address,
	}
}

// validOrderID reports whether id looks like AB123456.
func validOrderID(id string) bool {
	if len(id) != 8 {
		return false
	}
	for i := range len(id) {
		c := id[i]
		if i < 2 && (c < 'A' || c > 'Z') || i >= 2 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// orderID returns the path's order id, answering 400 when it is malformed.
func orderID(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := r.PathValue("id")
	if !validOrderID(id) {
		writeError(w, http.StatusBadRequest, "invalid",
			fmt.Sprintf("order id %q is malformed: expected two capital letters and six digits, like AB123456", id))
		return "", false
	}
	return id, true
}

func orderNotFound(id string) response {
	return errorResponse(http.StatusNotFound, "not_found", fmt.Sprintf("order %s not found", id))
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) {
	id, ok := orderID(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	o := s.orders[id]
	var view orderJSON
	if o != nil {
		view = o.view()
	}
	s.mu.Unlock()
	if o == nil {
		orderNotFound(id).write(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"order": view})
}

// ---- refunds ----

type refundRequest struct {
	Amount *float64 `json:"amount"`
	Reason string   `json:"reason"`
}

type refundJSON struct {
	ID        string  `json:"id"`
	OrderID   string  `json:"order_id"`
	Amount    float64 `json:"amount"`
	Currency  string  `json:"currency"`
	Reason    string  `json:"reason"`
	Status    string  `json:"status"`
	CreatedAt string  `json:"created_at"`
}

func (s *Server) createRefund(w http.ResponseWriter, r *http.Request) {
	id, ok := orderID(w, r)
	if !ok {
		return
	}
	key, ok := idempotencyKey(w, r, true)
	if !ok {
		return
	}
	var req refundRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	switch {
	case req.Amount == nil:
		writeError(w, http.StatusBadRequest, "invalid", `field "amount" is required`)
		return
	case utf8.RuneCountInString(req.Reason) > maxTextLen:
		writeError(w, http.StatusBadRequest, "invalid", fmt.Sprintf(`field "reason" must be at most %d characters`, maxTextLen))
		return
	}
	s.idempotent(w, r, key, req, func() response {
		o := s.orders[id]
		if o == nil {
			return orderNotFound(id)
		}
		amount := *req.Amount
		if !(amount > 0) {
			return errorResponse(http.StatusUnprocessableEntity, "rejected",
				fmt.Sprintf("refund amount must be greater than 0, got %s", formatAmount(amount)))
		}
		refundable := o.TotalCents - o.RefundedCents
		if refundable <= 0 {
			return errorResponse(http.StatusConflict, "rejected",
				fmt.Sprintf("order %s is already fully refunded (%s %s)", id, formatCents(o.RefundedCents), currency))
		}
		cents, exact := toCents(amount)
		if cents > refundable || amount > fromCents(refundable) {
			return errorResponse(http.StatusUnprocessableEntity, "rejected",
				fmt.Sprintf("refund amount %v exceeds the %s %s still refundable on order %s (total %s, already refunded %s)",
					amount, formatCents(refundable), currency, id, formatCents(o.TotalCents), formatCents(o.RefundedCents)))
		}
		if !exact {
			return errorResponse(http.StatusUnprocessableEntity, "rejected",
				fmt.Sprintf("refund amount %v has more than two decimal places", amount))
		}
		o.RefundedCents += cents
		s.lastRefund++
		s.stats.RefundsApplied[id]++
		refund := refundJSON{
			ID: fmt.Sprintf("RF-%d", s.lastRefund), OrderID: id, Amount: fromCents(cents), Currency: currency,
			Reason: req.Reason, Status: "approved", CreatedAt: s.now().UTC().Format(time.RFC3339),
		}
		s.log.InfoContext(r.Context(), "refund applied", "refund_id", refund.ID, "order_id", id,
			"amount", refund.Amount, "refunded_total", fromCents(o.RefundedCents))
		return jsonResponse(http.StatusCreated, map[string]any{"refund": refund})
	})
}

// ---- address ----

type addressRequest struct {
	Address *string `json:"address"`
}

func (s *Server) updateAddress(w http.ResponseWriter, r *http.Request) {
	id, ok := orderID(w, r)
	if !ok {
		return
	}
	key, ok := idempotencyKey(w, r, false)
	if !ok {
		return
	}
	var req addressRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	if req.Address == nil {
		writeError(w, http.StatusBadRequest, "invalid", `field "address" is required`)
		return
	}
	address := strings.TrimSpace(*req.Address)
	s.idempotent(w, r, key, req, func() response {
		o := s.orders[id]
		if o == nil {
			return orderNotFound(id)
		}
		if o.Status == "shipped" || o.Status == "delivered" {
			return errorResponse(http.StatusConflict, "rejected",
				fmt.Sprintf("order %s has already %s; its address can no longer be changed", id, o.Status))
		}
		if n := utf8.RuneCountInString(address); n < minAddressLen || n > maxAddressLen {
			return errorResponse(http.StatusUnprocessableEntity, "invalid",
				fmt.Sprintf("address must be %d to %d characters, got %d", minAddressLen, maxAddressLen, n))
		}
		o.Address = address
		s.stats.AddressUpdates[id]++
		s.log.InfoContext(r.Context(), "address updated", "order_id", id)
		return jsonResponse(http.StatusOK, map[string]string{"order_id": id, "status": "updated", "address": address})
	})
}

// ---- customers ----

type customerJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Tier     string `json:"tier"`
	VIP      bool   `json:"vip"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	Language string `json:"language"`
}

func (c *customer) view() customerJSON {
	return customerJSON{ID: c.ID, Name: c.Name, Tier: c.Tier, VIP: c.Tier == "vip", Email: c.Email, Phone: c.Phone, Language: c.Language}
}

func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	c := s.customers[id]
	var view customerJSON
	if c != nil {
		view = c.view()
	}
	s.mu.Unlock()
	if c == nil {
		writeError(w, http.StatusNotFound, "not_found", fmt.Sprintf("customer %q not found", id))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"customer": view})
}

func (s *Server) findCustomer(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	for name := range query {
		if name != "email" && name != "phone" {
			writeError(w, http.StatusBadRequest, "invalid", fmt.Sprintf("unknown query parameter %q; search by email or phone", name))
			return
		}
	}
	email := strings.TrimSpace(query.Get("email"))
	phone := digits(query.Get("phone"))
	if email == "" && phone == "" {
		writeError(w, http.StatusBadRequest, "invalid", "give an email or phone query parameter, e.g. /customers?email=ann@example.com")
		return
	}
	s.mu.Lock()
	var found *customerJSON
	for _, c := range s.customers {
		if (email == "" || strings.EqualFold(c.Email, email)) && (phone == "" || samePhone(c.Phone, phone)) {
			view := c.view()
			found = &view
			break
		}
	}
	s.mu.Unlock()
	if found == nil {
		writeError(w, http.StatusNotFound, "not_found", "no customer matches "+strings.TrimPrefix(describeQuery(email, query.Get("phone")), " "))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"customer": *found})
}

func describeQuery(email, phone string) string {
	var parts []string
	if email != "" {
		parts = append(parts, fmt.Sprintf("email %q", email))
	}
	if phone != "" {
		parts = append(parts, fmt.Sprintf("phone %q", phone))
	}
	return strings.Join(parts, " and ")
}

// digits keeps only the digits, because callers write phones as "+86 138-0000-0001"
// and an unescaped "+" in a query string arrives as a space.
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// samePhone compares digit strings, accepting a number given without the +86 country code.
func samePhone(stored, queryDigits string) bool {
	storedDigits := digits(stored)
	return storedDigits == queryDigits || storedDigits == "86"+queryDigits
}

// ---- tickets ----

type ticketRequest struct {
	Subject    string `json:"subject"`
	Queue      string `json:"queue"`
	Priority   string `json:"priority"`
	CustomerID string `json:"customer_id"`
}

type ticket struct {
	ID         string `json:"id"`
	Subject    string `json:"subject"`
	Queue      string `json:"queue"`
	Priority   string `json:"priority"`
	CustomerID string `json:"customer_id"`
	Status     string `json:"status"`
	CreatedAt  string `json:"created_at"`
}

var ticketPriorities = map[string]bool{"low": true, "normal": true, "high": true, "urgent": true}

func (s *Server) createTicket(w http.ResponseWriter, r *http.Request) {
	key, ok := idempotencyKey(w, r, false)
	if !ok {
		return
	}
	var req ticketRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	req.Subject = strings.TrimSpace(req.Subject)
	req.Queue = strings.TrimSpace(req.Queue)
	if req.Priority == "" {
		req.Priority = "normal"
	}
	switch {
	case req.Subject == "":
		writeError(w, http.StatusBadRequest, "invalid", `field "subject" is required`)
		return
	case utf8.RuneCountInString(req.Subject) > maxTextLen:
		writeError(w, http.StatusBadRequest, "invalid", fmt.Sprintf(`field "subject" must be at most %d characters`, maxTextLen))
		return
	case req.Queue == "":
		writeError(w, http.StatusBadRequest, "invalid", `field "queue" is required`)
		return
	case !ticketPriorities[req.Priority]:
		writeError(w, http.StatusUnprocessableEntity, "invalid",
			fmt.Sprintf(`field "priority" must be one of low, normal, high, urgent; got %q`, req.Priority))
		return
	}
	s.idempotent(w, r, key, req, func() response {
		if req.CustomerID != "" && s.customers[req.CustomerID] == nil {
			return errorResponse(http.StatusUnprocessableEntity, "invalid", fmt.Sprintf("customer %q not found", req.CustomerID))
		}
		s.lastTicket++
		t := &ticket{
			ID: fmt.Sprintf("TK-%d", s.lastTicket), Subject: req.Subject, Queue: req.Queue, Priority: req.Priority,
			CustomerID: req.CustomerID, Status: "open", CreatedAt: s.now().UTC().Format(time.RFC3339),
		}
		s.tickets[t.ID] = t
		s.stats.TicketsCreated++
		s.log.InfoContext(r.Context(), "ticket created", "ticket_id", t.ID, "queue", t.Queue, "priority", t.Priority)
		return jsonResponse(http.StatusCreated, map[string]any{"ticket": *t})
	})
}

func (s *Server) getTicket(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	var found *ticket
	if t := s.tickets[id]; t != nil {
		copied := *t
		found = &copied
	}
	s.mu.Unlock()
	if found == nil {
		writeError(w, http.StatusNotFound, "not_found", fmt.Sprintf("ticket %q not found", id))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ticket": *found})
}

// ---- admin (Options.Faults) ----

func (s *Server) postFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if !decodeJSON(w, r, &f) {
		return
	}
	if err := s.addFault(f); err != nil {
		writeError(w, http.StatusBadRequest, "invalid", err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"fault": f, "faults": s.listFaults()})
}

func (s *Server) getFaults(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"faults": s.listFaults()})
}

func (s *Server) deleteFaults(w http.ResponseWriter, r *http.Request) {
	cleared := len(s.listFaults())
	s.ClearFaults()
	writeJSON(w, http.StatusOK, map[string]any{"cleared": cleared})
}

func (s *Server) getStats(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.Stats())
}

func (s *Server) postReset(w http.ResponseWriter, r *http.Request) {
	s.Reset()
	s.log.InfoContext(r.Context(), "reset to seed data")
	writeJSON(w, http.StatusOK, map[string]string{"status": "reset"})
}

// ---- idempotency ----

// idempotencyRecord is the stored outcome of the first request with a key.
// fingerprint covers method, path and the decoded body, so a key reused for
// something else is refused instead of silently replaying the wrong answer.
type idempotencyRecord struct {
	fingerprint string
	response    response
}

// idempotencyKey reads the Idempotency-Key header; "" means none was given.
func idempotencyKey(w http.ResponseWriter, r *http.Request, required bool) (string, bool) {
	key := strings.TrimSpace(r.Header.Get(idempotencyKeyHeader))
	switch {
	case key == "" && required:
		writeError(w, http.StatusBadRequest, "idempotency_key_required",
			fmt.Sprintf("%s %s needs an %s header so a retry can never apply it twice", r.Method, r.URL.Path, idempotencyKeyHeader))
		return "", false
	case len(key) > maxIdempotencyKeyLen:
		writeError(w, http.StatusBadRequest, "invalid",
			fmt.Sprintf("%s header must be at most %d characters", idempotencyKeyHeader, maxIdempotencyKeyLen))
		return "", false
	}
	return key, true
}

// idempotent runs work under s.mu, once per key: a repeat with the same
// request replays the stored response; the same key on a different request
// is refused. Holding s.mu across check, work and record means a concurrent
// duplicate simply waits, then finds the record. Every outcome of work is
// recorded, rejections included, so a replay always agrees with the original.
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request, key string, req any, work func() response) {
	if key == "" {
		s.mu.Lock()
		resp := work()
		s.mu.Unlock()
		resp.write(w)
		return
	}
	body, err := json.Marshal(req)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", fmt.Sprintf("fingerprint request: %v", err))
		return
	}
	fingerprint := r.Method + " " + r.URL.Path + " " + string(body)

	s.mu.Lock()
	rec, seen := s.idempotency[key]
	switch {
	case seen && rec.fingerprint != fingerprint:
		s.mu.Unlock()
		writeError(w, http.StatusUnprocessableEntity, "idempotency_key_reused",
			fmt.Sprintf("%s %q was already used for a different request; use a new key for a new request", idempotencyKeyHeader, key))
		return
	case seen:
		s.stats.IdempotentReplays++
		s.mu.Unlock()
		w.Header().Set(idempotentReplayed, "true")
		rec.response.write(w)
		return
	}
	resp := work()
	s.idempotency[key] = idempotencyRecord{fingerprint: fingerprint, response: resp}
	s.mu.Unlock()
	resp.write(w)
}

// ---- JSON plumbing ----

// response is a finished JSON response, kept as bytes so a replay is byte-identical.
type response struct {
	status int
	body   []byte
}

func jsonResponse(status int, v any) response {
	body, err := json.Marshal(v)
	if err != nil {
		return errorResponse(http.StatusInternalServerError, "internal", fmt.Sprintf("encode response: %v", err))
	}
	return response{status: status, body: append(body, '\n')}
}

func errorResponse(status int, code, message string) response {
	body, _ := json.Marshal(map[string]any{"error": map[string]string{"code": code, "message": message}})
	return response{status: status, body: append(body, '\n')}
}

func (resp response) write(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

func writeJSON(w http.ResponseWriter, status int, v any) { jsonResponse(status, v).write(w) }

func writeError(w http.ResponseWriter, status int, code, message string) {
	errorResponse(status, code, message).write(w)
}

// decodeJSON reads exactly one JSON object with only known fields into dst,
// answering 400 (or 413) with a message naming the problem when it can't.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil {
		if extra := dec.Decode(&struct{}{}); !errors.Is(extra, io.EOF) {
			err = errors.New("trailing data after the JSON object")
		}
	}
	if err == nil {
		return true
	}
	var (
		tooLarge  *http.MaxBytesError
		syntax    *json.SyntaxError
		wrongType *json.UnmarshalTypeError
	)
	status, message := http.StatusBadRequest, ""
	switch {
	case errors.As(err, &tooLarge):
		status, message = http.StatusRequestEntityTooLarge, fmt.Sprintf("request body exceeds %d bytes", maxBodyBytes)
	case errors.Is(err, io.EOF):
		message = "request body is empty; expected a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		message = "request body ends in the middle of a JSON value"
	case errors.As(err, &syntax):
		message = fmt.Sprintf("request body is not valid JSON (at byte %d): %v", syntax.Offset, syntax)
	case errors.As(err, &wrongType) && wrongType.Field != "":
		message = fmt.Sprintf("field %q must be a %s, got a JSON %s", wrongType.Field, jsonKind(wrongType.Type.Kind().String()), wrongType.Value)
	case errors.As(err, &wrongType):
		message = fmt.Sprintf("request body must be a JSON object, got a JSON %s", wrongType.Value)
	default:
		message = "request body: " + strings.TrimPrefix(err.Error(), "json: ")
	}
	code := "invalid"
	if status == http.StatusRequestEntityTooLarge {
		code = "too_large"
	}
	writeError(w, status, code, message)
	return false
}

func jsonKind(goKind string) string {
	switch goKind {
	case "float64", "float32", "int", "int64":
		return "number"
	case "ptr":
		return "number" // only *float64 fields are pointers here
	case "bool":
		return "boolean"
	case "struct", "map":
		return "object"
	}
	return goKind
}

// Money is kept in cents so that "amount <= total - refunded" is exact.
func toCents(amount float64) (int64, bool) {
	cents := math.Round(amount * 100)
	if cents > math.MaxInt64/2 {
		return math.MaxInt64 / 2, false
	}
	return int64(cents), math.Abs(amount*100-cents) < 1e-6
}

func fromCents(cents int64) float64 { return float64(cents) / 100 }

func formatCents(cents int64) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }

func formatAmount(amount float64) string { return fmt.Sprintf("%.2f", amount) }

// statusRecorder remembers the status for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(status int) {
	if s.status == 0 {
		s.status = status
	}
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusRecorder) statusCode() int { return s.status }
