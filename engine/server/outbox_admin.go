package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
)

// routesOutbox lets an admin see the messages to customers on channels
// (pending, sent, failed) and try a failed one once more.
//
//	GET  /v1/admin/outbox?status=failed&conversation_id=ID&limit=N
//	POST /v1/admin/outbox/:id/retry
func (s *Server) routesOutbox(g *echo.Group) {
	g.GET("/outbox", s.listOutbox)
	g.POST("/outbox/:id/retry", s.retryOutbox)
}

func (s *Server) listOutbox(c echo.Context) error {
	f := store.OutboxFilter{Status: c.QueryParam("status"), ConversationID: c.QueryParam("conversation_id"), Limit: 100}
	switch f.Status {
	case "", store.OutboxPending, store.OutboxSent, store.OutboxFailed:
	default:
		return fmt.Errorf("%w: status must be pending, sent or failed, not %q", engine.ErrInvalidInput, f.Status)
	}
	if l := c.QueryParam("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			return fmt.Errorf("%w: limit must be a number from 1 to 1000, not %q", engine.ErrInvalidInput, l)
		}
		f.Limit = n
	}
	ms, err := s.store.Outbox(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"messages": nonNil(ms)})
}

// retryOutbox makes a failed message pending again, due now, for one more
// attempt; a pending one is woken. A sent message is a conflict.
func (s *Server) retryOutbox(c echo.Context) error {
	ctx := c.Request().Context()
	m, err := s.store.OutboxMessage(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if m.Status == store.OutboxSent {
		return fmt.Errorf("outbox message %q was sent at %s: %w", m.ID, m.SentAt.Format(time.RFC3339), store.ErrConflict)
	}
	if m.Status == store.OutboxFailed {
		m.Status, m.NextAttemptAt = store.OutboxPending, time.Now()
		if m, err = s.store.FinishOutbox(ctx, m); err != nil {
			return err
		}
		s.log.Info("admin action", "actor", agentOf(c).ID, "action", "outbox.retry", "message_id", logID(m.ID))
	}
	s.wake(m.ConversationID)
	return c.JSON(http.StatusOK, m)
}

// undelivered is a message the outbox gave up on, as the console shows it
// beside the transcript.
type undelivered struct {
	ID       string    `json:"id"`
	Text     string    `json:"text"`
	Channel  string    `json:"channel"`
	Error    string    `json:"error"`
	Attempts int       `json:"attempts"`
	At       time.Time `json:"at"` // the last attempt
	// MayRetry: the viewer may call POST /v1/admin/outbox/ID/retry.
	MayRetry bool `json:"may_retry"`
}

// undelivered lists a conversation's failed outbox messages for viewer; nil
// when there are none or they cannot be read (the transcript shows anyway).
func (s *Server) undelivered(ctx context.Context, conversationID string, viewer store.Agent) []undelivered {
	ms, err := s.store.Outbox(ctx, store.OutboxFilter{ConversationID: conversationID, Status: store.OutboxFailed, Limit: 20})
	if err != nil {
		s.log.Warn("outbox: reading a conversation's failed messages", "conversation", logID(conversationID), "error", err)
		return nil
	}
	var out []undelivered
	for _, m := range ms {
		texts := make([]string, len(m.Replies))
		for i, r := range m.Replies {
			texts[i] = r.Text
		}
		out = append(out, undelivered{
			ID: m.ID, Text: strings.Join(texts, "\n"), Channel: m.Channel, Error: m.LastError, Attempts: m.Attempts, At: m.UpdatedAt,
			MayRetry: desk.RoleRank(viewer.Role) >= desk.RoleRank(desk.RoleAdmin),
		})
	}
	return out
}
