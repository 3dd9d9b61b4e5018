package parleycmd

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// openStore opens where conversations are kept: dsn "" means the embedded
// default inside the bot folder, "memory" keeps nothing after exit, and
// postgres:// URLs use PostgreSQL. It also says where, for the banner.
func openStore(ctx context.Context, dsn, botDir string) (store.Store, string, error) {
	return openStoreHint(ctx, dsn, botDir, inUseHint)
}

// openStoreToRead opens the store as openStore does, for a command that
// reads what a server recorded: when the server holds the embedded
// database, it says how to read a copy.
func openStoreToRead(ctx context.Context, dsn, botDir string) (store.Store, string, error) {
	return openStoreHint(ctx, dsn, botDir, inUseReadHint)
}

func openStoreHint(ctx context.Context, dsn, botDir, hint string) (store.Store, string, error) {
	switch {
	case dsn == "memory" || dsn == ":memory:":
		return memstore.New(), "memory (nothing is kept after exit)", nil
	case strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn)
	default:
		path := dsn
		if path == "" {
			path = filepath.Join(botDir, ".parley", "parley.db")
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, "", fmt.Errorf("database folder: %w", err)
		}
		return openEmbedded(ctx, path, hint)
	}
}

// databaseFlag is the -database flag every command that keeps data shares.
func databaseFlag(fs *flag.FlagSet) *string {
	return fs.String("database", os.Getenv("PARLEY_DATABASE_URL"),
		`where data is kept: a file for the embedded store (default DIR/.parley/parley.db), "memory", or postgres://... (env PARLEY_DATABASE_URL)`)
}

// openEngine loads the bot, opens its store and starts the engine (which ingests
// the knowledge base if it changed). closeEngine releases both.
func openEngine(ctx context.Context, dir, dsn, label string, stderr io.Writer) (eng *engine.Engine, where string, closeEngine func(), err error) {
	bot, err := loadBot(ctx, dir, stderr)
	if err != nil {
		return nil, "", nil, err
	}
	st, where, err := openStore(ctx, dsn, dir)
	if err != nil {
		return nil, "", nil, err
	}
	eng, err = engine.New(ctx, bot, engine.Options{Store: st, PolicyLabel: label})
	if err != nil {
		st.Close()
		return nil, "", nil, err
	}
	return eng, where, func() {
		eng.Close()
		st.Close()
	}, nil
}

func randomSuffix() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func sortedMapKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
