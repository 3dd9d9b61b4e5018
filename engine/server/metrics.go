package server

import (
	"bufio"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parleyhq/parley/engine"

	"github.com/labstack/echo/v4"
)

// Metrics counts what the engine and its HTTP server do and serves it in the
// Prometheus text exposition format 0.0.4. It is written by hand rather than
// with the Prometheus client library to keep Parley's dependencies few.
//
// Recording is cheap: counters are atomics and a series is found with a read
// lock on a small map. Label values that come from the bot (intents, queues,
// connectors, operations) or from requests (routes) are capped at
// maxLabelValues distinct values each; later values count as "other", so a bot
// with thousands of intents or a scan of odd URLs cannot exhaust memory.
//
// One Metrics is shared by every engine a server runs (hot reloads keep
// counting in the same series): pass it as engine.Options.Observer.
type Metrics struct {
	version atomic.Pointer[string]

	turnDuration *histogram
	turns        [3]atomic.Uint64 // by turnOutcome
	intents      *counterVec[string]
	fallbacks    atomic.Uint64
	handoffs     *counterVec[string]
	kbHits       atomic.Uint64
	kbMisses     atomic.Uint64

	connectorCalls    *counterVec[[3]string] // connector, operation, outcome
	connectorDuration *histogramVec[string]

	httpRequests *counterVec[[2]string] // route, code
	httpDuration *histogramVec[string]
	wsOpen       atomic.Int64

	desk           *deskMetrics // metrics_desk.go
	outcomeMetrics              // metrics_outcomes.go
	// groupCommits reads the store's group commits; nil: the store has none.
	groupCommits atomic.Pointer[func() (commits, turns int64)]
}

// SetGroupCommits makes the metrics report the store's group commits.
func (m *Metrics) SetGroupCommits(fn func() (commits, turns int64)) { m.groupCommits.Store(&fn) }

const (
	turnOK = iota
	turnError
	turnDuplicate
)

// maxLabelValues bounds the distinct values of one label.
const maxLabelValues = 500

// otherLabel replaces label values past maxLabelValues.
const otherLabel = "other"

var (
	// durationBuckets suit turns and connector calls: a turn that only classifies
	// takes about a millisecond, one waiting on a slow backend several seconds.
	durationBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}
	// httpBuckets start a little higher: a request also reads and writes JSON.
	httpBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}
)

// NewMetrics makes an empty set of metrics for build version "dev"; see SetVersion.
func NewMetrics() *Metrics {
	intents, queues := newLabelCap(maxLabelValues), newLabelCap(maxLabelValues)
	conns, ops, outcomes := newLabelCap(maxLabelValues), newLabelCap(maxLabelValues), newLabelCap(maxLabelValues)
	routes, codes := newLabelCap(maxLabelValues), newLabelCap(maxLabelValues)
	m := &Metrics{
		turnDuration: newHistogram(durationBuckets),
		intents:      newCounterVec(intents.value),
		handoffs:     newCounterVec(queues.value),
		connectorCalls: newCounterVec(func(k [3]string) [3]string {
			return [3]string{conns.value(k[0]), ops.value(k[1]), outcomes.value(k[2])}
		}),
		connectorDuration: newHistogramVec(durationBuckets, conns.value),
		httpRequests: newCounterVec(func(k [2]string) [2]string {
			return [2]string{routes.value(k[0]), codes.value(k[1])}
		}),
		httpDuration:   newHistogramVec(httpBuckets, routes.value),
		desk:           newDeskMetrics(),
		outcomeMetrics: newOutcomeMetrics(),
	}
	m.SetVersion("dev")
	return m
}

// SetVersion sets the version parley_build_info reports.
func (m *Metrics) SetVersion(v string) { m.version.Store(&v) }

