// Command load drives `parley serve` over HTTP the way many web-chat customers
// would: N conversations, each a scripted multi-turn chat with the shop bot,
// sent back to back for a fixed time. It reports turns per second and latency
// percentiles, then checks in every transcript that each message sent was
// stored exactly once, and optionally measures the server's memory per idle
// conversation.
//
//	go run ./bench/load -serve -conversations 100 -duration 30s
//	go run ./bench/load -url http://127.0.0.1:8080 -pid $(pgrep -n parley)
//
// It exits 1 when a message was lost or stored twice, 2 on bad flags.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"
)

// script is one customer's chat with examples/shop: an order lookup, then a
// refund that goes through reason, description and confirmation, then goodbye
// (which ends the conversation; the next message starts a new dialog).
var script = []string{
	"where is my order AB123456",
	"I want a refund for order CD654321",
	"it arrived damaged",
	"the box was crushed",
	"yes",
	"thanks",
}

type config struct {
	url           string
	serve         bool
	parley        string
	bot           string
	database      string
	pid           int
	conversations int
	duration      time.Duration
	think         time.Duration
	rate          float64
	timeout       time.Duration
	attempts      int
	sourceIPs     int
	idle          int
	idleWorkers   int
	jsonOut       bool
	serverLog     string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	rep, err := run(ctx, cfg)
	if rep != nil {
		if cfg.jsonOut {
			enc := json.NewEncoder(os.Stdout)
			enc.SetIndent("", "  ")
			_ = enc.Encode(rep)
		} else {
			rep.print(os.Stdout)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.StringVar(&c.url, "url", "", "base URL of a running `parley serve` (e.g. http://127.0.0.1:8080); or use -serve")
	fs.BoolVar(&c.serve, "serve", false, "start `parley serve` as a child process on a free loopback port, and stop it (SIGTERM) at the end")
	fs.StringVar(&c.parley, "parley", "", "with -serve: the parley binary; empty: build ./cmd/parley into a temporary folder")
	fs.StringVar(&c.bot, "bot", "examples/shop", "with -serve: the bot folder")
	fs.StringVar(&c.database, "database", "", "with -serve: the store (postgres://...); empty: the embedded store in a temporary folder")
	fs.IntVar(&c.pid, "pid", 0, "with -url: the server's process id, to read its memory from /proc")
	fs.IntVar(&c.conversations, "conversations", 100, "concurrent conversations during the load")
	fs.DurationVar(&c.duration, "duration", 30*time.Second, "how long to send messages")
	fs.DurationVar(&c.think, "think", 0, "pause between a reply and the next message of the same conversation")
	fs.Float64Var(&c.rate, "rate", 0, "cap on messages per second over all conversations; 0: no cap")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "timeout of one HTTP request")
	fs.IntVar(&c.attempts, "attempts", 10, "attempts per message (network errors, 429, 5xx are retried with the same client_message_id)")
	fs.IntVar(&c.sourceIPs, "source-ips", 32, "spread clients over this many loopback source addresses (127.0.0.1..N) so creating conversations, which the server limits per address, is not limited as one client")
	fs.IntVar(&c.idle, "idle", 0, "after the load, create this many conversations with one message each and report the server's memory per idle conversation")
	fs.IntVar(&c.idleWorkers, "idle-workers", 64, "concurrent clients creating the idle conversations")
	fs.BoolVar(&c.jsonOut, "json", false, "print the report as JSON")
	fs.StringVar(&c.serverLog, "server-log", "", "with -serve: write the server's log here; empty: a temporary file")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: go run ./bench/load [-serve [-database DSN] | -url URL [-pid PID]] [-conversations N] [-duration D] [-idle M] [-json]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	case c.serve == (c.url != ""):
		return c, errors.New("give exactly one of -serve and -url")
	case c.conversations < 0 || c.idle < 0:
		return c, errors.New("-conversations and -idle must not be negative")
	case c.conversations == 0 && c.idle == 0:
		return c, errors.New("nothing to do: -conversations and -idle are both 0")
	case c.attempts < 1:
		return c, errors.New("-attempts must be at least 1")
	case c.sourceIPs < 1 || c.sourceIPs > 250:
		return c, errors.New("-source-ips must be from 1 to 250")
	case c.idleWorkers < 1:
		return c, errors.New("-idle-workers must be at least 1")
	}
	c.url = strings.TrimRight(c.url, "/")
	return c, nil
}

