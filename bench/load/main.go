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
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
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
