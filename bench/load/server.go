package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

type metricsSnapshot struct {
	turns   map[string]int64
	http5xx int64
	// The store's group commits (0 for the memory store): commits and the
	// turns they held.
	commits, committed int64
	// turnBuckets: parley_turn_duration_seconds's cumulative buckets by le.
	turnBuckets map[string]float64
}

// overBounds are where the loader's latencies and the server's turn
// histogram are compared: bounds of that histogram's buckets.
var overBounds = []time.Duration{10 * time.Millisecond, 25 * time.Millisecond, 50 * time.Millisecond}

// turnsOver is the share of the turns between before and s (%) slower than
// each of overBounds; nil when the server has no such histogram.
func (s metricsSnapshot) turnsOver(before metricsSnapshot) []float64 {
	total := s.turnBuckets["+Inf"] - before.turnBuckets["+Inf"]
	if total <= 0 {
		return nil
	}
	var out []float64
	for _, b := range overBounds {
		le := strconv.FormatFloat(b.Seconds(), 'g', -1, 64)
		under, ok := s.turnBuckets[le]
		if !ok {
			return nil
		}
		out = append(out, 100*(total-(under-before.turnBuckets[le]))/total)
	}
	return out
}

func joinBounds() string {
	var parts []string
	for _, b := range overBounds {
		parts = append(parts, strconv.FormatInt(b.Milliseconds(), 10))
	}
	return strings.Join(parts, " / ") + " ms"
}

func joinPct(pct []float64) string {
	var parts []string
	for _, p := range pct {
		parts = append(parts, strconv.FormatFloat(p, 'f', 2, 64))
	}
	return strings.Join(parts, " / ") + " %"
}

var (
	turnsRe = regexp.MustCompile(`^parley_turns_total\{outcome="(\w+)"\} (\S+)$`)
	httpRe  = regexp.MustCompile(`^parley_http_requests_total\{.*code="5\d\d".*\} (\S+)$`)
	// PostgreSQL's instances share the database but each counts its own commits.
	commitsRe = regexp.MustCompile(`^parley_store_(commits|committed_turns)_total (\S+)$`)
	bucketRe  = regexp.MustCompile(`^parley_turn_duration_seconds_bucket\{le="([^"]+)"\} (\S+)$`)
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
		} else if m := bucketRe.FindStringSubmatch(line); m != nil {
			f, _ := strconv.ParseFloat(m[2], 64)
			if s.turnBuckets == nil {
				s.turnBuckets = map[string]float64{}
			}
			s.turnBuckets[m[1]] = f
		} else if m := commitsRe.FindStringSubmatch(line); m != nil {
			f, _ := strconv.ParseFloat(m[2], 64)
			if m[1] == "commits" {
				s.commits = int64(f)
			} else {
				s.committed = int64(f)
			}
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
	cmd      *exec.Cmd
	url      string
	pprofURL string // with -cpuprofile
	logPath  string
	logFile  *os.File
	done     chan error
}

var (
	addrRe  = regexp.MustCompile(`on (http://\S+)`)
	pprofRe = regexp.MustCompile(`profiling\s+(http://\S+)`)
)

// fleet is what -serve starts: -instances `parley serve` processes on one
// database and, with several (or -lb), a load balancer in front of them.
type fleet struct {
	servers []*server
	lb      *balancer
	url     string // where the customers go
	store   string
	tmp     string
}

func startFleet(ctx context.Context, cfg config) (*fleet, error) {
	tmp, err := os.MkdirTemp("", "parley-load-")
	if err != nil {
		return nil, fmt.Errorf("temporary folder: %w", err)
	}
	f := &fleet{tmp: tmp}
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
	f.store = "embedded (SQLite)"
	switch {
	case db == "":
		db = filepath.Join(tmp, "parley.db")
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		f.store = "PostgreSQL"
	case db == "memory":
		f.store = "memory"
	}
	// Every instance must accept the tokens the others sign.
	secret := newID() + newID()
	for i := range cfg.instances {
		logPath := cfg.serverLog
		if logPath == "" || cfg.instances > 1 {
			logPath = filepath.Join(tmp, fmt.Sprintf("server-%d.log", i+1))
		}
		// Every simulated customer comes from one loopback address (or the balancer's).
		args := []string{"serve", "-addr", "127.0.0.1:0", "-watch=false", "-max-client-conns", "0", "-database", db}
		if cfg.lb != "" {
			// Behind a balancer every customer comes from its address.
			args = append(args, "-rate-limit", "-1")
		}
		env := []string{"PARLEY_DATABASE_URL=", "PARLEY_SECRET=" + secret}
		if (cfg.cpuProfile != "" || cfg.memProfile != "") && i == 0 {
			env = append(env, "PARLEY_PPROF_ADDR=127.0.0.1:0")
		}
		s, err := startServer(bin, append(args, cfg.bot), env, logPath)
		if s != nil {
			f.servers = append(f.servers, s)
		}
		if err != nil {
			return f, err
		}
	}
	f.url = f.servers[0].url
	if cfg.lb != "" {
		// The free port it is given may be taken before it binds: try again.
		for attempt := 0; attempt < 3; attempt++ {
			if f.lb, err = startBalancer(cfg.lb, f.servers, tmp); err == nil {
				break
			}
		}
		if err != nil {
			return f, err
		}
		f.url = f.lb.url
	}
	return f, nil
}

