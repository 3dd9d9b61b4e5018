package parleycmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/parleyhq/parley/engine"
)

func cmdTest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("test", "test [-run REGEXP] [-v] [-live] [-coverage] [-min-coverage PERCENT] [-json] [DIR...]", stderr)
	runPattern := fs.String("run", "", "run only the tests whose name matches this regular expression")
	verbose := fs.Bool("v", false, "show every turn of every test")
	live := fs.Bool("live", false, "call the real connectors instead of the tests' mocks (tests with live = false are skipped)")
	withCoverage := fs.Bool("coverage", false, "list every intent, dialog, slot, rule, outcome, handoff policy, triage block and response, and whether a test reached it")
	minCoverage := fs.Float64("min-coverage", 0, "fail (exit 1) when the tests reach less than this percentage of the bot; implies -coverage")
	asJSON := fs.Bool("json", false, "print the results as JSON, one document per bot folder")
	dirs, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		dirs = []string{"."}
	}
	if *minCoverage < 0 || *minCoverage > 100 {
		return &exitError{code: 2, msg: fmt.Sprintf("-min-coverage: %v is not a percentage from 0 to 100", *minCoverage)}
	}
	*withCoverage = *withCoverage || *minCoverage > 0
	var filter *regexp.Regexp
	if *runPattern != "" {
		if filter, err = regexp.Compile(*runPattern); err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("-run: %v", err)}
		}
	}
	var total engine.TestSummary
	var below []string
	for _, dir := range dirs {
		bot, err := loadBot(ctx, dir, stderr)
		if err != nil {
			return err
		}
		out := stdout
		if *asJSON {
			out = io.Discard
		} else if len(dirs) > 1 {
			fmt.Fprintf(stdout, "== %s\n", dir)
		}
		sum, err := engine.RunTests(ctx, bot, engine.TestOptions{Filter: filter, Verbose: *verbose, Live: *live}, out)
		if err != nil {
			return err
		}
		total.Passed += sum.Passed
		total.Failed += sum.Failed
		total.Skipped += sum.Skipped
		if *withCoverage && sum.Coverage.Percent < *minCoverage {
			below = append(below, fmt.Sprintf("%s: coverage %.1f%% is below -min-coverage %v", dir, sum.Coverage.Percent, *minCoverage))
		}
		if *asJSON {
			if err := writeTestJSON(stdout, dir, bot.Name, sum, *withCoverage); err != nil {
				return err
			}
			continue
		}
		if *withCoverage {
			writeCoverage(stdout, sum.Coverage)
		}
	}
	if len(dirs) > 1 && !*asJSON {
		fmt.Fprintf(stdout, "\ntotal: %d passed, %d failed, %d skipped; pass rate %.1f%%\n", total.Passed, total.Failed, total.Skipped, total.PassRate())
	}
	if len(below) > 0 {
		return &exitError{code: 1, msg: strings.Join(below, "\n")}
	}
	if total.Failed > 0 {
		return &exitError{code: 1}
	}
	return nil
}

// testJSON is what parley test -json prints for one bot folder.
type testJSON struct {
	Dir      string               `json:"dir"`
	Bot      string               `json:"bot"`
	Passed   int                  `json:"passed"`
	Failed   int                  `json:"failed"`
	Skipped  int                  `json:"skipped"`
	PassRate float64              `json:"pass_rate"`
	Failures []engine.TestFailure `json:"failures"`
	Coverage *engine.Coverage     `json:"coverage,omitempty"`
}

func writeTestJSON(w io.Writer, dir, bot string, sum engine.TestSummary, withCoverage bool) error {
	doc := testJSON{Dir: dir, Bot: bot, Passed: sum.Passed, Failed: sum.Failed, Skipped: sum.Skipped, PassRate: sum.PassRate(), Failures: sum.Failures}
	if withCoverage {
		doc.Coverage = sum.Coverage
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// writeCoverage prints the coverage per kind, then every item: reached ones
// with how many tests reached them, missed ones with where they are declared.
func writeCoverage(w io.Writer, cov *engine.Coverage) {
	fmt.Fprintf(w, "\ncoverage: %.1f%% (%d of %d reached)\n", cov.Percent, cov.Reached, cov.Total)
	for _, k := range cov.Kinds {
		if k.Total > 0 {
			fmt.Fprintf(w, "  %-9s %4d/%-4d %5.1f%%\n", k.Kind, k.Reached, k.Total, k.Percent)
		}
	}
	width := 0
	for _, it := range cov.Items {
		width = max(width, len(it.Name))
	}
	for _, kind := range engine.CoverageKinds {
		first := true
		for _, it := range cov.Items {
			if it.Kind != kind {
				continue
			}
			if first {
				fmt.Fprintf(w, "\n%s\n", kind)
				first = false
			}
			if it.Reached() {
				fmt.Fprintf(w, "  reached  %-*s  %d %s\n", width, it.Name, it.Tests, plural(it.Tests, "test", "tests"))
			} else {
				fmt.Fprintf(w, "  MISSED   %-*s  %s\n", width, it.Name, it.Where)
			}
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
