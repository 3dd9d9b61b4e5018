package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/dialog/outcome"
	"github.com/parleyhq/parley/policies"
)

// Formats are the formats Write takes.
var Formats = []string{"text", "json", "html"}

// WriteOptions shape the text and HTML output.
type WriteOptions struct {
	// Limit is how many changed conversations are shown in full; 0: 20,
	// negative: all. JSON always lists all of them.
	Limit int
}

// Write renders r for bot (the new policies: the time zone, the currency,
// the rules' conditions) in format.
func Write(w io.Writer, r *Report, bot *policies.Bot, format string, opts WriteOptions) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "html":
		return writeHTML(w, r, bot, opts)
	case "text", "":
		return writeText(w, r, bot, opts)
	}
	return fmt.Errorf("unknown plan format %q; use one of %s", format, strings.Join(Formats, ", "))
}

func (o WriteOptions) limit() int {
	switch {
	case o.Limit == 0:
		return 20
	case o.Limit < 0:
		return math.MaxInt
	}
	return o.Limit
}

// outcomeOrder is how outcome kinds are ordered in the matrix: as reports
// order them, then a replay that stopped, then no contact.
func outcomeOrder(kind string) int {
	if i := slices.Index(outcome.Kinds, kind); i >= 0 {
		return i
	}
	if kind == needsLive {
		return len(outcome.Kinds)
	}
	return len(outcome.Kinds) + 1
}

func outcomeText(kind string) string {
	if kind == "" {
		return "(none)"
	}
	return kind
}

// matrix is the transition matrix: the outcome kinds present before (rows)
// and after (columns), and the counts.
func matrix(r *Report) (rows, cols []string, count map[[2]string]int) {
	count = map[[2]string]int{}
	for _, t := range r.Transitions {
		count[[2]string{t.Before, t.After}] += t.Count
		if !slices.Contains(rows, t.Before) {
			rows = append(rows, t.Before)
		}
		if !slices.Contains(cols, t.After) {
			cols = append(cols, t.After)
		}
	}
	byOrder := func(a, b string) int { return outcomeOrder(a) - outcomeOrder(b) }
	slices.SortFunc(rows, byOrder)
	slices.SortFunc(cols, byOrder)
	return rows, cols, count
}

// changedRules are the rules whose figures the change moves.
func changedRules(r *Report) []RuleEffect {
	var out []RuleEffect
	for _, e := range r.Rules {
		if e.Before != e.After || e.ConversationsBefore != e.ConversationsAfter || e.AmountBefore != e.AmountAfter {
			out = append(out, e)
		}
	}
	return out
}

// changedTickets are the queues whose tickets the change adds or removes.
func changedTickets(r *Report) []TicketEffect {
	var out []TicketEffect
	for _, e := range r.Tickets {
		if e.Before != e.After {
			out = append(out, e)
		}
	}
	return out
}

func ruleLabel(e RuleEffect) string {
	if e.Kind == "outcome" {
		return e.Dialog + " outcome " + e.Name
	}
	return e.Name
}

