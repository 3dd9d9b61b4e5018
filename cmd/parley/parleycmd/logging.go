package parleycmd

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine/server"
	"github.com/parleyhq/parley/policies"
)

// newLogger is serve's logger: readable text when w is a terminal (a person
// runs `make run`), JSON lines otherwise (a service manager, a log shipper),
// or as format says; personal data masked by the bot's privacy settings,
// read through masker on every line.
func newLogger(w io.Writer, format, level string, masker func() *policies.Masker) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, &exitError{code: 2, msg: fmt.Sprintf("-log-level %q: use debug, info, warn or error", level)}
	}
	if format == "auto" {
		format = "json"
		if isTerminal(w) {
			format = "text"
		}
	}
	var h slog.Handler
	switch format {
	case "json":
		h = slog.NewJSONHandler(w, &slog.HandlerOptions{Level: lv})
	case "text":
		h = slog.NewTextHandler(w, &slog.HandlerOptions{Level: lv, ReplaceAttr: readable})
	default:
		return nil, &exitError{code: 2, msg: fmt.Sprintf("-log-format %q: use auto, text or json", format)}
	}
	return slog.New(server.NewBotMaskingHandler(h, masker)), nil
}

// readable shortens what a person reads on a terminal: the time of day, and
// durations in units they read at a glance (12.3ms, 1.52s) rather than
// nanoseconds to the last digit.
func readable(groups []string, a slog.Attr) slog.Attr {
	switch {
	case len(groups) == 0 && a.Key == slog.TimeKey:
		return slog.String(slog.TimeKey, a.Value.Time().Format("15:04:05.000"))
	case a.Value.Kind() == slog.KindDuration:
		return slog.String(a.Key, humanDuration(a.Value.Duration()))
	}
	return a
}

// humanDuration keeps three significant digits or so.
func humanDuration(d time.Duration) string {
	switch abs := max(d, -d); {
	case abs < time.Microsecond:
		return d.String()
	case abs < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case abs < time.Second:
		return d.Round(100 * time.Microsecond).String()
	case abs < time.Minute:
		return d.Round(10 * time.Millisecond).String()
	default:
		return strings.TrimSuffix(d.Round(time.Second).String(), "0s")
	}
}