// TurnDone implements engine.Observer.
func (m *Metrics) TurnDone(took time.Duration, res *engine.TurnResult, err error) {
	m.turnDuration.observe(took.Seconds())
	switch {
	case err != nil || res == nil:
		m.turns[turnError].Add(1)
		return
	case res.Duplicate:
		// A redelivery did nothing: counting its intent again would double it.
		m.turns[turnDuplicate].Add(1)
		return
	}
	m.turns[turnOK].Add(1)
	intent := res.Intent
	if intent == "" {
		intent = "none"
	}
	m.intents.inc(intent)
	if res.Intent == "" && res.Knowledge == "" {
		m.fallbacks.Add(1)
	}
	if res.Handoff != nil {
		m.handoffs.inc(res.Handoff.Queue)
	}
	m.desk.turn(res)
	switch {
	case res.Knowledge != "":
		m.kbHits.Add(1)
	case res.Unanswered:
		m.kbMisses.Add(1)
	}
}

// ConnectorCalled implements engine.Observer.
func (m *Metrics) ConnectorCalled(connector, operation, outcome string, took time.Duration, attempts int) {
	m.connectorCalls.inc([3]string{connector, operation, outcome})
	m.connectorDuration.get(connector).observe(took.Seconds())
}

// WSOpened and WSClosed track open WebSocket connections.
func (m *Metrics) WSOpened() { m.wsOpen.Add(1) }

// WSClosed: see WSOpened.
func (m *Metrics) WSClosed() { m.wsOpen.Add(-1) }

// Middleware counts HTTP requests by route pattern and status code, and times
// them. The route is echo's pattern (/v1/conversations/:id/messages), never the
// raw path: ids in paths would make a series per conversation.
func (m *Metrics) Middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			started := time.Now()
			err := next(c)
			if err != nil {
				// Write the error now so the status it gets is the one counted;
				// middlewares outside see a committed response and no error.
				c.Error(err)
			}
			route := routeLabel(c)
			m.httpRequests.inc([2]string{route, statusLabel(c.Response().Status)})
			m.httpDuration.get(route).observe(time.Since(started).Seconds())
			return nil
		}
	}
}

// statusLabels are the status codes as label values, made once: strconv
// allocates a new string for every number above 99.
var statusLabels = func() (labels [600]string) {
	for code := range labels {
		labels[code] = strconv.Itoa(code)
	}
	return labels
}()

func statusLabel(code int) string {
	if code >= 0 && code < len(statusLabels) {
		return statusLabels[code]
	}
	return strconv.Itoa(code)
}

// routeLabel is the route pattern a request matched, or "unmatched".
func routeLabel(c echo.Context) string {
	if p := c.Path(); p != "" {
		return p
	}
	return "unmatched"
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		bw := bufio.NewWriter(w)
		m.write(bw)
		m.writeOutcomes(bw)
		m.writeLive(r.Context(), bw)
		_ = bw.Flush()
	})
}

