package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine"
)

// Reload builds a new engine with load and, only if that succeeds, serves it in
// place of the current one. load reads and validates the policies: a bad edit
// comes back as an error holding the diagnostics, is logged, and the old
// policies keep serving. The old engine is closed once the turns it is running
// have finished (turns are bounded by their own timeout); Reload waits for it.
//
// Reloads may overlap (SIGHUP while the watcher reloads): each loads and checks
// on its own, holding no lock, since checking a large bot takes a while; only
// the swap is serialised. A reload that finishes after a later one has been
// swapped in is dropped, so the newest files always win.
func (s *Server) Reload(ctx context.Context, load func(ctx context.Context) (*engine.Engine, error)) error {
	started := time.Now()
	gen := s.reloadsStarted.Add(1)
	next, err := load(ctx)
	if err != nil {
		s.log.Error("policy reload rejected; the previous policies keep serving", "error", err)
		return fmt.Errorf("reload: %w", err)
	}
	if next == nil {
		s.log.Error("policy reload rejected; the previous policies keep serving", "error", "load returned no engine")
		return errors.New("reload: load returned no engine")
	}
	s.reloadMu.Lock()
	if gen < s.reloadSwapped {
		s.reloadMu.Unlock()
		s.log.Info("policy reload superseded by a later one", "bot", next.Bot().Name)
		return next.Close()
	}
	s.reloadSwapped = gen
	// The wait for the old engine's turns happens outside the lock.
	old, drained := s.swapEngine(next)
	s.reloadMu.Unlock()
	// drained returns once the turns running on the old engine have finished,
	// so closing its connectors cannot cut a refund off before it is recorded.
	drained()
	s.log.Info("policies reloaded", "bot", next.Bot().Name, "took", time.Since(started).Round(time.Millisecond))
	if old != nil && old != next {
		if err := old.Close(); err != nil {
			s.log.Warn("closing the previous engine", "error", err)
		}
	}
	return nil
}

// watchedExt are the files a bot is made of: policies (.hcl) and the kinds of
// knowledge files the knowledge base reads.
var watchedExt = map[string]bool{".hcl": true, ".md": true, ".markdown": true, ".txt": true, ".text": true, ".csv": true}

// WatchPolicies polls the bot folder dir every interval and calls reload when
// its .hcl or knowledge files change (added, removed, resized or touched). It
// waits for one quiet interval after the last change first, so an editor
// saving several files, or a deploy copying a folder, makes one reload.
// Hidden folders (.parley holds the embedded database, .git) are not
// watched. reload reports its own outcome (Server.Reload logs it). Polling
// rather than OS notifications keeps Parley free of a dependency and works on
// network and container-mounted folders too. It returns when ctx is done.
func WatchPolicies(ctx context.Context, dir string, interval time.Duration, reload func(ctx context.Context) error, log *slog.Logger) {
	if interval <= 0 {
		interval = 2 * time.Second
	}
	prev, err := scanBotFiles(dir)
	if err != nil {
		log.Warn("watching bot files", "dir", dir, "error", err)
	}
	pending := false
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		cur, err := scanBotFiles(dir)
		if err != nil {
			// A folder being replaced may briefly be unreadable: try next time.
			log.Warn("watching bot files", "dir", dir, "error", err)
			continue
		}
		if changed := changedFiles(prev, cur); len(changed) > 0 {
			prev, pending = cur, true
			log.Debug("bot files changed", "files", changed)
			continue
		}
		if !pending {
			continue
		}
		pending = false
		log.Info("bot files changed; reloading", "dir", dir)
		_ = reload(ctx) // reload logs its outcome
	}
}

// fileStamp is what a poll compares: a change to any of it means a new version.
type fileStamp struct {
	size    int64
	modTime time.Time
}

func scanBotFiles(dir string) (map[string]fileStamp, error) {
	out := map[string]fileStamp{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir && strings.HasPrefix(name, ".") {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(name, ".") || !watchedExt[strings.ToLower(filepath.Ext(name))] {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out[path] = fileStamp{size: info.Size(), modTime: info.ModTime()}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", dir, err)
	}
	return out, nil
}

// changedFiles lists the files added, removed or changed between two scans.
func changedFiles(prev, cur map[string]fileStamp) []string {
	var changed []string
	for path, st := range cur {
		if old, ok := prev[path]; !ok || old.size != st.size || !old.modTime.Equal(st.modTime) {
			changed = append(changed, path)
		}
	}
	for path := range prev {
		if _, ok := cur[path]; !ok {
			changed = append(changed, path)
		}
	}
	slices.Sort(changed)
	return changed
}
