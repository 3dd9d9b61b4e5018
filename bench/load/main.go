// Command load drives `parley serve` over HTTP the way many web-chat customers
// would: N conversations, each a scripted multi-turn chat with the shop bot,
// either sent back to back (closed loop) or by customers who think between
// messages at a target rate (open loop, -open). It reports turns per second
// and latency percentiles, then checks in every transcript that each message
// sent was stored exactly once and in order, and optionally measures the
// server's memory per idle conversation.
//
//	go run ./bench/load -serve -conversations 100 -duration 30s
//	go run ./bench/load -serve -open -conversations 1000 -rate 2000
//	go run ./bench/load -serve -open -find-max -conversations 1000 -rate 200
//	go run ./bench/load -serve -instances 3 -lb haproxy -database postgres://...
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
	"net/http"
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
	open          bool
	findMax       bool
	slo           time.Duration
	warmup        time.Duration
	refine        int
	instances     int
	lb            string
	cpuProfile    string
	memProfile    string
	loaderProfile string
	profileDelay  time.Duration
	profileFor    time.Duration
}

// logOut is where progress goes (the report goes to stdout).
var logOut io.Writer = os.Stderr

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
	fs.Float64Var(&c.rate, "rate", 0, "closed loop: cap on messages per second over all conversations (0: no cap); open loop: the rate customers send at (with -find-max, the first rate tried)")
	fs.BoolVar(&c.open, "open", false, "open loop: customers think between messages (exponential, mean conversations/rate) and latency counts from when a message was due")
	fs.BoolVar(&c.findMax, "find-max", false, "open loop: raise the rate by half while p99 stays under -slo, then narrow down; reports the highest rate that kept it")
	fs.DurationVar(&c.slo, "slo", 50*time.Millisecond, "open loop: the p99 latency a rate must keep")
	fs.DurationVar(&c.warmup, "warmup", 5*time.Second, "open loop: how long each rate runs before it is measured (for -duration)")
	fs.IntVar(&c.refine, "refine", 3, "with -find-max: how many times to halve the gap between the last good and the first bad rate")
	fs.IntVar(&c.instances, "instances", 1, "with -serve: how many `parley serve` processes share the database (PostgreSQL for more than one); more than one needs -lb")
	fs.StringVar(&c.lb, "lb", "", "with -serve: put a load balancer on loopback in front of the instances (haproxy); the instances then run without rate limits")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "with -serve: write a CPU profile of the (first) server during the load to this file")
	fs.StringVar(&c.memProfile, "memprofile", "", "with -serve: write the (first) server's allocations during the load to this file (a delta over the same window as -cpuprofile; go tool pprof -sample_index=alloc_space)")
	fs.StringVar(&c.loaderProfile, "loader-cpuprofile", "", "write a CPU profile of the loader itself, over the same window as -cpuprofile, to this file")
	fs.DurationVar(&c.profileDelay, "profile-delay", 5*time.Second, "with -cpuprofile or -memprofile: when to start profiling, after the load starts")
	fs.DurationVar(&c.profileFor, "profile-seconds", 10*time.Second, "with -cpuprofile or -memprofile: how long to profile")
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
	case c.open && c.rate <= 0:
		return c, errors.New("-open needs -rate, the messages per second the customers send")
	case c.findMax && !c.open:
		return c, errors.New("-find-max is for the open loop: add -open")
	case c.instances < 1:
		return c, errors.New("-instances must be at least 1")
	case c.instances > 1 && c.lb == "":
		return c, errors.New("-instances above 1 needs a load balancer: -lb haproxy")
	case c.instances > 1 && !strings.HasPrefix(c.database, "postgres"):
		return c, errors.New("-instances above 1 needs a shared database: -database postgres://…")
	case (c.instances > 1 || c.lb != "" || c.cpuProfile != "" || c.memProfile != "") && !c.serve:
		return c, errors.New("-instances, -lb, -cpuprofile and -memprofile go with -serve")
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
	// LoaderCPUPerMsgUS is this process's own CPU per acknowledged message
	// during the load: what the harness takes from the machine it shares
	// with the server.
	LoaderCPUPerMsgUS float64      `json:"loader_cpu_per_message_us,omitempty"`
	Idle              *idleFigures `json:"idle,omitempty"`
	// Open loop.
	SLOms           float64    `json:"slo_ms,omitempty"`
	Steps           []openStep `json:"steps,omitempty"`
	MaxRateUnderSLO float64    `json:"max_rate_under_slo,omitempty"`
	Instances       int        `json:"instances,omitempty"`
	Balancer        string     `json:"balancer,omitempty"`
}