func startServer(bin string, args, env []string, logPath string) (*server, error) {
	s := &server{logPath: logPath, done: make(chan error, 1)}
	var err error
	if s.logFile, err = os.Create(s.logPath); err != nil {
		return nil, fmt.Errorf("server log: %w", err)
	}
	// Not tied to ctx: on Ctrl-C the server still gets SIGTERM and drains.
	s.cmd = exec.Command(bin, args...)
	s.cmd.Env = append(os.Environ(), env...)
	s.cmd.Stderr = s.logFile
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("server stdout: %w", err)
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s serve: %w", bin, err)
	}
	found := make(chan string, 1)
	wantPprof := slices.ContainsFunc(env, func(e string) bool { return strings.HasPrefix(e, "PARLEY_PPROF_ADDR=") })
	go func() {
		sc := bufio.NewScanner(stdout)
		var addr string
		sent := false
		for sc.Scan() {
			if m := addrRe.FindStringSubmatch(sc.Text()); m != nil && addr == "" {
				addr = m[1]
			}
			if m := pprofRe.FindStringSubmatch(sc.Text()); m != nil {
				s.pprofURL = m[1]
			}
			if !sent && addr != "" && (!wantPprof || s.pprofURL != "") {
				found <- addr
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

// stop stops the balancer, then every server (in parallel: each drains).
func (f *fleet) stop() (exitErr string, shutdown time.Duration) {
	if f.lb != nil {
		f.lb.stop()
	}
	start := time.Now()
	errs := make([]error, len(f.servers))
	var wg sync.WaitGroup
	for i, s := range f.servers {
		wg.Go(func() { errs[i] = s.stop() })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		exitErr = err.Error()
	}
	return exitErr, time.Since(start)
}

// kill stops whatever still runs, then removes what the run wrote but the
// logs the report names: the embedded database and its log grow by hundreds
// of megabytes a run, and runs left them behind until the disk was full.
func (f *fleet) kill() {
	if f.lb != nil {
		f.lb.stop()
	}
	for _, s := range f.servers {
		s.kill()
	}
	entries, _ := os.ReadDir(f.tmp)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".log") {
			_ = os.RemoveAll(filepath.Join(f.tmp, e.Name()))
		}
	}
}

// balancer is a load balancer process (HAProxy) on loopback, round robin over
// the servers with keep-alive connections to them.
type balancer struct {
	cmd  *exec.Cmd
	url  string
	done chan error
}

func startBalancer(kind string, servers []*server, tmp string) (*balancer, error) {
	if kind != "haproxy" {
		return nil, fmt.Errorf("-lb %q: only haproxy is supported", kind)
	}
	bin, err := exec.LookPath("haproxy")
	if err != nil {
		return nil, fmt.Errorf("-lb haproxy: %w (apt-get install haproxy)", err)
	}
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	// maxconn needs twice as many descriptors; 8000 fits the usual limits.
	fmt.Fprintf(&b, `global
	maxconn 8000
	nbthread 1

defaults
	mode http
	timeout connect 5s
	timeout client 120s
	timeout server 120s
	option http-keep-alive
	http-reuse always

frontend customers
	bind %s
	default_backend parley

backend parley
	balance roundrobin
`, addr)
	for i, s := range servers {
		fmt.Fprintf(&b, "\tserver parley%d %s maxconn 1000\n", i+1, strings.TrimPrefix(s.url, "http://"))
	}
	cfgPath := filepath.Join(tmp, "haproxy.cfg")
	if err := os.WriteFile(cfgPath, []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	log, err := os.Create(filepath.Join(tmp, "haproxy.log"))
	if err != nil {
		return nil, err
	}
	lb := &balancer{cmd: exec.Command(bin, "-db", "-f", cfgPath), url: "http://" + addr, done: make(chan error, 1)}
	lb.cmd.Stdout, lb.cmd.Stderr = log, log
	if err := lb.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start haproxy: %w", err)
	}
	go func() { lb.done <- lb.cmd.Wait(); log.Close() }()
	// Ready once it accepts connections; a bad configuration ends it first.
	for deadline := time.Now().Add(10 * time.Second); ; {
		select {
		case err := <-lb.done:
			lb.done <- err
			out, _ := os.ReadFile(filepath.Join(tmp, "haproxy.log"))
			return nil, fmt.Errorf("haproxy exited: %v\n%s", err, out)
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return lb, nil
		}
		if time.Now().After(deadline) {
			lb.stop()
			return nil, fmt.Errorf("haproxy does not listen on %s", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (b *balancer) stop() {
	select {
	case <-b.done:
		return
	default:
	}
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.done:
	case <-time.After(10 * time.Second):
		_ = b.cmd.Process.Kill()
	}
}

// freeLoopbackAddr finds a port nobody listens on (the balancer binds it a
// moment later; a collision only fails the run).
func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// fetchProfile fetches a profile of the first server over seconds, after
// delay, into path: kind "profile" (CPU) or "allocs" (what was allocated in
// those seconds).
func fetchProfile(ctx context.Context, pprofURL, kind, path string, delay, seconds time.Duration) error {
	sleep(ctx, delay)
	u := fmt.Sprintf("%s%s?seconds=%d", pprofURL, kind, int(seconds.Seconds()))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s profile: %w", kind, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s profile: HTTP %d", kind, resp.StatusCode)
	}
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("%s profile: %w", kind, err)
	}
	if _, err := io.Copy(out, resp.Body); err != nil {
		out.Close()
		return fmt.Errorf("%s profile: %w", kind, err)
	}
	return out.Close()
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
