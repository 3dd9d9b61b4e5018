package policies

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/hashicorp/hcl/v2"
)

// Personal data kinds Parley recognises by itself. A bot's privacy block may
// also name its own pattern entities (an ID-card number, a membership number).
const (
	PersonalEmail = "email"
	PersonalPhone = "phone"
	PersonalCard  = "card"
)

// defaultMasked is what logs and the audit trail mask when a bot says nothing.
var defaultMasked = []string{PersonalEmail, PersonalPhone, PersonalCard}

// Privacy says what personal data is masked in logs and the audit trail.
type Privacy struct {
	Mask  []string  // kinds: email, phone, card, or the name of a pattern entity
	Range hcl.Range // of the mask list
}

var privacySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "mask", Required: true}},
}

// decodePrivacy reads a bot's privacy block. Entity names are checked once all
// entities are known (checkPrivacy).
func decodePrivacy(block *hcl.Block) (*Privacy, hcl.Diagnostics) {
	p := &Privacy{Range: block.DefRange}
	content, diags := block.Body.Content(privacySchema)
	names, _, more := attrStringList(content.Attributes, "mask")
	diags = append(diags, more...)
	if attr, ok := content.Attributes["mask"]; ok {
		p.Range = attr.Expr.Range()
	}
	for _, n := range names {
		if !slices.Contains(p.Mask, n) {
			p.Mask = append(p.Mask, n)
		}
	}
	return p, diags
}

// checkPrivacy reports kinds that are neither built in nor a pattern entity.
func (c *checker) checkPrivacy() {
	p := c.bot.Privacy
	if p == nil {
		return
	}
	known := slices.Clone(defaultMasked)
	for name, e := range c.bot.Entities {
		if e.Pattern != nil {
			known = append(known, name)
		}
	}
	slices.Sort(known)
	for _, kind := range p.Mask {
		if !slices.Contains(known, kind) {
			detail := fmt.Sprintf("%q is not personal data Parley can find. Use %s.%s", kind, strings.Join(known, ", "), didYouMean(kind, known))
			if e, ok := c.bot.Entities[kind]; ok && e.Pattern == nil {
				detail = fmt.Sprintf("Entity %q is a list of values; only pattern entities can be masked.", kind)
			}
			c.errorf(p.Range, "Unknown personal data", "%s", detail)
		}
	}
}

// Masker masks the personal data a bot declares in free text and JSON-like values.
type Masker struct {
	email, phone, card bool
	patterns           []*regexp.Regexp
}

// DefaultMasker masks emails, phone numbers and card numbers.
var DefaultMasker = &Masker{email: true, phone: true, card: true}

// Masker returns the bot's masker: its privacy block, or the default.
func (b *Bot) Masker() *Masker {
	if b == nil || b.Privacy == nil {
		return DefaultMasker
	}
	m := &Masker{}
	for _, kind := range b.Privacy.Mask {
		switch kind {
		case PersonalEmail:
			m.email = true
		case PersonalPhone:
			m.phone = true
		case PersonalCard:
			m.card = true
		default:
			if e := b.Entities[kind]; e != nil && e.Pattern != nil {
				re := e.Pattern
				if e.IgnoreCase {
					re = regexp.MustCompile("(?i)" + re.String())
				}
				m.patterns = append(m.patterns, re)
			}
		}
	}
	return m
}

// maxPersonalDigits is the most digits a phone (15) or card (19) number has.
const maxPersonalDigits = 19

// timestampInText is an RFC 3339 timestamp, as events and audit details hold:
// never personal data, though its fraction of a second reads like a phone
// number.
var timestampInText = regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})`)

// Text masks personal data inside free text, leaving the rest alone.
func (m *Masker) Text(text string) string {
	if m == nil {
		m = DefaultMasker
	}
	var stamps [][]int
	if strings.Contains(text, ":") { // a cheap test before the regexp
		stamps = timestampInText.FindAllStringIndex(text, -1)
	}
	if stamps == nil {
		return m.text(text)
	}
	var b strings.Builder
	prev := 0
	for _, loc := range stamps {
		b.WriteString(m.text(text[prev:loc[0]]))
		b.WriteString(text[loc[0]:loc[1]])
		prev = loc[1]
	}
	b.WriteString(m.text(text[prev:]))
	return b.String()
}

func (m *Masker) text(text string) string {
	for _, re := range m.patterns {
		text = re.ReplaceAllStringFunc(text, MaskPII)
	}
	// An email has an @, and a phone or card number 7 digits or more: most
	// text has neither, and is not scanned for them.
	if m.email && strings.IndexByte(text, '@') >= 0 {
		text = emailInText.ReplaceAllStringFunc(text, MaskPII)
	}
	if !m.phone && !m.card || !hasDigits(text, 7) {
		return text
	}
	return numberInText.ReplaceAllStringFunc(text, func(s string) string {
		if dateInText.MatchString(s) {
			return s
		}
		// Trailing separators belong to the sentence, not the number.
		core := strings.TrimRightFunc(s, func(r rune) bool { return r < '0' || r > '9' })
		digits, ok := phoneLikeDigits(core)
		if !ok || len(digits) < 7 {
			return s
		}
		if len(digits) > maxPersonalDigits {
			// Longer than any phone or card number: several numbers typed one
			// space apart ("4111111111111111 13912345678"), and where one ends is
			// a guess, so only the last four digits of the run show.
			return maskDigits(core, 0, 4) + s[len(core):]
		}
		if card := isCardNumber(core, digits); (card && !m.card) || (!card && !m.phone) {
			return s
		}
		return MaskPII(core) + s[len(core):]
	})
}

// hasDigits reports whether s has at least n ASCII digits (\d).
func hasDigits(s string, n int) bool {
	for i := 0; i < len(s) && n > 0; i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n--
		}
	}
	return n == 0
}

// Token masks an identifier (a request id, a conversation id, a part of a URL
// path): wholly when it is personal data (an email, a phone or card number),
// and where the bot's own patterns match. Digits inside an id that also has
// letters (a hex request id) are left alone: a phone number is never glued to
// letters, and masking them would corrupt ids so logs no longer match requests.
// So are ids of more than 19 digits: no phone (15) or card (19) number is that
// long, and a hex id is now and then all digits.
func (m *Masker) Token(s string) string {
	if m == nil {
		m = DefaultMasker
	}
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if strings.Contains(s, "@") || !strings.ContainsFunc(s, unicode.IsLetter) && digits <= 19 {
		return m.Text(s)
	}
	return (&Masker{patterns: m.patterns}).Text(s)
}

// HasPatterns reports whether the bot masks its own entities, which the quick
// "no @ and few digits" pre-check cannot rule out.
func (m *Masker) HasPatterns() bool { return m != nil && len(m.patterns) > 0 }
