package policies

import (
	"fmt"
	"maps"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"github.com/zclconf/go-cty/cty/gocty"
)

// Functions returns the one function table every expression in a bot is evaluated
// with. It returns a fresh map on each call, so callers may add to it safely; the
// function values themselves are immutable and safe to share between goroutines.
func Functions() map[string]function.Function {
	return maps.Clone(functionTable)
}

// functionTable is built once: MakeToFunc allocates, and EvalContext runs per turn.
var functionTable = map[string]function.Function{
	// Strings.
	"upper":         stdlib.UpperFunc,
	"lower":         stdlib.LowerFunc,
	"title":         stdlib.TitleFunc,
	"trimspace":     stdlib.TrimSpaceFunc,
	"trim":          stdlib.TrimFunc,
	"trimprefix":    stdlib.TrimPrefixFunc,
	"trimsuffix":    stdlib.TrimSuffixFunc,
	"replace":       stdlib.ReplaceFunc, // plain substring replacement, not a pattern
	"regex":         stdlib.RegexFunc,
	"regexall":      stdlib.RegexAllFunc,
	"regex_replace": stdlib.RegexReplaceFunc,
	"format":        stdlib.FormatFunc,
	"formatlist":    stdlib.FormatListFunc,
	"join":          stdlib.JoinFunc,
	"split":         stdlib.SplitFunc,
	"substr":        stdlib.SubstrFunc,
	"length":        LengthFunc,
	"matches":       MatchesFunc,
	"mask":          MaskFunc,

	// Numbers.
	"abs":           stdlib.AbsoluteFunc,
	"ceil":          stdlib.CeilFunc,
	"floor":         stdlib.FloorFunc,
	"max":           stdlib.MaxFunc,
	"min":           stdlib.MinFunc,
	"parseint":      stdlib.ParseIntFunc,
	"log":           stdlib.LogFunc,
	"pow":           stdlib.PowFunc,
	"signum":        stdlib.SignumFunc,
	"money":         MoneyFunc,
	"format_number": FormatNumberFunc,
	"percent":       PercentFunc,

	// Collections.
	"contains": stdlib.ContainsFunc,
	"coalesce": CoalesceFunc,
	"concat":   stdlib.ConcatFunc,
	"distinct": stdlib.DistinctFunc,
	"flatten":  stdlib.FlattenFunc,
	"keys":     stdlib.KeysFunc,
	"values":   stdlib.ValuesFunc,
	"lookup":   LookupFunc,
	"merge":    stdlib.MergeFunc,
	"reverse":  stdlib.ReverseListFunc,
	"slice":    stdlib.SliceFunc,
	"sort":     stdlib.SortFunc,

	// Dates and times.
	"formatdate":   stdlib.FormatDateFunc,
	"timeadd":      stdlib.TimeAddFunc,
	"add_days":     AddDaysFunc,
	"days_between": DaysBetweenFunc,
	"format_date":  FormatDateFunc,
	"weekday":      WeekdayFunc,

	// Hours between two times, for rules such as "free up to 24 hours before".
	"hours_between": HoursBetweenFunc,

	// Conversions and encoding.
	"tostring":   stdlib.MakeToFunc(cty.String),
	"tonumber":   stdlib.MakeToFunc(cty.Number),
	"tobool":     stdlib.MakeToFunc(cty.Bool),
	"jsonencode": stdlib.JSONEncodeFunc,
	"jsondecode": stdlib.JSONDecodeFunc,
}

// LengthFunc counts the characters of a string (user-perceived characters, so "退款"
// is 2) or the elements of a list, set, tuple, map or object. Null counts as 0 so
// that conditions on an unfilled slot, like length(slot.note) > 0, read naturally.
var LengthFunc = function.New(&function.Spec{
	Description: "Returns the number of characters in a string or elements in a collection.",
	Params: []function.Parameter{{
		Name:             "value",
		Type:             cty.DynamicPseudoType,
		AllowNull:        true,
		AllowDynamicType: true,
	}},
	Type:         function.StaticReturnType(cty.Number),
	RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder { return b.NotNull() },
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if v.IsNull() {
			return cty.Zero, nil
		}
		ty := v.Type()
		switch {
		case ty == cty.String:
			return stdlib.Strlen(v)
		case ty.IsListType() || ty.IsSetType() || ty.IsTupleType() || ty.IsMapType():
			return v.Length(), nil
		case ty.IsObjectType():
			return cty.NumberIntVal(int64(len(ty.AttributeTypes()))), nil
		case ty == cty.Number || ty == cty.Bool:
			// A number or bool slot read as text is the common intent here.
			s, err := stdlib.MakeToFunc(cty.String).Call([]cty.Value{v})
			if err != nil {
				return cty.UnknownVal(cty.Number), function.NewArgError(0, err)
			}
			return stdlib.Strlen(s)
		}
		return cty.UnknownVal(cty.Number), function.NewArgErrorf(0, "length needs a string, list or map, not %s", ty.FriendlyName())
	},
})

