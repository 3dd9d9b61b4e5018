package policies

import (
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// TicketSettings say where tickets without a chat go and what customers are
// told as their tickets move on: the bot's tickets block.
type TicketSettings struct {
	// DefaultQueue takes tickets no triage block matches; "" means the queue
	// named general, else the first queue by name (see IntakeQueue).
	DefaultQueue string
	// Notify holds what the customer is told, by ticket event: created (a
	// ticket from email, the web form or the API was received), open (back
	// from pending), pending, solved, closed and reopened. An event without a
	// message tells the customer nothing.
	Notify map[string]*Message
	Range  hcl.Range
}

// TicketEvents are the ticket events a notify block can answer.
var TicketEvents = []string{"created", "open", "pending", "solved", "closed", "reopened"}

// IntakeQueue is where a ticket goes when no triage block matches it: the
// tickets block's default_queue, else the queue named general, else the first
// queue by name; "" when the bot has no queues.
func (b *Bot) IntakeQueue() string {
	if b.Tickets != nil && b.Tickets.DefaultQueue != "" {
		return b.Tickets.DefaultQueue
	}
	if _, ok := b.Queues["general"]; ok {
		return "general"
	}
	names := slices.Sorted(maps.Keys(b.Queues))
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// TicketNotice is the message the customer gets for a ticket event, or nil.
func (b *Bot) TicketNotice(event string) *Message {
	if b.Tickets == nil {
		return nil
	}
	return b.Tickets.Notify[event]
}

var ticketsSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "default_queue"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "notify"}},
}

func (d *decoder) decodeTicketsBlock(bot *Bot, block *hcl.Block) hcl.Diagnostics {
	if bot.Tickets != nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Duplicate tickets block",
			Detail:   fmt.Sprintf("A tickets block is already declared at %s; a bot has at most one.", bot.Tickets.Range.String()),
			Subject:  block.DefRange.Ptr(),
		}}
	}
	t, diags := d.decodeTickets(block)
	bot.Tickets = t
	return diags
}

// decodeTickets reads the tickets block: the intake queue and the notices.
func (d *decoder) decodeTickets(block *hcl.Block) (*TicketSettings, hcl.Diagnostics) {
	t := &TicketSettings{Notify: map[string]*Message{}, Range: block.DefRange}
	content, diags := block.Body.Content(ticketsSchema)
	if attr, ok := content.Attributes["default_queue"]; ok {
		q, more := decodeRef(attr.Expr, "queue")
		diags = append(diags, more...)
		if q != "" {
			d.ref("queue", q, attr.Expr.Range())
			t.DefaultQueue = q
		}
	}
	nb, more := singleBlock(content.Blocks, "notify")
	diags = append(diags, more...)
	if nb != nil {
		schema := &hcl.BodySchema{}
		for _, ev := range TicketEvents {
			schema.Attributes = append(schema.Attributes, hcl.AttributeSchema{Name: ev})
		}
		nc, more := nb.Body.Content(schema)
		diags = append(diags, more...)
		names := make([]string, 0, len(nc.Attributes))
		for name := range nc.Attributes {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			m, more := decodeMessage(nc.Attributes[name].Expr)
			diags = append(diags, more...)
			if m != nil {
				t.Notify[name] = m
			}
		}
	}
	return t, diags
}
