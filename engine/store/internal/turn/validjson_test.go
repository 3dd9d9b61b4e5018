package turn

import (
	"encoding/json"
	"strings"
	"testing"
)

var jsonCases = []string{
	``, ` `, `null`, `true`, `false`, `nul`, `nulll`, `truefalse`, `0`, `-0`, `01`, `-`, `1.`, `1.5`, `.5`, `1e`, `1e+`, `1E-7`, `1e5x`,
	`-12.5e+10`, `"`, `""`, `"a"`, `"\"`, `"\\"`, `"\u00e9"`, `"\u00g9"`, `"\u12"`, `"\x"`, `"\/"`, "\"\x01\"", "\"\x7f\"", "\"\xff\xfe\"", "\"é\"",
	`[]`, `[`, `]`, `[1,]`, `[,1]`, `[1 2]`, `[1, 2]`, `{}`, `{`, `{"a"}`, `{"a":}`, `{"a":1}`, `{"a":1,}`, `{a:1}`, `{"a":1 "b":2}`,
	`{"a":[1,{"b":null}],"c":"d"}`, " \t\r\n{ \"a\" : [ 1 , 2 ] } \n", `{"a":1}}`, `[[]]]`, "\ufeff{}", `"\u0000"`, `{"":""}`,
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	strings.Repeat(`{"a":`, 9999) + "[]" + strings.Repeat("}", 9999),
	strings.Repeat(`{"a":`, 10000) + "[]" + strings.Repeat("}", 10000),
}

// TestValidJSONBytes: what json.Valid says.
func TestValidJSONBytes(t *testing.T) {
	for _, c := range jsonCases {
		if got, want := validJSONBytes([]byte(c)), json.Valid([]byte(c)); got != want {
			t.Errorf("validJSONBytes(%.40q) = %v, json.Valid says %v", c, got, want)
		}
	}
}

func FuzzValidJSONBytes(f *testing.F) {
	for _, c := range jsonCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := validJSONBytes(data), json.Valid(data); got != want {
			t.Errorf("validJSONBytes(%q) = %v, json.Valid says %v", data, got, want)
		}
	})
}

func BenchmarkValidJSON(b *testing.B) {
	snapshot := []byte(`{"conversation_id":"bench-1","seq":42,"language":"en","turns":4,"last_activity":"2026-11-23T10:00:00+08:00","last":{"id":"3","text":"yes","language":"en","intent":"affirm","confidence":0.91,"entities":[{"Type":"yes_no","Value":"yes","Number":0,"Currency":"","Text":"yes","Start":0,"End":3}]},"stack":[{"dialog":"refund","slots":{"order_id":{"value":"AB123456"},"reason":{"value":"wrong_item"}},"calls":{"order":{"data":{"carrier":"SF Express","eta":"2026-11-25","status":"shipped","total":320}}},"confirmed":true}],"last_response":"confirm_refund","fired":{"rule refund_auto_approve":true},"memory":{"order_id":"AB123456"}}`)
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			json.Valid(snapshot)
		}
	})
	b.Run("validJSONBytes", func(b *testing.B) {
		for b.Loop() {
			validJSONBytes(snapshot)
		}
	})
}
