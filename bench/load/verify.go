package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sync"
)

// conversation is one simulated customer and everything it sent.
type conversation struct {
	id, token string
	client    *http.Client
	msg       *msgConn // messages' own connection; nil: through client
	sent      []sentMessage
}

type outcome int

const (
	acked    outcome = iota // 200: must be stored exactly once
	rejected                // a 4xx other than 409/429: must not be stored
	unknown                 // gave up after retries: stored at most once
)

type sentMessage struct {
	text    string
	outcome outcome
}

type transcriptItem struct {
	Seq     int64  `json:"seq"`
	From    string `json:"from"`
	Kind    string `json:"kind"`
	Text    string `json:"text"`
	Buttons []struct {
		Label   string `json:"label"`
		Payload string `json:"payload"`
	} `json:"buttons"`
}

// fetchTranscript reads a whole transcript, following ?after= in case the
// server pages it.
func fetchTranscript(ctx context.Context, cfg config, c *conversation, t *tally) ([]transcriptItem, error) {
	var items []transcriptItem
	var after int64
	for {
		var page struct {
			Items []transcriptItem `json:"items"`
		}
		u := fmt.Sprintf("%s/v1/conversations/%s/transcript?after=%d&limit=5000", cfg.url, url.PathEscape(c.id), after)
		err := withRetries(ctx, cfg, t, func() error { return do(ctx, c.client, http.MethodGet, u, c.token, nil, &page) })
		if err != nil {
			return nil, fmt.Errorf("transcript of %s: %w", c.id, err)
		}
		if len(page.Items) == 0 {
			return items, nil
		}
		for _, it := range page.Items {
			if it.Seq <= after {
				return nil, fmt.Errorf("transcript of %s: seq %d after %d", c.id, it.Seq, after)
			}
			after = it.Seq
		}
		items = append(items, page.Items...)
	}
}

// verify checks every conversation's transcript against what was sent:
// acknowledged messages exactly once, rejected ones never, messages given up
// on at most once, and in the order sent.
func verify(ctx context.Context, cfg config, convs []*conversation) verification {
	v := verification{Conversations: len(convs)}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for _, c := range convs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			items, err := fetchTranscript(ctx, cfg, c, newTally())
			mu.Lock()
			defer mu.Unlock()
			for _, m := range c.sent {
				if m.outcome == acked {
					v.Acknowledged++
				}
			}
			if err != nil {
				v.Unreadable++
				fmt.Fprintln(os.Stderr, "load:", err)
				return
			}
			var got []string
			bot := 0
			sent := map[string]bool{}
			for _, m := range c.sent {
				sent[m.text] = true
			}
			var offered map[string]string // label -> payload, of the bot's last buttons
			for _, it := range items {
				switch {
				case it.From == "customer" && (it.Kind == "" || it.Kind == "message"):
					// A message that is a button's payload shows as the button's
					// label ("Yes, refund it" for "yes"): what was sent is the
					// payload. A label typed as such ("it arrived damaged") stays.
					text := it.Text
					if p, ok := offered[text]; ok && !sent[text] {
						text = p
					}
					got = append(got, text)
				case it.From == "bot":
					bot++
					if len(it.Buttons) > 0 {
						offered = map[string]string{}
						for _, b := range it.Buttons {
							offered[b.Label] = b.Payload
						}
					}
				}
			}
			v.Stored += len(got)
			if bot == 0 && len(c.sent) > 0 {
				v.NoBotReplies++
			}
			lost, dup, ordered := compare(c.sent, got)
			v.Lost += lost
			v.Duplicated += dup
			if !ordered {
				v.OutOfOrder++
			}
		})
	}
	wg.Wait()
	return v
}

// compare counts, text by text, messages missing from or stored too often in
// got, and whether got is in the order sent.
func compare(sent []sentMessage, got []string) (lost, duplicated int, ordered bool) {
	minWant, maxWant, have := map[string]int{}, map[string]int{}, map[string]int{}
	var mustHave []string
	for _, m := range sent {
		switch m.outcome {
		case acked:
			minWant[m.text]++
			maxWant[m.text]++
			mustHave = append(mustHave, m.text)
		case unknown:
			maxWant[m.text]++
		}
	}
	for _, g := range got {
		have[g]++
	}
	for text, n := range minWant {
		lost += max(n-have[text], 0)
	}
	for text, n := range have {
		duplicated += max(n-maxWant[text], 0)
	}
	// Order: the acknowledged messages are a subsequence of what was stored.
	i := 0
	for _, g := range got {
		if i < len(mustHave) && g == mustHave[i] {
			i++
		}
	}
	ordered = i == len(mustHave) || lost > 0 // missing messages are reported as lost, not disorder
	return lost, duplicated, ordered
}
