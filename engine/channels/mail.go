package channels

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Mail is an email to several people with attachments: a scheduled report.
type Mail struct {
	To      []string
	Subject string
	Text    string // the plain-text body
	// MessageID is the same on every retry of one message, so that a receiver
	// (or an archive) recognises a resend; "" for a random one.
	MessageID   string
	Attachments []Attachment
}

// Attachment is a file attached to a Mail.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// SendMail sends m in one SMTP transaction, to every recipient.
func (s *EmailSender) SendMail(ctx context.Context, m Mail) error {
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return &SendError{Provider: "smtp", Message: fmt.Sprintf("From %q is not an address", s.From), Err: err}
	}
	if len(m.To) == 0 {
		return &SendError{Provider: "smtp", Message: "no recipients"}
	}
	var to []string
	var toHeader []string
	for _, addr := range m.To {
		a, err := mail.ParseAddress(addr)
		if err != nil {
			return &SendError{Provider: "smtp", Message: fmt.Sprintf("To %q is not an address", addr), Err: err}
		}
		to = append(to, a.Address)
		toHeader = append(toHeader, a.String())
	}
	msg, err := composeMail(from, toHeader, m, time.Now())
	if err != nil {
		return &SendError{Provider: "smtp", Message: "compose", Err: err}
	}
	// Reports are larger than replies: give the conversation two minutes.
	return s.deliver(ctx, from.Address, to, msg, 2*time.Minute)
}

// composeMail builds a multipart/mixed message: the text, then the attachments.
func composeMail(from *mail.Address, to []string, m Mail, now time.Time) ([]byte, error) {
	var b bytes.Buffer
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	id := msgID(m.MessageID)
	if id == "" {
		var r [12]byte
		_, _ = rand.Read(r[:])
		id = hex.EncodeToString(r[:])
	}
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", from.String())
	header("To", strings.Join(to, ", "))
	header("Subject", mime.QEncoding.Encode("utf-8", oneLine(m.Subject)))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", "<"+id+"@"+domain+">")
	header("MIME-Version", "1.0")
	mw := multipart.NewWriter(&b)
	header("Content-Type", `multipart/mixed; boundary="`+mw.Boundary()+`"`)
	b.WriteString("\r\n")
	part := func(h textproto.MIMEHeader, data []byte) error {
		w, err := mw.CreatePart(h)
		if err != nil {
			return err
		}
		enc := base64.StdEncoding.EncodeToString(data)
		for len(enc) > 76 {
			if _, err := w.Write([]byte(enc[:76] + "\r\n")); err != nil {
				return err
			}
			enc = enc[76:]
		}
		_, err = w.Write([]byte(enc + "\r\n"))
		return err
	}
	text := textproto.MIMEHeader{}
	text.Set("Content-Type", "text/plain; charset=utf-8")
	text.Set("Content-Transfer-Encoding", "base64")
	if err := part(text, []byte(strings.ReplaceAll(m.Text, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	for _, a := range m.Attachments {
		h := textproto.MIMEHeader{}
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		h.Set("Content-Transfer-Encoding", "base64")
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
		if err := part(h, a.Data); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
