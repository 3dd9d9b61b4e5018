package engine

import (
	"context"
	"errors"
	"net/http"

	"github.com/parleyhq/parley/engine/store"
)

// Domain errors. Their HTTP statuses are decided in one place: HTTPStatus.
var (
	ErrInvalidInput    = errors.New("invalid input")
	ErrMessageTooLarge = errors.New("message too large")
	// ErrBotLoop: the bot's actions loop (a policy mistake validate cannot see);
	// the turn is abandoned and nothing is written.
	ErrBotLoop = errors.New("bot actions loop")
	// ErrForbidden: the caller may not do this (an agent replying in a
	// conversation another agent has).
	ErrForbidden = errors.New("forbidden")
)

// HTTPStatus maps an error from the engine or its store to the status a client sees.
func HTTPStatus(err error) int {
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, ErrInvalidInput):
		return http.StatusBadRequest
	case errors.Is(err, ErrMessageTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, store.ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, store.ErrClosed):
		return http.StatusServiceUnavailable
	case errors.Is(err, context.Canceled):
		return 499 // the client went away while waiting for the conversation
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout
	default:
		return http.StatusInternalServerError
	}
}
