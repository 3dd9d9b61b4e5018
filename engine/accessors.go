package engine

import "github.com/parleyhq/parley/engine/store"

// Store returns where the engine keeps conversations, for readiness checks and
// for a reload that builds the next engine on the same store.
func (e *Engine) Store() store.Store { return e.store }