// report is everything one run measured.
type report struct {
	Target        string         `json:"target"`
	Store         string         `json:"store"`
	Conversations int            `json:"conversations"`
	DurationSec   float64        `json:"duration_seconds"`
	ThinkMS       float64        `json:"think_ms"`
	RateCap       float64        `json:"rate_cap,omitempty"`
	SourceIPs     int            `json:"source_ips"`
	Created       int            `json:"conversations_created"`
	CreateErrors  map[string]int `json:"create_errors,omitempty"`
	Turns         int            `json:"turns"`
	TurnsPerSec   float64        `json:"turns_per_second"`
	Latency       latency        `json:"latency_ms"`
	Errors        map[string]int `json:"errors,omitempty"` // failed attempts by status or error kind
	Retries       int            `json:"retries"`
	DupAnswers    int            `json:"duplicate_answers"` // retries the server recognised as already done
	GaveUp        int            `json:"messages_given_up"`
	Rejected      int            `json:"messages_rejected"`
	Verify        verification   `json:"verify"`
	Server        serverFigures  `json:"server"`
	Idle          *idleFigures   `json:"idle,omitempty"`
}

type latency struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

type verification struct {
	Conversations int `json:"conversations"`
	Acknowledged  int `json:"messages_acknowledged"`
	Stored        int `json:"customer_items_stored"`
	Lost          int `json:"lost"`
	Duplicated    int `json:"duplicated"`
	OutOfOrder    int `json:"conversations_out_of_order"`
	NoBotReplies  int `json:"conversations_without_bot_replies"`
	Unreadable    int `json:"transcripts_unreadable"`
}

type serverFigures struct {
	PID          int              `json:"pid,omitempty"`
	RSSPeakKB    int              `json:"rss_peak_kb,omitempty"`
	RSSAfterKB   int              `json:"rss_after_load_kb,omitempty"`
	TurnsDelta   map[string]int64 `json:"turns_total_delta,omitempty"` // parley_turns_total by outcome during the load
	HTTP5xx      int64            `json:"http_5xx_delta"`
	LogErrors    int              `json:"log_errors"`
	LogWarnings  int              `json:"log_warnings"`
	LogSamples   []string         `json:"log_samples,omitempty"`
	LogFile      string           `json:"log_file,omitempty"`
	ExitError    string           `json:"exit_error,omitempty"`
	ShutdownSecs float64          `json:"shutdown_seconds,omitempty"`
}

type idleFigures struct {
	Conversations  int     `json:"conversations"`
	Failed         int     `json:"failed"`
	RSSBeforeKB    int     `json:"rss_before_kb"`
	RSSAfterKB     int     `json:"rss_after_kb"`
	BytesPerConv   float64 `json:"bytes_per_conversation"`
	CreateSeconds  float64 `json:"create_seconds"`
	MessagesPerSec float64 `json:"messages_per_second"`
}

