package parleycmd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/policies"

	"github.com/mattn/go-isatty"
)

func cmdChat(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("chat", "chat [-debug] [-database DSN] [-conversation ID] [-new] [-customer k=v,...] DIR", stderr)
	debug := fs.Bool("debug", false, "show intent ranking, confidence, entities, sentiment, slots and the active dialog after each message")
	dsn := databaseFlag(fs)
	convID := fs.String("conversation", "terminal", "conversation id; the same id continues the conversation after a restart")
	fresh := fs.Bool("new", false, "start a new conversation instead of continuing")
	customerFlag := fs.String("customer", "", "customer profile as k=v pairs, e.g. name=Ann,vip=true")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		fs.Usage()
		return &exitError{code: 2}
	}
	dir := positional[0]
	customer, err := parseCustomer(*customerFlag)
	if err != nil {
		return &exitError{code: 2, msg: "-customer: " + err.Error()}
	}
	eng, where, closeEngine, err := openEngine(ctx, dir, *dsn, os.Getenv("PARLEY_POLICY_LABEL"), stderr)
	if err != nil {
		return err
	}
	defer closeEngine()
	bot := eng.Bot()

	id := *convID
	if *fresh {
		id = fmt.Sprintf("%s-%s", id, randomSuffix())
	}
	interactive := isTerminal(stdin)
	if interactive {
		fmt.Fprintf(stdout, "Chatting with %q (%s), conversations kept in %s.\nType /help for commands, /quit to leave.\n\n", bot.Name, strings.Join(bot.Languages, ", "), where)
	}
	c := &chatSession{ctx: ctx, eng: eng, bot: bot, convID: id, customer: customer, debug: *debug, out: stdout, echo: !interactive}
	return c.loop(stdin, interactive)
}

type chatSession struct {
	ctx      context.Context
	eng      *engine.Engine
	bot      *policies.Bot // what -debug explains the NLU's ranking against
	convID   string
	customer map[string]any
	debug    bool
	out      io.Writer
	echo     bool // print the customer's lines too, so piped output reads as a transcript
	buttons  []engine.Button
	seq      int
}

func (c *chatSession) loop(stdin io.Reader, interactive bool) error {
	done := make(chan struct{})
	defer close(done)
	lines := readLines(stdin, done)
	for {
		if interactive {
			fmt.Fprint(c.out, "you> ")
		}
		var l inputLine
		select {
		case <-c.ctx.Done():
			// Ctrl-C while waiting for a line leaves, as /quit does: the
			// read blocked on the terminal must not hold the chat open.
			if interactive {
				fmt.Fprintln(c.out)
			}
			return nil
		case l = <-lines:
		}
		if l.err != nil {
			if errors.Is(l.err, io.EOF) {
				if interactive {
					fmt.Fprintln(c.out)
				}
				return nil
			}
			return fmt.Errorf("read input: %w", l.err)
		}
		line := strings.TrimRight(l.text, "\r\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if c.echo {
			fmt.Fprintf(c.out, "you> %s\n", line)
		}
		if quit := c.command(line); quit {
			return nil
		}
	}
}

// inputLine is one line read from the terminal, or why there are no more.
type inputLine struct {
	text string
	err  error
}

// readLines reads r line by line in the background, one line at a time (the
// next read waits until the chat took the last), ending with the error that
// stopped it (io.EOF at the end), or when done is closed. A last line
// without a newline still counts.
func readLines(r io.Reader, done <-chan struct{}) <-chan inputLine {
	out := make(chan inputLine)
	send := func(l inputLine) bool {
		select {
		case out <- l:
			return true
		case <-done:
			return false
		}
	}
	go func() {
		in := bufio.NewReader(r)
		for {
			text, err := in.ReadString('\n')
			if text != "" && !send(inputLine{text: text}) {
				return
			}
			if err != nil {
				send(inputLine{err: err})
				return
			}
		}
	}()
	return out
}

// command handles one input line; it reports whether the chat should end.
func (c *chatSession) command(line string) bool {
	switch strings.TrimSpace(line) {
	case "/quit", "/exit":
		return true
	case "/help":
		fmt.Fprintln(c.out, "  /debug     toggle details about each message\n  /new       start a new conversation\n  /handback  act as an agent handing the conversation back to the bot\n  /quit      leave\n  A number picks a button from the last reply.")
		return false
	case "/debug":
		c.debug = !c.debug
		fmt.Fprintf(c.out, "  debug %s\n", map[bool]string{true: "on", false: "off"}[c.debug])
		return false
	case "/new":
		c.convID = fmt.Sprintf("%s-%s", strings.SplitN(c.convID, "-", 2)[0], randomSuffix())
		c.buttons = nil
		fmt.Fprintln(c.out, "  new conversation", c.convID)
		return false
	case "/handback":
		res, err := c.eng.HandBack(c.ctx, c.convID, "terminal", "")
		c.show(res, err)
		return false
	}
	text := line
	if n, err := strconv.Atoi(strings.TrimSpace(line)); err == nil && n >= 1 && n <= len(c.buttons) {
		text = c.buttons[n-1].Payload
	}
	c.seq++
	res, err := c.eng.Handle(c.ctx, engine.Message{
		ConversationID:  c.convID,
		ClientMessageID: fmt.Sprintf("%s-%d-%s", c.convID, c.seq, randomSuffix()),
		Channel:         "terminal",
		Customer:        c.customer,
		Text:            text,
	})
	c.show(res, err)
	return res != nil && res.Ended
}

