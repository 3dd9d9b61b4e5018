// Package parleycmd is the parley command, importable so that a build of
// parley with more connector types is a main package of its own:
//
//	package main
//
//	import (
//		"github.com/parleyhq/parley/cmd/parley/parleycmd"
//
//		_ "example.com/crm" // registers its connector types from init
//	)
//
//	func main() { parleycmd.Main() }
//
// The built-in connector types (fixture, http, sql) are registered by this
// package itself, so every such build has them too.
package parleycmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Main runs the parley command with os.Args, the standard streams and a
// context that SIGINT and SIGTERM cancel, then exits the process with the
// command's exit code (0 success, 1 failure, 2 usage, 130 interrupted). It
// does not return.
func Main() {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first signal asks the command to finish (serve drains its
		// requests); a second one stops the process at once, as an operator
		// pressing Ctrl-C again expects. Every store survives that as it
		// survives a crash.
		<-signals
		cancel()
		<-signals
		fmt.Fprintln(os.Stderr, "parley: interrupted again: stopping now")
		os.Exit(130)
	}()
	err := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		// Interrupted, not failed: the shell's code for SIGINT, without a
		// "context canceled" that reads like a bug.
		err = errInterrupted
	}
	os.Exit(exitCode(err, os.Stderr))
}

// exitError carries an exit code for failures already reported to the user
// (diagnostics, failing tests), so Main prints nothing more.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func exitCode(err error, stderr *os.File) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "parley:", ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "parley:", err)
	return 1
}
