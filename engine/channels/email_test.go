package channels

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// smtpServer is the little of SMTP net/smtp needs (EHLO/HELO, MAIL, RCPT,
// DATA, RSET, NOOP, QUIT), on 127.0.0.1. Recipients listed in reject get that
// reply to RCPT.
type smtpServer struct {
	ln     net.Listener
	reject map[string]string // recipient -> "550 no such user"
	mu     sync.Mutex
	got    []receivedMail
	wg     sync.WaitGroup
}

type receivedMail struct {
	From, To string
	Data     []byte
}

func newSMTPServer(t *testing.T, reject map[string]string) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, reject: reject}
	s.wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Go(func() { s.serve(conn) })
		}
	})
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *smtpServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *smtpServer) mails() []receivedMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedMail(nil), s.got...)
}

func (s *smtpServer) serve(conn net.Conn) {
	defer conn.Close()
	tp := textproto.NewConn(conn)
	reply := func(line string) { _ = tp.PrintfLine("%s", line) }
	reply("220 test.local ESMTP")
	var m receivedMail
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			reply("250-test.local")
			reply("250 8BITMIME")
		case "HELO", "NOOP":
			reply("250 ok")
		case "RSET":
			m = receivedMail{}
			reply("250 ok")
		case "MAIL":
			m = receivedMail{From: angle(arg)}
			reply("250 ok")
		case "RCPT":
			to := angle(arg)
			if r, ok := s.reject[to]; ok {
				reply(r)
				continue
			}
			m.To = to
			reply("250 ok")
		case "DATA":
			reply("354 end with <CRLF>.<CRLF>")
			data, err := io.ReadAll(tp.DotReader())
			if err != nil {
				return
			}
			m.Data = data
			s.mu.Lock()
			s.got = append(s.got, m)
			s.mu.Unlock()
			reply("250 queued")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 not implemented")
		}
	}
}

// angle extracts the address from "FROM:<a@b> SIZE=1".
func angle(arg string) string {
	_, rest, _ := strings.Cut(arg, "<")
	addr, _, _ := strings.Cut(rest, ">")
	return addr
}

func TestEmailSender(t *testing.T) {
	srv := newSMTPServer(t, nil)
	snd := &EmailSender{Host: "127.0.0.1", Port: srv.port(), From: "网店客服 <help@shop.example>"}
	m := Outbound{
		Channel: "email", To: "Wang Fang <wang@example.cn>", Subject: "退款", Text: "您的退款已受理。\n需要别的帮助吗？",
		Buttons:        []Button{{Label: "是", Payload: "yes"}, {Label: "否", Payload: "no"}},
		ConversationID: "email:abc", MessageID: "re-m4", InReplyTo: "m4@mail.example",
	}
	if err := snd.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	mails := srv.mails()
	if len(mails) != 1 {
		t.Fatalf("received %d mails, want 1", len(mails))
	}
	if mails[0].From != "help@shop.example" || mails[0].To != "wang@example.cn" {
		t.Errorf("envelope = %s -> %s", mails[0].From, mails[0].To)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(mails[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{
		"Subject":      subject,
		"From":         from[0].Name + " " + from[0].Address,
		"In-Reply-To":  msg.Header.Get("In-Reply-To"),
		"References":   msg.Header.Get("References"),
		"Message-ID":   msg.Header.Get("Message-ID"),
		"Content-Type": msg.Header.Get("Content-Type"),
		"Encoding":     msg.Header.Get("Content-Transfer-Encoding"),
		"MIME-Version": msg.Header.Get("MIME-Version"),
	}
	want := map[string]string{
		"Subject":      "Re: 退款",
		"From":         "网店客服 help@shop.example",
		"In-Reply-To":  "<m4@mail.example>",
		"References":   "<m4@mail.example>",
		"Message-ID":   "<re-m4@shop.example>",
		"Content-Type": "text/plain; charset=utf-8",
		"Encoding":     "base64",
		"MIME-Version": "1.0",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("headers (-want +got):\n%s", d)
	}
	body, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	if want := "您的退款已受理。\r\n需要别的帮助吗？\r\n1) 是\r\n2) 否"; string(body) != want {
		t.Errorf("body = %q, want %q", body, want)
	}
}

func TestEmailSenderASCIIAndNoThread(t *testing.T) {
	srv := newSMTPServer(t, nil)
	snd := &EmailSender{Host: "127.0.0.1", Port: srv.port(), From: "help@shop.example"}
	if err := snd.Send(context.Background(), Outbound{To: "ann@example.com", Subject: "Your order\r\nBcc: x@evil.example", Text: "It ships today."}); err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(srv.mails()[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(msg.Body)
	got := []string{msg.Header.Get("Subject"), msg.Header.Get("Bcc"), msg.Header.Get("In-Reply-To"), msg.Header.Get("Content-Transfer-Encoding"), strings.TrimSpace(string(body))}
	want := []string{"Your order  Bcc: x@evil.example", "", "", "quoted-printable", "It ships today."}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("subject, bcc, in-reply-to, encoding, body (-want +got):\n%s", d)
	}
}

func TestEmailSenderFailures(t *testing.T) {
	srv := newSMTPServer(t, map[string]string{
		"nobody@example.com":     "550 5.1.1 no such user",
		"greylisted@example.com": "451 4.7.1 try again later",
	})
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := closed.Addr().(*net.TCPAddr).Port
	closed.Close()

	tests := []struct {
		name          string
		port          int
		to            string
		wantRetryable bool
		wantStatus    int
	}{
		{"unknown mailbox is permanent", srv.port(), "nobody@example.com", false, 550},
		{"greylisting is retryable", srv.port(), "greylisted@example.com", true, 451},
		{"server down is retryable", closedPort, "ann@example.com", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snd := &EmailSender{Host: "127.0.0.1", Port: tt.port, From: "help@shop.example"}
			err := snd.Send(context.Background(), Outbound{To: tt.to, Text: "hi"})
			var se *SendError
			if !errors.As(err, &se) || se.Status != tt.wantStatus || IsRetryable(err) != tt.wantRetryable {
				t.Errorf("error = %v, want status %d retryable %v", err, tt.wantStatus, tt.wantRetryable)
			}
		})
	}
	if err := (&EmailSender{Host: "127.0.0.1", Port: srv.port(), From: "help@shop.example"}).Send(context.Background(), Outbound{To: "not an address"}); err == nil || IsRetryable(err) || !strings.Contains(err.Error(), `To "not an address"`) {
		t.Errorf("bad To: %v, want a permanent error naming To", err)
	}
}