func (m *Metrics) write(w *bufio.Writer) {
	header(w, "parley_build_info", "gauge", "Build information; the value is always 1.")
	sample(w, "parley_build_info", labels("version", *m.version.Load()), 1)

	header(w, "parley_turn_duration_seconds", "histogram", "Time to handle one customer message, from arrival to commit.")
	m.turnDuration.write(w, "parley_turn_duration_seconds", "")

	header(w, "parley_turns_total", "counter", "Customer messages handled, by outcome: ok, error, or duplicate (a redelivery answered from the stored result).")
	for i, outcome := range []string{"ok", "error", "duplicate"} {
		sample(w, "parley_turns_total", labels("outcome", outcome), float64(m.turns[i].Load()))
	}

	header(w, "parley_intents_total", "counter", "Turns by the intent they were understood as; none when no intent was confident enough.")
	m.intents.eachValue(func(intent string, n uint64) {
		sample(w, "parley_intents_total", labels("intent", intent), float64(n))
	})

	header(w, "parley_fallbacks_total", "counter", "Turns the bot did not understand: no confident intent and no knowledge-base answer.")
	sample(w, "parley_fallbacks_total", "", float64(m.fallbacks.Load()))

	header(w, "parley_handoffs_total", "counter", "Conversations handed to a human, by queue.")
	m.handoffs.eachValue(func(queue string, n uint64) {
		sample(w, "parley_handoffs_total", labels("queue", queue), float64(n))
	})

	header(w, "parley_knowledge_searches_total", "counter", "Knowledge-base searches, by result: hit (answered) or miss (unanswered).")
	sample(w, "parley_knowledge_searches_total", labels("result", "hit"), float64(m.kbHits.Load()))
	sample(w, "parley_knowledge_searches_total", labels("result", "miss"), float64(m.kbMisses.Load()))

	header(w, "parley_connector_calls_total", "counter", "Connector operation calls (retries included in one call), by outcome: ok or an error code.")
	m.connectorCalls.eachValue(func(k [3]string, n uint64) {
		sample(w, "parley_connector_calls_total", labels("connector", k[0], "operation", k[1], "outcome", k[2]), float64(n))
	})

	header(w, "parley_connector_call_duration_seconds", "histogram", "Time of one connector call, retries and backoff included.")
	m.connectorDuration.each(func(connector string, h *histogram) {
		h.write(w, "parley_connector_call_duration_seconds", labels("connector", connector))
	})

	header(w, "parley_http_requests_total", "counter", "HTTP requests, by route pattern and status code.")
	m.httpRequests.eachValue(func(k [2]string, n uint64) {
		sample(w, "parley_http_requests_total", labels("route", k[0], "code", k[1]), float64(n))
	})

	header(w, "parley_http_request_duration_seconds", "histogram", "Time to serve one HTTP request, by route pattern.")
	m.httpDuration.each(func(route string, h *histogram) {
		h.write(w, "parley_http_request_duration_seconds", labels("route", route))
	})

	header(w, "parley_websocket_connections", "gauge", "WebSocket connections open now.")
	sample(w, "parley_websocket_connections", "", float64(m.wsOpen.Load()))

	if fn := m.groupCommits.Load(); fn != nil {
		commits, turns := (*fn)()
		header(w, "parley_store_commits_total", "counter", "Database commits of turns since the store opened; turns on different conversations share one (group commit).")
		sample(w, "parley_store_commits_total", "", float64(commits))
		header(w, "parley_store_committed_turns_total", "counter", "Turns those commits held: divided by parley_store_commits_total, the turns per commit.")
		sample(w, "parley_store_committed_turns_total", "", float64(turns))
	}

	m.desk.write(w)
}

func header(w *bufio.Writer, name, typ, help string) {
	w.WriteString("# HELP ")
	w.WriteString(name)
	w.WriteByte(' ')
	w.WriteString(helpEscaper.Replace(help))
	w.WriteString("\n# TYPE ")
	w.WriteString(name)
	w.WriteByte(' ')
	w.WriteString(typ)
	w.WriteByte('\n')
}

// sample writes one line; lbls is "" or a rendered {...} label set.
func sample(w *bufio.Writer, name, lbls string, v float64) {
	w.WriteString(name)
	w.WriteString(lbls)
	w.WriteByte(' ')
	w.WriteString(formatFloat(v))
	w.WriteByte('\n')
}

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

var (
	// The format escapes backslash, double quote and newline in label values,
	// and backslash and newline in help text.
	labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
)

