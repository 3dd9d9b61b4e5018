package policies

import (
	"fmt"
	"time"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// HoursBetweenFunc counts the hours from one RFC 3339 time to another, to the
// nearest minute (23.5 for 23 hours 30 minutes), negative when the second is
// earlier: "free up to 24 hours before" is hours_between(now, call.booking.starts_at) >= 24.
// Seconds don't decide a rule written in hours, and a test's clock, which moves
// on a few seconds a turn, can state a boundary to the minute.
// A date alone has no time of day, and a day's midnight would need a time zone
// it does not say, so it is refused rather than guessed.
var HoursBetweenFunc = function.New(&function.Spec{
	Description: "Counts the hours, to the minute, from the first RFC 3339 time to the second (negative if earlier).",
	Params: []function.Parameter{
		{Name: "from", Type: cty.String},
		{Name: "to", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		var times [2]time.Time
		for i := range times {
			t, dateOnly, err := parseDate(args[i].AsString())
			switch {
			case err != nil:
				return cty.UnknownVal(cty.Number), function.NewArgError(i, err)
			case dateOnly:
				return cty.UnknownVal(cty.Number), function.NewArgError(i, fmt.Errorf("%q is a date without a time; hours_between needs RFC 3339 times such as 2026-11-25T14:30:00+08:00 (days_between counts days)", args[i].AsString()))
			}
			times[i] = t
		}
		minutes := times[1].Sub(times[0]).Round(time.Minute) / time.Minute
		return cty.NumberFloatVal(float64(minutes) / 60), nil
	},
})
