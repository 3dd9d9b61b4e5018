package policies

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// TestValidBots loads each folder in testdata/valid, which must have no errors.
func TestValidBots(t *testing.T) {
	dirs, err := os.ReadDir("testdata/valid")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		t.Run(dir.Name(), func(t *testing.T) {
			bot, diags := LoadDir(filepath.Join("testdata/valid", dir.Name()), testOptions)
			for _, d := range diags {
				t.Errorf("unexpected diagnostic: %s", d)
			}
			if bot == nil {
				t.Fatal("nil bot")
			}
		})
	}
}

// marker is an expected diagnostic, written in the source as a trailing
// "# ERROR: summary substring" or "# WARNING: summary substring".
type marker struct {
	file     string
	line     int
	severity hcl.DiagnosticSeverity
	summary  string
}

var markerRE = regexp.MustCompile(`#\s*(ERROR|WARNING):\s*(.+?)\s*$`)

func readMarkers(t *testing.T, dir string) []marker {
	t.Helper()
	var out []marker
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".hcl") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(src), "\n") {
			m := markerRE.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			sev := hcl.DiagError
			if m[1] == "WARNING" {
				sev = hcl.DiagWarning
			}
			out = append(out, marker{file: path, line: i + 1, severity: sev, summary: m[2]})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestInvalidBots loads each folder in testdata/invalid. Every error must land on
// a line marked with a matching summary, and every marker must get a diagnostic.
// Warnings must match a WARNING marker only when the line has one.
func TestInvalidBots(t *testing.T) {
	dirs, err := os.ReadDir("testdata/invalid")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 25 {
		t.Errorf("only %d invalid cases", len(dirs))
	}
	for _, dir := range dirs {
		t.Run(dir.Name(), func(t *testing.T) {
			path := filepath.Join("testdata/invalid", dir.Name())
			markers := readMarkers(t, path)
			if len(markers) == 0 {
				t.Fatal("case has no # ERROR: or # WARNING: markers")
			}
			_, diags := LoadDir(path, testOptions)
			matched := make([]bool, len(markers))
			for _, d := range diags {
				found := false
				for i, m := range markers {
					if d.Subject == nil || filepath.Clean(d.Subject.Filename) != filepath.Clean(m.file) || d.Subject.Start.Line != m.line {
						continue
					}
					if d.Severity == m.severity && strings.Contains(d.Summary, m.summary) {
						matched[i] = true
						found = true
					}
				}
				if !found && d.Severity == hcl.DiagError {
					t.Errorf("unexpected error: %s", d)
				}
			}
			for i, m := range markers {
				if !matched[i] {
					t.Errorf("%s:%d: no %s diagnostic containing %q", m.file, m.line, map[bool]string{true: "error", false: "warning"}[m.severity == hcl.DiagError], m.summary)
				}
			}
			if t.Failed() || os.Getenv("PARLEY_SHOW_DIAGS") != "" {
				for _, d := range diags {
					t.Logf("got: %s", d)
				}
			}
		})
	}
}
