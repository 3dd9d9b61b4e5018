package channels

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// WebhookSender posts replies as JSON to a generic channel's endpoint, signed
// with X-Parley-Signature like the webhooks it receives:
//
//	{"channel": "whatsapp", "user_id", "text", "buttons": [{"label","payload"}],
//	 "conversation_id", "message_id"}
//
// The receiver should treat message_id as an idempotency key: a retry after a
// timeout posts the same one (also sent as the Idempotency-Key header).
type WebhookSender struct {
	URL    string
	Secret string // "": unsigned
	Client *http.Client
}

type webhookOut struct {
	Channel        string   `json:"channel"`
	UserID         string   `json:"user_id"`
	Subject        string   `json:"subject,omitempty"`
	Text           string   `json:"text"`
	Buttons        []Button `json:"buttons,omitempty"`
	ConversationID string   `json:"conversation_id,omitempty"`
	MessageID      string   `json:"message_id,omitempty"`
}

func (s *WebhookSender) Send(ctx context.Context, m Outbound) error {
	body, err := json.Marshal(webhookOut{
		Channel: strings.TrimPrefix(m.Channel, "webhook:"), UserID: m.To, Subject: m.Subject, Text: m.Text,
		Buttons: m.Buttons, ConversationID: m.ConversationID, MessageID: m.MessageID,
	})
	if err != nil {
		return fmt.Errorf("encode webhook reply: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return &SendError{Provider: "webhook", Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	if m.MessageID != "" {
		req.Header.Set("Idempotency-Key", m.MessageID)
	}
	if s.Secret != "" {
		req.Header.Set(SignatureHeader, SignHMAC(body, s.Secret))
	}
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return networkError(ctx, "webhook", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode/100 == 2 {
		return nil
	}
	return httpStatusError("webhook", resp.StatusCode, truncate(strings.TrimSpace(string(raw)), 300))
}
