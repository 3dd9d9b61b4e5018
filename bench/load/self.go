package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"syscall"
	"time"
)

// The loader shares the machine with the server, so what it costs is CPU the
// server does not get: it measures itself.

// selfCPU is the user and system CPU time this process has used so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// profileSelf writes a CPU profile of the loader over seconds, after delay
// (the window -cpuprofile takes of the server).
func profileSelf(ctx context.Context, path string, delay, seconds time.Duration) error {
	sleep(ctx, delay)
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("loader profile: %w", err)
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		out.Close()
		return fmt.Errorf("loader profile: %w", err)
	}
	sleep(ctx, seconds)
	pprof.StopCPUProfile()
	return out.Close()
}
