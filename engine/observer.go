package engine

import "time"

// Observer is told what the engine does, for metrics. Implementations must be
// fast and safe for concurrent use; they are called on the turn's path.
type Observer interface {
	// TurnDone is called after every turn, with its result (nil on error).
	TurnDone(took time.Duration, res *TurnResult, err error)
	// ConnectorCalled is called after every connector call, retries included.
	ConnectorCalled(connector, operation, outcome string, took time.Duration, attempts int)
}

type nopObserver struct{}

func (nopObserver) TurnDone(time.Duration, *TurnResult, error)                 {}
func (nopObserver) ConnectorCalled(string, string, string, time.Duration, int) {}