// money formats an amount in the bot's currency (its variable "currency",
// when it has one), else as a plain number.
func money(bot *policies.Bot, v float64) string {
	if bot != nil {
		if cur := bot.Variables["currency"]; cur != nil && cur.Value.Type() == cty.String && cur.Value.IsKnown() && !cur.Value.IsNull() {
			if s, err := policies.FormatMoney(big.NewFloat(v), cur.Value.AsString()); err == nil {
				return s
			}
		}
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func signed(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func signedMoney(bot *policies.Bot, v float64) string {
	switch {
	case v > 0:
		return "+" + money(bot, v)
	case v < 0:
		return "-" + money(bot, -v)
	}
	return money(bot, 0)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func location(bot *policies.Bot) *time.Location {
	if bot == nil {
		return time.UTC
	}
	return bot.Location()
}

func periodText(r *Report, bot *policies.Bot) string {
	loc := location(bot)
	from, to := "the first conversation", "now"
	if !r.From.IsZero() {
		from = r.From.In(loc).Format("2006-01-02 15:04")
	}
	if !r.To.IsZero() {
		to = r.To.In(loc).Format("2006-01-02 15:04")
	}
	return fmt.Sprintf("%s to %s (%s)", from, to, loc)
}

func intentName(s string) string {
	if s == "" {
		return "(not understood)"
	}
	return s
}

func writeText(w io.Writer, r *Report, bot *policies.Bot, opts WriteOptions) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "Plan for bot %q, policies %s: %s replayed from %s\n", r.Bot, r.PolicyVersion, plural(r.Conversations, "conversation", "conversations"), periodText(r, bot))
	var versions []string
	for _, v := range r.RecordedVersions {
		name := or(v.Version, "(unrecorded)")
		if v.Label != "" {
			name += " (" + v.Label + ")"
		}
		versions = append(versions, fmt.Sprintf("%s: %d", name, v.Conversations))
	}
	if len(versions) > 0 {
		fmt.Fprintf(b, "Recorded under policies %s\n", strings.Join(versions, ", "))
	}
	fmt.Fprintf(b, "\nChanged: %d of %d conversations (an outcome, a reply, or a rule, ticket, handoff or call differs)\n", r.Changed, r.Conversations)
	if r.NeedsLiveAnswer > 0 {
		hint := " (-mocks answers from the bot's mock blocks)"
		if r.Mocks {
			hint = " (no mock block matches)"
		}
		fmt.Fprintf(b, "  %s %s a call the log never recorded%s\n", plural(r.NeedsLiveAnswer, "needs", "need"), "a live answer:", hint)
	}
	if r.Mocked > 0 {
		fmt.Fprintf(b, "  %s answered by mock blocks\n", plural(r.Mocked, "conversation had calls", "conversations had calls"))
	}
	if r.Errors > 0 {
		fmt.Fprintf(b, "  %s broke off (see -json)\n", plural(r.Errors, "replay", "replays"))
	}
	if r.Purged > 0 {
		fmt.Fprintf(b, "  %s purged by retention, not replayed\n", plural(r.Purged, "conversation was", "conversations were"))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(b, "Note: %s\n", n)
	}

	fmt.Fprintf(b, "\nOutcomes, recorded (rows) against replayed (columns), %s:\n", plural(r.Contacts, "contact", "contacts"))
	writeMatrix(b, r)
	fmt.Fprintf(b, "\nBusiness rules and outcomes, recorded → replayed:\n")
	effects := changedRules(r)
	if len(effects) == 0 {
		fmt.Fprintf(b, "  no change\n")
	}
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	for _, e := range effects {
		fmt.Fprintf(tw, "  %s\t%s conversations (%d → %d)", ruleLabel(e), signed(e.ConversationsAfter-e.ConversationsBefore), e.ConversationsBefore, e.ConversationsAfter)
		if e.AmountBefore != 0 || e.AmountAfter != 0 {
			fmt.Fprintf(tw, "\t%s (%s → %s)", signedMoney(bot, e.AmountAfter-e.AmountBefore), money(bot, e.AmountBefore), money(bot, e.AmountAfter))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()

	fmt.Fprintf(b, "\nTickets opened, by queue, recorded → replayed:\n")
	tickets := changedTickets(r)
	if len(tickets) == 0 {
		fmt.Fprintf(b, "  no change\n")
	}
	tw = tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	for _, e := range tickets {
		fmt.Fprintf(tw, "  %s\t%s (%d → %d)\n", e.Queue, signed(e.After-e.Before), e.Before, e.After)
	}
	tw.Flush()

	fmt.Fprintf(b, "\nIntents recognised differently:\n")
	if len(r.Intents) == 0 {
		fmt.Fprintf(b, "  none\n")
	}
	for _, ic := range r.Intents {
		quoted := make([]string, len(ic.Examples))
		for i, ex := range ic.Examples {
			quoted[i] = strconv.Quote(ex)
		}
		fmt.Fprintf(b, "  %s → %s: %s, e.g. %s\n", intentName(ic.Before), intentName(ic.After), plural(ic.Count, "message", "messages"), strings.Join(quoted, ", "))
	}

	if len(r.Changes) > 0 {
		shown := min(len(r.Changes), opts.limit())
		fmt.Fprintf(b, "\nChanged conversations")
		if shown < len(r.Changes) {
			fmt.Fprintf(b, " (the first %d of %d; -json lists all)", shown, len(r.Changes))
		}
		fmt.Fprintf(b, ":\n")
		for _, c := range r.Changes[:shown] {
			writeConversation(b, c, bot)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeMatrix writes the transition matrix: row labels on the left, counts
// right-aligned under their column, "." for none.
func writeMatrix(b *strings.Builder, r *Report) {
	rows, cols, count := matrix(r)
	labelW := 0
	for _, row := range rows {
		labelW = max(labelW, len(outcomeText(row)))
	}
	widths := make([]int, len(cols))
	for i, c := range cols {
		widths[i] = len(outcomeText(c))
		for _, row := range rows {
			widths[i] = max(widths[i], len(strconv.Itoa(count[[2]string{row, c}])))
		}
	}
	fmt.Fprintf(b, "  %-*s", labelW, "")
	for i, c := range cols {
		fmt.Fprintf(b, "  %*s", widths[i], outcomeText(c))
	}
	b.WriteString("\n")
	for _, row := range rows {
		fmt.Fprintf(b, "  %-*s", labelW, outcomeText(row))
		for i, c := range cols {
			cell := "."
			if n := count[[2]string{row, c}]; n > 0 {
				cell = strconv.Itoa(n)
			}
			fmt.Fprintf(b, "  %*s", widths[i], cell)
		}
		b.WriteString("\n")
	}
}

func writeConversation(b *strings.Builder, c *Conversation, bot *policies.Bot) {
	var outs []string
	for _, o := range c.Outcomes {
		if o.Before != o.After {
			outs = append(outs, fmt.Sprintf("%s → %s", outcomeText(o.Before), outcomeText(o.After)))
		}
	}
	outcomes := "outcome unchanged"
	if len(outs) > 0 {
		outcomes = "outcome " + strings.Join(outs, ", ")
	}
	fmt.Fprintf(b, "\n  %s, started %s: %s\n", c.ID, c.Started.In(location(bot)).Format("2006-01-02 15:04"), outcomes)
	d := c.FirstDifference
	if d == nil {
		return
	}
	who := map[string]string{"customer": "the customer said", "agent": "the agent did", "hand_back": "the agent handed back", "satisfaction": "the customer rated"}[d.From]
	if d.Text != "" {
		fmt.Fprintf(b, "    turn %d, %s %q\n", d.Turn, or(who, d.From), d.Text)
	} else {
		fmt.Fprintf(b, "    turn %d\n", d.Turn)
	}
	writeReplies(b, "before", d.Before)
	after := d.After
	if len(after) == 0 && c.NeedsLiveAnswer != nil {
		after = []string{"(the replay stopped here)"}
	} else if len(after) > 0 && slices.Equal(after, d.Before) {
		after = []string{"(the same)"} // what the bot did differs, below
	}
	writeReplies(b, "after", after)
	for i, why := range d.Why {
		label := "why:   "
		if i > 0 {
			label = "       "
		}
		fmt.Fprintf(b, "      %s %s\n", label, why)
	}
}

func writeReplies(b *strings.Builder, label string, replies []string) {
	if len(replies) == 0 {
		replies = []string{"(nothing)"}
	}
	for i, r := range replies {
		if i == 0 {
			fmt.Fprintf(b, "      %-7s %s\n", label+":", r)
			continue
		}
		fmt.Fprintf(b, "              %s\n", r)
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
