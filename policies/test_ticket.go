package policies

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// TestTicket is one ticket that comes without a chat (an email, the web form,
// POST /v1/tickets) and what triage must make of it. Empty fields are not
// checked.
type TestTicket struct {
	Subject string
	Text    string
	Channel string // "": "api", as POST /v1/tickets files it
	// Triage is the triage block that matches; "none": none does, and the
	// intake queue takes the ticket.
	Triage   string
	Queue    string
	Priority string
	Intent   string // "none" for not understood
	// Entities are checked as a turn's are (TestTurn.Entities).
	Entities map[string]cty.Value
	// Notice is the response the customer is told the ticket was received
	// with (the tickets block's notify created); "none": they are told nothing.
	Notice string
	Range  hcl.Range
}

var testTicketSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "subject"},
		{Name: "text"},
		{Name: "channel"},
		{Name: "triage"},
		{Name: "queue"},
		{Name: "priority"},
		{Name: "intent"},
		{Name: "entities"},
		{Name: "notice"},
	},
}

// channelName is what the desk takes as a ticket's channel.
var channelName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// decodeTestTicket reads a test's ticket block.
func (d *decoder) decodeTestTicket(block *hcl.Block, te *testEval) (*TestTicket, hcl.Diagnostics) {
	tk := &TestTicket{Range: block.DefRange}
	content, diags := decodeContent(block.Body, testTicketSchema, "A ticket")
	attrs := content.Attributes
	str := func(name string) (string, bool) {
		attr, ok := attrs[name]
		if !ok {
			return "", false
		}
		s, present, more := te.string(attr.Expr)
		diags = append(diags, more...)
		return s, present && !more.HasErrors()
	}
	tk.Subject, _ = str("subject")
	tk.Text, _ = str("text")
	if strings.TrimSpace(tk.Subject) == "" && strings.TrimSpace(tk.Text) == "" && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Ticket without text",
			Detail:   `A ticket needs a subject, a text or both, as an email or the web form gives them: ticket { subject = "Lamp arrived broken", text = "Order AB123456 arrived damaged" }.`,
			Subject:  block.DefRange.Ptr(),
		})
	}
	if channel, ok := str("channel"); ok {
		if !channelName.MatchString(channel) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid channel",
				Detail:   fmt.Sprintf(`%q is not a channel: the desk files tickets from "email", "form" (the web form) and "api", or a name of 1 to 64 letters, digits, '-', '_' or '.' that an API caller gives.`, channel),
				Subject:  attrs["channel"].Expr.Range().Ptr(),
			})
		} else {
			tk.Channel = channel
		}
	}
	for _, r := range []struct {
		attr, kind string
		to         *string
	}{{"triage", "triage", &tk.Triage}, {"queue", "queue", &tk.Queue}, {"intent", "intent", &tk.Intent}, {"notice", "response", &tk.Notice}} {
		if attr, ok := attrs[r.attr]; ok {
			var more hcl.Diagnostics
			*r.to, more = te.ref(attr.Expr, r.kind, r.attr)
			diags = append(diags, more...)
		}
	}
	if attr, ok := attrs["priority"]; ok {
		var more hcl.Diagnostics
		tk.Priority, more = testPriority(attr, te, "priority")
		diags = append(diags, more...)
	}
	if attr, ok := attrs["entities"]; ok {
		var more hcl.Diagnostics
		tk.Entities, more = te.entities(attr.Expr)
		diags = append(diags, more...)
	}
	return tk, diags
}

// testPriority reads an expected priority, "low", "normal", "high" or
// "urgent", written out or read from each.value.
func testPriority(attr *hcl.Attribute, te *testEval, what string) (string, hcl.Diagnostics) {
	// A bare priority (priority = high) would be read as a variable, and "no
	// variable named high" does not say that it wants quotes.
	if word, ok := bareWord(attr.Expr); ok && slices.Contains(priorities, word) {
		return "", missingQuotesError(attr.Expr, word)
	}
	value, present, diags := te.string(attr.Expr)
	if !present || diags.HasErrors() {
		return "", diags
	}
	if more := oneOf(attr, value, priorities, what); more.HasErrors() {
		return "", append(diags, more...)
	}
	return value, diags
}

// notForTickets lists what a test of tickets does not take, and why: triage
// reads a ticket's subject, text and channel, and the time, and nothing of a
// conversation.
var notForTickets = map[string]string{
	"language":      "A ticket's language is the one its text is written in.",
	"customer":      "Triage runs before the ticket's customer is looked up, so it reads nothing of them.",
	"channel":       `A ticket's channel is given in its ticket block: ticket { channel = "email" }.`,
	"agents_online": "Triage reads no agents.",
	"survey":        "Tickets are not surveyed.",
	"live":          "Triage calls no connector, so a test of tickets runs the same with -live.",
	"mock":          "Triage calls no connector.",
	"connector":     "Triage calls no connector.",
}

