// Package channels turns what SMS, email and webhook providers post into one
// Inbound message, and sends the bot's replies back through each provider.
// It knows nothing of the engine: the server glues the two together.
package channels

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrInvalid: a provider posted something that is not a usable message. The
// wrapping error names the field.
var ErrInvalid = errors.New("invalid inbound message")

// Inbound is a customer message as any channel delivers it.
type Inbound struct {
	Channel string // "sms", "email", "webhook:<name>"
	// From is the customer on that channel: an E.164 phone number, a lower-cased
	// email address or the webhook's user id.
	From    string
	To      string
	Text    string
	Subject string
	// MessageID is the provider's id for the message: redeliveries carry the same
	// one, so it is the idempotency key of the turn.
	MessageID  string
	Profile    map[string]any
	ReceivedAt time.Time
}

// Identity is a channel-independent key for a customer: the same phone number
// or email on two channels is one person.
type Identity struct {
	Kind  string // "phone" or "email"
	Value string // normalized: E.164 phone, lower-cased email
}

// Identities are the phone and email the message reveals about its sender,
// phone first.
func (in Inbound) Identities() []Identity {
	var out []Identity
	if p, _ := in.Profile["phone"].(string); p != "" {
		out = append(out, Identity{Kind: "phone", Value: p})
	}
	if e, _ := in.Profile["email"].(string); e != "" {
		out = append(out, Identity{Kind: "email", Value: e})
	}
	return out
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// checked refuses a message with U+0000 or invalid UTF-8 in any field, naming
// the provider's field: nothing a customer wrote holds them, and PostgreSQL
// cannot store them, so they are refused here (400) whatever the store.
// fields maps each Inbound field to the provider's name for it.
func checked(in Inbound, fields map[string]string) (Inbound, error) {
	bad := func(s string) bool { return strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) }
	for field, value := range map[string]string{"From": in.From, "To": in.To, "Text": in.Text, "Subject": in.Subject, "MessageID": in.MessageID} {
		if bad(value) {
			return Inbound{}, invalid("%s contains a NUL character or invalid UTF-8", fields[field])
		}
	}
	for k, v := range in.Profile {
		if bad(k) || badValue(v, bad) {
			return Inbound{}, invalid("profile.%s contains a NUL character or invalid UTF-8", strings.ToValidUTF8(strings.ReplaceAll(k, "\x00", ""), ""))
		}
	}
	return in, nil
}

func badValue(v any, bad func(string) bool) bool {
	switch x := v.(type) {
	case string:
		return bad(x)
	case map[string]any:
		for k, e := range x {
			if bad(k) || badValue(e, bad) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if badValue(e, bad) {
				return true
			}
		}
	}
	return false
}

// ParseTwilioSMS reads Twilio's incoming-message webhook (a form post).
func ParseTwilioSMS(r *http.Request) (Inbound, error) {
	if err := r.ParseForm(); err != nil {
		return Inbound{}, invalid("form body: %v", err)
	}
	form := r.PostForm
	for _, field := range []string{"MessageSid", "From", "To", "Body"} {
		if Blank(form.Get(field)) {
			return Inbound{}, invalid("%s is missing", field)
		}
	}
	from, err := NormalizePhone(form.Get("From"))
	if err != nil {
		return Inbound{}, invalid("From: %v", err)
	}
	to, err := NormalizePhone(form.Get("To"))
	if err != nil {
		return Inbound{}, invalid("To: %v", err)
	}
	return checked(Inbound{
		Channel:    "sms",
		From:       from,
		To:         to,
		Text:       strings.TrimSpace(form.Get("Body")),
		MessageID:  form.Get("MessageSid"),
		Profile:    map[string]any{"phone": from},
		ReceivedAt: time.Now(),
	}, map[string]string{"From": "From", "To": "To", "Text": "Body", "MessageID": "MessageSid"})
}

// NormalizePhone makes a phone number comparable across channels: the leading +
// is kept, spaces, dashes, dots and parentheses go, and digits must remain.
func NormalizePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		default:
			return "", fmt.Errorf("%q is not a phone number", s)
		}
	}
	out := b.String()
	if digits := strings.TrimPrefix(out, "+"); len(digits) < 3 || len(digits) > 15 {
		return "", fmt.Errorf("%q is not a phone number", s)
	}
	return out, nil
}

// NormalizeEmail parses an address ("Ann <Ann@Example.com>" or a bare one) and
// returns it lower-cased with the display name.
func NormalizeEmail(s string) (addr, name string, err error) {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil {
		return "", "", fmt.Errorf("%q is not an email address: %w", s, err)
	}
	return strings.ToLower(a.Address), a.Name, nil
}

type emailPayload struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Subject   string `json:"subject"`
	Text      string `json:"text"`
	HTML      string `json:"html"`
	MessageID string `json:"message_id"`
	InReplyTo string `json:"in_reply_to"`
}

