package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine/desk"
)

// routesQueue lets a customer waiting for a person see where they stand and
// leave the queue (the web chat's "Leave the queue" button; typing "cancel"
// does the same in any channel).
func (s *Server) routesQueue() {
	g := s.echo.Group("/v1/conversations/:id/queue", s.requireConversation)
	g.GET("", s.getQueuePlace)
	g.POST("/leave", s.leaveQueue)
}

// queuePlace is where a waiting customer stands.
type queuePlace struct {
	Waiting bool   `json:"waiting"` // false: no one is waiting in a queue for this conversation
	Queue   string `json:"queue,omitempty"`
	// Position 1 is next.
	Position int `json:"position,omitempty"`
	// EstimatedWaitSeconds is null when there is no estimate: no agent who
	// takes the queue is online, or its recent claims give nothing to go by.
	EstimatedWaitSeconds *int64 `json:"estimated_wait_seconds"`
	AgentsAvailable      int    `json:"agents_available"`
}

func (s *Server) getQueuePlace(c echo.Context) error {
	w, err := s.queues.Waiting(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if w == nil {
		return c.JSON(http.StatusOK, queuePlace{})
	}
	place := queuePlace{Waiting: true, Queue: w.Status.Queue, Position: w.Status.Position, AgentsAvailable: w.Status.Available}
	if secs := int64(w.Status.Wait.Seconds()); secs > 0 && w.Status.Available > 0 {
		place.EstimatedWaitSeconds = &secs
	}
	return c.JSON(http.StatusOK, place)
}

func (s *Server) leaveQueue(c echo.Context) error {
	e, release := s.acquire()
	defer release()
	res, err := desk.New(e).LeaveQueue(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	s.announce(res)
	return c.JSON(http.StatusOK, customerView(res))
}
