package parleycmd

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/knowledge"
	"github.com/parleyhq/parley/engine/report"
	"github.com/parleyhq/parley/engine/store"
)

const kbUsage = `Usage:
  parley kb ingest [-database DSN] DIR           embed new and changed knowledge chunks
  parley kb search [-database DSN] [-k N] DIR "question"
  parley kb unanswered [-database DSN] [-since 30d] [-similarity 0.5] DIR
`

func cmdKB(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, kbUsage)
		return &exitError{code: 2}
	}
	switch args[0] {
	case "ingest":
		return kbIngest(ctx, args[1:], stdout, stderr)
	case "search":
		return kbSearch(ctx, args[1:], stdout, stderr)
	case "unanswered":
		return kbUnanswered(ctx, args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "parley kb: unknown command %q\n\n%s", args[0], kbUsage)
		return &exitError{code: 2}
	}
}

// openKnowledge loads the bot, opens its store and brings the index up to date.
func openKnowledge(ctx context.Context, dir, dsn string, stderr io.Writer, progress func(done, total int)) (*engine.KnowledgeBase, engine.IngestReport, store.Store, error) {
	bot, err := loadBot(ctx, dir, stderr)
	if err != nil {
		return nil, engine.IngestReport{}, nil, err
	}
	if !engine.HasKnowledge(bot) {
		return nil, engine.IngestReport{}, nil, &exitError{code: 1, msg: fmt.Sprintf("%s has no knowledge block and no faq blocks", dir)}
	}
	st, _, err := openStore(ctx, dsn, dir)
	if err != nil {
		return nil, engine.IngestReport{}, nil, err
	}
	kb, rep, err := engine.OpenKnowledge(ctx, bot, st, engine.KnowledgeOptions{Progress: progress})
	if err != nil {
		st.Close()
		return nil, rep, nil, err
	}
	return kb, rep, st, nil
}

func kbIngest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("kb ingest", "kb ingest [-database DSN] DIR", stderr)
	dsn := databaseFlag(fs)
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		fs.Usage()
		return &exitError{code: 2}
	}
	started := time.Now()
	lastShown := time.Time{}
	progress := func(done, total int) {
		// A progress line at most every 200 ms, and always the last one.
		if done != total && time.Since(lastShown) < 200*time.Millisecond {
			return
		}
		lastShown = time.Now()
		fmt.Fprintf(stderr, "\rembedding %d/%d chunks (%.0f%%)", done, total, 100*float64(done)/float64(total))
		if done == total {
			fmt.Fprintln(stderr)
		}
	}
	_, rep, st, err := openKnowledge(ctx, positional[0], *dsn, stderr, progress)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(stdout, "%d chunks: %d embedded, %d unchanged, %d removed (embedder %s) in %s\n",
		rep.Chunks, rep.Embedded, rep.Chunks-rep.Embedded, rep.Removed, rep.Embedder, time.Since(started).Round(time.Millisecond))
	return nil
}

func kbSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("kb search", `kb search [-database DSN] [-k N] DIR "question"`, stderr)
	dsn := databaseFlag(fs)
	k := fs.Int("k", 5, "how many chunks to show")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) < 2 || *k < 1 {
		fs.Usage()
		return &exitError{code: 2}
	}
	question := strings.Join(positional[1:], " ")
	kb, _, st, err := openKnowledge(ctx, positional[0], *dsn, stderr, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	hits, err := kb.Search(ctx, question, *k)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "threshold %.2f: a chunk below it is not an answer\n\n", kb.Threshold())
	for i, h := range hits {
		mark := " "
		if h.Score >= kb.Threshold() {
			mark = "*"
		}
		fmt.Fprintf(stdout, "%s%d. %.3f  %s\n     %s (%s:%d)\n     %s\n", mark, i+1, h.Score, h.Chunk.Title, h.Chunk.ID, h.Chunk.Source, h.Chunk.Line, oneLine(h.Chunk.Reply(), 160))
	}
	if len(hits) == 0 || hits[0].Score < kb.Threshold() {
		fmt.Fprintln(stdout, "\nno chunk reaches the threshold: the bot would say it does not know")
	}
	return nil
}

func kbUnanswered(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("kb unanswered", "kb unanswered [-database DSN] [-since 30d] [-similarity 0.5] DIR", stderr)
	dsn := databaseFlag(fs)
	since := fs.String("since", "90d", "only questions asked in this period")
	similarity := fs.Float64("similarity", 0.5, "how alike two questions must be to count as one (0..1)")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		fs.Usage()
		return &exitError{code: 2}
	}
	age, err := report.ParseAge(*since)
	if err != nil {
		return &exitError{code: 2, msg: "-since: " + err.Error()}
	}
	bot, err := loadBot(ctx, positional[0], stderr)
	if err != nil {
		return err
	}
	st, _, err := openStore(ctx, *dsn, positional[0])
	if err != nil {
		return err
	}
	defer st.Close()
	qs, err := st.Unanswered(ctx, store.UnansweredFilter{Since: time.Now().Add(-age)})
	if err != nil {
		return err
	}
	if len(qs) == 0 {
		fmt.Fprintln(stdout, "no unanswered questions")
		return nil
	}
	// Questions are masked when stored; masking again covers those stored
	// before, and nothing a customer typed reaches the terminal as a control
	// character.
	masker := bot.Masker()
	texts := make([]string, len(qs))
	for i, q := range qs {
		texts[i] = terminalSafe(masker.Text(q.Question))
	}
	// Group with the bot's embedder; the built-in one learns its weights from the
	// questions themselves, so their own wording decides what is alike.
	emb, err := engine.NewEmbedder(ctx, bot, texts)
	if err != nil {
		return err
	}
	groups, err := knowledge.Group(ctx, texts, emb, float32(*similarity))
	if err != nil {
		return err
	}
	sort.SliceStable(groups, func(i, j int) bool { return len(groups[i]) > len(groups[j]) })
	fmt.Fprintf(stdout, "%d unanswered questions in %d groups, most asked first:\n\n", len(qs), len(groups))
	for _, g := range groups {
		fmt.Fprintf(stdout, "%4d  %s\n", len(g), texts[g[0]])
		for _, i := range g[1:min(len(g), 4)] {
			fmt.Fprintf(stdout, "      %s\n", texts[i])
		}
		if len(g) > 4 {
			fmt.Fprintf(stdout, "      ... and %d more\n", len(g)-4)
		}
	}
	return nil
}

// terminalSafe puts text on one line without the control characters (escape
// sequences) a terminal would act on.
func terminalSafe(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)), " ")
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
