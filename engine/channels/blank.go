package channels

import "unicode"

// Blank reports whether a message shows nothing: only white space, control
// and format characters (zero-width spaces, byte-order marks, joiners),
// combining marks with nothing to combine with, and the "filler" characters
// that render as empty (Hangul fillers, the blank Braille pattern). Such a
// message is refused like an empty one: otherwise three of them make a
// conversation look stuck and hand it off.
func Blank(s string) bool {
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), unicode.In(r, unicode.Cc, unicode.Cf, unicode.Mn, unicode.Me):
		case r == '\u2800', r == '\u3164', r == '\uFFA0', r == '\u115F', r == '\u1160':
		default:
			return false
		}
	}
	return true
}
