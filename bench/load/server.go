package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

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
	s.cmd = exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-watch=false", "-database", db, cfg.bot)
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
