package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

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
			hc, _ := cl.pick(w)
			for ctx.Err() == nil && next.Add(1) <= int64(n) {
				// Through the pool: a connection kept per idle conversation
				// would be counted as its memory.
				c, err := createConversation(ctx, cfg, hc, nil, t)
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

// readCPUSeconds reads the user and system CPU time a process has used so far,
// from /proc/PID/stat (in clock ticks of 1/100 s on Linux).
func readCPUSeconds(pid int) (float64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("server CPU: %w", err)
	}
	// The command name (field 2) may hold spaces: count from its closing parenthesis.
	rest := string(data)
	if i := strings.LastIndexByte(rest, ')'); i >= 0 {
		rest = rest[i+1:]
	}
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0, fmt.Errorf("server CPU: short /proc/%d/stat", pid)
	}
	utime, err1 := strconv.ParseFloat(f[11], 64)
	stime, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("server CPU: bad /proc/%d/stat", pid)
	}
	return (utime + stime) / 100, nil
}