// labels renders name/value pairs as {a="x",b="y"}.
func labels(kv ...string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(kv[i])
		b.WriteString(`="`)
		b.WriteString(labelEscaper.Replace(kv[i+1]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// withLabel adds one label to a rendered label set ("" or {...}).
func withLabel(lbls, name, value string) string {
	extra := name + `="` + labelEscaper.Replace(value) + `"`
	if lbls == "" {
		return "{" + extra + "}"
	}
	return lbls[:len(lbls)-1] + "," + extra + "}"
}

// labelCap lets through the first max distinct values of a label and turns
// the rest into "other".
type labelCap struct {
	max  int
	mu   sync.RWMutex
	seen map[string]struct{}
}

func newLabelCap(max int) *labelCap {
	return &labelCap{max: max, seen: map[string]struct{}{}}
}

func (l *labelCap) value(v string) string {
	l.mu.RLock()
	_, ok := l.seen[v]
	full := len(l.seen) >= l.max
	l.mu.RUnlock()
	switch {
	case ok:
		return v
	case full:
		return otherLabel
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.seen[v]; ok {
		return v
	}
	if len(l.seen) >= l.max {
		return otherLabel
	}
	l.seen[v] = struct{}{}
	return v
}

// labelled is a family of metrics (counters, histograms) keyed by label values.
// Lookups take a read lock only; the write lock is taken once per new series.
// capLabels maps a key not seen yet to the one to record it under (label values
// past the cap become "other"); it runs only on a miss, so known series cost one
// map lookup.
type labelled[K comparable, V any] struct {
	capLabels func(K) K
	create    func() V
	mu        sync.RWMutex
	series    map[K]V
}

func newLabelled[K comparable, V any](capLabels func(K) K, create func() V) *labelled[K, V] {
	return &labelled[K, V]{capLabels: capLabels, create: create, series: map[K]V{}}
}

// get returns the series for k, creating it on first use.
func (l *labelled[K, V]) get(k K) V {
	l.mu.RLock()
	v, ok := l.series[k]
	l.mu.RUnlock()
	if ok {
		return v
	}
	k = l.capLabels(k)
	l.mu.Lock()
	defer l.mu.Unlock()
	if v, ok = l.series[k]; !ok {
		v = l.create()
		l.series[k] = v
	}
	return v
}

// each calls fn for every series in a stable order, so scrapes diff cleanly.
func (l *labelled[K, V]) each(fn func(K, V)) {
	l.mu.RLock()
	keys := make([]K, 0, len(l.series))
	for k := range l.series {
		keys = append(keys, k)
	}
	l.mu.RUnlock()
	sortKeys(keys)
	for _, k := range keys {
		l.mu.RLock()
		v := l.series[k]
		l.mu.RUnlock()
		fn(k, v)
	}
}

// counterVec is a family of counters.
type counterVec[K comparable] struct {
	*labelled[K, *atomic.Uint64]
}

func newCounterVec[K comparable](capLabels func(K) K) *counterVec[K] {
	return &counterVec[K]{newLabelled(capLabels, func() *atomic.Uint64 { return new(atomic.Uint64) })}
}

func (v *counterVec[K]) inc(k K) { v.get(k).Add(1) }

// eachValue calls fn with every counter's value.
func (v *counterVec[K]) eachValue(fn func(K, uint64)) {
	v.each(func(k K, c *atomic.Uint64) { fn(k, c.Load()) })
}

// histogramVec is a family of histograms with the same buckets.
type histogramVec[K comparable] struct {
	*labelled[K, *histogram]
}

func newHistogramVec[K comparable](buckets []float64, capLabels func(K) K) *histogramVec[K] {
	return &histogramVec[K]{newLabelled(capLabels, func() *histogram { return newHistogram(buckets) })}
}

func sortKeys[K comparable](keys []K) {
	sort.Slice(keys, func(i, j int) bool { return keyString(keys[i]) < keyString(keys[j]) })
}

func keyString(k any) string {
	switch k := k.(type) {
	case string:
		return k
	case [2]string:
		return k[0] + "\xff" + k[1]
	case [3]string:
		return k[0] + "\xff" + k[1] + "\xff" + k[2]
	}
	return ""
}

// histogram counts observations per bucket with atomics. Buckets are stored
// non-cumulative and summed when written, so an observation touches one bucket.
type histogram struct {
	upper  []float64
	counts []atomic.Uint64 // len(upper)+1: the last is above every bound
	sum    atomic.Uint64   // float64 bits
}

func newHistogram(upper []float64) *histogram {
	return &histogram{upper: upper, counts: make([]atomic.Uint64, len(upper)+1)}
}

func (h *histogram) observe(v float64) {
	i := sort.SearchFloat64s(h.upper, v) // first bound >= v: le is inclusive
	h.counts[i].Add(1)
	for {
		old := h.sum.Load()
		if h.sum.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

// write renders the histogram's series; a scrape during observations may see a
// count one off from the buckets, which Prometheus tolerates.
func (h *histogram) write(w *bufio.Writer, name, lbls string) {
	var cumulative uint64
	for i, le := range h.upper {
		cumulative += h.counts[i].Load()
		sample(w, name+"_bucket", withLabel(lbls, "le", formatFloat(le)), float64(cumulative))
	}
	cumulative += h.counts[len(h.upper)].Load()
	sample(w, name+"_bucket", withLabel(lbls, "le", "+Inf"), float64(cumulative))
	sample(w, name+"_sum", lbls, math.Float64frombits(h.sum.Load()))
	sample(w, name+"_count", lbls, float64(cumulative))
}
