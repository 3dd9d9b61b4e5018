package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
)

// testRollout: the rollout record is saved by revision, with its audit entry
// in the same transaction; of two instances that saved on one revision, one wins.
func testRollout(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	if _, err := s.Rollout(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Rollout before any: %v, want ErrNotFound", err)
	}
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	r := store.Rollout{
		ID: 1, Status: store.RolloutRunning, Share: 10,
		Current: store.PolicyRef{Version: "aaaa", Label: "v1"}, Candidate: store.PolicyRef{Version: "bbbb", Label: "v2"},
		CandidateVersions: []string{"bbbb"}, Since: at, UpdatedAt: at, UpdatedBy: "system",
	}
	saved, err := s.SaveRollout(ctx, r, store.AuditEntry{At: at, Actor: "system", Action: "rollout.start", Detail: raw(`{"share":10}`)})
	if err != nil {
		t.Fatal(err)
	}
	want := r
	want.Revision = 1
	if diff := cmp.Diff(want, saved); diff != "" {
		t.Errorf("saved (-want +got):\n%s", diff)
	}
	got, err := s.Rollout(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}

	// A save on a revision that is no longer stored writes nothing, not even its audit entry.
	stale := r
	stale.Share = 50
	if _, err := s.SaveRollout(ctx, stale, store.AuditEntry{At: at, Actor: "admin:x", Action: "rollout.share"}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("save on revision 0 after 1: %v, want ErrConflict", err)
	}
	got.Share, got.UpdatedBy = 20, "admin:ann"
	got.CandidateVersions = append(got.CandidateVersions, "cccc")
	if got, err = s.SaveRollout(ctx, got, store.AuditEntry{}); err != nil || got.Revision != 2 {
		t.Fatalf("save on revision 1: %+v, %v", got, err)
	}
	entries, err := s.Audit(ctx, store.AuditFilter{Action: "rollout.share"})
	if err != nil || len(entries) != 0 {
		t.Errorf("audit of a refused save: %+v, %v", entries, err)
	}
	entries, err = s.Audit(ctx, store.AuditFilter{Action: "rollout.start"})
	if err != nil || len(entries) != 1 || entries[0].Actor != "system" {
		t.Errorf("audit of the first save: %+v, %v", entries, err)
	}

	// Two instances change the share at once on revision 2: one wins.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() {
			r := got
			r.Share = 30 + i
			_, errs[i] = s.SaveRollout(ctx, r, store.AuditEntry{Actor: "admin:x", Action: "rollout.share"})
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrConflict):
			t.Errorf("racing save: %v", err)
		}
	}
	final, err := s.Rollout(ctx)
	if won != 1 || err != nil || final.Revision != 3 || final.Share < 30 || !cmp.Equal(final.CandidateVersions, []string{"bbbb", "cccc"}) {
		t.Errorf("%d of 2 racing saves won; stored %+v, %v", won, final, err)
	}
}
