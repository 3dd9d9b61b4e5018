package channels

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// TwilioSender sends SMS with Twilio's Messages API.
type TwilioSender struct {
	AccountSID string
	AuthToken  string
	BaseURL    string // "": https://api.twilio.com
	From       string // the Twilio number replies come from
	Client     *http.Client
}

func (s *TwilioSender) Send(ctx context.Context, m Outbound) error {
	base := s.BaseURL
	if base == "" {
		base = "https://api.twilio.com"
	}
	endpoint := strings.TrimRight(base, "/") + "/2010-04-01/Accounts/" + url.PathEscape(s.AccountSID) + "/Messages.json"
	form := url.Values{"To": {m.To}, "From": {s.From}, "Body": {TextWithButtons(m.Text, m.Buttons)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return &SendError{Provider: "twilio", Err: err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(s.AccountSID, s.AuthToken)
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return networkError(ctx, "twilio", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 == 2 {
		return nil
	}
	// Twilio explains refusals as {"code": 21211, "message": "The 'To' number ... is not valid"}.
	var twErr struct {
		Message string `json:"message"`
	}
	msg := strings.TrimSpace(string(raw))
	if json.Unmarshal(raw, &twErr) == nil && twErr.Message != "" {
		msg = twErr.Message
	}
	return httpStatusError("twilio", resp.StatusCode, truncate(msg, 300))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
