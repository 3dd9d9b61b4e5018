package engine

import (
	"context"
	"sync/atomic"
)

// Router picks the engine that serves a conversation when a server runs more
// than one version of the policies (a gradual rollout: engine/server's
// versions.go). It returns nil, or the engine it was asked on, when that
// engine serves the conversation; release ends the use of another it returns.
type Router func(ctx context.Context, conversationID string) (target *Engine, release func(), err error)

// router is the engine's Router; the server sets it on the engine that takes
// requests first, and a conversation's turns, agent actions and survey
// answers all go to the engine it names.
type router struct{ r atomic.Pointer[Router] }

// SetRouter sets the engine's router; nil: it serves every conversation itself.
func (e *Engine) SetRouter(r Router) {
	if r == nil {
		e.routing.r.Store(nil)
		return
	}
	e.routing.r.Store(&r)
}

// routed is the engine that serves conversationID when it is not e.
func (e *Engine) routed(ctx context.Context, conversationID string) (*Engine, func(), error) {
	r := e.routing.r.Load()
	if r == nil {
		return nil, nil, nil
	}
	target, release, err := (*r)(ctx, conversationID)
	if err != nil || target == nil || target == e {
		if release != nil {
			release()
		}
		return nil, nil, err
	}
	if release == nil {
		release = func() {}
	}
	return target, release, nil
}
