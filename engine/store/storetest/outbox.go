package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parleyhq/parley/engine/store"
)

// testOutbox: a message is recorded once by its id, listed in the order of
// recording, claimed by one instance at a time, and keeps each attempt's result.
func testOutbox(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	now := time.Now().UTC().Truncate(time.Microsecond)
	msg := func(id, conv string) store.OutboxMessage {
		return store.OutboxMessage{
			ID: id, ConversationID: conv, Channel: "sms", To: "+15550001",
			Replies: []store.OutboxReply{{Text: "Hi", Buttons: []store.OutboxButton{{Label: "Yes", Payload: "yes"}}}, {Text: "Bye"}},
		}
	}
	first, created, err := s.EnqueueOutbox(ctx, msg("re-1", "sms:a"))
	if err != nil || !created {
		t.Fatalf("enqueue: created %v, %v", created, err)
	}
	if first.Status != store.OutboxPending || first.Seq == 0 || first.NextAttemptAt.IsZero() || first.CreatedAt.IsZero() {
		t.Errorf("enqueued: %+v", first)
	}
	again := msg("re-1", "sms:a")
	again.Replies = []store.OutboxReply{{Text: "something else"}}
	dup, created, err := s.EnqueueOutbox(ctx, again)
	if err != nil || created {
		t.Fatalf("enqueue the same id again: created %v, %v", created, err)
	}
	if diff := cmp.Diff(first, dup); diff != "" {
		t.Errorf("the same id again returns the first (-want +got):\n%s", diff)
	}
	if _, _, err := s.EnqueueOutbox(ctx, store.OutboxMessage{ID: "x", Channel: "sms"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("enqueue without to: %v, want ErrInvalid", err)
	}
	later := msg("re-2", "sms:b")
	later.NextAttemptAt = now.Add(time.Hour)
	if _, _, err := s.EnqueueOutbox(ctx, later); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.EnqueueOutbox(ctx, msg("re-3", "sms:a")); err != nil {
		t.Fatal(err)
	}

	ids := func(f store.OutboxFilter) []string {
		t.Helper()
		ms, err := s.Outbox(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    store.OutboxFilter
		want []string
	}{
		{"all", store.OutboxFilter{}, []string{"re-1", "re-2", "re-3"}},
		{"conversation", store.OutboxFilter{ConversationID: "sms:a"}, []string{"re-1", "re-3"}},
		{"due", store.OutboxFilter{Status: store.OutboxPending, DueBy: now.Add(time.Minute)}, []string{"re-1", "re-3"}},
		{"limit", store.OutboxFilter{Limit: 1}, []string{"re-1"}},
	} {
		if diff := cmp.Diff(tc.want, ids(tc.f)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}

	// One claim per attempt: a second instance finds it taken until the lease ends.
	claimed, err := s.ClaimOutbox(ctx, "re-1", now.Add(time.Second), now.Add(time.Minute))
	if err != nil || claimed.Attempts != 1 || !claimed.NextAttemptAt.Equal(now.Add(time.Minute)) {
		t.Fatalf("claim: %+v, %v", claimed, err)
	}
	if _, err := s.ClaimOutbox(ctx, "re-1", now.Add(time.Second), now.Add(time.Minute)); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second claim: %v, want ErrConflict", err)
	}
	if _, err := s.ClaimOutbox(ctx, "re-2", now, now.Add(time.Minute)); !errors.Is(err, store.ErrConflict) {
		t.Errorf("claim before it is due: %v, want ErrConflict", err)
	}
	if _, err := s.ClaimOutbox(ctx, "nope", now, now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("claim unknown: %v, want ErrNotFound", err)
	}
	// A failed attempt waits for its backoff, then a claim after the lease succeeds.
	retry := claimed
	retry.Status, retry.LastError, retry.NextAttemptAt = store.OutboxPending, "gateway down", now.Add(2*time.Minute)
	if _, err := s.FinishOutbox(ctx, retry); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimOutbox(ctx, "re-1", now.Add(time.Minute), now.Add(3*time.Minute)); !errors.Is(err, store.ErrConflict) {
		t.Errorf("claim during backoff: %v, want ErrConflict", err)
	}
	claimed, err = s.ClaimOutbox(ctx, "re-1", now.Add(2*time.Minute), now.Add(3*time.Minute))
	if err != nil || claimed.Attempts != 2 || claimed.LastError != "gateway down" {
		t.Fatalf("claim after backoff: %+v, %v", claimed, err)
	}
	done := claimed
	done.Status, done.LastError, done.SentAt = store.OutboxSent, "", now.Add(2*time.Minute)
	if _, err := s.FinishOutbox(ctx, done); err != nil {
		t.Fatal(err)
	}
	got, err := s.OutboxMessage(ctx, "re-1")
	if err != nil {
		t.Fatal(err)
	}
	want := first
	want.Status, want.Attempts, want.SentAt, want.NextAttemptAt = store.OutboxSent, 2, now.Add(2*time.Minute), now.Add(3*time.Minute)
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(store.OutboxMessage{}, "UpdatedAt")); diff != "" {
		t.Errorf("after two attempts (-want +got):\n%s", diff)
	}
	if _, err := s.ClaimOutbox(ctx, "re-1", now.Add(time.Hour), now.Add(time.Hour)); !errors.Is(err, store.ErrConflict) {
		t.Errorf("claim a sent message: %v, want ErrConflict", err)
	}
	if _, err := s.FinishOutbox(ctx, store.OutboxMessage{ID: "re-3", Status: "lost"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("finish with an unknown status: %v, want ErrInvalid", err)
	}
	if _, err := s.OutboxMessage(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown id: %v, want ErrNotFound", err)
	}
	if diff := cmp.Diff([]string{"re-2", "re-3"}, ids(store.OutboxFilter{Status: store.OutboxPending})); diff != "" {
		t.Errorf("pending after the send (-want +got):\n%s", diff)
	}
}
