package backend

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Fault makes matching requests fail or slow down, so tests and demos can show
// how the bot copes with an unreliable backend.
//
//   - Status alone: answer Status with {"error":{"code":"unavailable"}} without doing the work.
//   - LatencyMS alone: wait before doing the work; if the client gives up meanwhile, nothing is done.
//   - Status with LatencyMS: wait, then fail without doing the work.
//   - AfterCommit with LatencyMS: do the work (a refund is committed and its
//     idempotency record saved), then wait before answering. This is the
//     "timed out but actually succeeded" case a retry must survive.
//   - AfterCommit with Status: do the work, then answer Status instead of the real
//     response (the response was "lost"); a retry with the same Idempotency-Key replays it.
type Fault struct {
	// Method matches the request method; empty matches any.
	Method string `json:"method,omitempty"`
	// Path matches the request path exactly, or as a prefix when it ends in "*".
	Path      string `json:"path"`
	Status    int    `json:"status,omitempty"`
	LatencyMS int    `json:"latency_ms,omitempty"`
	// Times is how many matching requests the fault applies to; 0 means until cleared.
	Times       int  `json:"times,omitempty"`
	AfterCommit bool `json:"after_commit,omitempty"`
}

// maxFaultLatency keeps a typo from parking a request for hours.
const maxFaultLatency = 10 * time.Minute

func (f Fault) validate() error {
	switch {
	case f.Path == "" || !strings.HasPrefix(f.Path, "/"):
		return fmt.Errorf(`field "path" must start with "/", got %q`, f.Path)
	case strings.HasPrefix(f.Path, "/_"):
		return errors.New(`field "path" must not target the /_ admin endpoints`)
	case f.Status != 0 && (f.Status < 400 || f.Status > 599):
		return fmt.Errorf(`field "status" must be between 400 and 599, got %d`, f.Status)
	case f.LatencyMS < 0 || time.Duration(f.LatencyMS)*time.Millisecond > maxFaultLatency:
		return fmt.Errorf(`field "latency_ms" must be between 0 and %d, got %d`, maxFaultLatency.Milliseconds(), f.LatencyMS)
	case f.Times < 0:
		return fmt.Errorf(`field "times" must be 0 (until cleared) or more, got %d`, f.Times)
	case f.Status == 0 && f.LatencyMS == 0:
		return errors.New(`a fault needs "status" or "latency_ms"`)
	}
	return nil
}

func (f Fault) matches(method, path string) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, method) {
		return false
	}
	if prefix, ok := strings.CutSuffix(f.Path, "*"); ok {
		return strings.HasPrefix(path, prefix)
	}
	return f.Path == path
}

type activeFault struct {
	Fault
	remaining int // only meaningful when Times > 0
}

// InjectFault adds a fault; the first injected fault that matches a request wins.
// It panics on an invalid fault, which is a bug in the calling test.
func (s *Server) InjectFault(f Fault) {
	if err := s.addFault(f); err != nil {
		panic(fmt.Sprintf("backend.InjectFault: %v", err))
	}
}

func (s *Server) addFault(f Fault) error {
	if err := f.validate(); err != nil {
		return err
	}
	f.Method = strings.ToUpper(f.Method)
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.faults = append(s.faults, &activeFault{Fault: f, remaining: f.Times})
	return nil
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.faults = nil
}

func (s *Server) listFaults() []Fault {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	list := make([]Fault, 0, len(s.faults))
	for _, f := range s.faults {
		current := f.Fault
		if f.Times > 0 {
			current.Times = f.remaining
		}
		list = append(list, current)
	}
	return list
}

// takeFault returns the fault for this request, using up one of its Times.
func (s *Server) takeFault(method, path string) (Fault, bool) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	for i, f := range s.faults {
		if !f.matches(method, path) {
			continue
		}
		if f.Times > 0 {
			f.remaining--
			if f.remaining == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return f.Fault, true
	}
	return Fault{}, false
}

// serveWithFault runs next under fault f.
func (s *Server) serveWithFault(w http.ResponseWriter, r *http.Request, f Fault, next http.Handler) {
	s.countFault()
	ctx := r.Context()
	latency := time.Duration(f.LatencyMS) * time.Millisecond
	log := s.log.With("method", r.Method, "path", r.URL.Path, "fault_status", f.Status, "fault_latency_ms", f.LatencyMS, "after_commit", f.AfterCommit)

	if !f.AfterCommit {
		// net/http only notices a client hanging up once the request body has
		// been read, so read it before waiting; the handler gets the bytes back.
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
		if err != nil {
			log.InfoContext(ctx, "reading the request body failed; nothing done", "err", err)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if !sleep(ctx.Done(), latency) {
			log.InfoContext(ctx, "client gave up during injected latency; nothing done")
			return
		}
		if f.Status != 0 {
			log.InfoContext(ctx, "injected failure; nothing done")
			writeError(w, f.Status, "unavailable", "injected fault: the service is unavailable")
			return
		}
		next.ServeHTTP(w, r)
		return
	}

	// Commit first, into a buffer, so the work and its idempotency record are
	// in place before the client is kept waiting or handed a failure.
	buf := &bufferedResponse{header: http.Header{}}
	next.ServeHTTP(buf, r)
	if !sleep(ctx.Done(), latency) {
		log.InfoContext(ctx, "client gave up after the work was committed", "status", buf.statusCode())
		return
	}
	if f.Status != 0 {
		log.InfoContext(ctx, "work committed but answering an injected failure", "status", buf.statusCode())
		writeError(w, f.Status, "unavailable", "injected fault: the service is unavailable")
		return
	}
	buf.copyTo(w)
}

// sleep waits d or until done is closed, and reports whether d elapsed.
func sleep(done <-chan struct{}, d time.Duration) bool {
	if d <= 0 {
		select {
		case <-done:
			return false
		default:
			return true
		}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-done:
		return false
	}
}

// bufferedResponse holds a response so it can be sent later, or not at all.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedResponse) statusCode() int {
	if b.status == 0 {
		return http.StatusOK
	}
	return b.status
}

func (b *bufferedResponse) copyTo(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	w.WriteHeader(b.statusCode())
	_, _ = w.Write(b.body.Bytes())
}