type latency struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
	// Over is the share of messages (%) slower than each of overBounds,
	// to set against the server's own histogram of its turns.
	Over []float64 `json:"over_pct,omitempty"`
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
	PID  int   `json:"pid,omitempty"`
	PIDs []int `json:"pids,omitempty"` // every instance
	// CPUSeconds is the CPU time the servers used during the load, and
	// CPUPerTurnUS that divided by the turns: cost, where turns/s on a shared
	// machine is also what the other processes leave over.
	CPUSeconds   float64          `json:"cpu_seconds,omitempty"`
	CPUPerTurnUS float64          `json:"cpu_per_turn_us,omitempty"`
	RSSPeakKB    int              `json:"rss_peak_kb,omitempty"`
	RSSAfterKB   int              `json:"rss_after_load_kb,omitempty"`
	TurnsDelta   map[string]int64 `json:"turns_total_delta,omitempty"` // parley_turns_total by outcome during the load
	HTTP5xx      int64            `json:"http_5xx_delta"`
	// TurnsPerCommit is how many turns shared a database commit, on average
	// during the load (group commit; 0 for the memory store).
	TurnsPerCommit float64 `json:"turns_per_commit,omitempty"`
	// TurnsOver is the share of the servers' turns (%) that took longer than
	// each of overBounds, from arrival to commit, by their own histogram
	// (parley_turn_duration_seconds): what of the loader's latency the turn
	// itself explains, and what is HTTP, scheduling and the loader.
	TurnsOver    []float64 `json:"turns_over_pct,omitempty"`
	LogErrors    int       `json:"log_errors"`
	LogWarnings  int       `json:"log_warnings"`
	LogSamples   []string  `json:"log_samples,omitempty"`
	LogFile      string    `json:"log_file,omitempty"`
	ExitError    string    `json:"exit_error,omitempty"`
	ShutdownSecs float64   `json:"shutdown_seconds,omitempty"`
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
	if cfg.open {
		rep.SLOms, rep.ThinkMS = ms(cfg.slo), 0
	}
	pid := cfg.pid
	var fl *fleet
	metricsURLs := []string{cfg.url}
	if cfg.serve {
		var err error
		fl, err = startFleet(ctx, cfg)
		if fl != nil {
			defer fl.kill()
		}
		if err != nil {
			return nil, err
		}
		cfg.url, pid = fl.url, fl.servers[0].cmd.Process.Pid
		rep.Target, rep.Store = fl.url, fl.store
		rep.Server.LogFile = fl.servers[0].logPath
		rep.Instances, rep.Balancer = len(fl.servers), cfg.lb
		metricsURLs = nil
		for _, s := range fl.servers {
			rep.Server.PIDs = append(rep.Server.PIDs, s.cmd.Process.Pid)
			metricsURLs = append(metricsURLs, s.url)
		}
	}
	rep.Server.PID = pid
	cl := newClients(cfg)
	rep.SourceIPs = len(cl.http)
	if err := waitReady(ctx, cl.http[0], cfg.url); err != nil {
		return nil, err
	}

	var loadErr error
	if cfg.conversations > 0 {
		before := scrapeAll(ctx, cl.http[0], metricsURLs)
		var profiles []chan error
		for _, p := range []struct{ kind, path string }{{"profile", cfg.cpuProfile}, {"allocs", cfg.memProfile}} {
			if p.path == "" {
				continue
			}
			done := make(chan error, 1)
			profiles = append(profiles, done)
			go func() {
				done <- fetchProfile(ctx, fl.servers[0].pprofURL, p.kind, p.path, cfg.profileDelay, cfg.profileFor)
			}()
		}
		if cfg.loaderProfile != "" {
			done := make(chan error, 1)
			profiles = append(profiles, done)
			go func() { done <- profileSelf(ctx, cfg.loaderProfile, cfg.profileDelay, cfg.profileFor) }()
		}
		loadErr = runLoad(ctx, cfg, cl, rep)
		for _, done := range profiles {
			if err := <-done; err != nil {
				fmt.Fprintln(logOut, "load:", err)
			}
		}
		after := scrapeAll(ctx, cl.http[0], metricsURLs)
		rep.Server.TurnsDelta = map[string]int64{}
		for _, o := range []string{"ok", "error", "duplicate"} {
			rep.Server.TurnsDelta[o] = after.turns[o] - before.turns[o]
		}
		rep.Server.HTTP5xx = after.http5xx - before.http5xx
		if n := after.commits - before.commits; n > 0 {
			rep.Server.TurnsPerCommit = float64(after.committed-before.committed) / float64(n)
		}
		rep.Server.TurnsOver = after.turnsOver(before)

		rep.Server.RSSAfterKB = sumStatusKB(rep.Server.PIDs, pid, "VmRSS")
	}
	if cfg.idle > 0 && loadErr == nil && ctx.Err() == nil {
		if pid == 0 {
			loadErr = errors.New("-idle needs the server's memory: use -serve or give -pid")
		} else {
			rep.Idle, loadErr = runIdle(ctx, cfg, cl, pid)
		}
	}
	rep.Server.RSSPeakKB = sumStatusKB(rep.Server.PIDs, pid, "VmHWM")
	if fl != nil {
		exitErr, took := fl.stop()
		rep.Server.ExitError, rep.Server.ShutdownSecs = exitErr, took.Seconds()
		for _, s := range fl.servers {
			e, w, samples := scanLog(s.logPath)
			rep.Server.LogErrors += e
			rep.Server.LogWarnings += w
			rep.Server.LogSamples = append(rep.Server.LogSamples, samples...)
		}
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

// scrapeAll adds up the counters of every server.
func scrapeAll(ctx context.Context, hc *http.Client, urls []string) metricsSnapshot {
	sum := metricsSnapshot{turns: map[string]int64{}}
	for _, u := range urls {
		m, _ := scrapeMetrics(ctx, hc, u)
		for k, v := range m.turns {
			sum.turns[k] += v
		}
		sum.http5xx += m.http5xx
		sum.commits += m.commits
		sum.committed += m.committed
		for le, n := range m.turnBuckets {
			if sum.turnBuckets == nil {
				sum.turnBuckets = map[string]float64{}
			}
			sum.turnBuckets[le] += n
		}
	}
	return sum
}

// sumCPU adds up the servers' CPU seconds (or the one -pid's).
func sumCPU(pids []int, pid int) float64 {
	if len(pids) == 0 && pid > 0 {
		pids = []int{pid}
	}
	var total float64
	for _, p := range pids {
		s, _ := readCPUSeconds(p)
		total += s
	}
	return total
}

// sumStatusKB adds up a memory figure over the servers (or the one -pid).
func sumStatusKB(pids []int, pid int, field string) int {
	if len(pids) == 0 && pid > 0 {
		pids = []int{pid}
	}
	total := 0
	for _, p := range pids {
		kb, _ := readStatusKB(p, field)
		total += kb
	}
	return total
}

func (r *report) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k string, v any) { fmt.Fprintf(tw, "%s\t%v\n", k, v) }
	row("target", r.Target)
	row("store", r.Store)
	if r.Instances > 1 || r.Balancer != "" {
		row("instances", fmt.Sprintf("%d behind %s", r.Instances, r.Balancer))
	}
	if r.Conversations > 0 {
		if r.SLOms > 0 {
			row("conversations", fmt.Sprintf("%d (%d created), open loop, from %d source addresses", r.Conversations, r.Created, r.SourceIPs))
		} else {
			row("conversations", fmt.Sprintf("%d (%d created), think %gms, from %d source addresses", r.Conversations, r.Created, r.ThinkMS, r.SourceIPs))
		}
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
	if len(r.Steps) > 0 {
		tw.Flush()
		fmt.Fprintln(w)
		printSteps(func(format string, args ...any) { fmt.Fprintf(w, format, args...) }, r.Steps, time.Duration(r.SLOms*float64(time.Millisecond)), r.MaxRateUnderSLO)
		fmt.Fprintln(w)
	}
	if r.Server.CPUPerTurnUS > 0 {
		row("server CPU", fmt.Sprintf("%.1f s during the load, %.0f µs per turn", r.Server.CPUSeconds, r.Server.CPUPerTurnUS))
	}
	if r.LoaderCPUPerMsgUS > 0 {
		row("loader CPU", fmt.Sprintf("%.0f µs per message", r.LoaderCPUPerMsgUS))
	}
	if r.Server.TurnsPerCommit > 0 {
		row("group commit", fmt.Sprintf("%.1f turns per database commit", r.Server.TurnsPerCommit))
	}
	if len(r.Server.TurnsOver) == len(overBounds) && len(r.Latency.Over) == len(overBounds) {
		row("slow share", fmt.Sprintf("over %s: messages (loader) %s; turns (server's histogram) %s",
			joinBounds(), joinPct(r.Latency.Over), joinPct(r.Server.TurnsOver)))
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