// CoalesceFunc returns its first argument that is neither null nor an empty
// string, so coalesce(customer.name, "there") works for customers without a name.
// (The cty version only skips nulls.) When every argument is null or "", an
// argument written "" is what the author asked for, so coalesce(x, "") is ""
// then, as SQL's COALESCE would be; it fails only when all are null.
var CoalesceFunc = function.New(&function.Spec{
	Description: "Returns the first argument that is not null and not an empty string; \"\" when no argument has a value but one is \"\".",
	VarParam: &function.Parameter{
		Name:             "vals",
		Type:             cty.DynamicPseudoType,
		AllowUnknown:     true,
		AllowDynamicType: true,
		AllowNull:        true,
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		return stdlib.CoalesceFunc.ReturnTypeForValues(args)
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		empty := cty.NilVal
		for i, v := range args {
			if !v.IsKnown() {
				return cty.UnknownVal(retType), nil
			}
			if v.IsNull() {
				continue
			}
			v, err := convert.Convert(v, retType)
			if err != nil {
				return cty.UnknownVal(retType), function.NewArgError(i, err)
			}
			if v.Type() == cty.String && v.AsString() == "" {
				empty = v
				continue
			}
			return v, nil
		}
		if empty != cty.NilVal {
			return empty, nil
		}
		return cty.UnknownVal(retType), fmt.Errorf("all arguments are null")
	},
})

// MatchesFunc reports whether s contains a match of an RE2 pattern. Anchor the
// pattern with ^...$ to match the whole string.
var MatchesFunc = function.New(&function.Spec{
	Description: "Reports whether a string contains a match of a regular expression (RE2 syntax).",
	Params: []function.Parameter{
		{Name: "s", Type: cty.String},
		{Name: "pattern", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		re, err := regexp.Compile(args[1].AsString())
		if err != nil {
			return cty.UnknownVal(cty.Bool), function.NewArgErrorf(1, "invalid pattern: %s", err)
		}
		return cty.BoolVal(re.MatchString(args[0].AsString())), nil
	},
})

// MaskFunc hides personal data; see MaskPII.
var MaskFunc = function.New(&function.Spec{
	Description: "Masks personal data: an email, a phone number, a card number or any other identifier.",
	Params:      []function.Parameter{{Name: "s", Type: cty.String}},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(MaskPII(args[0].AsString())), nil
	},
})

// MoneyFunc formats an amount in a currency: money(1280, "CNY") is "¥1,280.00".
var MoneyFunc = function.New(&function.Spec{
	Description: "Formats an amount of money with the currency's symbol and thousands separators.",
	Params: []function.Parameter{
		{Name: "amount", Type: cty.Number},
		{Name: "currency", Type: cty.String},
	},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder { return b.NotNull() },
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		s, err := FormatMoney(args[0].AsBigFloat(), args[1].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(0, err)
		}
		return cty.StringVal(s), nil
	},
})

// currencies maps ISO 4217 codes to a symbol placed before the amount. Codes not
// listed here are written after the amount: "1,280.00 CHF".
var currencySymbols = map[string]string{
	"CNY": "¥",
	"JPY": "¥",
	"USD": "$",
	"EUR": "€",
	"GBP": "£",
}

// zeroDecimalCurrencies have no minor unit in everyday use.
var zeroDecimalCurrencies = map[string]bool{
	"JPY": true, "KRW": true, "VND": true, "CLP": true, "ISK": true, "UGX": true,
}

