package parleycmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/internal/srcfile"
	"github.com/parleyhq/parley/policies"
)

func cmdValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("validate", "validate [-json] [-no-color] [-nlu] [DIR...]", stderr)
	asJSON := fs.Bool("json", false, "print diagnostics as JSON, for CI and editors")
	withNLU := fs.Bool("nlu", false, "also train the NLU and warn about what only it tells: FAQ questions an intent takes")
	noColor := fs.Bool("no-color", false, "never color the output")
	dirs, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		dirs = []string{"."}
	}
	failed := false
	for _, dir := range dirs {
		bot, diags, err := loadPolicies(ctx, dir)
		if err != nil {
			return err
		}
		if diags.HasErrors() {
			failed = true
		} else if *withNLU {
			// Only the trained NLU tells which FAQ wordings an intent takes.
			taken, err := engine.FAQsTakenByIntents(ctx, bot)
			if err != nil {
				return fmt.Errorf("%s: %w", dir, err)
			}
			diags = append(diags, taken...)
		}
		if *asJSON {
			if err := policies.WriteDiagnosticsJSON(stdout, sourceFiles(diags), diags); err != nil {
				return err
			}
			continue
		}
		if err := policies.WriteDiagnostics(stderr, sourceFiles(diags), diags, useColor(stderr, *noColor)); err != nil {
			return err
		}
		if !diags.HasErrors() {
			fmt.Fprintf(stdout, "%s: valid bot %q: %d intents, %d entities, %d dialogs, %d rules, %d handoff policies, %d tests",
				dir, bot.Name, len(bot.Intents), len(bot.Entities), len(bot.Dialogs), len(bot.Rules), len(bot.Handoffs), len(bot.Tests))
			if n := len(diags); n > 0 {
				fmt.Fprintf(stdout, " (%s)", policies.Summary(diags))
			}
			fmt.Fprintln(stdout)
		} else {
			fmt.Fprintf(stderr, "%s: %s\n", dir, policies.Summary(diags))
		}
	}
	if failed {
		return &exitError{code: 1}
	}
	return nil
}

// loadBot loads a bot and prints its diagnostics; errors end the command with exit 1.
func loadBot(ctx context.Context, dir string, stderr io.Writer) (*policies.Bot, error) {
	bot, diags, err := loadPolicies(ctx, dir)
	if err != nil {
		return nil, err
	}
	if len(diags) > 0 {
		if err := policies.WriteDiagnostics(stderr, sourceFiles(diags), diags, useColor(stderr, false)); err != nil {
			return nil, err
		}
	}
	if diags.HasErrors() {
		return nil, &exitError{code: 1, msg: fmt.Sprintf("%s: %s; run \"parley validate %s\" for details", dir, policies.Summary(diags), dir)}
	}
	return bot, nil
}

// loadDir loads and checks a bot; tests replace it to make a load slow.
var loadDir = func(dir string) (*policies.Bot, hcl.Diagnostics) { return engine.Load(dir, nil) }

// loadPolicies loads a bot, giving up when ctx ends (Ctrl-C): checking a large
// bot can take a while, and an interrupted command must stop at once. The load
// itself runs on in the background until the process exits.
func loadPolicies(ctx context.Context, dir string) (*policies.Bot, hcl.Diagnostics, error) {
	type loaded struct {
		bot   *policies.Bot
		diags hcl.Diagnostics
	}
	done := make(chan loaded, 1)
	go func() {
		bot, diags := loadDir(dir)
		done <- loaded{bot, diags}
	}()
	select {
	case l := <-done:
		return l.bot, l.diags, nil
	case <-ctx.Done():
		return nil, nil, errInterrupted
	}
}

// errInterrupted ends a command stopped by Ctrl-C (or SIGTERM) with the shell's
// code for an interrupt.
var errInterrupted = &exitError{code: 130, msg: "interrupted"}

// sourceFiles parses the files diagnostics point into, so the printer can show
// the offending line even when loading stopped early. It reads them as the
// loader does (regular files of bounded size only) and leaves out files that
// are not text: their snippet would be noise at best.
func sourceFiles(diags hcl.Diagnostics) map[string]*hcl.File {
	files := map[string]*hcl.File{}
	for _, d := range diags {
		if d.Subject == nil || d.Subject.Filename == "" {
			continue
		}
		name := d.Subject.Filename
		if _, done := files[name]; done {
			continue
		}
		src, err := srcfile.Read(name, policies.MaxFileSize)
		if err != nil || bytes.IndexByte(src, 0) >= 0 || !utf8.Valid(src) {
			files[name] = nil
			continue
		}
		f, _ := policies.ParseHCL(src, name)
		if f == nil {
			f = &hcl.File{Bytes: src}
		}
		files[name] = f
	}
	return files
}

func useColor(w io.Writer, disabled bool) bool {
	if disabled || os.Getenv("NO_COLOR") != "" || os.Getenv("CI") != "" {
		return false
	}
	return isTerminal(w)
}
