package engine

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine/store"
)

// NewServer serves the engine's HTTP API:
//
//	POST /v1/conversations/:id/messages   {"text", "client_message_id", "customer_id", "customer", "channel"}
//	POST /v1/conversations/:id/handback   {"agent", "note"}
//	GET  /v1/conversations/:id?after=&limit=  the conversation and its event log
//	GET  /v1/tickets?queue=&status=       tickets
//	GET  /v1/handoffs?queue=&status=      handoffs waiting for agents
//	POST /v1/tickets/:id/status           {"status", "actor", "note"} (audited)
//	POST /v1/handoffs/:id/status          {"status", "actor", "note"} (audited)
//	POST /v1/customers/:id/identities     {"channel", "external_id"}
//	GET  /healthz
func NewServer(e *Engine, cfg ServerConfig) *echo.Echo {
	srv := echo.New()
	srv.HideBanner = true
	srv.HidePort = true
	srv.HTTPErrorHandler = writeError
	// A message is at most MaxMessageBytes of text; leave room for the JSON around it.
	srv.Use(bodyLimit(2*MaxMessageBytes + 4096))
	if cfg.Token != "" {
		srv.Use(requireToken(cfg.Token))
	}

	srv.GET("/healthz", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok", "bot": e.bot.Name})
	})
	srv.POST("/v1/conversations/:id/messages", func(c echo.Context) error {
		var req struct {
			Text            string         `json:"text"`
			ClientMessageID string         `json:"client_message_id"`
			CustomerID      string         `json:"customer_id"`
			Channel         string         `json:"channel"`
			Customer        map[string]any `json:"customer"`
		}
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		if strings.TrimSpace(req.Text) == "" {
			return fmt.Errorf("%w: text is empty", ErrInvalidInput)
		}
		if req.ClientMessageID == "" {
			req.ClientMessageID = c.Request().Header.Get("Idempotency-Key")
		}
		channel := req.Channel
		if channel == "" {
			channel = "api"
		}
		res, err := e.Handle(c.Request().Context(), Message{
			ConversationID: c.Param("id"), ClientMessageID: req.ClientMessageID,
			Channel: channel, CustomerID: req.CustomerID, Customer: req.Customer, Text: req.Text,
		})
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, res)
	})
	srv.POST("/v1/conversations/:id/handback", func(c echo.Context) error {
		var req struct {
			Agent string `json:"agent"`
			Note  string `json:"note"`
		}
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		if req.Agent == "" {
			return fmt.Errorf("%w: agent is required", ErrInvalidInput)
		}
		res, err := e.HandBack(c.Request().Context(), c.Param("id"), req.Agent, req.Note)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, res)
	})
	srv.GET("/v1/conversations/:id", func(c echo.Context) error {
		ctx := c.Request().Context()
		after, limit, err := paging(c)
		if err != nil {
			return err
		}
		conv, err := e.store.Conversation(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		events, err := e.store.Events(ctx, c.Param("id"), after, limit)
		if err != nil {
			return err
		}
		type event struct {
			Seq  int64           `json:"seq"`
			Type string          `json:"type"`
			At   time.Time       `json:"at"`
			Data json.RawMessage `json:"data"`
		}
		out := make([]event, len(events))
		for i, ev := range events {
			out[i] = event{ev.Seq, ev.Type, ev.At, ev.Data}
		}
		return c.JSON(http.StatusOK, map[string]any{
			"id": conv.ID, "customer_id": conv.CustomerID, "channel": conv.Channel, "status": conv.Status,
			"last_seq": conv.LastSeq, "created_at": conv.CreatedAt, "updated_at": conv.UpdatedAt,
			"events": out,
		})
	})
	srv.GET("/v1/tickets", func(c echo.Context) error {
		ts, err := e.store.Tickets(c.Request().Context(), store.TicketFilter{Queue: c.QueryParam("queue"), Status: c.QueryParam("status"), ConversationID: c.QueryParam("conversation")})
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"tickets": nonNil(ts)})
	})
	srv.GET("/v1/handoffs", func(c echo.Context) error {
		hs, err := e.store.Handoffs(c.Request().Context(), store.HandoffFilter{Queue: c.QueryParam("queue"), Status: c.QueryParam("status"), ConversationID: c.QueryParam("conversation")})
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"handoffs": nonNil(hs)})
	})
	// Agents and admins work tickets and handoffs; every change is audited with who made it.
	setStatus := func(set func(ctx context.Context, id string, ch store.StatusChange) (any, error)) echo.HandlerFunc {
		return func(c echo.Context) error {
			var req struct {
				Status string `json:"status"`
				Actor  string `json:"actor"`
				Note   string `json:"note"`
			}
			if err := decodeJSON(c, &req); err != nil {
				return err
			}
			if req.Status == "" || req.Actor == "" {
				return fmt.Errorf("%w: status and actor are required", ErrInvalidInput)
			}
			out, err := set(c.Request().Context(), c.Param("id"), store.StatusChange{Status: req.Status, Actor: req.Actor, Note: req.Note, At: e.clock()})
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, out)
		}
	}
	srv.POST("/v1/tickets/:id/status", setStatus(func(ctx context.Context, id string, ch store.StatusChange) (any, error) {
		return e.store.SetTicketStatus(ctx, id, ch)
	}))
	srv.POST("/v1/handoffs/:id/status", setStatus(func(ctx context.Context, id string, ch store.StatusChange) (any, error) {
		if ch.Status != "returned" && ch.Status != "closed" {
			return e.store.SetHandoffStatus(ctx, id, ch)
		}
		// An agent who is done gives the conversation back to the bot, so the
		// customer is never left talking to no one.
		hs, err := e.store.Handoffs(ctx, store.HandoffFilter{})
		if err != nil {
			return nil, err
		}
		for _, h := range hs {
			if h.ID != id {
				continue
			}
			if _, err := e.HandBack(ctx, h.ConversationID, strings.TrimPrefix(ch.Actor, "agent:"), ch.Note); err != nil {
				return nil, err
			}
			if ch.Status == "closed" {
				return e.store.SetHandoffStatus(ctx, id, ch)
			}
			return e.store.SetHandoffStatus(ctx, id, store.StatusChange{Status: "returned", Actor: ch.Actor, Note: "returned to the bot", At: ch.At})
		}
		return nil, fmt.Errorf("handoff %q: %w", id, store.ErrNotFound)
	}))
	// One customer across channels: link a phone number, email or chat id to them.
	srv.POST("/v1/customers/:id/identities", func(c echo.Context) error {
		var req struct {
			Channel    string `json:"channel"`
			ExternalID string `json:"external_id"`
		}
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		if req.Channel == "" || req.ExternalID == "" {
			return fmt.Errorf("%w: channel and external_id are required", ErrInvalidInput)
		}
		if err := e.store.LinkIdentity(c.Request().Context(), c.Param("id"), req.Channel, req.ExternalID); err != nil {
			return err
		}
		cust, err := e.store.Customer(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, cust)
	})
	return srv
}

