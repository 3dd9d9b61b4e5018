package engine

import "time"

// Observer is told what the engine does, for metrics. Implementations must be
// fast and safe for concurrent use; they are called on the turn's path.
type Observer interface {
	// TurnDone is called after every turn, with its result (nil on error).
	TurnDone(took time.Duration, res *TurnResult, err error)
	// ConnectorCalled is called after every connector call, retries included.
	ConnectorCalled(connector, operation, outcome string, took time.Duration, attempts int)
	// OutcomeRecorded is called once per contact, after the commit that
	// settled it, with its outcome kind (revisions are not counted again).
	OutcomeRecorded(kind string)
	// SatisfactionRecorded is called after the commit of a survey answer.
	SatisfactionRecorded(score int)
}

type nopObserver struct{}

func (nopObserver) TurnDone(time.Duration, *TurnResult, error)                 {}
func (nopObserver) ConnectorCalled(string, string, string, time.Duration, int) {}
func (nopObserver) OutcomeRecorded(string)                                     {}
func (nopObserver) SatisfactionRecorded(int)                                   {}
