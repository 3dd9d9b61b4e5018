package server

import (
	"errors"
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/policies"
)

// maxFormBytes bounds a web form post.
const maxFormBytes = 64 << 10

// routesIntake takes tickets that come without a chat, besides the API's
// POST /v1/tickets:
//
//	POST /v1/channels/email/tickets  inbound-parse JSON (X-Parley-Signature), a support mailbox
//	POST /v1/channels/form           a contact form on the company's site (form or JSON post)
//
// Both classify the ticket with the bot's NLU and triage blocks, and a
// redelivery (the same email, a double submit) is the same ticket.
func (s *Server) routesIntake() {
	s.echo.POST("/v1/channels/email/tickets", func(c echo.Context) error {
		body, err := readBody(c, maxEmailBytes)
		if err != nil {
			return err
		}
		if err := s.verifyWebhook(c, body); err != nil {
			return err
		}
		in, err := channels.ParseEmail(body)
		if err != nil {
			return channelError(err)
		}
		// A reply to what the desk sent about a ticket goes on that ticket.
		if done, err := s.threadEmail(c, in); done || err != nil {
			return err
		}
		return s.createTicket(c, desk.NewTicket{
			Subject: in.Subject, Description: in.Text, Channel: "email",
			Identities: []store.Identity{{Channel: "email", ExternalID: in.From}},
			SourceKey:  "email:" + clientMessageID(in.MessageID), Actor: "channel:email",
		})
	})
	// A public form can't sign its posts: it is rate-limited like any caller
	// without a key, and only ever creates a ticket.
	s.echo.POST("/v1/channels/form", s.postForm, rateLimit(s.cfg.RateLimit, s.cfg.RateBurst, s.rateKey))
}

// formTicket is what the contact form posts.
type formTicket struct {
	Name     string `json:"name" form:"name"`
	Email    string `json:"email" form:"email"`
	Phone    string `json:"phone" form:"phone"`
	Subject  string `json:"subject" form:"subject"`
	Message  string `json:"message" form:"message"`
	ClientID string `json:"client_id" form:"client_id"` // a hidden field the page fills once: a double submit is one ticket
}

func (s *Server) postForm(c echo.Context) error {
	r := c.Request()
	r.Body = http.MaxBytesReader(c.Response(), r.Body, maxFormBytes)
	var f formTicket
	if strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "application/json") {
		if err := decodeJSON(c, &f); err != nil {
			return err
		}
	} else {
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return fmt.Errorf("%w: the form is over %d bytes", engine.ErrMessageTooLarge, tooBig.Limit)
			}
			return fmt.Errorf("%w: the form could not be read: %v", engine.ErrInvalidInput, err)
		}
		f = formTicket{Name: r.PostForm.Get("name"), Email: r.PostForm.Get("email"), Phone: r.PostForm.Get("phone"),
			Subject: r.PostForm.Get("subject"), Message: r.PostForm.Get("message"), ClientID: r.PostForm.Get("client_id")}
		if field := nulField(f); field != "" {
			return errNUL(field) // as decodeJSON does for a JSON post
		}
	}
	ids, err := customerIdentities(f.Email, f.Phone)
	if err != nil {
		return err
	}
	if len(f.ClientID) > 200 {
		return fmt.Errorf("%w: client_id is longer than 200 characters", engine.ErrInvalidInput)
	}
	key := ""
	if f.ClientID != "" {
		key = "form:" + f.ClientID
	}
	// The sender's name is personal data: the actor, which the audit log and
	// the ticket's history keep, has it masked as the audit masks a name
	// anywhere; the ticket itself holds it whole for the agent.
	actor := "channel:form"
	if name := strings.TrimSpace(f.Name); name != "" && len(name) <= 200 {
		actor += " (" + policies.MaskPII(name) + ")"
	}
	nt := desk.NewTicket{Subject: f.Subject, Description: f.Message, Channel: "form", Identities: ids, Unverified: true, Name: f.Name, SourceKey: key, Actor: actor}
	if wantsJSON(c) {
		return s.createTicket(c, nt)
	}
	// A plain HTML form: answer with a page, not JSON.
	e, release := s.acquire()
	defer release()
	ctx := r.Context()
	t, _, created, notice, err := desk.New(e).CreateTicket(ctx, nt)
	if err != nil {
		return err
	}
	if created {
		s.metrics.desk.ticketCreated(t.Queue, t.Channel)
		s.hub.publishAgents(agentUpdate{Type: "ticket_created", TicketID: t.ID, Queue: t.Queue})
	}
	// A resubmission re-records the acknowledgement if a crash lost it.
	s.deliverNotice(ctx, t, notice)
	return c.HTML(http.StatusOK, `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Thank you</title></head>`+
		`<body><h1>Thank you</h1><p>We received your request: ticket <strong>`+html.EscapeString(t.ID)+`</strong>. We'll answer by email.</p></body></html>`)
}

// wantsJSON: API clients ask for JSON; a browser's form post asks for HTML.
func wantsJSON(c echo.Context) bool {
	accept := c.Request().Header.Get("Accept")
	return strings.Contains(accept, "application/json") || !strings.Contains(accept, "text/html")
}

// threadEmail adds an email whose subject names one of the sender's open
// tickets to that ticket (desk.CustomerWrote), and answers 200 with it;
// false when it is a new request.
func (s *Server) threadEmail(c echo.Context, in channels.Inbound) (bool, error) {
	e, release := s.acquire()
	defer release()
	ctx := c.Request().Context()
	t, ok, err := desk.New(e).CustomerWrote(ctx, in.Subject, store.Identity{Channel: "email", ExternalID: in.From}, in.Text,
		"email:"+clientMessageID(in.MessageID))
	if err != nil || !ok {
		return false, err
	}
	s.hub.publishAgents(agentUpdate{Type: "ticket_changed", TicketID: t.ID, Queue: t.Queue})
	return true, c.JSON(http.StatusOK, map[string]any{"ticket": s.ticketView(ctx, t, false), "threaded": true})
}
