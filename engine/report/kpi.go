package report

import (
	"time"

	"github.com/parleyhq/parley/dialog/outcome"
	"github.com/parleyhq/parley/engine/store"
)

// KPIs are the figures of a set of contacts. Every definition is here, and in
// docs/reports.md in the same words; a rate or average with nothing to divide
// by is nil (null in JSON), never 0.
type KPIs struct {
	// Conversations counts contacts settled with an outcome and started in the period.
	Conversations int `json:"conversations"`
	// Outcomes counts them by outcome kind.
	Outcomes map[string]int `json:"outcomes"`
	// ContainmentRate (automatic resolution): bot_resolved / conversations.
	ContainmentRate *float64 `json:"containment_rate"`
	// HandoffRate: contacts with a handoff to a person / conversations.
	HandoffRate *float64 `json:"handoff_rate"`
	// FCRRate (first-contact resolution): contacts resolved by the bot or an
	// agent whose customer did not come back about the same intent within the
	// follow-up window / conversations.
	FCRRate *float64 `json:"fcr_rate"`
	// AbandonmentRate: abandoned and abandoned_in_queue / conversations.
	AbandonmentRate *float64 `json:"abandonment_rate"`
	// TicketRate: contacts in which a ticket was opened / conversations.
	TicketRate *float64 `json:"ticket_rate"`
	// CSATAverage: the mean survey score, 1 to 5.
	CSATAverage *float64 `json:"csat_average"`
	// CSATSatisfied: scores of 4 or 5 / scores.
	CSATSatisfied *float64 `json:"csat_satisfied_rate"`
	// CSATResponseRate: scores / surveys asked.
	CSATResponseRate *float64 `json:"csat_response_rate"`
	CSATResponses    int      `json:"csat_responses"`
	// CSATDistribution counts scores 1 to 5.
	CSATDistribution [5]int `json:"csat_distribution"`
	// Messages counts customer messages; NotUnderstoodRate is those no intent
	// understood (and the knowledge base did not answer) / messages.
	Messages          int      `json:"messages"`
	NotUnderstoodRate *float64 `json:"not_understood_rate"`
	// KBHitRate: knowledge-base searches answered / searches (answered + unanswered).
	KBHitRate *float64 `json:"kb_hit_rate"`
	// Bot response time in seconds: from a customer message's arrival to the
	// commit of the bot's replies, estimated from buckets (see quantile).
	BotResponseAvg *float64 `json:"bot_response_avg_seconds"`
	BotResponseP50 *float64 `json:"bot_response_p50_seconds"`
	BotResponseP95 *float64 `json:"bot_response_p95_seconds"`
	// Queue wait in seconds: from the first handoff to an agent joining.
	QueueWaitAvg *float64 `json:"queue_wait_avg_seconds"`
	QueueWaitP50 *float64 `json:"queue_wait_p50_seconds"`
	QueueWaitP90 *float64 `json:"queue_wait_p90_seconds"`
	// FirstAgentReplyAvg: seconds from the first handoff to the agent's first message.
	FirstAgentReplyAvg *float64 `json:"first_agent_reply_avg_seconds"`
	// HandlingTimeAvg: seconds from the agent joining to closing or handing back.
	HandlingTimeAvg *float64 `json:"handling_time_avg_seconds"`
}

// Targets are what the customer-service documents Parley answers ask for;
// reports show each figure against its target.
var Targets = map[string]float64{
	"containment_rate":         0.80,
	"fcr_rate":                 0.75,
	"bot_response_avg_seconds": 5,
	"csat_satisfied_rate":      0.90,
}

func ratio(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	v := float64(n) / float64(d)
	return &v
}

func avgSeconds(ms int64, n int) *float64 {
	if n == 0 {
		return nil
	}
	v := float64(ms) / float64(n) / 1000
	return &v
}

