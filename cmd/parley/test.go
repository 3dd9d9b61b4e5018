package main

import (
	"context"
	"fmt"
	"io"
	"regexp"

	"github.com/parleyhq/parley/engine"
)

func cmdTest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("test", "test [-run REGEXP] [-v] [DIR...]", stderr)
	runPattern := fs.String("run", "", "run only the tests whose name matches this regular expression")
	verbose := fs.Bool("v", false, "show every turn of every test")
	dirs, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		dirs = []string{"."}
	}
	var filter *regexp.Regexp
	if *runPattern != "" {
		if filter, err = regexp.Compile(*runPattern); err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("-run: %v", err)}
		}
	}
	var total engine.TestSummary
	for _, dir := range dirs {
		bot, err := loadBot(ctx, dir, stderr)
		if err != nil {
			return err
		}
		if len(dirs) > 1 {
			fmt.Fprintf(stdout, "== %s\n", dir)
		}
		sum, err := engine.RunTests(ctx, bot, engine.TestOptions{Filter: filter, Verbose: *verbose}, stdout)
		if err != nil {
			return err
		}
		total.Passed += sum.Passed
		total.Failed += sum.Failed
	}
	if len(dirs) > 1 {
		fmt.Fprintf(stdout, "\ntotal: %d passed, %d failed\n", total.Passed, total.Failed)
	}
	if total.Failed > 0 {
		return &exitError{code: 1}
	}
	return nil
}