func run(ctx context.Context, cfg config) (*report, error) {
	rep := &report{
		Conversations: cfg.conversations, ThinkMS: ms(cfg.think), RateCap: cfg.rate,
		Store: "unknown (-url)", Target: cfg.url,
	}
	pid := cfg.pid
	var srv *server
	if cfg.serve {
		var err error
		srv, err = startServer(ctx, cfg)
		if err != nil {
			return nil, err
		}
		defer srv.kill()
		cfg.url, pid = srv.url, srv.cmd.Process.Pid
		rep.Target, rep.Store = srv.url, srv.store
		rep.Server.LogFile = srv.logPath
	}
	rep.Server.PID = pid
	cl := newClients(cfg)
	rep.SourceIPs = len(cl.http)
	if err := waitReady(ctx, cl.http[0], cfg.url); err != nil {
		return nil, err
	}

	var loadErr error
	if cfg.conversations > 0 {
		before, _ := scrapeMetrics(ctx, cl.http[0], cfg.url)
		loadErr = runLoad(ctx, cfg, cl, rep)
		after, _ := scrapeMetrics(ctx, cl.http[0], cfg.url)
		rep.Server.TurnsDelta = map[string]int64{}
		for _, o := range []string{"ok", "error", "duplicate"} {
			rep.Server.TurnsDelta[o] = after.turns[o] - before.turns[o]
		}
		rep.Server.HTTP5xx = after.http5xx - before.http5xx
		if pid > 0 {
			rep.Server.RSSAfterKB, _ = readStatusKB(pid, "VmRSS")
		}
	}
	if cfg.idle > 0 && loadErr == nil && ctx.Err() == nil {
		if pid == 0 {
			loadErr = errors.New("-idle needs the server's memory: use -serve or give -pid")
		} else {
			rep.Idle, loadErr = runIdle(ctx, cfg, cl, pid)
		}
	}
	if pid > 0 {
		rep.Server.RSSPeakKB, _ = readStatusKB(pid, "VmHWM")
	}
	if srv != nil {
		start := time.Now()
		if err := srv.stop(); err != nil {
			rep.Server.ExitError = err.Error()
		}
		rep.Server.ShutdownSecs = time.Since(start).Seconds()
		rep.Server.LogErrors, rep.Server.LogWarnings, rep.Server.LogSamples = scanLog(srv.logPath)
	}
	if loadErr != nil {
		return rep, loadErr
	}
	v := rep.Verify
	if v.Lost > 0 || v.Duplicated > 0 || v.OutOfOrder > 0 || v.Unreadable > 0 {
		return rep, fmt.Errorf("verification failed: %d lost, %d duplicated, %d conversations out of order, %d transcripts unreadable", v.Lost, v.Duplicated, v.OutOfOrder, v.Unreadable)
	}
	if cfg.conversations > 0 && rep.Turns == 0 {
		return rep, errors.New("no turn completed")
	}
	return rep, nil
}

// clients holds one HTTP client per loopback source address. The server limits
// requests per client: per conversation token for messages, per address for
// creating conversations, so a thousand customers behind one address would be
// limited as one customer when they start chatting.
type clients struct {
	http []*http.Client
}

func newClients(cfg config) *clients {
	n := cfg.sourceIPs
	u, err := url.Parse(cfg.url)
	if err != nil || !isLoopback(u.Hostname()) {
		n = 1 // other source addresses only exist on loopback
	}
	perClient := max(cfg.conversations, cfg.idleWorkers)/n + 2
	cl := &clients{}
	for i := range n {
		d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
		if n > 1 {
			d.LocalAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(1+i))}
		}
		tr := &http.Transport{
			DialContext:         d.DialContext,
			MaxIdleConns:        0,
			MaxIdleConnsPerHost: perClient,
			IdleConnTimeout:     90 * time.Second,
		}
		cl.http = append(cl.http, &http.Client{Transport: tr, Timeout: cfg.timeout})
	}
	return cl
}

func (c *clients) pick(i int) *http.Client { return c.http[i%len(c.http)] }

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback() && ip.To4() != nil
}

// conversation is one simulated customer and everything it sent.
type conversation struct {
	id, token string
	client    *http.Client
	sent      []sentMessage
}

type outcome int

const (
	acked    outcome = iota // 200: must be stored exactly once
	rejected                // a 4xx other than 409/429: must not be stored
	unknown                 // gave up after retries: stored at most once
)

type sentMessage struct {
	text    string
	outcome outcome
}

// tally collects one worker's figures; merged at the end to keep the hot
// path free of shared locks.
type tally struct {
	latencies []time.Duration
	errors    map[string]int
	retries   int
	dupAnswer int
	gaveUp    int
	rejected  int
}

