package channels

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// EmailSender sends replies over SMTP. Credentials are read from the
// environment variables it names, so they never sit in config files.
type EmailSender struct {
	Host string
	Port int    // 0: 587
	From string // "Shop Support <help@shop.example>"
	// UsernameEnv and PasswordEnv name environment variables; "" (or an unset
	// variable): no AUTH. AUTH PLAIN is only used over TLS or to localhost.
	UsernameEnv string
	PasswordEnv string
	// TLS configures STARTTLS, used when the server offers it; nil: verify Host.
	TLS *tls.Config
}

func (s *EmailSender) Send(ctx context.Context, m Outbound) error {
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return &SendError{Provider: "smtp", Message: fmt.Sprintf("From %q is not an address", s.From), Err: err}
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return &SendError{Provider: "smtp", Message: fmt.Sprintf("To %q is not an address", m.To), Err: err}
	}
	msg := composeEmail(from, to, m, time.Now())
	return s.deliver(ctx, from.Address, []string{to.Address}, msg, time.Minute)
}

// deliver runs one SMTP conversation that sends msg to every address in to.
// net/smtp takes no context: a deadline (ctx's, else timeout) bounds the whole
// conversation, and cancelling ctx ends it.
func (s *EmailSender) deliver(ctx context.Context, from string, to []string, msg []byte, timeout time.Duration) error {
	port := s.Port
	if port == 0 {
		port = 587
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(s.Host, strconv.Itoa(port)))
	if err != nil {
		return networkError(ctx, "smtp", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	} else {
		_ = conn.SetDeadline(time.Now().Add(timeout))
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return smtpError(ctx, err)
	}
	defer c.Close()
	if err := s.session(c, from, to, msg); err != nil {
		return smtpError(ctx, err)
	}
	return nil
}

func (s *EmailSender) session(c *smtp.Client, from string, to []string, msg []byte) error {
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := s.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: s.Host}
		}
		if err := c.StartTLS(cfg); err != nil {
			return fmt.Errorf("starttls: %w", err)
		}
	}
	if user := env(s.UsernameEnv); user != "" {
		if err := c.Auth(smtp.PlainAuth("", user, env(s.PasswordEnv), s.Host)); err != nil {
			return fmt.Errorf("auth: %w", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt); err != nil {
			return fmt.Errorf("rcpt to %s: %w", rcpt, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	return c.Quit()
}

func env(name string) string {
	if name == "" {
		return ""
	}
	return os.Getenv(name)
}

// smtpError classifies an SMTP failure: 4xx replies are transient by the
// protocol's own definition (greylisting, a full queue), 5xx are refusals.
func smtpError(ctx context.Context, err error) error {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return &SendError{Provider: "smtp", Status: tp.Code, Message: tp.Msg, Retryable: tp.Code/100 == 4, Err: err}
	}
	if strings.Contains(err.Error(), "unencrypted connection") { // PlainAuth refusing to send the password in the clear
		return &SendError{Provider: "smtp", Err: err}
	}
	return networkError(ctx, "smtp", err)
}

// composeEmail builds the RFC 5322 message: a plain-text reply threaded under
// the customer's email, with non-ASCII text (Chinese) base64-encoded.
func composeEmail(from, to *mail.Address, m Outbound, now time.Time) []byte {
	subject := oneLine(m.Subject)
	if m.InReplyTo != "" && !strings.HasPrefix(strings.ToLower(subject), "re:") {
		subject = strings.TrimSpace("Re: " + subject)
	}
	if subject == "" {
		subject = "Re: your message"
	}
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	id := msgID(m.MessageID)
	if id == "" {
		var b [12]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}

	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", from.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("utf-8", subject))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", "<"+id+"@"+domain+">")
	if ref := msgID(m.InReplyTo); ref != "" {
		header("In-Reply-To", "<"+ref+">")
		header("References", "<"+ref+">")
	}
	if m.ConversationID != "" {
		header("X-Parley-Conversation", oneLine(m.ConversationID))
	}
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	body := strings.ReplaceAll(TextWithButtons(m.Text, m.Buttons), "\r\n", "\n")
	if isASCII(body) {
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		qp := quotedprintable.NewWriter(&b)
		_, _ = qp.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n")))
		_ = qp.Close()
		return b.Bytes()
	}
	header("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(strings.ReplaceAll(body, "\n", "\r\n")))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

// msgID keeps a provider id usable inside <...>: no brackets, spaces or line breaks.
func msgID(s string) string {
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r == '<' || r == '>' || r >= utf8.RuneSelf {
			return -1
		}
		return r
	}, s)
}

// oneLine stops a value from starting a new header.
func oneLine(s string) string {
	return strings.TrimSpace(strings.NewReplacer("\r", " ", "\n", " ").Replace(s))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
