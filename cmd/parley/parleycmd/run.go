package parleycmd

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	// The built-in connector types register themselves; importing them here,
	// not in cmd/parley, gives every build that calls Main or Run them too.
	_ "github.com/parleyhq/parley/connectors/fixture"
	_ "github.com/parleyhq/parley/connectors/httpconn"
	_ "github.com/parleyhq/parley/connectors/sqlconn"
)

const usage = `Parley checks, tests and runs customer-service bots written in HCL.

Usage:
  parley <command> [flags] [arguments]

Commands:
  validate   check a bot folder and report every mistake (exit 1 on errors)
  fmt        rewrite .hcl files in the canonical format
  test       run a bot's conversation tests
  chat       chat with a bot in the terminal
  serve      serve a bot over HTTP
  kb         ingest, search and review the knowledge base
  nlu        measure the built-in NLU on labelled data (nlu eval)
  report     KPIs and outcomes as a table, CSV, JSON, Excel, HTML or PDF
  plan       replay recorded conversations under changed policies and show what changes
  rollout    show, share, promote or roll back the candidate policies a server serves
  export     stream the audit log or conversations (masked) as JSON lines or CSV
  migrate    create or upgrade the database schema
  purge      delete transcripts older than the retention period (default 3 years)
  version    print the version

Run "parley <command> -h" for a command's flags.
`

// Run is the whole program behind Main, so tests can drive it in process: it
// runs the command in args (without the program name) and returns nil on
// success. Main prints its error, if any, and turns it into the exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return &exitError{code: 2}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "validate":
		return cmdValidate(ctx, rest, stdout, stderr)
	case "fmt":
		return cmdFmt(ctx, rest, stdout, stderr)
	case "test":
		return cmdTest(ctx, rest, stdout, stderr)
	case "chat":
		return cmdChat(ctx, rest, stdin, stdout, stderr)
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "kb":
		return cmdKB(ctx, rest, stdout, stderr)
	case "nlu":
		return cmdNLU(ctx, rest, stdout, stderr)
	case "report":
		return cmdReport(ctx, rest, stdout, stderr)
	case "plan":
		return cmdPlan(ctx, rest, stdout, stderr)
	case "rollout":
		return cmdRollout(ctx, rest, stdout, stderr)
	case "export":
		return cmdExport(ctx, rest, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, stdout, stderr)
	case "purge":
		return cmdPurge(ctx, rest, stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "parley", parleyVersion())
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "parley: unknown command %q%s\n\n%s", cmd, suggestCommand(cmd), usage)
		return &exitError{code: 2}
	}
}

func suggestCommand(cmd string) string {
	for _, c := range []string{"validate", "fmt", "test", "chat", "serve", "kb", "report", "plan", "rollout", "export", "migrate", "purge", "version"} {
		if strings.HasPrefix(c, cmd) || strings.HasPrefix(cmd, c) || editDistance(cmd, c) <= 2 {
			return fmt.Sprintf(" (did you mean %q?)", c)
		}
	}
	return ""
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// newFlagSet makes a flag set that reports errors to stderr and never exits.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: parley %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses flags given before or after the arguments ("parley validate
// examples/shop -json" works too), turning flag errors into exit code 2 and -h
// into a clean exit. It returns the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, &exitError{code: 0}
			}
			return nil, &exitError{code: 2}
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}
