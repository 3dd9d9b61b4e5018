package store

import (
	"context"
	"time"
)

// RolloutStore keeps the gradual release of a candidate version of the
// policies: one record that every instance on the database reads, so they
// all serve the same share, and promote or roll back together.
type RolloutStore interface {
	// Rollout returns the rollout record; ErrNotFound before the first.
	Rollout(ctx context.Context) (Rollout, error)
	// SaveRollout writes r if the stored record's Revision is still
	// r.Revision (0: none is stored yet), together with audit (none when it
	// has no Action), and returns r as stored with its new Revision.
	// ErrConflict when another instance saved first: read it and try again.
	SaveRollout(ctx context.Context, r Rollout, audit AuditEntry) (Rollout, error)
}

// Rollout statuses.
const (
	RolloutRunning    = "running"     // Share of new conversations go to the candidate
	RolloutPromoted   = "promoted"    // the candidate serves every conversation
	RolloutRolledBack = "rolled_back" // the current policies serve every conversation
)

// Rollout is a candidate version of the policies served beside the current
// one to a share of new conversations.
type Rollout struct {
	Revision int64 `json:"revision"` // set by the store
	// ID numbers rollouts: each new candidate starts a new one, and new
	// conversations are assigned by a hash of ID and their own id.
	ID     int64  `json:"id"`
	Status string `json:"status"`
	Share  int    `json:"share"` // percent of new conversations, 0 to 100

	Current   PolicyRef `json:"current"`
	Candidate PolicyRef `json:"candidate"`
	// CandidateVersions are every version the candidate has had (a hot
	// reload makes a new one): a conversation whose first turn one of them
	// took, since Since, stays on the candidate.
	CandidateVersions []string  `json:"candidate_versions"`
	Since             time.Time `json:"since"`

	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by"`
}

// PolicyRef names a version of the policies: its content hash and label.
type PolicyRef struct {
	Version string `json:"version"`
	Label   string `json:"label,omitempty"`
}