// ticketTestContent leaves out of a test that files tickets and plays no
// turns what only a conversation uses, with an error for each: its own checks
// would only repeat that it has no use here.
func ticketTestContent(content *hcl.BodyContent) (*hcl.BodyContent, hcl.Diagnostics) {
	var tickets, turns bool
	for _, b := range content.Blocks {
		tickets = tickets || b.Type == "ticket"
		turns = turns || b.Type == "turn"
	}
	if !tickets || turns {
		return content, nil
	}
	var diags hcl.Diagnostics
	notUsed := func(name string, rng hcl.Range) {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Not used by a test of tickets",
			Detail:   fmt.Sprintf("%s is for tests of conversations. %s", name, notForTickets[name]),
			Subject:  rng.Ptr(),
		})
	}
	kept := &hcl.BodyContent{Attributes: hcl.Attributes{}, MissingItemRange: content.MissingItemRange}
	for _, name := range sortedKeys(content.Attributes) {
		attr := content.Attributes[name]
		if _, ok := notForTickets[name]; ok {
			notUsed(name, attr.NameRange)
			continue
		}
		kept.Attributes[name] = attr
	}
	for _, b := range content.Blocks {
		if _, ok := notForTickets[b.Type]; ok {
			notUsed(b.Type, b.DefRange)
			continue
		}
		kept.Blocks = append(kept.Blocks, b)
	}
	return kept, diags
}

// mixedTest reports a test that plays turns and files tickets.
func mixedTest(t *Test) hcl.Diagnostics {
	if len(t.Tickets) == 0 || len(t.Turns) == 0 {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Turns and tickets in one test",
		Detail:   "A test plays either a conversation (turn blocks) or tickets that come without a chat (ticket blocks), which triage files without one: move the ticket blocks to a test of their own.",
		Subject:  t.Tickets[0].Range.Ptr(),
	}}
}

// triageNames are the bot's triage blocks, in source order.
func (c *checker) triageNames() []string {
	var out []string
	for _, tr := range c.bot.Triage {
		if tr != nil {
			out = append(out, tr.Name)
		}
	}
	return out
}

// checkTestTickets reports the expectations of a test's tickets that can
// never hold: a queue or priority other than the expected triage block
// gives, and a notice the bot never sends.
func (c *checker) checkTestTickets() {
	seen := map[string]bool{}
	report := func(rng hcl.Range, summary, detail string) {
		if key := rng.String() + "\x00" + detail; !seen[key] {
			seen[key] = true
			c.errorf(rng, summary, "%s", detail)
		}
	}
	for _, t := range c.bot.Tests {
		for _, tk := range t.Tickets {
			for _, detail := range c.triageDisagrees(tk) {
				report(tk.Range, "Ticket expectations disagree", fmt.Sprintf("In test %q, %s", t.Name, detail))
			}
			if detail := c.noticeNeverSent(tk.Notice); detail != "" {
				report(tk.Range, "Notice never sent", fmt.Sprintf("In test %q, %s", t.Name, detail))
			}
		}
	}
}

// triageDisagrees says how a ticket's expected queue and priority differ
// from what its expected triage block (or the intake queue, for "none")
// gives every ticket.
func (c *checker) triageDisagrees(tk *TestTicket) []string {
	var queue, priority, from string
	switch tk.Triage {
	case "":
		return nil
	case "none":
		queue = c.bot.IntakeQueue()
		from = fmt.Sprintf("a ticket no triage block takes goes to the intake queue, %q", queue)
	default:
		i := slices.IndexFunc(c.bot.Triage, func(tr *Triage) bool { return tr != nil && tr.Name == tk.Triage })
		if i < 0 {
			return nil // an unknown triage block, reported where it is named
		}
		tr := c.bot.Triage[i]
		queue, priority = tr.Queue, tr.Priority
		from = fmt.Sprintf("triage %q sends its tickets to queue %q", tr.Name, queue)
	}
	if priority == "" {
		priority = "normal"
		if q := c.bot.Queues[queue]; q != nil && q.Priority != "" {
			priority = q.Priority
		}
	}
	var out []string
	if tk.Queue != "" && queue != "" && tk.Queue != queue {
		out = append(out, fmt.Sprintf("%s, so the ticket can't be in queue %q.", from, tk.Queue))
	}
	if tk.Priority != "" && queue != "" && tk.Priority != priority {
		out = append(out, fmt.Sprintf("%s, with priority %q, so the ticket can't be %q.", from, priority, tk.Priority))
	}
	return out
}

// noticeNeverSent says why the customer can't be told a ticket was received
// with the response named want; "" when they can.
func (c *checker) noticeNeverSent(want string) string {
	if _, known := c.bot.Responses[want]; !known {
		return "" // "" or "none", or an unknown response, reported where it is named
	}
	m := c.bot.TicketNotice("created")
	switch {
	case m == nil:
		return fmt.Sprintf("notice expects response %q, but the tickets block has no notify { created = response.NAME }, so the customer is told nothing when a ticket is filed; expect notice = \"none\".", want)
	case m.Name == "":
		return fmt.Sprintf("notice expects response %q, but the tickets block's notify gives created as a text of its own: name a response there (created = response.%s) to check it.", want, want)
	case m.Name != want:
		return fmt.Sprintf("notice expects response %q, but the tickets block's notify tells the customer with response %q.", want, m.Name)
	}
	return ""
}