// FormatMoney formats amount in the ISO 4217 currency code (case-insensitive),
// rounding half away from zero: FormatMoney(-5, "CNY") is "-¥5.00". An empty
// currency formats the bare number with two decimals.
func FormatMoney(amount *big.Float, currency string) (string, error) {
	if amount == nil || amount.IsInf() {
		return "", fmt.Errorf("amount must be a finite number")
	}
	code := strings.ToUpper(strings.TrimSpace(currency))
	decimals := 2
	if zeroDecimalCurrencies[code] {
		decimals = 0
	}
	neg, digits := roundDecimal(amount, decimals)
	sign := ""
	if neg {
		sign = "-"
	}
	if sym, ok := currencySymbols[code]; ok {
		return sign + sym + digits, nil
	}
	if code == "" {
		return sign + digits, nil
	}
	return sign + digits + " " + code, nil
}

// roundDecimal rounds x half away from zero to the given number of decimals and
// returns whether the rounded value is negative, and its absolute value with
// thousands separators. -0.001 rounded to 2 decimals is "0.00", not negative.
func roundDecimal(x *big.Float, decimals int) (neg bool, digits string) {
	if i, acc := x.Int64(); acc == big.Exact && i > math.MinInt64 {
		// A whole amount (most are) needs no rounding: the same digits, with
		// no big numbers made.
		digits = groupThousands(strconv.FormatInt(max(i, -i), 10))
		const zeros = ".00000000"
		switch {
		case decimals > 0 && decimals < len(zeros):
			digits += zeros[:decimals+1]
		case decimals > 0:
			digits += "." + strings.Repeat("0", decimals)
		}
		return i < 0, digits
	}
	return roundDecimalBig(x, decimals)
}

// roundDecimalBig is roundDecimal for any number.
func roundDecimalBig(x *big.Float, decimals int) (neg bool, digits string) {
	scaled := new(big.Float).SetPrec(512).Abs(x)
	scaled.Mul(scaled, new(big.Float).SetPrec(512).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil)))
	scaled.Add(scaled, big.NewFloat(0.5))
	n, _ := scaled.Int(nil) // truncates toward zero, which after +0.5 rounds half up on |x|
	s := n.String()
	if len(s) <= decimals {
		s = strings.Repeat("0", decimals-len(s)+1) + s
	}
	intPart, frac := s[:len(s)-decimals], s[len(s)-decimals:]
	digits = groupThousands(intPart)
	if decimals > 0 {
		digits += "." + frac
	}
	return x.Sign() < 0 && n.Sign() != 0, digits
}

func groupThousands(intPart string) string {
	if len(intPart) <= 3 {
		return intPart
	}
	var b strings.Builder
	lead := len(intPart) % 3
	if lead > 0 {
		b.WriteString(intPart[:lead])
	}
	for i := lead; i < len(intPart); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(intPart[i : i+3])
	}
	return b.String()
}

// FormatNumberFunc formats a number with thousands separators and a fixed number
// of decimals: format_number(1234.5, 2) is "1,234.50".
var FormatNumberFunc = function.New(&function.Spec{
	Description: "Formats a number with thousands separators and a fixed number of decimals.",
	Params: []function.Parameter{
		{Name: "n", Type: cty.Number},
		{Name: "decimals", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if args[0].AsBigFloat().IsInf() {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "number must be finite")
		}
		var decimals int
		if err := gocty.FromCtyValue(args[1], &decimals); err != nil || decimals < 0 || decimals > 20 {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "decimals must be a whole number from 0 to 20")
		}
		neg, digits := roundDecimal(args[0].AsBigFloat(), decimals)
		if neg {
			digits = "-" + digits
		}
		return cty.StringVal(digits), nil
	},
})

// PercentFunc writes a fraction as a percentage with at most one decimal:
// percent(0.256) is "25.6%", percent(0.5) is "50%".
var PercentFunc = function.New(&function.Spec{
	Description: "Writes a fraction as a percentage: 0.256 becomes \"25.6%\".",
	Params:      []function.Parameter{{Name: "fraction", Type: cty.Number}},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		f := args[0].AsBigFloat()
		if f.IsInf() {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "number must be finite")
		}
		scaled := new(big.Float).SetPrec(512).Mul(f, big.NewFloat(100))
		neg, digits := roundDecimal(scaled, 1)
		digits = strings.TrimSuffix(digits, ".0")
		if neg {
			digits = "-" + digits
		}
		return cty.StringVal(digits + "%"), nil
	},
})

