package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"
)

// maxBulkTickets bounds one bulk change: a screenful of a list, done in
// one request that still answers within the client's timeout.
const maxBulkTickets = 100

// bulkResult is one ticket's part of a bulk change: the ticket as it is
// now, or why it was left as it was.
type bulkResult struct {
	ID     string      `json:"id"`
	Ticket *ticketView `json:"ticket,omitempty"`
	Error  *bulkError  `json:"error,omitempty"`
}

type bulkError struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// postTicketsBulk applies one change (status, queue, priority, assignee,
// note) to several tickets, as a supervisor clearing a queue or an agent
// closing what they solved does, each as its own change: its rights, its
// workflow, its history entry and its notice to the customer. One ticket's
// refusal leaves the others done, so the answer is 200 with each ticket's
// result. A client_id (or Idempotency-Key) makes a retry change nothing more:
// each ticket's change is keyed by it.
func (s *Server) postTicketsBulk(c echo.Context) error {
	var req struct {
		IDs []string `json:"ids"`
		ticketPatch
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if len(req.IDs) == 0 || len(req.IDs) > maxBulkTickets {
		return fmt.Errorf("%w: ids must name 1 to %d tickets", engine.ErrInvalidInput, maxBulkTickets)
	}
	if req.Subject != nil || req.Description != nil {
		return fmt.Errorf("%w: a bulk change sets status, queue, priority, assignee or a note; subjects and descriptions are each ticket's own", engine.ErrInvalidInput)
	}
	if req.Status == nil && req.Queue == nil && req.Priority == nil && req.Assignee == nil && strings.TrimSpace(req.Note) == "" {
		return fmt.Errorf("%w: nothing to change: set status, queue, priority, assignee or a note", engine.ErrInvalidInput)
	}
	key, err := idempotencyKey(c, req.ClientID)
	if err != nil {
		return err
	}
	e, release := s.acquire()
	defer release()
	ctx := c.Request().Context()
	d := desk.New(e)
	agent := agentOf(c)
	seen := map[string]bool{}
	out := make([]bulkResult, 0, len(req.IDs))
	for _, id := range req.IDs {
		id = strings.TrimSpace(id)
		if seen[id] {
			continue // listed twice: changed once
		}
		seen[id] = true
		ch := desk.TicketChange{Status: req.Status, Queue: req.Queue, Priority: req.Priority, Assignee: req.Assignee, Note: req.Note, Key: key}
		t, notice, err := d.UpdateTicket(ctx, id, agent, ch)
		if err != nil {
			status := HTTPStatus(err)
			msg := err.Error()
			if status == http.StatusInternalServerError {
				c.Logger().Error(err)
				msg = "internal error"
			}
			out = append(out, bulkResult{ID: id, Error: &bulkError{Status: status, Code: errorCode(status), Message: msg}})
			continue
		}
		s.hub.publishAgents(agentUpdate{Type: "ticket_changed", TicketID: t.ID, Queue: t.Queue})
		s.deliverNotice(ctx, t, notice)
		v := s.ticketView(ctx, t, false)
		out = append(out, bulkResult{ID: id, Ticket: &v})
	}
	return c.JSON(http.StatusOK, map[string]any{"results": out})
}