// ParseEmail reads an inbound-parse JSON post. Only the customer's new text
// reaches the bot: quoted history and the signature are removed.
func ParseEmail(body []byte) (Inbound, error) {
	var p emailPayload
	if err := json.Unmarshal(body, &p); err != nil {
		return Inbound{}, invalid("email body is not JSON: %v", err)
	}
	if strings.TrimSpace(p.From) == "" {
		return Inbound{}, invalid("from is missing")
	}
	from, name, err := NormalizeEmail(p.From)
	if err != nil {
		return Inbound{}, invalid("from: %v", err)
	}
	var to string
	if strings.TrimSpace(p.To) != "" {
		list, err := mail.ParseAddressList(p.To)
		if err != nil {
			return Inbound{}, invalid("to: %q is not an address list: %v", p.To, err)
		}
		to = strings.ToLower(list[0].Address)
	}
	text := p.Text
	if Blank(text) {
		text = htmlToText(p.HTML)
	}
	if Blank(text) {
		return Inbound{}, invalid("text and html are both empty")
	}
	text = StripReply(text)
	if Blank(text) {
		return Inbound{}, invalid("text has nothing but quoted history and signature")
	}
	if !utf8.ValidString(text) {
		return Inbound{}, invalid("text is not valid UTF-8")
	}
	id := strings.Trim(strings.TrimSpace(p.MessageID), "<>")
	if id == "" {
		// Some inbound-parse setups drop the Message-ID. A provider retry posts the
		// same from, subject and text, so their hash still makes the retry one
		// turn; two identical emails on purpose are rare enough to merge.
		sum := sha256.Sum256([]byte(from + "\x00" + p.Subject + "\x00" + text))
		id = "derived-" + hex.EncodeToString(sum[:16])
	}
	profile := map[string]any{"email": from}
	if name != "" {
		profile["name"] = name
	}
	return checked(Inbound{
		Channel:    "email",
		From:       from,
		To:         to,
		Text:       text,
		Subject:    strings.TrimSpace(p.Subject),
		MessageID:  id,
		Profile:    profile,
		ReceivedAt: time.Now(),
	}, map[string]string{"From": "from", "To": "to", "Text": "text", "Subject": "subject", "MessageID": "message_id"})
}

var (
	// "On Mon, 23 Nov 2026 at 10:00, Parley <help@shop.example> wrote:" and the
	// Chinese clients' "在 2026年11月23日 ... 写道：".
	wroteLine = regexp.MustCompile(`^(On\s.*\swrote:|在.*写道[:：])\s*$`)
	// Outlook and others quote below a separator instead of with ">".
	originalMessage = regexp.MustCompile(`^-{2,}\s*(Original Message|原始邮件|Forwarded message)\s*-{2,}$`)
)

// StripReply removes quoted history ("> " lines, everything from an "On ...
// wrote:" line or an "Original Message" separator) and the signature (after
// a "-- " line), keeping what the customer wrote now.
func StripReply(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var kept []string
cut:
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		switch {
		case line == "-- " || trimmed == "--":
			break cut
		case wroteLine.MatchString(trimmed), originalMessage.MatchString(trimmed):
			break cut
		case strings.HasPrefix(trimmed, "On ") && i+1 < len(lines) && wroteLine.MatchString(trimmed+" "+strings.TrimSpace(lines[i+1])):
			// Mail clients wrap a long "On ... wrote:" line.
			break cut
		case strings.HasPrefix(trimmed, ">"):
			continue
		}
		kept = append(kept, strings.TrimRight(line, " \t"))
	}
	return strings.TrimSpace(strings.Join(kept, "\n"))
}

var (
	dropElements = regexp.MustCompile(`(?is)<(script|style|head|blockquote)\b.*?</(script|style|head|blockquote)\s*>`)
	lineBreaks   = regexp.MustCompile(`(?i)<br\s*/?>|</(p|div|li|tr|h[1-6])\s*>`)
	tags         = regexp.MustCompile(`(?s)<[^>]*>`)
	blankLines   = regexp.MustCompile(`\n{3,}`)
)

// htmlToText is enough for the HTML part of a customer email: tags go, block
// ends become line breaks, quoted <blockquote> history is dropped.
func htmlToText(s string) string {
	s = dropElements.ReplaceAllString(s, "")
	s = lineBreaks.ReplaceAllString(s, "\n")
	s = tags.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

type webhookPayload struct {
	Channel   string         `json:"channel"`
	UserID    string         `json:"user_id"`
	Text      string         `json:"text"`
	MessageID string         `json:"message_id"`
	Profile   map[string]any `json:"profile"`
}

var channelName = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,39}$`)

// ParseWebhook reads the generic JSON webhook any other channel (WhatsApp,
// WeChat, an in-app chat) can post. A phone or email in the profile is
// normalized so it links the customer to the same person on SMS or email.
func ParseWebhook(body []byte) (Inbound, error) {
	var p webhookPayload
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Inbound{}, invalid("webhook body: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Inbound{}, invalid("webhook body: there is more after the JSON object")
	}
	switch {
	case p.Channel == "":
		return Inbound{}, invalid("channel is missing")
	case !channelName.MatchString(p.Channel):
		return Inbound{}, invalid("channel %q must be lower-case letters, digits, '_', '.' or '-'", p.Channel)
	case strings.TrimSpace(p.UserID) == "":
		return Inbound{}, invalid("user_id is missing")
	case Blank(p.Text):
		return Inbound{}, invalid("text is missing")
	case strings.TrimSpace(p.MessageID) == "":
		return Inbound{}, invalid("message_id is missing")
	}
	profile := make(map[string]any, len(p.Profile))
	for k, v := range p.Profile {
		profile[k] = v
	}
	if v, ok := profile["phone"]; ok {
		s, _ := v.(string)
		phone, err := NormalizePhone(s)
		if err != nil {
			return Inbound{}, invalid("profile.phone: %v", err)
		}
		profile["phone"] = phone
	}
	if v, ok := profile["email"]; ok {
		s, _ := v.(string)
		addr, _, err := NormalizeEmail(s)
		if err != nil {
			return Inbound{}, invalid("profile.email: %v", err)
		}
		profile["email"] = addr
	}
	return checked(Inbound{
		Channel:    "webhook:" + p.Channel,
		From:       strings.TrimSpace(p.UserID),
		Text:       strings.TrimSpace(p.Text),
		MessageID:  p.MessageID,
		Profile:    profile,
		ReceivedAt: time.Now(),
	}, map[string]string{"From": "user_id", "Text": "text", "MessageID": "message_id"})
}
