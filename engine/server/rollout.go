package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
)

// Changes to the versions served: hot reloads, the share, promotion,
// rollback, and following what other instances changed (versions.go says
// how conversations are assigned).

// ReloadPolicies reloads the policies of folder dir, current or candidate;
// a folder no longer served (the current one after a promotion) is left.
func (s *Server) ReloadPolicies(ctx context.Context, dir string) error {
	s.v.mu.Lock()
	defer s.v.mu.Unlock()
	switch {
	case s.v.candSrc != nil && dir == s.v.candSrc.Dir:
		return s.reloadCandidate(ctx)
	case s.v.current.Load == nil:
		return errors.New("reload: the server was not told where its policies come from (ServeVersions)")
	case dir == s.v.current.Dir:
		return s.Reload(ctx, s.v.current.Load)
	}
	s.log.Info("policies changed in a folder no longer served (the candidate was promoted); restart with the promoted folder as the bot", "dir", dir)
	return nil
}

// reloadCandidate puts a new candidate engine in service: its version joins
// the rollout's candidate versions first, so conversations it starts stay on
// it. Bad policies are refused and the running candidate keeps serving.
func (s *Server) reloadCandidate(ctx context.Context) error {
	src := *s.v.candSrc
	next, err := src.Load(ctx)
	if err != nil {
		s.log.Error("candidate policy reload rejected; the previous candidate keeps serving", "dir", src.Dir, "error", err)
		return fmt.Errorf("reload candidate: %w", err)
	}
	if r, ok := s.Rollout(); ok && r.Status != store.RolloutPromoted && !slices.Contains(r.CandidateVersions, next.Bot().Version) {
		saved, err := s.changeRollout(ctx, "system", "rollout.candidate_reloaded", func(r *store.Rollout) error {
			if slices.Contains(r.CandidateVersions, next.Bot().Version) {
				return errUnchanged // another instance, watching the same folder, was first
			}
			r.CandidateVersions = append(r.CandidateVersions, next.Bot().Version)
			r.Candidate = store.PolicyRef{Version: next.Bot().Version, Label: src.Label}
			return nil
		})
		if err != nil {
			next.Close()
			return fmt.Errorf("reload candidate: %w", err)
		}
		s.v.rollout.Store(&saved)
	}
	s.adopt(next)
	next.SetRouter(nil)
	old := s.v.candidate.Swap(next)
	s.log.Info("candidate policies reloaded", "dir", src.Dir, "version", next.Bot().Version)
	if old != nil {
		s.waitCandidate(old)
		if err := old.Close(); err != nil {
			s.log.Warn("closing the previous candidate engine", "error", err)
		}
	}
	return nil
}

// errUnchanged: the stored rollout already is as a change would make it.
var errUnchanged = errors.New("unchanged")

// changeRollout reads the stored rollout, lets change edit it and saves it
// with an audit entry, trying again when another instance saved first. The
// caller holds v.mu.
func (s *Server) changeRollout(ctx context.Context, actor, action string, change func(r *store.Rollout) error) (store.Rollout, error) {
	for range 10 {
		r, err := s.store.Rollout(ctx)
		if errors.Is(err, store.ErrNotFound) {
			return r, fmt.Errorf("%w: no candidate policies have been served: start parley serve with -candidate", store.ErrConflict)
		}
		if err != nil {
			return r, err
		}
		if err := change(&r); errors.Is(err, errUnchanged) {
			return r, nil
		} else if err != nil {
			return r, err
		}
		r.UpdatedAt, r.UpdatedBy = time.Now(), actor
		saved, err := s.store.SaveRollout(ctx, r, s.rolloutAudit(actor, action, r))
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		return saved, err
	}
	return store.Rollout{}, fmt.Errorf("%w: the rollout keeps changing under this request; try again", store.ErrConflict)
}