// Dates.

const dateLayout = "2006-01-02"

// parseDate reads "YYYY-MM-DD" or RFC 3339. dateOnly says which it was, so results
// can be written back in the same form.
func parseDate(s string) (t time.Time, dateOnly bool, err error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(dateLayout, s); err == nil {
		return t, true, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, false, nil
	}
	return time.Time{}, false, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD or RFC 3339 (2006-01-02T15:04:05Z)", s)
}

// AddDaysFunc adds n calendar days (n may be negative) and returns the date in the
// form it was given: add_days("2026-11-25", 3) is "2026-11-28".
var AddDaysFunc = function.New(&function.Spec{
	Description: "Adds a number of days to a date (YYYY-MM-DD or RFC 3339).",
	Params: []function.Parameter{
		{Name: "date", Type: cty.String},
		{Name: "days", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		t, dateOnly, err := parseDate(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(0, err)
		}
		var n int
		if err := gocty.FromCtyValue(args[1], &n); err != nil || n < -1_000_000 || n > 1_000_000 {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "days must be a whole number")
		}
		t = t.AddDate(0, 0, n)
		if dateOnly {
			return cty.StringVal(t.Format(dateLayout)), nil
		}
		return cty.StringVal(t.Format(time.RFC3339)), nil
	},
})

// DaysBetweenFunc counts calendar days from a to b, negative when b is earlier.
// The time of day is ignored; each RFC 3339 time counts in its own offset.
var DaysBetweenFunc = function.New(&function.Spec{
	Description: "Counts the calendar days from the first date to the second (negative if earlier).",
	Params: []function.Parameter{
		{Name: "from", Type: cty.String},
		{Name: "to", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		var days [2]time.Time
		for i := range days {
			t, _, err := parseDate(args[i].AsString())
			if err != nil {
				return cty.UnknownVal(cty.Number), function.NewArgError(i, err)
			}
			y, m, d := t.Date()
			days[i] = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		}
		return cty.NumberIntVal(int64(math.Round(days[1].Sub(days[0]).Hours() / 24))), nil
	},
})

// FormatDateFunc formats a date with a Go reference layout, where the parts of
// Mon Jan 2 15:04:05 2006 stand for the parts of the date: format_date(d, "2 Jan 2006").
var FormatDateFunc = function.New(&function.Spec{
	Description: "Formats a date using an example layout of Mon Jan 2 15:04:05 2006, e.g. \"2 Jan 2006\".",
	Params: []function.Parameter{
		{Name: "date", Type: cty.String},
		{Name: "layout", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		t, _, err := parseDate(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(0, err)
		}
		layout := args[1].AsString()
		if strings.TrimSpace(layout) == "" {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "layout must not be empty; try \"2 Jan 2006\"")
		}
		return cty.StringVal(t.Format(layout)), nil
	},
})

// WeekdayFunc names the day of the week in English: weekday("2026-11-25") is "Wednesday".
var WeekdayFunc = function.New(&function.Spec{
	Description: "Returns the English name of the day of the week of a date, e.g. \"Monday\".",
	Params:      []function.Parameter{{Name: "date", Type: cty.String}},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		t, _, err := parseDate(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(0, err)
		}
		return cty.StringVal(t.Weekday().String()), nil
	},
})

// Personal data masking.

// MaskPII hides most of one piece of personal data while leaving enough to
// recognise it:
//
//	email             ann@example.com     -> a**@example.com
//	card number       4111 1111 1111 1111 -> **** **** **** 1111 (13-19 digits passing the Luhn check)
//	phone (7+ digits) 13812345678         -> 138****5678
//	anything else     AB123456            -> A******6
//
// Separators such as spaces and dashes are kept. The empty string stays empty.
func MaskPII(s string) string {
	trimmed := strings.TrimSpace(s)
	if trimmed == "" {
		return trimmed
	}
	if at := strings.LastIndexByte(trimmed, '@'); at > 0 && at < len(trimmed)-1 && !strings.ContainsAny(trimmed, " \t\n") {
		return maskRunes(trimmed[:at], 1, 0) + trimmed[at:]
	}
	if digits, ok := phoneLikeDigits(trimmed); ok && len(digits) >= 7 {
		if isCardNumber(trimmed, digits) {
			return maskDigits(trimmed, 0, 4)
		}
		return maskDigits(trimmed, 3, 4)
	}
	n := utf8.RuneCountInString(trimmed)
	switch {
	case n == 1:
		return "*"
	case n == 2:
		return maskRunes(trimmed, 1, 0)
	}
	return maskRunes(trimmed, 1, 1)
}

