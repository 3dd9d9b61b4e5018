package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// FAQsTakenByIntents warns about FAQ wordings an intent reads confidently:
// a message that is one of them word for word gets the FAQ's answer, but the
// knowledge base is searched only for a message no intent is settled on, so
// next to a payment_plan intent "How do I pay my bill?" starts the plan. The
// docs tell analysts so; only the trained NLU can tell which wordings it hits.
func FAQsTakenByIntents(ctx context.Context, bot *policies.Bot) (hcl.Diagnostics, error) {
	if len(bot.FAQs) == 0 || len(bot.Intents) == 0 {
		return nil, nil
	}
	model, err := nlu.Train(ctx, TrainingData(bot), nlu.Options{})
	if err != nil {
		return nil, fmt.Errorf("train nlu: %w", err)
	}
	opts := ParseOptions(bot, time.Now())
	var diags hcl.Diagnostics
	for _, f := range bot.FAQs {
		var taken []string
		for _, q := range append([]string{f.Question}, f.Alternatives...) {
			u := model.Parse(q, opts)
			if strings.TrimSpace(q) == "" || dialog.IsAcknowledgement(q) || NeedsKnowledge(bot, u) {
				continue
			}
			top := u.Top()
			taken = append(taken, fmt.Sprintf("%q is intent %s (%.2f)", q, top.Name, top.Confidence))
		}
		if len(taken) == 0 {
			continue
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "FAQ taken by an intent",
			Detail: fmt.Sprintf("A customer who asks faq %q in their own words may get an intent instead of its answer: %s, recognised confidently. "+
				"Asked exactly as written, it is answered; worded a little differently, the intent takes it and the knowledge base is not searched. "+
				"Give such questions an intent of their own with an answer, and test both kinds of message.",
				f.Name, strings.Join(taken, "; ")),
			Subject: f.Range.Ptr(),
		})
	}
	return diags, nil
}
