package connectors

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// maxDepth bounds nesting in conversions. Real data is far shallower; the bound turns
// a self-referencing Go map into an error instead of a fatal stack overflow.
const maxDepth = 512

// errTooDeep is returned for values nested more than maxDepth levels.
var errTooDeep = fmt.Errorf("nested more than %d levels", maxDepth)

// FromCty converts a known cty value to plain Go, the shape connectors exchange:
// string, float64, bool, nil, []any and map[string]any. Lists, sets and tuples
// become []any; maps and objects become map[string]any. Every call returns fresh
// maps and slices, so callers may mutate the result. Unknown values, capsules and
// numbers outside float64's range are errors; marks are dropped.
func FromCty(v cty.Value) (any, error) {
	return fromCty(v, nil, 0)
}

func fromCty(v cty.Value, path []string, depth int) (any, error) {
	if depth > maxDepth {
		return nil, pathError(path, errTooDeep)
	}
	if v.IsMarked() {
		v, _ = v.Unmark()
	}
	if v.IsNull() { // also true for cty.NilVal
		return nil, nil
	}
	if !v.IsKnown() {
		return nil, pathError(path, errors.New("value is not known"))
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString(), nil
	case ty == cty.Bool:
		return v.True(), nil
	case ty == cty.Number:
		f, err := bigToFloat(v.AsBigFloat())
		if err != nil {
			return nil, pathError(path, err)
		}
		return f, nil
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		out := make([]any, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			e, err := fromCty(ev, append(path, "["+strconv.Itoa(len(out))+"]"), depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, nil
	case ty.IsMapType() || ty.IsObjectType():
		out := make(map[string]any, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			kv, ev := it.Element()
			k := kv.AsString()
			e, err := fromCty(ev, append(path, "."+k), depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = e
		}
		return out, nil
	default:
		return nil, pathError(path, fmt.Errorf("cannot convert %s to plain data", ty.FriendlyName()))
	}
}

// bigToFloat rounds to the nearest float64. Rounding is expected (HCL parses
// numbers with 512 bits of precision), but overflow to infinity is not, because
// JSON cannot carry it.
func bigToFloat(bf *big.Float) (float64, error) {
	if bf.IsInf() {
		return 0, errors.New("number is infinite")
	}
	f, _ := bf.Float64()
	if math.IsInf(f, 0) {
		return 0, fmt.Errorf("number %s is out of range", bf.Text('g', 10))
	}
	return f, nil
}

// ToCty converts plain Go data to a cty value: the inverse of FromCty, for results
// the engine exposes to HCL expressions. map[string]any becomes an object (its
// attributes are sorted by name, so the result is deterministic) and []any a tuple,
// because their elements may differ in type. nil is a null of dynamic type.
//
// Besides the plain types it accepts the other Go numbers, json.Number, time.Time
// (as an RFC 3339 string), cty.Value, pointers, and slices and string-keyed maps of
// any element type, so a connector need not normalise what a client library gives
// it. NaN and infinities are errors; invalid UTF-8 is replaced with U+FFFD.
func ToCty(v any) (cty.Value, error) {
	return toCty(v, nil, 0)
}

func toCty(v any, path []string, depth int) (cty.Value, error) {
	if depth > maxDepth {
		return cty.NilVal, pathError(path, errTooDeep)
	}
	switch x := v.(type) {
	case nil:
		return cty.NullVal(cty.DynamicPseudoType), nil
	case string:
		return stringVal(x), nil
	case bool:
		return cty.BoolVal(x), nil
	case float64:
		return floatVal(x, path)
	case float32:
		return floatVal(float64(x), path)
	case int:
		return cty.NumberIntVal(int64(x)), nil
	case int8:
		return cty.NumberIntVal(int64(x)), nil
	case int16:
		return cty.NumberIntVal(int64(x)), nil
	case int32:
		return cty.NumberIntVal(int64(x)), nil
	case int64:
		return cty.NumberIntVal(x), nil
	case uint:
		return cty.NumberUIntVal(uint64(x)), nil
	case uint8:
		return cty.NumberUIntVal(uint64(x)), nil
	case uint16:
		return cty.NumberUIntVal(uint64(x)), nil
	case uint32:
		return cty.NumberUIntVal(uint64(x)), nil
	case uint64:
		return cty.NumberUIntVal(x), nil
	case json.Number:
		n, err := cty.ParseNumberVal(string(x))
		if err != nil {
			return cty.NilVal, pathError(path, fmt.Errorf("json number %q: %w", string(x), err))
		}
		return n, nil
	case time.Time:
		return cty.StringVal(x.Format(time.RFC3339Nano)), nil
	case cty.Value:
		if x.Type() == cty.NilType { // the zero Value
			return cty.NullVal(cty.DynamicPseudoType), nil
		}
		return x, nil
	case []any:
		if len(x) == 0 {
			return cty.EmptyTupleVal, nil
		}
		elems := make([]cty.Value, len(x))
		for i, e := range x {
			ev, err := toCty(e, append(path, "["+strconv.Itoa(i)+"]"), depth+1)
			if err != nil {
				return cty.NilVal, err
			}
			elems[i] = ev
		}
		return cty.TupleVal(elems), nil
	case map[string]any:
		if len(x) == 0 {
			return cty.EmptyObjectVal, nil
		}
		attrs := make(map[string]cty.Value, len(x))
		for k, e := range x {
			ev, err := toCty(e, append(path, "."+k), depth+1)
			if err != nil {
				return cty.NilVal, err
			}
			attrs[k] = ev
		}
		return cty.ObjectVal(attrs), nil
	}
	return reflectToCty(reflect.ValueOf(v), path, depth)
}

// reflectToCty handles named and typed containers ([]string, map[string]int,
// *T, named string types) without listing each one.
func reflectToCty(rv reflect.Value, path []string, depth int) (cty.Value, error) {
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return cty.NullVal(cty.DynamicPseudoType), nil
		}
		return toCty(rv.Elem().Interface(), path, depth+1)
	case reflect.String:
		return stringVal(rv.String()), nil
	case reflect.Bool:
		return cty.BoolVal(rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return cty.NumberIntVal(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return cty.NumberUIntVal(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return floatVal(rv.Float(), path)
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return cty.NullVal(cty.DynamicPseudoType), nil
		}
		if rv.Len() == 0 {
			return cty.EmptyTupleVal, nil
		}
		elems := make([]cty.Value, rv.Len())
		for i := range elems {
			ev, err := toCty(rv.Index(i).Interface(), append(path, "["+strconv.Itoa(i)+"]"), depth+1)
			if err != nil {
				return cty.NilVal, err
			}
			elems[i] = ev
		}
		return cty.TupleVal(elems), nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return cty.NilVal, pathError(path, fmt.Errorf("map key type %s is not a string", rv.Type().Key()))
		}
		if rv.IsNil() {
			return cty.NullVal(cty.DynamicPseudoType), nil
		}
		if rv.Len() == 0 {
			return cty.EmptyObjectVal, nil
		}
		attrs := make(map[string]cty.Value, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			k := it.Key().String()
			ev, err := toCty(it.Value().Interface(), append(path, "."+k), depth+1)
			if err != nil {
				return cty.NilVal, err
			}
			attrs[k] = ev
		}
		return cty.ObjectVal(attrs), nil
	case reflect.Invalid:
		return cty.NullVal(cty.DynamicPseudoType), nil
	}
	return cty.NilVal, pathError(path, fmt.Errorf("unsupported type %s", rv.Type()))
}

func floatVal(f float64, path []string) (cty.Value, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return cty.NilVal, pathError(path, fmt.Errorf("number %v is not finite", f))
	}
	return cty.NumberFloatVal(f), nil
}

// stringVal keeps bad bytes from a remote system from reaching HCL as invalid
// text; the replacement is what encoding/json would do anyway.
func stringVal(s string) cty.Value {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return cty.StringVal(s)
}

func pathError(path []string, err error) error {
	if len(path) == 0 {
		return err
	}
	return fmt.Errorf("at %s: %w", strings.TrimPrefix(strings.Join(path, ""), "."), err)
}

// Conform shapes a connector's result to an operation's declared output type, so
// the bot reads exactly what `parley validate` checked: declared fields converted
// to their types ("320" to 320), missing ones null, undeclared ones dropped (they
// could never be read, and may hold personal data). A dynamic type keeps data as is.
func Conform(data map[string]any, output cty.Type) (map[string]any, error) {
	if output == cty.NilType || output == cty.DynamicPseudoType || !output.IsObjectType() {
		return data, nil
	}
	out := make(map[string]any, len(output.AttributeTypes()))
	for name, ty := range output.AttributeTypes() {
		v, ok := data[name]
		if !ok || v == nil {
			out[name] = nil
			continue
		}
		cv, err := ToCty(v)
		if err != nil {
			return nil, fmt.Errorf("result field %s: %w", name, err)
		}
		cv, err = convert.Convert(cv, ty)
		if err != nil {
			return nil, fmt.Errorf("result field %s is not %s: %w", name, ty.FriendlyName(), err)
		}
		plain, err := FromCty(cv)
		if err != nil {
			return nil, fmt.Errorf("result field %s: %w", name, err)
		}
		out[name] = plain
	}
	return out, nil
}
