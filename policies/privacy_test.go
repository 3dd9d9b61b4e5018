package policies

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMaskerFollowsThePrivacyBlock(t *testing.T) {
	const text = "mail ann@example.com, call +86 138-1234-5678, card 4111 1111 1111 1111, member ZX-123456, order on 2026-11-25"
	bot, diags := LoadFiles(map[string][]byte{"bot.hcl": []byte(`
bot "b" {
  languages = ["en"]
  privacy {
    mask = ["email", "member"]
  }
}

entity "member" {
  pattern = "ZX-[0-9]{6}"
}
`)}, Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	tests := []struct {
		name   string
		masker *Masker
		want   string
	}{
		{"default: emails, phones and cards", DefaultMasker, "mail a**@example.com, call +86 1**-****-5678, card **** **** **** 1111, member ZX-123456, order on 2026-11-25"},
		{"the bot's choice: emails and its member numbers", bot.Masker(), "mail a**@example.com, call +86 138-1234-5678, card 4111 1111 1111 1111, member Z*******6, order on 2026-11-25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.masker.Text(text)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestMaskerToken(t *testing.T) {
	for in, want := range map[string]string{
		"13812345678":              "138****5678",
		"+8613800138000":           "+861******8000",
		"ann@example.com":          "a**@example.com",
		"1a2b3456789c0d1e2f3a4b5c": "1a2b3456789c0d1e2f3a4b5c", // a request id
		"870063634751749698177534": "870063634751749698177534", // one that happens to be all digits
		"4111111111111111":         "************1111",
		"C-1A2B345678901234":       "C-1A2B345678901234",
		"sms":                      "sms",
	} {
		if got := DefaultMasker.Token(in); got != want {
			t.Errorf("Token(%q) = %q, want %q", in, got, want)
		}
	}
}
