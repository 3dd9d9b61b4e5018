package turn

import "encoding/binary"

// validJSONBytes is json.Valid, several times faster: every turn's snapshot,
// result and events pass through it. It accepts exactly what json.Valid does:
// RFC 8259 JSON with text that need not be UTF-8, nested at most 10,000 deep
// (TestValidJSONBytes and FuzzValidJSONBytes hold it to that).
func validJSONBytes(data []byte) bool {
	v := jsonValidator{data: data}
	v.space()
	if !v.value() {
		return false
	}
	v.space()
	return v.i == len(v.data)
}

// lsb and msb are the lowest and the highest bit of each byte of a word.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// maxJSONDepth is encoding/json's limit on nesting.
const maxJSONDepth = 10000

type jsonValidator struct {
	data  []byte
	i     int
	depth int
}

func (v *jsonValidator) space() {
	if v.i < len(v.data) && v.data[v.i] > ' ' {
		return // compact JSON, as the engine writes it
	}
	i := v.i
	for i < len(v.data) && (v.data[i] == ' ' || v.data[i] == '\n' || v.data[i] == '\t' || v.data[i] == '\r') {
		i++
	}
	v.i = i
}

func (v *jsonValidator) value() bool {
	if v.i >= len(v.data) {
		return false
	}
	switch c := v.data[v.i]; {
	case c == '"':
		return v.string()
	case c == '{':
		return v.container('}', true)
	case c == '[':
		return v.container(']', false)
	case c == '-' || c >= '0' && c <= '9':
		return v.number()
	case c == 't':
		return v.literal("true")
	case c == 'f':
		return v.literal("false")
	case c == 'n':
		return v.literal("null")
	}
	return false
}

// container is an object (keyed) or an array, from its opening bracket.
func (v *jsonValidator) container(end byte, keyed bool) bool {
	v.depth++
	if v.depth > maxJSONDepth {
		return false
	}
	v.i++
	v.space()
	if v.i < len(v.data) && v.data[v.i] == end {
		v.i++
		v.depth--
		return true
	}
	for {
		if keyed {
			if v.i >= len(v.data) || v.data[v.i] != '"' || !v.string() {
				return false
			}
			v.space()
			if v.i >= len(v.data) || v.data[v.i] != ':' {
				return false
			}
			v.i++
			v.space()
		}
		if !v.value() {
			return false
		}
		v.space()
		if v.i >= len(v.data) {
			return false
		}
		switch v.data[v.i] {
		case ',':
			v.i++
			v.space()
		case end:
			v.i++
			v.depth--
			return true
		default:
			return false
		}
	}
}

func (v *jsonValidator) string() bool {
	data, i := v.data, v.i+1 // past the opening quote
	for {
		// Eight plain bytes at a time: none a quote, a backslash or a control
		// character (the bit tricks of "has a zero byte"); then byte by byte
		// up to the one that is not plain.
		for i+8 <= len(data) {
			x := binary.LittleEndian.Uint64(data[i:])
			q, b := x^(lsb*'"'), x^(lsb*'\\')
			if ((q-lsb)&^q|(b-lsb)&^b|(x-lsb*0x20)&^x)&msb != 0 {
				break
			}
			i += 8
		}
		for i < len(data) && data[i] >= 0x20 && data[i] != '"' && data[i] != '\\' {
			i++
		}
		if i >= len(data) || data[i] < 0x20 {
			return false
		}
		if data[i] == '"' {
			v.i = i + 1
			return true
		}
		if i+1 >= len(data) {
			return false
		}
		switch data[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i += 2
		case 'u':
			if i+6 > len(data) {
				return false
			}
			for _, h := range data[i+2 : i+6] {
				if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
					return false
				}
			}
			i += 6
		default:
			return false
		}
	}
}

func (v *jsonValidator) number() bool {
	if v.data[v.i] == '-' {
		v.i++
	}
	switch {
	case v.i < len(v.data) && v.data[v.i] == '0':
		v.i++
	case v.digits() == 0:
		return false
	}
	if v.i < len(v.data) && v.data[v.i] == '.' {
		v.i++
		if v.digits() == 0 {
			return false
		}
	}
	if v.i < len(v.data) && (v.data[v.i] == 'e' || v.data[v.i] == 'E') {
		v.i++
		if v.i < len(v.data) && (v.data[v.i] == '+' || v.data[v.i] == '-') {
			v.i++
		}
		if v.digits() == 0 {
			return false
		}
	}
	return true
}

// digits skips a run of digits and says how many there were.
func (v *jsonValidator) digits() int {
	start := v.i
	for v.i < len(v.data) && v.data[v.i] >= '0' && v.data[v.i] <= '9' {
		v.i++
	}
	return v.i - start
}

func (v *jsonValidator) literal(word string) bool {
	if len(v.data)-v.i < len(word) || string(v.data[v.i:v.i+len(word)]) != word {
		return false
	}
	v.i += len(word)
	return true
}
