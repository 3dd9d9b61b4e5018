package server

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
)

// A server serves the current version of the policies and, during a
// gradual rollout, a candidate version beside it to a share of new
// conversations. The rollout's state (share, status, the candidate's
// versions) is one record in the store, so every instance on a database
// serves alike and a restart changes nothing. A conversation stays on the
// version it started on: its first turn records the policy version, and the
// candidate's versions (each hot reload makes one) are listed in the record.
// A new conversation goes to the candidate when a hash of its id and the
// rollout's id falls in the share. Promoting makes the candidate serve every
// conversation; rolling back sends every conversation, those that started
// on the candidate too, to the current policies. docs/change-a-rule.md.

// PolicySource is a folder of policies and how to build an engine of it.
type PolicySource struct {
	Dir   string
	Label string
	Load  func(ctx context.Context) (*engine.Engine, error)
}

// RolloutConfig is what `parley serve -candidate` gives the server.
type RolloutConfig struct {
	Current PolicySource
	// Candidate is served beside Current; Load nil: this instance has none.
	Candidate PolicySource
	// Share is the percent of new conversations a new rollout starts with;
	// once running, the stored share (SetShare) rules.
	Share int
}

// versions is the server's part in rollouts.
type versions struct {
	mu        sync.Mutex // one change at a time: reloads, share, promote, rollback, refresh
	current   PolicySource
	candSrc   *PolicySource // nil: no candidate served
	candidate atomic.Pointer[engine.Engine]
	rollout   atomic.Pointer[store.Rollout] // nil: none
	loadedAt  sync.Map                      // *engine.Engine -> time.Time
	firsts    firstVersions
	warned    atomic.Bool
}

// firstVersions remembers the policy version and start of conversations,
// which never change once recorded, so a conversation's version is read
// from the store once per instance. It forgets everything when full.
type firstVersions struct {
	mu sync.Mutex
	m  map[string]firstVersion
}

type firstVersion struct {
	version string
	created time.Time
}

const maxRemembered = 200_000

func (f *firstVersions) get(id string) (firstVersion, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.m[id]
	return v, ok
}

func (f *firstVersions) put(id string, v firstVersion) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil || len(f.m) >= maxRemembered {
		f.m = make(map[string]firstVersion)
	}
	f.m[id] = v
}

// adopt prepares an engine to serve here: metrics, and the router that
// sends each conversation to its version.
func (s *Server) adopt(e *engine.Engine) {
	e.SetObserver(s.metrics)
	e.SetQueueReporter(s.queues)
	e.SetRouter(s.routeVersion)
	s.v.loadedAt.LoadOrStore(e, time.Now())
}

// Candidate is the candidate engine, nil when none is served.
func (s *Server) Candidate() *engine.Engine { return s.v.candidate.Load() }

// Rollout is the rollout as this instance last read it; false when none.
func (s *Server) Rollout() (store.Rollout, bool) {
	r := s.v.rollout.Load()
	if r == nil {
		return store.Rollout{}, false
	}
	return *r, true
}

// ServeVersions starts serving cfg.Candidate beside the current engine,
// joining the rollout stored in the database when it is this candidate's,
// or starting one at cfg.Share. Without a candidate it only reads the
// stored rollout, for GET /v1/policies.
func (s *Server) ServeVersions(ctx context.Context, cfg RolloutConfig) error {
	s.v.mu.Lock()
	defer s.v.mu.Unlock()
	s.v.current = cfg.Current
	if cfg.Share < 0 || cfg.Share > 100 {
		return fmt.Errorf("%w: the candidate's share is a percent from 0 to 100, not %d", engine.ErrInvalidInput, cfg.Share)
	}
	if cfg.Candidate.Load != nil {
		cand, err := cfg.Candidate.Load(ctx)
		if err != nil {
			return fmt.Errorf("candidate %s: %w", cfg.Candidate.Dir, err)
		}
		s.adopt(cand)
		cand.SetRouter(nil) // the candidate serves what it is given
		src := cfg.Candidate
		s.v.candSrc = &src
		s.v.candidate.Store(cand)
	}
	for range 10 {
		stored, err := s.store.Rollout(ctx)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("read the rollout: %w", err)
		}
		found := err == nil
		next, audit, change := s.joinRollout(stored, found, cfg.Share)
		if !change {
			if found {
				s.apply(ctx, stored)
			}
			return nil
		}
		saved, err := s.store.SaveRollout(ctx, next, audit)
		if errors.Is(err, store.ErrConflict) {
			continue // another instance started at the same moment
		}
		if err != nil {
			return fmt.Errorf("save the rollout: %w", err)
		}
		s.apply(ctx, saved)
		return nil
	}
	return fmt.Errorf("save the rollout: %w: other instances keep changing it", store.ErrConflict)
}

