package server

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// copyBotDir copies a bot folder (without hidden folders) into a temporary one.
func copyBotDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if path != src && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// lockedLog is a log destination safe for the server's goroutines.
type lockedLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedLog) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedLog) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// reloadLoader builds engines from dir on one store, as `parley serve` does on reload.
func reloadLoader(dir string, st store.Store) func(ctx context.Context) (*engine.Engine, error) {
	return func(ctx context.Context) (*engine.Engine, error) {
		bot, diags := engine.Load(dir, nil)
		if diags.HasErrors() {
			return nil, diags
		}
		return engine.New(ctx, bot, engine.Options{Store: st})
	}
}

func editBotFile(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReloadServesNewPoliciesAndKeepsOldOnError(t *testing.T) {
	ctx := context.Background()
	dir := copyBotDir(t, enginetest.ShopDir())
	st := memstore.New()
	load := reloadLoader(dir, st)
	first, err := load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var logs lockedLog
	s := NewServer(first, ServerConfig{RouteEvery: -1, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	defer func() { _ = s.Close(context.Background()) }()
	defer func() { s.Engine().Close() }()

	turn := 0
	ask := func() string {
		turn++
		res, err := s.Engine().Handle(ctx, engine.Message{ConversationID: "c" + string(rune('0'+turn)), Text: "where is my order?"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Replies) == 0 {
			t.Fatalf("no reply: %+v", res)
		}
		return res.Replies[0].Text
	}

	responses := filepath.Join(dir, "responses.hcl")
	var got []string
	got = append(got, ask())
	editBotFile(t, responses, `"What's your order number? It looks like AB123456."`, `"Which order is it? The number looks like AB123456."`)
	if err := s.Reload(ctx, load); err != nil {
		t.Fatalf("Reload after a good edit: %v", err)
	}
	if s.Engine() == first {
		t.Error("the engine was not replaced")
	}
	got = append(got, ask())

	editBotFile(t, responses, `response "greet" {`, `response "greet" {{`)
	err = s.Reload(ctx, load)
	if err == nil || !strings.Contains(err.Error(), "responses.hcl") {
		t.Errorf("Reload after a bad edit = %v, want the diagnostics naming responses.hcl", err)
	}
	got = append(got, ask())

	want := []string{
		"What's your order number? It looks like AB123456.",
		"Which order is it? The number looks like AB123456.",
		"Which order is it? The number looks like AB123456.", // the bad edit changed nothing
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("replies (-want +got):\n%s", diff)
	}
	if !strings.Contains(logs.String(), `"msg":"policies reloaded"`) ||
		!strings.Contains(logs.String(), `"msg":"policy reload rejected; the previous policies keep serving"`) ||
		!strings.Contains(logs.String(), `responses.hcl`) {
		t.Errorf("log does not record the reload and the rejection with its diagnostics:\n%s", logs.String())
	}
}

func TestReloadWatchNoticesEdits(t *testing.T) {
	dir := copyBotDir(t, enginetest.ShopDir())
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	reloaded := make(chan struct{}, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		WatchPolicies(ctx, dir, 5*time.Millisecond, func(context.Context) error {
			reloaded <- struct{}{}
			return nil
		}, slog.New(slog.DiscardHandler))
	}()
	// The watcher's first scan may come after an edit and take it as the
	// starting point, so edit until a reload comes: any reload means an edit
	// was seen.
	responses := filepath.Join(dir, "responses.hcl")
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for n := 0; ; n++ {
		f, err := os.OpenFile(responses, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = f.WriteString("# edit " + strconv.Itoa(n) + "\n")
		f.Close()
		select {
		case <-reloaded:
			cancel()
			<-done
			return
		case <-tick.C:
		}
	}
}

func TestReloadWatchScansBotFilesOnly(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"bot.hcl", "knowledge/faq.md", "knowledge/faq.csv", "knowledge/notes.txt",
		".parley/parley.db", ".git/config", "backend/main.go", "parley.db", ".bot.hcl.swp", "tests/t.hcl"} {
		path := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := scanBotFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for path := range files {
		rel, _ := filepath.Rel(dir, path)
		got = append(got, filepath.ToSlash(rel))
	}
	want := []string{"bot.hcl", "knowledge/faq.csv", "knowledge/faq.md", "knowledge/notes.txt", "tests/t.hcl"}
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("watched files (-want +got):\n%s", diff)
	}

	later := map[string]fileStamp{}
	for path, st := range files {
		later[path] = st
	}
	bot := filepath.Join(dir, "bot.hcl")
	later[bot] = fileStamp{size: files[bot].size + 1, modTime: files[bot].modTime}
	delete(later, filepath.Join(dir, "tests/t.hcl"))
	later[filepath.Join(dir, "new.hcl")] = fileStamp{}
	if diff := cmp.Diff([]string{bot, filepath.Join(dir, "new.hcl"), filepath.Join(dir, "tests/t.hcl")}, changedFiles(files, later)); diff != "" {
		t.Errorf("changed files (-want +got):\n%s", diff)
	}
}

// TestReloadRefusesDeepNesting: an edit nested 100,000 levels deep used to
// overflow the parser's stack, a fatal error that took `parley serve` down. It
// is refused like any bad edit, and the old policies keep serving.
func TestReloadRefusesDeepNesting(t *testing.T) {
	ctx := context.Background()
	dir := copyBotDir(t, enginetest.ShopDir())
	st := memstore.New()
	load := reloadLoader(dir, st)
	first, err := load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(first, ServerConfig{RouteEvery: -1})
	defer func() { _ = s.Close(context.Background()) }()
	defer func() { s.Engine().Close() }()

	deep := "variable \"deep\" {\n  value = " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "deep.hcl"), []byte(deep), 0o644); err != nil {
		t.Fatal(err)
	}
	err = s.Reload(ctx, load)
	if err == nil || !strings.Contains(err.Error(), "deep.hcl:2,") || !strings.Contains(err.Error(), "Nesting too deep") {
		t.Fatalf("Reload = %v, want the nesting diagnostic for deep.hcl", err)
	}
	if s.Engine() != first {
		t.Error("the engine was replaced by a bad edit")
	}
	res, err := s.Engine().Handle(ctx, engine.Message{ConversationID: "c1", Text: "where is my order?"})
	if err != nil || len(res.Replies) == 0 || !strings.Contains(res.Replies[0].Text, "order number") {
		t.Errorf("the old policies do not answer after the refused reload: %+v, %v", res, err)
	}
}

// TestReloadsOverlapWithoutWaiting: a reload that is still loading (a large bot
// takes a while to check) holds no lock, so a later reload goes through; and
// when the slow one finishes last, the later one's policies stay in service.
func TestReloadsOverlapWithoutWaiting(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	first := newShopEngine(t, st, monday10)
	slow := newShopEngine(t, st, monday10)
	fast := newShopEngine(t, st, monday10)
	s := NewServer(first, ServerConfig{RouteEvery: -1})
	defer func() { _ = s.Close(context.Background()) }()

	loading, release := make(chan struct{}), make(chan struct{})
	slowDone := make(chan error, 1)
	go func() {
		slowDone <- s.Reload(ctx, func(context.Context) (*engine.Engine, error) {
			close(loading)
			<-release
			return slow, nil
		})
	}()
	<-loading
	fastDone := make(chan error, 1)
	go func() { fastDone <- s.Reload(ctx, func(context.Context) (*engine.Engine, error) { return fast, nil }) }()
	select {
	case err := <-fastDone:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		close(release)
		t.Fatal("a reload waited for another one that was still loading")
	}
	if s.Engine() != fast {
		t.Fatal("the later reload is not serving")
	}
	close(release)
	if err := <-slowDone; err != nil {
		t.Fatal(err)
	}
	if s.Engine() != fast {
		t.Error("an earlier reload that finished last replaced the later one")
	}
}
