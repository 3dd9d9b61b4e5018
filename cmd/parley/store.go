package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// openStore opens where conversations are kept: dsn "" means the embedded
// default inside the bot folder, "memory" keeps nothing after exit, and
// postgres:// URLs use PostgreSQL. It also says where, for the banner.
func openStore(ctx context.Context, dsn, botDir string) (store.Store, string, error) {
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
		return openEmbedded(ctx, path)
	}
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
