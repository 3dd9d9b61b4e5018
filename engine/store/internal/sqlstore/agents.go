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

const agentCols = `id, name, role, skills, status, max_chats, key_hash, disabled, auto_assign, created_at, updated_at`

// SelectAgents reads every agent, for ScanAgent.
const SelectAgents = `SELECT ` + agentCols + ` FROM agents ORDER BY id`

// ScanAgent scans a row of SelectAgents.
func ScanAgent(row interface{ Scan(...any) error }) (store.Agent, error) { return scanAgent(row) }

func scanAgent(row interface{ Scan(...any) error }) (store.Agent, error) {
	var a store.Agent
	var skills string
	if err := row.Scan(&a.ID, &a.Name, &a.Role, &skills, &a.Status, &a.MaxChats, &a.KeyHash, &a.Disabled, &a.AutoAssign, Times{&a.CreatedAt}, Times{&a.UpdatedAt}); err != nil {
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
	var out store.Agent
	err := s.write(ctx, func(tx *sql.Tx) error {
		old, err := s.agent(ctx, tx, `id = ?`, a.ID, true)
		var prev *store.Agent
		switch {
		case err == nil:
			prev = &old
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		if out, err = turn.PutAgent(prev, a, turn.Now()); err != nil {
			return err
		}
		if err := s.keyFree(ctx, tx, out); err != nil {
			return err
		}
		if prev != nil {
			return s.saveAgent(ctx, tx, out)
		}
		return s.insertAgent(ctx, tx, out)
	})
	if errors.Is(err, errRace) {
		return s.PutAgent(ctx, a)
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
	// A bot that reads the agents online asks before every turn: a
	// single-process store answers from memory until it writes (reads.go).
	at := s.writes.Load()
	if s.remembers() {
		if agents, ok := s.agentsCache.get(at); ok {
			return agents, nil
		}
	}
	// Prepared once.
	rows, err := s.query(ctx, s.DB, SelectAgents)
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
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if s.remembers() {
		s.agentsCache.put(at, out)
	}
	return out, nil
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

// keyFree refuses a key hash another agent has (the unique index is the last
// word, across processes).
func (s *Store) keyFree(ctx context.Context, q querier, a store.Agent) error {
	if a.KeyHash == "" {
		return nil
	}
	other, err := s.agent(ctx, q, `key_hash = ?`, a.KeyHash, false)
	if err == nil && other.ID != a.ID {
		return fmt.Errorf("key hash used by another agent: %w", store.ErrConflict)
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}

// insertAgent inserts a; errRace when another process inserted its id first.
func (s *Store) insertAgent(ctx context.Context, tx *sql.Tx, a store.Agent) error {
	skills, err := json.Marshal(a.Skills)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, s.q(`INSERT INTO agents (`+agentCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
		a.ID, a.Name, a.Role, string(skills), a.Status, a.MaxChats, a.KeyHash, a.Disabled, a.AutoAssign, s.t(a.CreatedAt), s.t(a.UpdatedAt))
	if err != nil {
		return s.agentWriteErr(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errRace
	}
	return nil
}

// saveAgent writes every field of a stored agent but its id and creation time.
func (s *Store) saveAgent(ctx context.Context, tx *sql.Tx, a store.Agent) error {
	skills, err := json.Marshal(a.Skills)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.q(`UPDATE agents SET name = ?, role = ?, skills = ?, status = ?, max_chats = ?, key_hash = ?, disabled = ?, auto_assign = ?, updated_at = ? WHERE id = ?`),
		a.Name, a.Role, string(skills), a.Status, a.MaxChats, a.KeyHash, a.Disabled, a.AutoAssign, s.t(a.UpdatedAt), a.ID)
	return s.agentWriteErr(err)
}

func (s *Store) agentWriteErr(err error) error {
	if err != nil && s.d.IsDuplicate != nil && s.d.IsDuplicate(err) {
		return fmt.Errorf("key hash used by another agent: %w", store.ErrConflict)
	}
	return err
}

func (s *Store) CreateAgent(ctx context.Context, a store.Agent, audit store.AuditEntry) (store.Agent, error) {
	var out store.Agent
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.agent(ctx, tx, `id = ?`, a.ID, true); err == nil {
			return fmt.Errorf("the id is taken: %w", store.ErrConflict)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		now := turn.Now()
		var err error
		if out, err = turn.PutAgent(nil, a, now); err != nil {
			return err
		}
		if err := s.keyFree(ctx, tx, out); err != nil {
			return err
		}
		entry, err := turn.PrepareAudit(audit, now)
		if err != nil {
			return err
		}
		if err := s.insertAgent(ctx, tx, out); err != nil {
			if errors.Is(err, errRace) {
				return fmt.Errorf("the id is taken: %w", store.ErrConflict)
			}
			return err
		}
		return s.insertAudit(ctx, tx, entry)
	})
	if err != nil {
		if errors.Is(err, store.ErrClosed) {
			return store.Agent{}, err
		}
		return store.Agent{}, fmt.Errorf("create agent %s: %w", a.ID, s.wrapErr(err))
	}
	return out, nil
}

func (s *Store) UpdateAgent(ctx context.Context, id string, fn func(a *store.Agent) (store.AuditEntry, error)) (store.Agent, error) {
	var out store.Agent
	var fnErr error
	err := s.write(ctx, func(tx *sql.Tx) error {
		a, err := s.agent(ctx, tx, `id = ?`, id, true)
		if err != nil {
			return err
		}
		var entry *store.AuditEntry
		out, entry, err = turn.UpdateAgent(a, fn, turn.Now())
		if err != nil {
			fnErr = err
			return err
		}
		if err := s.keyFree(ctx, tx, out); err != nil {
			return err
		}
		if err := s.saveAgent(ctx, tx, out); err != nil {
			return err
		}
		if entry != nil {
			return s.insertAudit(ctx, tx, *entry)
		}
		return nil
	})
	switch {
	case err == nil:
		return out, nil
	case fnErr != nil && errors.Is(err, fnErr), errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrClosed):
		return store.Agent{}, err
	}
	return store.Agent{}, fmt.Errorf("update agent %s: %w", id, s.wrapErr(err))
}
