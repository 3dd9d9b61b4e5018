package engine

import (
	"errors"
)

// Domain errors. Their HTTP statuses are decided in one place: server.HTTPStatus.
var (
	ErrInvalidInput    = errors.New("invalid input")
	ErrMessageTooLarge = errors.New("message too large")
	// ErrForbidden: the caller may not do this (an agent replying in a
	// conversation another agent has).
	ErrForbidden = errors.New("forbidden")
	// ErrIDReused: a client message id came back with a different message.
	ErrIDReused = errors.New("client message id reused")
)