// SetShare sends share percent of new conversations to the candidate. On a
// rolled-back rollout it starts a new one, of the candidate served now.
func (s *Server) SetShare(ctx context.Context, share int, actor string) (store.Rollout, error) {
	if share < 0 || share > 100 {
		return store.Rollout{}, fmt.Errorf("%w: share is a percent from 0 to 100", engine.ErrInvalidInput)
	}
	s.v.mu.Lock()
	defer s.v.mu.Unlock()
	cand := s.v.candidate.Load()
	r, err := s.changeRollout(ctx, actor, "rollout.share", func(r *store.Rollout) error {
		switch r.Status {
		case store.RolloutPromoted:
			return fmt.Errorf("%w: the candidate was promoted; serve a new -candidate to start another rollout", store.ErrConflict)
		case store.RolloutRolledBack:
			if cand == nil {
				return fmt.Errorf("%w: this instance serves no candidate to roll out again", store.ErrConflict)
			}
			// A new rollout: the conversations sent back to the current
			// policies stay there, and new ones draw afresh.
			r.ID++
			r.Status, r.Since = store.RolloutRunning, time.Now()
			r.Candidate = s.ref(cand, *s.v.candSrc)
			r.CandidateVersions = []string{cand.Bot().Version}
		}
		r.Share = share
		return nil
	})
	if err != nil {
		return r, err
	}
	s.apply(ctx, r)
	return r, nil
}

// Promote makes the candidate serve every conversation.
func (s *Server) Promote(ctx context.Context, actor string) (store.Rollout, error) {
	s.v.mu.Lock()
	defer s.v.mu.Unlock()
	r, err := s.changeRollout(ctx, actor, "rollout.promote", func(r *store.Rollout) error {
		if r.Status != store.RolloutRunning {
			return notRunning(r)
		}
		r.Status, r.Share = store.RolloutPromoted, 100
		return nil
	})
	if err != nil {
		return r, err
	}
	s.apply(ctx, r)
	return r, nil
}

// notRunning is the conflict of a promotion or rollback of a rollout that
// is over, with what to do instead.
func notRunning(r *store.Rollout) error {
	switch r.Status {
	case store.RolloutPromoted:
		return fmt.Errorf("%w: the rollout is promoted, not running: the candidate already serves every conversation. "+
			"To go back, start the server with the previous folder as -candidate and promote it", store.ErrConflict)
	case store.RolloutRolledBack:
		return fmt.Errorf("%w: the rollout is rolled back, not running: set a share (parley rollout share N) to start it again", store.ErrConflict)
	}
	return fmt.Errorf("%w: the rollout is %s, not running", store.ErrConflict, r.Status)
}

// Rollback sends every conversation to the current policies, those that
// started on the candidate too. It holds until a share is set again.
func (s *Server) Rollback(ctx context.Context, actor string) (store.Rollout, error) {
	s.v.mu.Lock()
	defer s.v.mu.Unlock()
	r, err := s.changeRollout(ctx, actor, "rollout.rollback", func(r *store.Rollout) error {
		if r.Status != store.RolloutRunning {
			return notRunning(r)
		}
		r.Status, r.Share = store.RolloutRolledBack, 0
		return nil
	})
	if err != nil {
		return r, err
	}
	s.apply(ctx, r)
	return r, nil
}

// RefreshVersions reads the stored rollout and follows what other instances
// changed: the share, a promotion, a rollback.
func (s *Server) RefreshVersions(ctx context.Context) error {
	r, err := s.store.Rollout(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	s.v.mu.Lock()
	defer s.v.mu.Unlock()
	if cur := s.v.rollout.Load(); cur != nil && cur.Revision == r.Revision {
		return nil
	}
	cand := s.v.candidate.Load()
	switch {
	case r.Status == store.RolloutRunning && cand == nil && s.v.warned.CompareAndSwap(false, true):
		s.log.Warn("a rollout is running but this instance serves no candidate: start every instance with the same -candidate", "candidate", r.Candidate.Version)
	case r.Status == store.RolloutPromoted && cand != nil && !slices.Contains(r.CandidateVersions, cand.Bot().Version),
		r.Status == store.RolloutPromoted && cand == nil && !slices.Contains(r.CandidateVersions, s.Engine().Bot().Version):
		if s.v.warned.CompareAndSwap(false, true) {
			s.log.Warn("the candidate was promoted through another instance, but this one does not serve it: restart it with the promoted policies", "promoted", r.Candidate.Version)
		}
	}
	s.apply(ctx, r)
	return nil
}

// RunVersions follows the stored rollout every interval until ctx ends.
func (s *Server) RunVersions(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = 5 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.RefreshVersions(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("reading the rollout", "error", err)
			}
		}
	}
}
