package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/parleyhq/parley/engine"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [-addr HOST:PORT] [-database DSN] DIR", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dsn := databaseFlag(fs)
	token := os.Getenv("PARLEY_API_TOKEN")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		fs.Usage()
		return &exitError{code: 2}
	}
	if host, _, err := net.SplitHostPort(*addr); err == nil && token == "" {
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return &exitError{code: 2, msg: fmt.Sprintf("-addr %s is reachable from other machines: set PARLEY_API_TOKEN so the API requires it (transcripts hold personal data)", *addr)}
		}
	}
	dir := positional[0]
	eng, where, closeEngine, err := openEngine(ctx, dir, *dsn, stderr)
	if err != nil {
		return err
	}
	defer closeEngine()
	bot := eng.Bot()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: engine.NewServer(eng, engine.ServerConfig{Token: token}), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "parley: serving bot %q on http://%s (conversations in %s)\n", bot.Name, ln.Addr(), where)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Let turns in flight commit before exiting.
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
