package engine

import (
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/policies"
)

// Store returns where the engine keeps conversations, for readiness checks and
// for a reload that builds the next engine on the same store.
func (e *Engine) Store() store.Store { return e.store }

// Masker masks the personal data the bot's privacy block names, for logs.
func (e *Engine) Masker() *policies.Masker { return e.masker }