// joinRollout decides how this instance's candidate meets the stored
// rollout: a candidate the record does not know starts a new rollout unless
// one is running (then it is a new version of its candidate) or rolled back
// (a rollback holds until someone sets a share again).
func (s *Server) joinRollout(stored store.Rollout, found bool, share int) (store.Rollout, store.AuditEntry, bool) {
	cand := s.v.candidate.Load()
	if cand == nil {
		return stored, store.AuditEntry{}, false
	}
	version := cand.Bot().Version
	known := found && slices.Contains(stored.CandidateVersions, version)
	now := time.Now()
	switch {
	case !found || stored.Status == store.RolloutPromoted && !known:
		next := store.Rollout{
			Revision: stored.Revision, ID: stored.ID + 1, Status: store.RolloutRunning, Share: share,
			Current: s.ref(s.Engine(), s.v.current), Candidate: s.ref(cand, *s.v.candSrc), CandidateVersions: []string{version},
			Since: now, UpdatedAt: now, UpdatedBy: "system",
		}
		return next, s.rolloutAudit("system", "rollout.start", next), true
	case stored.Status == store.RolloutRunning && !known:
		stored.CandidateVersions = append(stored.CandidateVersions, version)
		stored.Candidate = s.ref(cand, *s.v.candSrc)
		stored.UpdatedAt, stored.UpdatedBy = now, "system"
		return stored, s.rolloutAudit("system", "rollout.candidate_changed", stored), true
	}
	return stored, store.AuditEntry{}, false
}

func (s *Server) ref(e *engine.Engine, src PolicySource) store.PolicyRef {
	return store.PolicyRef{Version: e.Bot().Version, Label: src.Label}
}

func (s *Server) rolloutAudit(actor, action string, r store.Rollout) store.AuditEntry {
	return s.Engine().Audit(actor, action, "", map[string]any{
		"rollout": r.ID, "status": r.Status, "share": r.Share,
		"current": engine.ID(r.Current.Version), "current_label": r.Current.Label,
		"candidate": engine.ID(r.Candidate.Version), "candidate_label": r.Candidate.Label,
	})
}

// apply makes a rollout record the one this instance serves by. A promoted
// record makes the candidate engine the current one. The caller holds v.mu.
func (s *Server) apply(ctx context.Context, r store.Rollout) {
	s.v.rollout.Store(&r)
	cand := s.v.candidate.Load()
	if r.Status != store.RolloutPromoted || cand == nil || !slices.Contains(r.CandidateVersions, cand.Bot().Version) {
		return
	}
	// The candidate serves every conversation now; the old current
	// policies close once their turns in progress have finished.
	s.v.candidate.Store(nil)
	old := s.Swap(cand)
	s.v.current, s.v.candSrc = *s.v.candSrc, nil
	s.log.Info("candidate policies promoted", "version", cand.Bot().Version, "dir", s.v.current.Dir)
	if old != nil && old != cand {
		if err := old.Close(); err != nil {
			s.log.Warn("closing the previous engine", "error", err)
		}
	}
}

// routeVersion is the engines' router: the candidate engine for a
// conversation on the candidate, else nil (the current engine).
func (s *Server) routeVersion(ctx context.Context, conversationID string) (*engine.Engine, func(), error) {
	r := s.v.rollout.Load()
	if r == nil || r.Status != store.RolloutRunning || s.v.candidate.Load() == nil {
		return nil, nil, nil
	}
	on, err := s.onCandidate(ctx, conversationID, r)
	if err != nil || !on {
		return nil, nil, err
	}
	e, release := s.holdCandidate()
	if e == nil {
		return nil, nil, nil
	}
	return e, release, nil
}

// onCandidate says whether the candidate serves a conversation: one that
// started on a version of the candidate since the rollout began, or a new
// one whose id falls in the share.
func (s *Server) onCandidate(ctx context.Context, id string, r *store.Rollout) (bool, error) {
	first, ok := s.v.firsts.get(id)
	if !ok {
		conv, err := s.store.Conversation(ctx, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return Assigned(r.ID, id, r.Share), nil
		case err != nil:
			return false, fmt.Errorf("the policy version of conversation %s: %w", id, err)
		}
		first = firstVersion{version: conv.PolicyVersion, created: conv.CreatedAt}
		s.v.firsts.put(id, first)
	}
	return slices.Contains(r.CandidateVersions, first.version) && !first.created.Before(r.Since), nil
}

// Assigned says whether a new conversation goes to the candidate of rollout
// id at share percent: a hash of both ids, so the same conversation always
// draws the same on every instance, and one rollout's sample is not the
// next one's.
func Assigned(rolloutID int64, conversationID string, share int) bool {
	h := fnv.New64a()
	h.Write([]byte(strconv.FormatInt(rolloutID, 10)))
	h.Write([]byte{0})
	h.Write([]byte(conversationID))
	return h.Sum64()%10000 < uint64(share)*100
}

// VersionOf names the version serving a conversation: "current" or "candidate".
func (s *Server) VersionOf(ctx context.Context, conversationID string) (string, error) {
	e, release, err := s.routeVersion(ctx, conversationID)
	if err != nil {
		return "", err
	}
	if e == nil {
		return "current", nil
	}
	release()
	return "candidate", nil
}

// holdCandidate is the candidate engine and a release func; a reload waits
// for it before closing that engine.
func (s *Server) holdCandidate() (*engine.Engine, func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.v.candidate.Load()
	if e == nil {
		return nil, nil
	}
	wg := s.inflight[e]
	if wg == nil {
		wg = &sync.WaitGroup{}
		s.inflight[e] = wg
	}
	wg.Add(1)
	return e, wg.Done
}

// waitCandidate waits for the turns still running on a candidate engine
// that has been taken out of service.
func (s *Server) waitCandidate(e *engine.Engine) {
	s.mu.Lock()
	wg := s.inflight[e]
	delete(s.inflight, e)
	s.mu.Unlock()
	if wg != nil {
		wg.Wait()
	}
}
