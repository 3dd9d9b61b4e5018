package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/store"
)

const (
	// maxEmailBytes bounds an inbound-parse post: HTML mail with quoted history
	// is far larger than the text that reaches the bot.
	maxEmailBytes = 1 << 20
	// deliverTimeout bounds one outbox attempt: a message's parts, with the
	// sender's own quick retries.
	deliverTimeout = 2 * time.Minute
	// choiceLookback is how many recent events are searched for the buttons a
	// numbered SMS or email answer refers to.
	choiceLookback = 50
)

// emptyTwiML tells Twilio there is nothing to send in the webhook response:
// replies go out through the Messages API.
const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response/>`

// routesChannels registers the channel webhooks:
//
//	POST /v1/channels/sms      Twilio form post (X-Twilio-Signature when TwilioAuthToken is set)
//	POST /v1/channels/email    inbound-parse JSON
//	POST /v1/channels/webhook  generic JSON (X-Parley-Signature when WebhookSecret is set)
//
// The turn runs before the webhook is answered, so a provider retry of the
// same message id is recognised as a duplicate; replies are recorded in the
// outbox and sent afterwards through the channel's sender (outbox.go), never
// in the webhook response.
func (s *Server) routesChannels() {
	s.echo.POST("/v1/channels/sms", func(c echo.Context) error {
		r := c.Request()
		if err := utf8Only(c); err != nil {
			return err
		}
		if err := s.requireChannelSecret(s.cfg.TwilioAuthToken, "PARLEY_TWILIO_AUTH_TOKEN"); err != nil {
			return err
		}
		if s.cfg.TwilioAuthToken != "" {
			if err := channels.VerifyTwilio(r, s.cfg.PublicURL, s.cfg.TwilioAuthToken); err != nil {
				return channelError(err)
			}
		}
		in, err := channels.ParseTwilioSMS(r)
		if err != nil {
			return channelError(err)
		}
		if _, err := s.receive(c, in); err != nil {
			return err
		}
		return c.Blob(http.StatusOK, "text/xml; charset=utf-8", []byte(emptyTwiML))
	})
	s.echo.POST("/v1/channels/email", s.jsonChannel(maxEmailBytes, channels.ParseEmail))
	s.echo.POST("/v1/channels/webhook", s.jsonChannel(2*engine.MaxMessageBytes+4096, channels.ParseWebhook))
}

// jsonChannel handles a channel that posts one JSON message per request: the
// body is bounded and its signature checked before it is parsed.
func (s *Server) jsonChannel(maxBytes int64, parse func([]byte) (channels.Inbound, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := utf8Only(c); err != nil {
			return err
		}
		body, err := readBody(c, maxBytes)
		if err != nil {
			return err
		}
		if err := s.verifyWebhook(c, body); err != nil {
			return err
		}
		in, err := parse(body)
		if err != nil {
			return channelError(err)
		}
		convID, err := s.receive(c, in)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusAccepted, map[string]string{"conversation_id": convID})
	}
}

// verifyWebhook checks a JSON webhook's X-Parley-Signature (email and generic).
func (s *Server) verifyWebhook(c echo.Context, body []byte) error {
	if err := s.requireChannelSecret(s.cfg.WebhookSecret, "PARLEY_WEBHOOK_SECRET"); err != nil {
		return err
	}
	if s.cfg.WebhookSecret == "" {
		return nil
	}
	if err := channels.VerifyHMAC(body, c.Request().Header.Get(channels.SignatureHeader), s.cfg.WebhookSecret); err != nil {
		return channelError(err)
	}
	return nil
}

// requireChannelSecret refuses unsigned webhooks on a server that requires
// credentials: anyone could otherwise write "from" any phone or email.
func (s *Server) requireChannelSecret(secret, env string) error {
	if secret == "" && (s.cfg.RequireAuth || s.cfg.Token != "") {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "this channel is not configured: set "+env+" so its webhooks can be verified")
	}
	return nil
}

// receive runs the turn for an inbound message and records its replies in
// the outbox, which sends them once the provider is answered.
func (s *Server) receive(c echo.Context, in channels.Inbound) (conversationID string, err error) {
	ctx := c.Request().Context()
	e, release := s.acquire()
	defer release()
	conversationID = ChannelConversationID(in.Channel, in.From)
	text := s.buttonChoice(ctx, e, conversationID, in.Text)
	res, err := e.Handle(ctx, engine.Message{
		ConversationID:  conversationID,
		ClientMessageID: clientMessageID(in.MessageID),
		Channel:         in.Channel,
		CustomerID:      in.From,
		Customer:        in.Profile,
		Text:            text,
		RequestText:     in.Text,
		Identities:      channelIdentities(in),
	})
	if err != nil {
		return "", err
	}
	s.announce(res) // a handoff by SMS reaches the consoles at once too
	if len(res.Replies) == 0 {
		return conversationID, nil
	}
	out := channels.Outbound{
		Channel: in.Channel, To: in.From, ConversationID: conversationID,
		MessageID: "re-" + clientMessageID(in.MessageID),
	}
	if in.Channel == "email" {
		out.Subject = in.Subject
		if !strings.HasPrefix(in.MessageID, "derived-") {
			out.InReplyTo = in.MessageID
		}
	}
	if res.Duplicate {
		// The provider's retry: the replies went out, or are on their way, or
		// a crash came between the turn's commit and their record.
		s.redeliver(ctx, out, res.Replies)
		return conversationID, nil
	}
	s.enqueue(ctx, out, res.Replies)
	return conversationID, nil
}

// deliver records replies (an agent's answer, a survey) for the customer of a
// conversation on its channel, to be sent by the outbox. messageID is what
// the same request retried finds again ("": a new random one); duplicate says
// this is such a retry. Web and API conversations have no sender: their
// customers read the WebSocket.
func (s *Server) deliver(ctx context.Context, conversationID, messageID string, replies []engine.Reply, duplicate bool) {
	conv, err := s.store.Conversation(ctx, conversationID)
	if err != nil || s.sender(conv.Channel) == nil || len(replies) == 0 {
		return
	}
	to, err := s.channelAddress(ctx, conv)
	if err != nil {
		s.log.Error("reply not delivered", "channel", conv.Channel, "conversation", logID(conversationID), "error", err)
		return
	}
	if messageID == "" {
		var id [8]byte
		_, _ = rand.Read(id[:])
		messageID = "out-" + hex.EncodeToString(id[:])
	}
	out := channels.Outbound{Channel: conv.Channel, To: to, ConversationID: conversationID, MessageID: messageID}
	if duplicate {
		s.redeliver(ctx, out, replies)
		return
	}
	s.enqueue(ctx, out, replies)
}

// agentMessageID is the outbox id of an agent's reply sent with the client's
// idempotency key: a retry of the request finds the same message.
func agentMessageID(conversationID, clientMessageID string) string {
	if clientMessageID == "" {
		return ""
	}
	return stableMessageID("out-", conversationID, clientMessageID)
}

// surveyMessageID is the outbox id of the survey a closed handoff asks: a
// retried close finds it again.
func surveyMessageID(conversationID, handoffID string) string {
	return stableMessageID("svy-", conversationID, handoffID)
}

// approvalMessageID is the outbox id of what the customer is told of a
// decision: a retried or repeated decision finds it again.
func approvalMessageID(approvalID, decision string) string {
	return stableMessageID("apv-", approvalID, decision)
}

// noticeMessageID is the outbox id of a ticket notice, from its key (the
// ticket and its history entry): a retried change finds it again.
func noticeMessageID(key string) string {
	return stableMessageID("tkt-", key)
}

// stableMessageID derives an outbox id from what produced the message, so
// that a retry of the action re-records what a crash left unrecorded and the
// outbox sends it once. Hashed: ids travel in headers and logs.
func stableMessageID(prefix string, parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return prefix + hex.EncodeToString(sum[:12])
}

// sender finds the sender for a channel: by its name ("sms", "email"), and
// for a generic webhook channel "webhook:NAME" by NAME, else "webhook".
func (s *Server) sender(channel string) channels.Sender {
	if snd, ok := s.cfg.Senders[channel]; ok {
		return snd
	}
	if name, ok := strings.CutPrefix(channel, "webhook:"); ok {
		if snd, ok := s.cfg.Senders[name]; ok {
			return snd
		}
		return s.cfg.Senders["webhook"]
	}
	return nil
}

// channelAddress is where a conversation's customer is reached on the
// conversation's channel (their phone number, email or webhook user id): the
// channel identity the webhook linked to the customer.
func (s *Server) channelAddress(ctx context.Context, conv *store.Conversation) (string, error) {
	if conv.CustomerID == "" {
		return "", fmt.Errorf("conversation %q has no customer: %w", conv.ID, store.ErrNotFound)
	}
	cust, err := s.store.Customer(ctx, conv.CustomerID)
	if err != nil {
		return "", fmt.Errorf("customer of %q: %w", conv.ID, err)
	}
	for _, id := range cust.Identities {
		// Several addresses on one channel: the conversation id says which.
		if id.Channel == conv.Channel && ChannelConversationID(id.Channel, id.ExternalID) == conv.ID {
			return id.ExternalID, nil
		}
	}
	return "", fmt.Errorf("no %s address for conversation %q: %w", conv.Channel, conv.ID, store.ErrNotFound)
}

// ChannelConversationID is the conversation of a customer on a channel: one
// per (channel, sender). The sender is hashed so phone numbers and email
// addresses stay out of ids, URLs and logs.
func ChannelConversationID(channel, from string) string {
	sum := sha256.Sum256([]byte(channel + "\x00" + from))
	return channel + ":" + hex.EncodeToString(sum[:10])
}

// channelIdentities are the keys the customer is resolved by: a phone or
// email first, so the same number on SMS and WhatsApp is one customer with one
// history, then the channel's own id, linked to that customer.
func channelIdentities(in channels.Inbound) []store.Identity {
	var ids []store.Identity
	for _, id := range in.Identities() {
		ids = append(ids, store.Identity{Channel: id.Kind, ExternalID: id.Value})
	}
	return append(ids, store.Identity{Channel: in.Channel, ExternalID: in.From})
}

// clientMessageID keeps a provider's message id within the engine's 200 bytes:
// some email engine.Message-IDs are longer.
func clientMessageID(providerID string) string {
	if len(providerID) <= 120 {
		return providerID
	}
	sum := sha256.Sum256([]byte(providerID))
	return "h-" + hex.EncodeToString(sum[:])
}

// buttonChoice turns "2" into the payload of the second button of the bot's
// last reply: SMS and email show buttons as numbered lines.
func (s *Server) buttonChoice(ctx context.Context, e *engine.Engine, conversationID, text string) string {
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(text), ")"))
	if err != nil || n < 1 {
		return text
	}
	conv, err := e.Store().Conversation(ctx, conversationID)
	if err != nil || conv.LastSeq == 0 {
		return text
	}
	events, err := e.Store().Events(ctx, conversationID, max(0, conv.LastSeq-choiceLookback), 0)
	if err != nil {
		return text
	}
	for i := len(events) - 1; i >= 0; i-- {
		var ev dialog.Event
		if json.Unmarshal(events[i].Data, &ev) != nil {
			return text
		}
		switch {
		case ev.Type == dialog.EventMessageReceived:
			return text // the customer wrote since the buttons were shown
		case ev.Type == dialog.EventReplySent && ev.Effect != nil && ev.Effect.Reply != nil && len(ev.Effect.Reply.Buttons) > 0:
			if b := ev.Effect.Reply.Buttons; n <= len(b) {
				return b[n-1].Payload
			}
			return text
		}
	}
	return text
}

// channelError maps the channels package's errors to HTTP: a bad signature
// is 403 (401 when there is none), a bad message 400 naming the field.
func channelError(err error) error {
	switch {
	case errors.Is(err, channels.ErrSignature) && strings.Contains(err.Error(), "missing"):
		return echo.NewHTTPError(http.StatusUnauthorized, err.Error())
	case errors.Is(err, channels.ErrSignature):
		return echo.NewHTTPError(http.StatusForbidden, err.Error())
	case errors.Is(err, channels.ErrInvalid):
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	default:
		return err
	}
}

func readBody(c echo.Context, limit int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, fmt.Errorf("%w: request body is over %d bytes", engine.ErrMessageTooLarge, tooBig.Limit)
		}
		return nil, fmt.Errorf("%w: request body: %v", engine.ErrInvalidInput, err)
	}
	return body, nil
}
