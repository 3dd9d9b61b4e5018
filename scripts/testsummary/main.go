// Command testsummary runs `go test -json ...` and prints what a person needs
// from it: each package's result as go test prints it, the output of failed
// tests, and at the end the skipped tests with their reasons, so a skipped
// browser or database test is visible rather than buried. Its exit code is the
// test run's.
//
//	go run ./scripts/testsummary go test -json -race -count=1 ./...
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: testsummary go test -json [flags] [packages]")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stderr = os.Stdin, os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
	s := newSummary(os.Stdout)
	s.read(out)
	err = cmd.Wait()
	s.finish()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		os.Exit(exit.ExitCode())
	case err != nil:
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	case s.failed > 0:
		os.Exit(1)
	}
}

// event is one line of go test -json (cmd/test2json).
type event struct {
	Action     string
	Package    string
	ImportPath string // build-output, build-fail
	Test       string
	Output     string
}

type skip struct {
	pkg, test, reason string
}

type summary struct {
	w                       io.Writer
	output                  map[string][]string // package/test -> its output so far
	skips                   []skip
	passed, failed, skipped int
}

func newSummary(w io.Writer) *summary {
	return &summary{w: w, output: map[string][]string{}}
}

func (s *summary) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var ev event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			// Not an event (a build error printed by an older go): pass it on.
			fmt.Fprintln(s.w, sc.Text())
			continue
		}
		s.handle(ev)
	}
}

func (s *summary) handle(ev event) {
	key := ev.Package + "\x00" + ev.Test
	switch {
	case ev.Action == "build-output":
		fmt.Fprint(s.w, ev.Output)
	case ev.Test == "" && ev.Action == "output":
		// "ok  pkg 1.2s", "FAIL pkg", panics outside tests; not the verbose
		// run's bare PASS, which go test without -json leaves out.
		if ev.Output != "PASS\n" {
			fmt.Fprint(s.w, ev.Output)
		}
	case ev.Test == "" && ev.Action == "fail":
		s.unfinished(ev.Package)
	case ev.Test == "":
	case ev.Action == "output":
		s.output[key] = append(s.output[key], ev.Output)
	case ev.Action == "pass":
		s.passed++
		delete(s.output, key)
	case ev.Action == "fail":
		s.failed++
		for _, line := range s.output[key] {
			if !isFrame(line) || strings.Contains(line, "--- FAIL") {
				fmt.Fprint(s.w, line)
			}
		}
		delete(s.output, key)
	case ev.Action == "skip":
		s.skipped++
		s.skips = append(s.skips, skip{pkg: ev.Package, test: ev.Test, reason: reason(s.output[key])})
		delete(s.output, key)
	}
}

// isFrame: go test -json runs verbosely; these lines only frame a test's output.
func isFrame(line string) bool {
	t := strings.TrimSpace(line)
	for _, p := range []string{"=== RUN", "=== PAUSE", "=== CONT", "=== NAME", "--- PASS", "--- FAIL", "--- SKIP"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// reason is what a skipped test said, on one line.
func reason(lines []string) string {
	var parts []string
	for _, l := range lines {
		if t := strings.TrimSpace(l); t != "" && !isFrame(t) {
			// "file_test.go:12: why" -> "why"
			if i := strings.Index(t, ": "); i > 0 && strings.Contains(t[:i], ".go:") {
				t = t[i+2:]
			}
			parts = append(parts, t)
		}
	}
	r := strings.Join(parts, " ")
	if r == "" {
		return "(no reason given)"
	}
	if len(r) > 200 {
		r = strings.ToValidUTF8(r[:197], "") + "..."
	}
	return r
}

func (s *summary) finish() {
	fmt.Fprintln(s.w)
	if len(s.skips) > 0 {
		// Tests skipped for one reason (no PostgreSQL, no Chromium) make one line.
		type group struct {
			pkg, reason string
			tests       []string
		}
		var groups []*group
		byKey := map[string]*group{}
		for _, sk := range s.skips {
			key := sk.pkg + "\x00" + sk.reason
			g := byKey[key]
			if g == nil {
				g = &group{pkg: sk.pkg, reason: sk.reason}
				byKey[key] = g
				groups = append(groups, g)
			}
			g.tests = append(g.tests, sk.test)
		}
		sort.SliceStable(groups, func(i, j int) bool { return groups[i].pkg < groups[j].pkg })
		fmt.Fprintf(s.w, "Skipped (%d):\n", len(s.skips))
		for _, g := range groups {
			names := strings.Join(g.tests[:min(len(g.tests), 3)], ", ")
			if len(g.tests) > 3 {
				names += fmt.Sprintf(" and %d more", len(g.tests)-3)
			}
			fmt.Fprintf(s.w, "  %s %s: %s\n", strings.TrimPrefix(g.pkg, "github.com/parleyhq/parley/"), names, g.reason)
		}
	}
	fmt.Fprintf(s.w, "Tests: %d passed, %d failed, %d skipped\n", s.passed, s.failed, s.skipped)
}

// unfinished prints what the tests of a failed package that never ended
// said last: a timeout's panic ("test timed out after 10m0s", the running
// tests and their stacks) lands in the output of a test that then gets no
// fail event of its own, and would otherwise be lost.
func (s *summary) unfinished(pkg string) {
	var keys []string
	for key := range s.output {
		if strings.HasPrefix(key, pkg+"\x00") {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	const tail = 80
	for _, key := range keys {
		lines := s.output[key]
		delete(s.output, key)
		s.failed++
		fmt.Fprintf(s.w, "--- UNFINISHED: %s %s\n", pkg, strings.TrimPrefix(key, pkg+"\x00"))
		if len(lines) > tail {
			fmt.Fprintf(s.w, "    (%d earlier lines left out)\n", len(lines)-tail)
			lines = lines[len(lines)-tail:]
		}
		for _, line := range lines {
			if !isFrame(line) {
				fmt.Fprint(s.w, line)
			}
		}
	}
}