func (c *chatSession) show(res *engine.TurnResult, err error) {
	if err != nil {
		fmt.Fprintf(c.out, "  error: %v\n", err)
		return
	}
	c.buttons = nil
	for _, r := range res.Replies {
		fmt.Fprintf(c.out, "bot> %s\n", r.Text)
		if len(r.Buttons) > 0 {
			var parts []string
			for _, b := range r.Buttons {
				c.buttons = append(c.buttons, b)
				parts = append(parts, fmt.Sprintf("[%d] %s", len(c.buttons), b.Label))
			}
			fmt.Fprintf(c.out, "     %s\n", strings.Join(parts, "  "))
		}
	}
	if res.Handoff != nil {
		fmt.Fprintf(c.out, "  -- handed off to queue %q (priority %s): %s\n", res.Handoff.Queue, res.Handoff.Priority, res.Handoff.Summary)
	}
	for _, t := range res.Tickets {
		fmt.Fprintf(c.out, "  -- ticket %s opened in queue %q: %s\n", t.ID, t.Queue, t.Subject)
	}
	if c.debug {
		c.showDebug(res)
	}
}

func (c *chatSession) showDebug(res *engine.TurnResult) {
	if u := res.NLU; u != nil {
		var ranks []string
		for i, in := range u.Intents {
			if i == 3 {
				break
			}
			ranks = append(ranks, in.Name+" "+engine.CutConfidence(in.Confidence))
		}
		below := ""
		if len(ranks) == 0 {
			ranks = []string{"none"}
		} else if res.Intent == "" {
			below = " (below confidence_threshold)"
			if c.bot != nil && dialog.IgnoresIntent(c.bot, u.Text, u.Intents[0].Name) {
				below = " (a bare yes or no: none of the intent's examples is one)"
			}
			if res.Knowledge != "" {
				// A turn the knowledge base answered reports no intent,
				// whatever the confidence.
				below = " (the knowledge base answered)"
			}
		}
		fmt.Fprintf(c.out, "  · intents: %s%s\n", strings.Join(ranks, " | "), below)
		if len(u.Entities) > 0 {
			var ents []string
			for _, e := range u.Entities {
				ents = append(ents, fmt.Sprintf("%s=%s (%q)", e.Type, e.Value, e.Text))
			}
			fmt.Fprintf(c.out, "  · entities: %s\n", strings.Join(ents, ", "))
		}
		if len(u.Parts) > 0 {
			var parts []string
			for _, p := range u.Parts {
				top := "none"
				if p.Top.Name != "" {
					top = p.Top.Name + " " + engine.CutConfidence(p.Top.Confidence)
				}
				parts = append(parts, fmt.Sprintf("%q %s", u.Text[p.Start:p.End], top))
			}
			fmt.Fprintf(c.out, "  · pieces: %s\n", strings.Join(parts, " | "))
		}
		fmt.Fprintf(c.out, "  · language: %s  sentiment: %+.2f", u.Language, u.Sentiment)
		if u.Cancel {
			fmt.Fprint(c.out, "  cancel")
		}
		if u.Correction {
			fmt.Fprint(c.out, "  correction")
		}
		fmt.Fprintln(c.out)
	}
	dialog := res.Dialog
	if dialog == "" {
		dialog = "none"
	}
	fmt.Fprintf(c.out, "  · dialog: %s", dialog)
	if len(res.Slots) > 0 {
		var slots []string
		for _, k := range sortedMapKeys(res.Slots) {
			slots = append(slots, k+"="+res.Slots[k])
		}
		fmt.Fprintf(c.out, "  slots: %s", strings.Join(slots, ", "))
	}
	if len(res.Held) > 0 {
		var held []string
		for _, k := range sortedMapKeys(res.Held) {
			held = append(held, k+"="+res.Held[k])
		}
		// Given, but waiting for the calls their validate reads.
		fmt.Fprintf(c.out, "  held for a check: %s", strings.Join(held, ", "))
	}
	if len(res.Calls) > 0 {
		fmt.Fprintf(c.out, "  calls: %s", strings.Join(res.Calls, ", "))
	}
	if res.HandedOff {
		fmt.Fprint(c.out, "  (with a human)")
	}
	fmt.Fprintln(c.out)
}

// parseCustomer reads "name=Ann,vip=true,orders=3" into a profile; true/false and
// numbers become booleans and numbers so conditions like customer.vip work.
func parseCustomer(s string) (map[string]any, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	out := map[string]any{}
	for _, pair := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(pair, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("%q is not key=value", pair)
		}
		v = strings.TrimSpace(v)
		if b, err := strconv.ParseBool(v); err == nil {
			out[k] = b
		} else if f, err := strconv.ParseFloat(v, 64); err == nil {
			out[k] = f
		} else {
			out[k] = v
		}
	}
	return out, nil
}

// isTerminal reports whether a reader or writer is a terminal: not merely a
// character device, which /dev/null is too.
func isTerminal(rw any) bool {
	f, ok := rw.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