// phoneLikeDigits returns the digits of s when s is made only of digits and the
// separators people type in phone and card numbers.
func phoneLikeDigits(s string) (string, bool) {
	var digits strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	return digits.String(), true
}

func isCardNumber(s, digits string) bool {
	if strings.HasPrefix(s, "+") || len(digits) < 13 || len(digits) > 19 {
		return false
	}
	sum := 0
	for i := range len(digits) {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// maskDigits replaces every digit of s with '*' except the first keepFirst and last
// keepLast digits; other characters are kept.
func maskDigits(s string, keepFirst, keepLast int) string {
	total := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			total++
		}
	}
	var b strings.Builder
	seen := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			seen++
			if seen > keepFirst && seen <= total-keepLast {
				r = '*'
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// maskRunes keeps the first keepFirst and last keepLast characters of s.
func maskRunes(s string, keepFirst, keepLast int) string {
	runes := []rune(s)
	if keepFirst+keepLast >= len(runes) {
		return strings.Repeat("*", len(runes))
	}
	return string(runes[:keepFirst]) + strings.Repeat("*", len(runes)-keepFirst-keepLast) + string(runes[len(runes)-keepLast:])
}

var (
	emailInText = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	// A digit run of 7+ digits with single separators between them, optionally
	// starting with + or a parenthesised area code. It has no upper bound: a
	// bound would cut numbers typed one space apart mid-number (Masker.Text).
	numberInText = regexp.MustCompile(`\+?\(?\d(?:[ \-.()]{0,2}\d){6,}`)
	dateInText   = regexp.MustCompile(`^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})$`)
)

// MaskText masks every email address, phone number and card-like digit run inside
// free text, leaving the rest alone. Dates such as 2026-11-25 are not masked.
func MaskText(text string) string { return DefaultMasker.Text(text) }

// LookupFunc is Terraform's lookup, whose default may also be null:
// lookup(call.order.prices, slot.dish, null) is the dish's price, or null
// for a dish the system has no price for, which a condition then finds
// false and coalesce replaces.
var LookupFunc = function.New(&function.Spec{
	Description: "Returns the value of the given key of a map, or the default (which may be null) when there is none.",
	Params: []function.Parameter{
		{Name: "inputMap", Type: cty.DynamicPseudoType, AllowMarked: true},
		{Name: "key", Type: cty.String, AllowMarked: true},
		{Name: "default", Type: cty.DynamicPseudoType, AllowMarked: true, AllowNull: true, AllowDynamicType: true},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if !args[2].IsNull() {
			return stdlib.LookupFunc.ReturnTypeForValues(args)
		}
		switch ty := args[0].Type(); {
		case ty.IsObjectType():
			if args[1].IsKnown() {
				key, _ := args[1].Unmark()
				if ty.HasAttribute(key.AsString()) {
					return ty.AttributeType(key.AsString()), nil
				}
			}
			return cty.DynamicPseudoType, nil
		case ty.IsMapType():
			return ty.ElementType(), nil
		case ty == cty.DynamicPseudoType:
			return cty.DynamicPseudoType, nil
		default:
			return cty.NilType, function.NewArgErrorf(0, "lookup() requires a map as the first argument")
		}
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		if !args[2].IsNull() {
			return stdlib.LookupFunc.Call(args)
		}
		m, marks := args[0].Unmark()
		key, keyMarks := args[1].Unmark()
		if !m.IsWhollyKnown() {
			return cty.UnknownVal(retType).WithMarks(marks, keyMarks), nil
		}
		k := key.AsString()
		switch {
		case m.IsNull():
			return cty.NullVal(retType), nil
		case m.Type().IsObjectType() && m.Type().HasAttribute(k):
			return m.GetAttr(k).WithMarks(marks, keyMarks), nil
		case (m.Type().IsMapType()) && m.HasIndex(cty.StringVal(k)) == cty.True:
			return m.Index(cty.StringVal(k)).WithMarks(marks, keyMarks), nil
		}
		return cty.NullVal(retType), nil
	},
})
