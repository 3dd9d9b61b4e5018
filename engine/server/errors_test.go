package server

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
)

func TestHTTPStatus(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, 200},
		{fmt.Errorf("text: %w", engine.ErrInvalidInput), 400},
		{fmt.Errorf("text: %w", engine.ErrMessageTooLarge), 413},
		{engine.ErrForbidden, 403},
		{store.ErrInvalid, 400},
		{store.ErrNotFound, 404},
		{store.ErrConflict, 409},
		{store.ErrClosed, 503},
		{context.Canceled, 499},
		{context.DeadlineExceeded, 504},
		{errors.New("disk on fire"), 500},
	}
	for _, tt := range tests {
		if got := HTTPStatus(tt.err); got != tt.want {
			t.Errorf("HTTPStatus(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