// kpis computes the figures from a store's totals.
func kpis(t store.OutcomeTotals) KPIs {
	k := KPIs{Conversations: t.Contacts, Outcomes: map[string]int{}, Messages: t.Messages, CSATResponses: t.Scores, CSATDistribution: t.ScoreCounts}
	for kind, n := range t.ByOutcome {
		k.Outcomes[kind] = n
	}
	k.ContainmentRate = ratio(t.ByOutcome[outcome.BotResolved], t.Contacts)
	k.HandoffRate = ratio(t.HandedOff, t.Contacts)
	k.FCRRate = ratio(t.NoFollowUp[outcome.BotResolved]+t.NoFollowUp[outcome.AgentResolved], t.Contacts)
	k.AbandonmentRate = ratio(t.ByOutcome[outcome.Abandoned]+t.ByOutcome[outcome.AbandonedInQueue], t.Contacts)
	k.TicketRate = ratio(t.WithTicket, t.Contacts)
	if t.Scores > 0 {
		v := float64(t.ScoreSum) / float64(t.Scores)
		k.CSATAverage = &v
	}
	k.CSATSatisfied = ratio(t.ScoreCounts[3]+t.ScoreCounts[4], t.Scores)
	k.CSATResponseRate = ratio(t.Scores, t.SurveysAsked)
	k.NotUnderstoodRate = ratio(t.NotUnderstood, t.Messages)
	k.KBHitRate = ratio(t.KBAnswered, t.KBAnswered+t.Unanswered)
	k.BotResponseAvg = avgSeconds(t.BotReplyMS, t.BotReplies)
	replyBounds := seconds(outcome.ReplyBounds)
	k.BotResponseP50 = atMostMarkov(quantile(0.5, replyBounds, t.ReplyBuckets[:]), 0.5, k.BotResponseAvg)
	k.BotResponseP95 = atMostMarkov(quantile(0.95, replyBounds, t.ReplyBuckets[:]), 0.95, k.BotResponseAvg)
	k.QueueWaitAvg = avgSeconds(t.QueueWaitMS, t.QueueWaits)
	waits := bucketsFromCumulative(t.QueueWaitUnder, t.QueueWaits)
	k.QueueWaitP50 = atMostMarkov(quantile(0.5, seconds(store.QueueWaitBounds), waits), 0.5, k.QueueWaitAvg)
	k.QueueWaitP90 = atMostMarkov(quantile(0.9, seconds(store.QueueWaitBounds), waits), 0.9, k.QueueWaitAvg)
	k.FirstAgentReplyAvg = avgSeconds(t.FirstReplyMS, t.FirstReplies)
	k.HandlingTimeAvg = avgSeconds(t.HandleMS, t.Handled)
	return k
}

func seconds(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = d.Seconds()
	}
	return out
}

// bucketsFromCumulative turns "at most bound i" counts and a total into
// counts per bucket, the last holding those above every bound.
func bucketsFromCumulative(under []int, total int) []int {
	out := make([]int, len(under)+1)
	prev := 0
	for i, n := range under {
		out[i] = n - prev
		prev = n
	}
	out[len(under)] = total - prev
	return out
}

// atMostMarkov caps a bucket estimate of the q-quantile of times at
// mean/(1-q), which Markov's inequality proves no such quantile exceeds. The
// interpolation alone puts the median of replies that all took a few
// milliseconds at 0.25 s, half way through the first bucket.
func atMostMarkov(estimate *float64, q float64, mean *float64) *float64 {
	if estimate == nil || mean == nil {
		return estimate
	}
	if bound := *mean / (1 - q); *estimate > bound {
		return &bound
	}
	return estimate
}

// quantile estimates the q-quantile of values counted in buckets (counts[i]
// holds values in (bounds[i-1], bounds[i]], from 0; the last count those above
// every bound), as Prometheus's histogram_quantile does: find the bucket that
// holds the rank q*n and interpolate linearly inside it. A rank in the last,
// open bucket gives its lower bound. nil when nothing was counted.
func quantile(q float64, bounds []float64, counts []int) *float64 {
	total := 0
	for _, n := range counts {
		total += n
	}
	if total == 0 {
		return nil
	}
	rank := q * float64(total)
	cum := 0.0
	for i, n := range counts {
		if n == 0 {
			continue
		}
		if cum+float64(n) >= rank {
			if i == len(bounds) {
				v := bounds[len(bounds)-1]
				return &v
			}
			lower := 0.0
			if i > 0 {
				lower = bounds[i-1]
			}
			v := lower + (bounds[i]-lower)*(rank-cum)/float64(n)
			return &v
		}
		cum += float64(n)
	}
	v := bounds[len(bounds)-1]
	return &v
}
