package channels

import "testing"

func TestBlank(t *testing.T) {
	for s, want := range map[string]bool{
		"": true, " \t\n": true, "\u200b": true, "\ufeff": true, "\u200b\u200c\u200d\u2060": true,
		"\u00ad": true, "\u3164": true, "\u2800": true, "\u0301": true, "\x00\x07": true,
		"hi": false, "\u200bhi": false, "你好": false, "👍": false, "?": false, "1": false,
	} {
		if got := Blank(s); got != want {
			t.Errorf("Blank(%q) = %v, want %v", s, got, want)
		}
	}
}