func newTally() *tally { return &tally{errors: map[string]int{}} }

func runLoad(ctx context.Context, cfg config, cl *clients, rep *report) error {
	convs := make([]*conversation, cfg.conversations)
	createErrs := map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i := range convs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := createConversation(ctx, cfg, cl.pick(i), newTally())
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				createErrs[errorKind(err)]++
				return
			}
			convs[i] = c
		})
	}
	wg.Wait()
	convs = slices.DeleteFunc(convs, func(c *conversation) bool { return c == nil })
	rep.Created = len(convs)
	if len(createErrs) > 0 {
		rep.CreateErrors = createErrs
	}
	if len(convs) == 0 {
		return errors.New("no conversation could be created")
	}

	// Messages in flight at the deadline finish: cutting them off would leave
	// their outcome unknown and the check weaker.
	var ticks <-chan time.Time
	if cfg.rate > 0 {
		t := time.NewTicker(time.Duration(float64(time.Second) / cfg.rate))
		defer t.Stop()
		ticks = t.C
	}
	tallies := make([]*tally, len(convs))
	start := time.Now()
	deadline := start.Add(cfg.duration)
	for i, c := range convs {
		tallies[i] = newTally()
		wg.Go(func() {
			t := tallies[i]
			for n := 0; time.Now().Before(deadline) && ctx.Err() == nil; n++ {
				if ticks != nil {
					select {
					case <-ticks:
					case <-ctx.Done():
						return
					}
				}
				text := script[n%len(script)]
				began := time.Now()
				o := sendMessage(ctx, cfg, c, text, t)
				c.sent = append(c.sent, sentMessage{text: text, outcome: o})
				if o == acked {
					t.latencies = append(t.latencies, time.Since(began))
				}
				if cfg.think > 0 {
					time.Sleep(cfg.think)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	all := newTally()
	for _, t := range tallies {
		all.latencies = append(all.latencies, t.latencies...)
		for k, v := range t.errors {
			all.errors[k] += v
		}
		all.retries += t.retries
		all.dupAnswer += t.dupAnswer
		all.gaveUp += t.gaveUp
		all.rejected += t.rejected
	}
	rep.DurationSec = elapsed.Seconds()
	rep.Turns = len(all.latencies)
	rep.TurnsPerSec = float64(rep.Turns) / elapsed.Seconds()
	rep.Latency = percentiles(all.latencies)
	if len(all.errors) > 0 {
		rep.Errors = all.errors
	}
	rep.Retries, rep.DupAnswers, rep.GaveUp, rep.Rejected = all.retries, all.dupAnswer, all.gaveUp, all.rejected
	rep.Verify = verify(context.WithoutCancel(ctx), cfg, convs)
	return nil
}

func percentiles(ds []time.Duration) latency {
	if len(ds) == 0 {
		return latency{}
	}
	slices.Sort(ds)
	at := func(q float64) float64 {
		i := int(q*float64(len(ds))+0.5) - 1
		return ms(ds[min(max(i, 0), len(ds)-1)])
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return latency{P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: ms(ds[len(ds)-1]), Mean: ms(sum / time.Duration(len(ds)))}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// httpError is a response with a status the loader did not want.
type httpError struct {
	status     int
	code       string
	retryAfter time.Duration
}

func (e *httpError) Error() string {
	if e.code != "" {
		return fmt.Sprintf("HTTP %d %s", e.status, e.code)
	}
	return fmt.Sprintf("HTTP %d", e.status)
}

// retryable says whether the same request may succeed later: network errors,
// rate limiting, conflicts (a turn in progress) and server errors.
func retryable(err error) bool {
	var he *httpError
	if errors.As(err, &he) {
		return he.status == http.StatusTooManyRequests || he.status == http.StatusConflict || he.status >= 500
	}
	return true
}

func errorKind(err error) string {
	var he *httpError
	if errors.As(err, &he) {
		return strconv.Itoa(he.status)
	}
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "EOF"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "no free local port"
	}
	return "other: " + err.Error()
}

// do sends one JSON request and decodes a 2xx answer into out.
func do(ctx context.Context, hc *http.Client, method, u, token string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return fmt.Errorf("new request: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		he := &httpError{status: resp.StatusCode}
		var e struct {
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		if json.Unmarshal(data, &e) == nil {
			he.code = e.Error.Code
		}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
			he.retryAfter = time.Duration(s) * time.Second
		}
		return he
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("decode %s %s: %w", method, u, err)
		}
	}
	return nil
}

// withRetries runs call until it succeeds, fails for good, or runs out of
// attempts, backing off between attempts (honouring Retry-After).
func withRetries(ctx context.Context, cfg config, t *tally, call func() error) error {
	var err error
	for attempt := range cfg.attempts {
		if attempt > 0 {
			t.retries++
		}
		if err = call(); err == nil {
			return nil
		}
		t.errors[errorKind(err)]++
		if !retryable(err) || ctx.Err() != nil {
			return err
		}
		wait := time.Duration(50<<min(attempt, 5)) * time.Millisecond
		var he *httpError
		if errors.As(err, &he) && he.retryAfter > 0 {
			wait = he.retryAfter
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}

func createConversation(ctx context.Context, cfg config, hc *http.Client, t *tally) (*conversation, error) {
	var out struct {
		ID    string `json:"conversation_id"`
		Token string `json:"token"`
	}
	body := map[string]any{"channel": "web", "language": "en"}
	err := withRetries(ctx, cfg, t, func() error {
		return do(ctx, hc, http.MethodPost, cfg.url+"/v1/conversations", "", body, &out)
	})
	if err != nil {
		return nil, err
	}
	if out.ID == "" || out.Token == "" {
		return nil, errors.New("POST /v1/conversations: no conversation_id or token in the answer")
	}
	return &conversation{id: out.ID, token: out.Token, client: hc}, nil
}

// sendMessage sends one message, retrying with the same client_message_id so
// that a retry of a turn the server already did is answered, not done again.
func sendMessage(ctx context.Context, cfg config, c *conversation, text string, t *tally) outcome {
	body := map[string]string{"text": text, "client_message_id": newID()}
	var out struct {
		Replies   []json.RawMessage `json:"replies"`
		Duplicate bool              `json:"duplicate"`
	}
	u := cfg.url + "/v1/conversations/" + url.PathEscape(c.id) + "/messages"
	err := withRetries(ctx, cfg, t, func() error {
		return do(ctx, c.client, http.MethodPost, u, c.token, body, &out)
	})
	switch {
	case err == nil:
		if out.Duplicate {
			t.dupAnswer++
		}
		return acked
	case retryable(err):
		t.gaveUp++
		return unknown
	default:
		t.rejected++
		return rejected
	}
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

type transcriptItem struct {
	Seq  int64  `json:"seq"`
	From string `json:"from"`
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// fetchTranscript reads a whole transcript, following ?after= in case the
// server pages it.
func fetchTranscript(ctx context.Context, cfg config, c *conversation, t *tally) ([]transcriptItem, error) {
	var items []transcriptItem
	var after int64
	for {
		var page struct {
			Items []transcriptItem `json:"items"`
		}
		u := fmt.Sprintf("%s/v1/conversations/%s/transcript?after=%d&limit=5000", cfg.url, url.PathEscape(c.id), after)
		err := withRetries(ctx, cfg, t, func() error { return do(ctx, c.client, http.MethodGet, u, c.token, nil, &page) })
		if err != nil {
			return nil, fmt.Errorf("transcript of %s: %w", c.id, err)
		}
		if len(page.Items) == 0 {
			return items, nil
		}
		for _, it := range page.Items {
			if it.Seq <= after {
				return nil, fmt.Errorf("transcript of %s: seq %d after %d", c.id, it.Seq, after)
			}
			after = it.Seq
		}
		items = append(items, page.Items...)
	}
}

// verify checks every conversation's transcript against what was sent:
// acknowledged messages exactly once, rejected ones never, messages given up
// on at most once, and in the order sent.
func verify(ctx context.Context, cfg config, convs []*conversation) verification {
	v := verification{Conversations: len(convs)}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for _, c := range convs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			items, err := fetchTranscript(ctx, cfg, c, newTally())
			mu.Lock()
			defer mu.Unlock()
			for _, m := range c.sent {
				if m.outcome == acked {
					v.Acknowledged++
				}
			}
			if err != nil {
				v.Unreadable++
				fmt.Fprintln(os.Stderr, "load:", err)
				return
			}
			var got []string
			bot := 0
			for _, it := range items {
				switch {
				case it.From == "customer" && (it.Kind == "" || it.Kind == "message"):
					got = append(got, it.Text)
				case it.From == "bot":
					bot++
				}
			}
			v.Stored += len(got)
			if bot == 0 && len(c.sent) > 0 {
				v.NoBotReplies++
			}
			lost, dup, ordered := compare(c.sent, got)
			v.Lost += lost
			v.Duplicated += dup
			if !ordered {
				v.OutOfOrder++
			}
		})
	}
	wg.Wait()
	return v
}

// compare counts, text by text, messages missing from or stored too often in
// got, and whether got is in the order sent.
func compare(sent []sentMessage, got []string) (lost, duplicated int, ordered bool) {
	minWant, maxWant, have := map[string]int{}, map[string]int{}, map[string]int{}
	var mustHave []string
	for _, m := range sent {
		switch m.outcome {
		case acked:
			minWant[m.text]++
			maxWant[m.text]++
			mustHave = append(mustHave, m.text)
		case unknown:
			maxWant[m.text]++
		}
	}
	for _, g := range got {
		have[g]++
	}
	for text, n := range minWant {
		lost += max(n-have[text], 0)
	}
	for text, n := range have {
		duplicated += max(n-maxWant[text], 0)
	}
	// Order: the acknowledged messages are a subsequence of what was stored.
	i := 0
	for _, g := range got {
		if i < len(mustHave) && g == mustHave[i] {
			i++
		}
	}
	ordered = i == len(mustHave) || lost > 0 // missing messages are reported as lost, not disorder
	return lost, duplicated, ordered
}

// runIdle measures what conversations that were started and then left cost the
// server: RSS before and after creating them, each with one message.
func runIdle(ctx context.Context, cfg config, cl *clients, pid int) (*idleFigures, error) {
	f := &idleFigures{Conversations: cfg.idle}
	// A warm-up grows the server's pools, caches and heap to their working
	// size first, so that the difference is what idle conversations keep; then
	// a pause lets garbage be collected and connections go idle.
	if _, err := startIdle(ctx, cfg, cl, max(cfg.idle/10, 100)); err != nil {
		return nil, err
	}
	time.Sleep(5 * time.Second)
	var err error
	if f.RSSBeforeKB, err = readStatusKB(pid, "VmRSS"); err != nil {
		return nil, err
	}
	start := time.Now()
	failed, err := startIdle(ctx, cfg, cl, cfg.idle)
	if err != nil {
		return nil, err
	}
	elapsed := time.Since(start)
	f.CreateSeconds = elapsed.Seconds()
	f.MessagesPerSec = float64(cfg.idle) / elapsed.Seconds()
	f.Failed = failed
	time.Sleep(5 * time.Second)
	if f.RSSAfterKB, err = readStatusKB(pid, "VmRSS"); err != nil {
		return nil, err
	}
	f.BytesPerConv = float64(f.RSSAfterKB-f.RSSBeforeKB) * 1024 / float64(cfg.idle)
	return f, ctx.Err()
}

// startIdle starts n conversations, sends each one message and leaves them.
func startIdle(ctx context.Context, cfg config, cl *clients, n int) (failed int, err error) {
	var next, fails atomic.Int64
	var wg sync.WaitGroup
	for w := range cfg.idleWorkers {
		wg.Go(func() {
			t := newTally()
			hc := cl.pick(w)
			for ctx.Err() == nil && next.Add(1) <= int64(n) {
				c, err := createConversation(ctx, cfg, hc, t)
				if err != nil {
					fails.Add(1)
					continue
				}
				if sendMessage(ctx, cfg, c, script[0], t) != acked {
					fails.Add(1)
				}
			}
		})
	}
	wg.Wait()
	return int(fails.Load()), ctx.Err()
}

// readStatusKB reads a kB field (VmRSS, VmHWM) of /proc/PID/status.
func readStatusKB(pid int, field string) (int, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("server memory: %w", err)
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
	return 0, fmt.Errorf("server memory: no %s in /proc/%d/status", field, pid)
}

type metricsSnapshot struct {
	turns   map[string]int64
	http5xx int64
}

var (
	turnsRe = regexp.MustCompile(`^parley_turns_total\{outcome="(\w+)"\} (\S+)$`)
	httpRe  = regexp.MustCompile(`^parley_http_requests_total\{.*code="5\d\d".*\} (\S+)$`)
)

// scrapeMetrics reads the server's own turn and 5xx counters, to set against
// what the loader counted.
func scrapeMetrics(ctx context.Context, hc *http.Client, base string) (metricsSnapshot, error) {
	s := metricsSnapshot{turns: map[string]int64{}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	if err != nil {
		return s, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if m := turnsRe.FindStringSubmatch(line); m != nil {
			f, _ := strconv.ParseFloat(m[2], 64)
			s.turns[m[1]] = int64(f)
		} else if m := httpRe.FindStringSubmatch(line); m != nil {
			f, _ := strconv.ParseFloat(m[1], 64)
			s.http5xx += int64(f)
		}
	}
	return s, sc.Err()
}

func waitReady(ctx context.Context, hc *http.Client, base string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		err := do(ctx, hc, http.MethodGet, base+"/readyz", "", nil, nil)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("server at %s not ready: %w", base, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// server is a `parley serve` child process.
type server struct {
	cmd     *exec.Cmd
	url     string
	store   string
	logPath string
	logFile *os.File
	tmp     string
	done    chan error
}

var addrRe = regexp.MustCompile(`on (http://\S+)`)

func startServer(ctx context.Context, cfg config) (*server, error) {
	tmp, err := os.MkdirTemp("", "parley-load-")
	if err != nil {
		return nil, fmt.Errorf("temporary folder: %w", err)
	}
	s := &server{tmp: tmp, done: make(chan error, 1)}
	bin := cfg.parley
	if bin == "" {
		bin = filepath.Join(tmp, "parley")
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/parley")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return nil, fmt.Errorf("go build ./cmd/parley (run from the repository root, or give -parley): %w", err)
		}
	}
	db := cfg.database
	s.store = "embedded (SQLite)"
	switch {
	case db == "":
		db = filepath.Join(tmp, "parley.db")
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		s.store = "PostgreSQL"
	case db == "memory":
		s.store = "memory"
	}
	s.logPath = cfg.serverLog
	if s.logPath == "" {
		s.logPath = filepath.Join(tmp, "server.log")
	}
	if s.logFile, err = os.Create(s.logPath); err != nil {
		return nil, fmt.Errorf("server log: %w", err)
	}
	// Not tied to ctx: on Ctrl-C the server still gets SIGTERM and drains.
	// Every simulated customer comes from this one address.
	s.cmd = exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-watch=false", "-max-client-conns", "0", "-database", db, cfg.bot)
	s.cmd.Env = append(os.Environ(), "PARLEY_DATABASE_URL=")
	s.cmd.Stderr = s.logFile
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("server stdout: %w", err)
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s serve: %w", bin, err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			if m := addrRe.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	go func() { s.done <- s.cmd.Wait() }()
	select {
	case u, ok := <-found:
		if !ok {
			return s, fmt.Errorf("parley serve printed no address (log in %s)", s.logPath)
		}
		s.url = u
		return s, nil
	case err := <-s.done:
		s.done <- err
		return s, fmt.Errorf("parley serve exited: %v (log in %s)", err, s.logPath)
	case <-time.After(2 * time.Minute):
		return s, errors.New("parley serve printed no address within 2 minutes")
	}
}

// stop sends SIGTERM and waits for the server to drain and exit.
func (s *server) stop() error {
	select {
	case err := <-s.done: // already exited
		s.done <- err
		return err
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		s.done <- err
		return err
	case <-time.After(60 * time.Second):
		_ = s.cmd.Process.Kill()
		return errors.New("no exit 60 s after SIGTERM; killed")
	}
}

// kill is the safety net when run returns early.
func (s *server) kill() {
	select {
	case err := <-s.done:
		s.done <- err
	default:
		_ = s.stop()
	}
	if s.logFile != nil {
		s.logFile.Close()
	}
}

// scanLog counts the server's ERROR and WARN log lines and keeps a few.
func scanLog(path string) (errs, warns int, samples []string) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line struct {
			Level string `json:"level"`
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil {
			continue
		}
		switch line.Level {
		case "ERROR":
			errs++
		case "WARN":
			warns++
		default:
			continue
		}
		if len(samples) < 5 {
			samples = append(samples, truncate(sc.Text(), 400))
		}
	}
	return errs, warns, samples
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func (r *report) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k string, v any) { fmt.Fprintf(tw, "%s\t%v\n", k, v) }
	row("target", r.Target)
	row("store", r.Store)
	if r.Conversations > 0 {
		row("conversations", fmt.Sprintf("%d (%d created), think %gms, from %d source addresses", r.Conversations, r.Created, r.ThinkMS, r.SourceIPs))
		row("duration", fmt.Sprintf("%.1fs", r.DurationSec))
		row("turns", r.Turns)
		row("turns/s", fmt.Sprintf("%.1f", r.TurnsPerSec))
		l := r.Latency
		row("latency ms", fmt.Sprintf("p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  mean %.2f", l.P50, l.P90, l.P99, l.Max, l.Mean))
		row("failed attempts", fmtCounts(r.Errors))
		if len(r.CreateErrors) > 0 {
			row("create failures", fmtCounts(r.CreateErrors))
		}
		row("retries", fmt.Sprintf("%d (answered as duplicates: %d), given up: %d, rejected: %d", r.Retries, r.DupAnswers, r.GaveUp, r.Rejected))
		v := r.Verify
		row("verify", fmt.Sprintf("%d conversations, %d acknowledged, %d stored: lost %d, duplicated %d, out of order %d, without bot replies %d, unreadable %d",
			v.Conversations, v.Acknowledged, v.Stored, v.Lost, v.Duplicated, v.OutOfOrder, v.NoBotReplies, v.Unreadable))
		row("server turns", fmt.Sprintf("ok %d, error %d, duplicate %d; HTTP 5xx %d",
			r.Server.TurnsDelta["ok"], r.Server.TurnsDelta["error"], r.Server.TurnsDelta["duplicate"], r.Server.HTTP5xx))
	}
	if r.Server.PID > 0 {
		row("server RSS", fmt.Sprintf("after load %d KiB, peak %d KiB", r.Server.RSSAfterKB, r.Server.RSSPeakKB))
	}
	if i := r.Idle; i != nil {
		row("idle", fmt.Sprintf("%d conversations (%d failed) in %.1fs; RSS %d -> %d KiB: %.0f bytes per idle conversation",
			i.Conversations, i.Failed, i.CreateSeconds, i.RSSBeforeKB, i.RSSAfterKB, i.BytesPerConv))
	}
	if r.Server.LogFile != "" {
		row("server log", fmt.Sprintf("%s: %d errors, %d warnings; shutdown %.1fs %s", r.Server.LogFile, r.Server.LogErrors, r.Server.LogWarnings, r.Server.ShutdownSecs, r.Server.ExitError))
	}
	tw.Flush()
	for _, s := range r.Server.LogSamples {
		fmt.Fprintln(w, "  log:", s)
	}
}

func fmtCounts(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