// ServerConfig configures the HTTP API.
type ServerConfig struct {
	// Token, when set, is required as "Authorization: Bearer TOKEN" on every
	// /v1 route: transcripts hold personal data and agents' actions are audited.
	Token string
}

var errUnauthorized = echo.NewHTTPError(http.StatusUnauthorized, "a valid bearer token is required")

func requireToken(token string) echo.MiddlewareFunc {
	want := []byte("Bearer " + token)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !strings.HasPrefix(c.Path(), "/v1/") {
				return next(c)
			}
			got := []byte(c.Request().Header.Get("Authorization"))
			if subtle.ConstantTimeCompare(got, want) != 1 {
				return errUnauthorized
			}
			return next(c)
		}
	}
}

// paging reads ?after=SEQ&limit=N (default 500, at most 5000).
func paging(c echo.Context) (after int64, limit int, err error) {
	limit = 500
	if v := c.QueryParam("after"); v != "" {
		if after, err = strconv.ParseInt(v, 10, 64); err != nil || after < 0 {
			return 0, 0, fmt.Errorf("%w: after must be an event seq", ErrInvalidInput)
		}
	}
	if v := c.QueryParam("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 5000 {
			return 0, 0, fmt.Errorf("%w: limit must be from 1 to 5000", ErrInvalidInput)
		}
	}
	return after, limit, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func decodeJSON(c echo.Context, v any) error {
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fmt.Errorf("%w: request body is over %d bytes", ErrMessageTooLarge, tooBig.Limit)
		}
		return fmt.Errorf("%w: request body: %v", ErrInvalidInput, err)
	}
	return nil
}

func bodyLimit(n int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, n)
			return next(c)
		}
	}
}

// writeError is the one place errors become HTTP responses: {"error": {"code", "message"}}.
func writeError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := HTTPStatus(err)
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status = he.Code
	}
	msg := err.Error()
	if he != nil {
		msg = fmt.Sprint(he.Message)
	}
	if status == http.StatusInternalServerError {
		c.Logger().Error(err)
		msg = "internal error"
	}
	_ = c.JSON(status, map[string]any{"error": map[string]any{"code": errorCode(status), "message": msg}})
}

func errorCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "invalid_input"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusConflict:
		return "conflict"
	case http.StatusUnauthorized:
		return "unauthorized"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusServiceUnavailable:
		return "unavailable"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	default:
		return strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
	}
}
