package parleycmd

import (
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
)

// listenProfiling serves Go's profiles on their own loopback listener, never
// on the API's: a CPU profile of a server under load is how BENCHMARKS.md finds
// where the time goes, and profiles must not reach the internet.
func listenProfiling(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("PARLEY_PPROF_ADDR=%q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, &exitError{code: 2, msg: fmt.Sprintf("PARLEY_PPROF_ADDR=%q must be a loopback address", addr)}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("PARLEY_PPROF_ADDR: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go func() { _ = http.Serve(ln, mux) }()
	return ln, nil
}
