// Command shop-backend serves the shop's stand-in order, CRM, refund and
// ticket systems (package backend) for demos of the shop bot.
//
//	shop-backend -addr 127.0.0.1:8090          # fault endpoints on (the default)
//	shop-backend -addr 127.0.0.1:8090 -faults=false
//
// With -faults (the default, since this binary exists for demos) it also serves
// POST/GET/DELETE /_faults, GET /_stats and POST /_reset, e.g.
//
//	curl -X POST localhost:8090/_faults -d '{"method":"POST","path":"/orders/AB123456/refunds","latency_ms":3000,"after_commit":true,"times":1}'
//
// It logs JSON lines (log/slog) to stderr and shuts down gracefully on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/parleyhq/parley/examples/shop/backend"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2) // the flag package has already explained
	default:
		fmt.Fprintln(os.Stderr, "shop-backend:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stderr io.Writer) error {
	flags := flag.NewFlagSet("shop-backend", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:8090", "address to listen on")
	faults := flags.Bool("faults", true, "serve the /_faults, /_stats and /_reset endpoints (fault injection for demos)")
	level := flags.String("log-level", "info", "log level: debug, info, warn or error")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q; shop-backend takes only flags", flags.Args())
	}
	var logLevel slog.Level
	if err := logLevel.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: logLevel}))

	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{
		Handler:           backend.New(backend.Options{Logger: logger, Faults: *faults}),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("shop backend listening", "addr", listener.Addr().String(), "faults", *faults)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(listener) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	logger.Info("shutting down")
	// A fresh context: the signal context is already done, and in-flight
	// requests (including injected latency) deserve a bounded chance to finish.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Warn("requests still running after 10s; closing them", "err", err)
		if err := srv.Close(); err != nil {
			return fmt.Errorf("close: %w", err)
		}
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("stopped")
	return nil
}
