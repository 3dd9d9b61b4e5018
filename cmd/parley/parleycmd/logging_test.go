package parleycmd

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/policies"
)

func TestLoggerFormats(t *testing.T) {
	defaultMasker := func() *policies.Masker { return policies.DefaultMasker }
	t.Run("text: time of day, human durations, masked", func(t *testing.T) {
		var buf bytes.Buffer
		l, err := newLogger(&buf, "text", "info", defaultMasker)
		if err != nil {
			t.Fatal(err)
		}
		l.Info("http request", "path", "/v1/x", "duration", 12345678*time.Nanosecond, "from", "ann@example.com")
		line := buf.String()
		if !regexp.MustCompile(`^time=\d\d:\d\d:\d\d\.\d\d\d level=INFO msg="http request" path=/v1/x duration=12.3ms from=a\*\*@example.com\n$`).MatchString(line) {
			t.Errorf("text line = %q", line)
		}
	})
	t.Run("auto is JSON when not a terminal, even /dev/null", func(t *testing.T) {
		for _, w := range []any{&bytes.Buffer{}, mustOpen(t, os.DevNull)} {
			if isTerminal(w) {
				t.Errorf("%T is taken for a terminal", w)
			}
		}
		var buf bytes.Buffer
		l, _ := newLogger(&buf, "auto", "info", defaultMasker)
		l.Info("hello", "duration", time.Second)
		var m map[string]any
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil || m["msg"] != "hello" {
			t.Errorf("auto on a buffer = %q (%v), want JSON", buf.String(), err)
		}
	})
	t.Run("debug lines only at -log-level debug", func(t *testing.T) {
		for level, want := range map[string]bool{"info": false, "debug": true} {
			var buf bytes.Buffer
			l, _ := newLogger(&buf, "json", level, defaultMasker)
			l.Debug("GET /healthz")
			if got := strings.Contains(buf.String(), "healthz"); got != want {
				t.Errorf("-log-level %s: debug line shown = %v", level, got)
			}
		}
	})
	t.Run("bad flags", func(t *testing.T) {
		if _, err := newLogger(&bytes.Buffer{}, "xml", "info", defaultMasker); err == nil {
			t.Error("-log-format xml accepted")
		}
		if _, err := newLogger(&bytes.Buffer{}, "text", "loud", defaultMasker); err == nil {
			t.Error("-log-level loud accepted")
		}
	})
}

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		512 * time.Nanosecond:               "512ns",
		123456 * time.Nanosecond:            "123µs",
		12345678 * time.Nanosecond:          "12.3ms",
		1523456789 * time.Nanosecond:        "1.52s",
		2*time.Minute + 3*time.Second + 1e8: "2m3s",
		time.Hour:                           "1h0m",
		-12345678 * time.Nanosecond:         "-12.3ms",
	} {
		if got := humanDuration(d); got != want {
			t.Errorf("humanDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func mustOpen(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.OpenFile(name, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
