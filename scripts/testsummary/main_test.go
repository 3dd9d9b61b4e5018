package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSummary(t *testing.T) {
	stream := strings.Join([]string{
		`{"Action":"start","Package":"example/a"}`,
		`{"Action":"run","Package":"example/a","Test":"TestOK"}`,
		`{"Action":"output","Package":"example/a","Test":"TestOK","Output":"=== RUN   TestOK\n"}`,
		`{"Action":"output","Package":"example/a","Test":"TestOK","Output":"--- PASS: TestOK (0.00s)\n"}`,
		`{"Action":"pass","Package":"example/a","Test":"TestOK"}`,
		`{"Action":"run","Package":"example/a","Test":"TestBrowser"}`,
		`{"Action":"output","Package":"example/a","Test":"TestBrowser","Output":"=== RUN   TestBrowser\n"}`,
		`{"Action":"output","Package":"example/a","Test":"TestBrowser","Output":"    browser_test.go:40: Chromium not found; install it with scripts/dev-chromium.sh\n"}`,
		`{"Action":"output","Package":"example/a","Test":"TestBrowser","Output":"--- SKIP: TestBrowser (0.00s)\n"}`,
		`{"Action":"skip","Package":"example/a","Test":"TestBrowser"}`,
		`{"Action":"run","Package":"example/a","Test":"TestBad/sub"}`,
		`{"Action":"output","Package":"example/a","Test":"TestBad/sub","Output":"=== RUN   TestBad/sub\n"}`,
		`{"Action":"output","Package":"example/a","Test":"TestBad/sub","Output":"    a_test.go:9: got 1, want 2\n"}`,
		`{"Action":"output","Package":"example/a","Test":"TestBad/sub","Output":"    --- FAIL: TestBad/sub (0.00s)\n"}`,
		`{"Action":"fail","Package":"example/a","Test":"TestBad/sub"}`,
		`{"Action":"output","Package":"example/a","Output":"FAIL\texample/a\t0.01s\n"}`,
		`{"Action":"fail","Package":"example/a"}`,
		`{"Action":"output","Package":"example/b","Output":"ok  \texample/b\t0.02s\n"}`,
		`{"Action":"skip","Package":"example/b","Test":"TestQuiet"}`,
		`{"Action":"output","Package":"example/b","Test":"TestPG1","Output":"    pg_test.go:1: PostgreSQL not reachable\n"}`,
		`{"Action":"skip","Package":"example/b","Test":"TestPG1"}`,
		`{"Action":"output","Package":"example/b","Test":"TestPG2","Output":"    pg_test.go:1: PostgreSQL not reachable\n"}`,
		`{"Action":"skip","Package":"example/b","Test":"TestPG2"}`,
		`{"ImportPath":"example/c","Action":"build-output","Output":"c.go:3:1: syntax error\n"}`,
	}, "\n")
	var out bytes.Buffer
	s := newSummary(&out)
	s.read(strings.NewReader(stream))
	s.finish()
	want := strings.Join([]string{
		"    a_test.go:9: got 1, want 2",
		"    --- FAIL: TestBad/sub (0.00s)",
		"FAIL\texample/a\t0.01s",
		"ok  \texample/b\t0.02s",
		"c.go:3:1: syntax error",
		"",
		"Skipped (4):",
		"  example/a TestBrowser: Chromium not found; install it with scripts/dev-chromium.sh",
		"  example/b TestQuiet: (no reason given)",
		"  example/b TestPG1, TestPG2: PostgreSQL not reachable",
		"Tests: 1 passed, 1 failed, 4 skipped",
		"",
	}, "\n")
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A package killed by its timeout: the panic is output of the test that was
// running, which never gets a fail event of its own.
func TestSummaryTimeout(t *testing.T) {
	stream := strings.Join([]string{
		`{"Action":"run","Package":"example/a","Test":"TestSlow"}`,
		`{"Action":"output","Package":"example/a","Test":"TestSlow","Output":"=== RUN   TestSlow\n"}`,
		`{"Action":"output","Package":"example/a","Test":"TestSlow","Output":"panic: test timed out after 10m0s\n"}`,
		`{"Action":"output","Package":"example/a","Test":"TestSlow","Output":"\trunning tests:\n"}`,
		`{"Action":"output","Package":"example/a","Test":"TestSlow","Output":"\t\tTestSlow (10m0s)\n"}`,
		`{"Action":"output","Package":"example/a","Output":"FAIL\texample/a\t600.1s\n"}`,
		`{"Action":"fail","Package":"example/a"}`,
	}, "\n")
	var out bytes.Buffer
	s := newSummary(&out)
	s.read(strings.NewReader(stream))
	s.finish()
	want := strings.Join([]string{
		"FAIL\texample/a\t600.1s",
		"--- UNFINISHED: example/a TestSlow",
		"panic: test timed out after 10m0s",
		"\trunning tests:",
		"\t\tTestSlow (10m0s)",
		"",
		"Tests: 0 passed, 1 failed, 0 skipped",
		"",
	}, "\n")
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
