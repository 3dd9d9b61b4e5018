package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

const agentCols = `id, name, role, skills, status, max_chats, key_hash, created_at, updated_at`

func scanAgent(row interface{ Scan(...any) error }) (store.Agent, error) {
	var a store.Agent
	var skills string
	if err := row.Scan(&a.ID, &a.Name, &a.Role, &skills, &a.Status, &a.MaxChats, &a.KeyHash, Times{&a.CreatedAt}, Times{&a.UpdatedAt}); err != nil {
		return a, err
	}
	if err := json.Unmarshal([]byte(skills), &a.Skills); err != nil {
		return a, fmt.Errorf("agent %s skills: %w", a.ID, err)
	}
	if len(a.Skills) == 0 {
		a.Skills = nil // "[]" and "null" alike: no skills reads back as nil, as memstore has it
	}
	return a, nil
}

func (s *Store) agent(ctx context.Context, q querier, cond string, arg any, lock bool) (store.Agent, error) {
	query := `SELECT ` + agentCols + ` FROM agents WHERE ` + cond
	if lock {
		query += s.forUpdate()
	}
	a, err := scanAgent(q.QueryRowContext(ctx, s.q(query), arg))
	if errors.Is(err, sql.ErrNoRows) {
		return a, store.ErrNotFound
	}
	return a, err
}

func (s *Store) PutAgent(ctx context.Context, a store.Agent) (store.Agent, error) {
	return s.putAgent(ctx, a, false, store.AuditEntry{})
}

func (s *Store) CreateAgent(ctx context.Context, a store.Agent, audit store.AuditEntry) (store.Agent, error) {
	return s.putAgent(ctx, a, true, audit)
}

// putAgent inserts or (unless create) updates an agent, writing audit (when it
// has an Action) in the same transaction.
func (s *Store) putAgent(ctx context.Context, a store.Agent, create bool, audit store.AuditEntry) (store.Agent, error) {
	var out store.Agent
	err := s.write(ctx, func(tx *sql.Tx) error {
		old, err := s.agent(ctx, tx, `id = ?`, a.ID, true)
		var prev *store.Agent
		switch {
		case err == nil && create:
			return fmt.Errorf("agent %s exists already: %w", a.ID, store.ErrConflict)
		case err == nil:
			prev = &old
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		if out, err = turn.PutAgent(prev, a, turn.Now()); err != nil {
			return err
		}
		if out.KeyHash != "" {
			other, err := s.agent(ctx, tx, `key_hash = ?`, out.KeyHash, false)
			if err == nil && other.ID != out.ID {
				return fmt.Errorf("key hash used by another agent: %w", store.ErrConflict)
			}
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		skills, err := json.Marshal(out.Skills)
		if err != nil {
			return err
		}
		var res sql.Result
		if prev != nil {
			res, err = tx.ExecContext(ctx, s.q(`UPDATE agents SET name = ?, role = ?, skills = ?, status = ?, max_chats = ?, key_hash = ?, updated_at = ? WHERE id = ?`),
				out.Name, out.Role, string(skills), out.Status, out.MaxChats, out.KeyHash, s.t(out.UpdatedAt), out.ID)
		} else {
			res, err = tx.ExecContext(ctx, s.q(`INSERT INTO agents (`+agentCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
				out.ID, out.Name, out.Role, string(skills), out.Status, out.MaxChats, out.KeyHash, s.t(out.CreatedAt), s.t(out.UpdatedAt))
		}
		if err != nil {
			if s.d.IsDuplicate != nil && s.d.IsDuplicate(err) {
				return fmt.Errorf("key hash used by another agent: %w", store.ErrConflict)
			}
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errRace // another process inserted this id first
		}
		if audit.Action == "" {
			return nil
		}
		if audit.At.IsZero() {
			audit.At = out.UpdatedAt
		}
		return s.insertAudit(ctx, tx, audit)
	})
	if errors.Is(err, errRace) {
		return s.putAgent(ctx, a, create, audit)
	}
	if err != nil {
		if errors.Is(err, store.ErrClosed) {
			return store.Agent{}, err
		}
		return store.Agent{}, fmt.Errorf("put agent %s: %w", a.ID, s.wrapErr(err))
	}
	return out, nil
}

func (s *Store) Agent(ctx context.Context, id string) (store.Agent, error) {
	if err := s.check(); err != nil {
		return store.Agent{}, err
	}
	a, err := s.agent(ctx, s.DB, `id = ?`, id, false)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.Agent{}, fmt.Errorf("agent %s: %w", id, s.wrapErr(err))
	}
	return a, err
}

func (s *Store) AgentByKeyHash(ctx context.Context, keyHash string) (store.Agent, error) {
	if err := s.check(); err != nil {
		return store.Agent{}, err
	}
	if keyHash == "" {
		return store.Agent{}, store.ErrNotFound
	}
	a, err := s.agent(ctx, s.DB, `key_hash = ?`, strings.ToLower(keyHash), false)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.Agent{}, fmt.Errorf("agent by key: %w", s.wrapErr(err))
	}
	return a, err
}

func (s *Store) Agents(ctx context.Context) ([]store.Agent, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+agentCols+` FROM agents ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("agents: %w", s.wrapErr(err))
	}
	defer rows.Close()
	var out []store.Agent
	for rows.Next() {
		a, err := scanAgent(rows)
		if err != nil {
			return nil, fmt.Errorf("agents: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (s *Store) SetAgentStatus(ctx context.Context, id, status string, at time.Time) (store.Agent, error) {
	if err := turn.ValidAgentStatus(status); err != nil {
		return store.Agent{}, fmt.Errorf("set agent status: %w", err)
	}
	at = turn.Time(at)
	if at.IsZero() {
		at = turn.Now()
	}
	var out store.Agent
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE agents SET status = ?, updated_at = ? WHERE id = ?`), status, s.t(at), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		out, err = s.agent(ctx, tx, `id = ?`, id, false)
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrClosed) {
		return store.Agent{}, fmt.Errorf("set agent status: %w", s.wrapErr(err))
	}
	return out, err
}
