package engine

import (
	"context"
	"fmt"
	"slices"

	"github.com/parleyhq/parley/engine/store"
)

// agentsOnline counts the agents online in each of the bot's queues: online,
// and taking the queue's skill (or the queue by name; an agent without skills
// takes every queue). It is read under the turn's lock (in Begin's round trip
// where the store can: store.AgentsTx), and only for a bot whose rules or
// policies read it (queues.NAME.agents_online, handoff.agents_online), so the
// dialog stays pure and other bots pay nothing.
func (e *Engine) agentsOnline(ctx context.Context, tx store.Tx) (map[string]int, error) {
	if !e.bot.ReadsAgents {
		return nil, nil
	}
	var agents []store.Agent
	read := false
	if at, ok := tx.(store.AgentsTx); ok {
		agents, read = at.Agents()
	}
	if !read {
		var err error
		if agents, err = e.store.Agents(ctx); err != nil {
			return nil, fmt.Errorf("agents online: %w", err)
		}
	}
	out := make(map[string]int, len(e.bot.Queues))
	for name, q := range e.bot.Queues {
		for _, a := range agents {
			if a.Status != store.AgentOnline {
				continue
			}
			if len(a.Skills) == 0 || slices.Contains(a.Skills, q.Skill) || slices.Contains(a.Skills, name) {
				out[name]++
			}
		}
	}
	return out, nil
}
