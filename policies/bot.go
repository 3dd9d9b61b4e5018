package policies

import (
	"fmt"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // business hours must work on machines without a zoneinfo database

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

var botSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "languages", Required: true},
		{Name: "confidence_threshold"},
		{Name: "session_timeout"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "business_hours"},
		{Type: "replies"},
		{Type: "privacy"},
		{Type: "survey"},
	},
}

const (
	defaultConfidenceThreshold = 0.5
	defaultSessionTimeout      = 30 * time.Minute
)

// knownLanguages are ISO 639-1 codes. A region may follow: "zh-TW", "pt-BR".
var knownLanguages = strings.Fields(`aa ab af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs
cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz
ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv
mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru
rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur
uz ve vi vo wa wo xh yi yo za zh zu`)

func isKnownLanguage(code string) bool {
	base, region, hasRegion := strings.Cut(code, "-")
	if hasRegion && !validRegion(region) {
		return false
	}
	return knownLanguageSet[base]
}

var knownLanguageSet = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range knownLanguages {
		m[l] = true
	}
	return m
}()

func validRegion(r string) bool {
	if len(r) < 2 || len(r) > 4 {
		return false
	}
	for _, c := range r {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func unknownLanguage(code string, rng hcl.Range) *hcl.Diagnostic {
	hint := didYouMean(code, knownLanguages)
	if lang, ok := countryLanguages[strings.ToLower(code)]; ok {
		// "cn" is one letter from "an", but the analyst meant Chinese.
		hint = fmt.Sprintf(" %q is a country code; the language is %q.", code, lang)
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Unknown language",
		Detail:   fmt.Sprintf("%q is not a language code; use a two-letter ISO 639-1 code like \"en\" or \"zh\", optionally with a region (\"zh-TW\").%s", code, hint),
		Subject:  rng.Ptr(),
	}
}

// countryLanguages are country codes that are no language code, written
// where a language code goes, with the language meant ("cn" for Chinese).
// Those that are also language codes ("tw", Twi; "kr", Kanuri) can't be told
// apart from a choice.
var countryLanguages = map[string]string{
	"cn": "zh", "hk": "zh-HK", "jp": "ja", "gb": "en-GB", "us": "en-US", "dk": "da",
	"gr": "el", "cz": "cs", "ua": "uk", "vn": "vi", "il": "he", "ir": "fa",
}

func applyBotDefaults(bot *Bot) {
	if len(bot.Languages) == 0 {
		bot.Languages = []string{"en"}
	}
	if bot.ConfidenceThreshold == 0 {
		bot.ConfidenceThreshold = defaultConfidenceThreshold
	}
	if bot.SessionTimeout == 0 {
		bot.SessionTimeout = defaultSessionTimeout
	}
	def := defaultReplies(bot.Languages)
	if bot.Replies.NotUnderstood == nil {
		bot.Replies.NotUnderstood = def.NotUnderstood
	}
	if bot.Replies.Error == nil {
		bot.Replies.Error, bot.Replies.ErrorBuiltin = def.Error, true
	}
	if bot.Replies.Goodbye == nil {
		bot.Replies.Goodbye = def.Goodbye
	}
	if bot.Replies.Survey == nil {
		bot.Replies.Survey = def.Survey
	}
	if bot.Replies.SurveyThanks == nil {
		bot.Replies.SurveyThanks = def.SurveyThanks
	}
}

// defaultReplies are used when a bot's replies block leaves one out. English serves
// every language without a text of its own.
func defaultReplies(languages []string) DefaultReplies {
	msg := func(en, zh string) *Message {
		m := &Message{Variants: map[string][]hcl.Expression{
			"": {hcl.StaticExpr(cty.StringVal(en), hcl.Range{})},
		}}
		for _, l := range languages {
			if l == "zh" || strings.HasPrefix(l, "zh-") {
				m.Variants[l] = []hcl.Expression{hcl.StaticExpr(cty.StringVal(zh), hcl.Range{})}
			}
		}
		return m
	}
	return DefaultReplies{
		NotUnderstood: msg("Sorry, I didn't understand that. Could you put it another way?", "抱歉，我没有理解。能换个说法吗？"),
		Error:         msg("Sorry, something went wrong on our side. Please try again in a moment.", "抱歉，系统出了点问题，请稍后再试。"),
		Goodbye:       msg("Thank you, goodbye!", "谢谢，再见！"),
		Survey: msg("How did we do? Tap 1 (poor) to 5 (great). You can add a comment after the number, like \"5 quick and friendly\".",
			"您对本次服务满意吗？请选择 1（很差）到 5（很好），也可以在数字后写下您的意见，例如“5 很及时”。"),
		SurveyThanks: msg("Thank you for your feedback!", "感谢您的反馈！"),
	}
}

// decodeBot fills the bot-wide settings from the bot block.
func (d *decoder) decodeBot(bot *Bot, block *hcl.Block) hcl.Diagnostics {
	bot.Name = block.Labels[0]
	bot.DeclRange = block.DefRange
	content, diags := block.Body.Content(botSchema)
	defer applyBotDefaults(bot)

	var more hcl.Diagnostics
	bot.Description, more = attrString(content.Attributes, "description")
	diags = append(diags, more...)

	if attr, ok := content.Attributes["languages"]; ok {
		langs, _, more := attrStringList(content.Attributes, "languages")
		diags = append(diags, more...)
		seen := map[string]bool{}
		for _, l := range langs {
			switch {
			case !isKnownLanguage(l):
				diags = append(diags, unknownLanguage(l, attr.Expr.Range()))
			case seen[l]:
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate language",
					Detail:   fmt.Sprintf("%q is listed twice.", l),
					Subject:  attr.Expr.Range().Ptr(),
				})
			default:
				seen[l] = true
				bot.Languages = append(bot.Languages, l)
			}
		}
		if len(langs) == 0 && !more.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "No languages",
				Detail:   `A bot speaks at least one language, like languages = ["en"].`,
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
	}

	if attr, ok := content.Attributes["confidence_threshold"]; ok {
		f, present, more := attrNumber(content.Attributes, "confidence_threshold")
		diags = append(diags, more...)
		if present {
			if f <= 0 || f > 1 {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid confidence threshold",
					Detail:   fmt.Sprintf("%g is out of range; a confidence threshold is above 0 and at most 1.", f),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				bot.ConfidenceThreshold = f
			}
		}
	}

	bot.SessionTimeout, more = attrDuration(content.Attributes, "session_timeout", defaultSessionTimeout)
	diags = append(diags, more...)

	bh, more := singleBlock(content.Blocks, "business_hours")
	diags = append(diags, more...)
	if bh != nil {
		bot.BusinessHours, more = decodeBusinessHours(bh)
		diags = append(diags, more...)
	}

	rb, more := singleBlock(content.Blocks, "replies")
	diags = append(diags, more...)
	if rb != nil {
		diags = append(diags, decodeReplies(&bot.Replies, rb)...)
	}
	pb, more := singleBlock(content.Blocks, "privacy")
	diags = append(diags, more...)
	if pb != nil {
		bot.Privacy, more = decodePrivacy(pb)
		diags = append(diags, more...)
	}
	sb, more := singleBlock(content.Blocks, "survey")
	diags = append(diags, more...)
	if sb != nil {
		bot.Survey, more = decodeSurvey(sb)
		diags = append(diags, more...)
		d.surveyInvalid = more.HasErrors()
	}
	return diags
}

var repliesSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "not_understood"}, {Name: "error"}, {Name: "goodbye"}, {Name: "survey"}, {Name: "survey_thanks"}},
}

func decodeReplies(r *DefaultReplies, block *hcl.Block) hcl.Diagnostics {
	content, diags := block.Body.Content(repliesSchema)
	for name, target := range map[string]**Message{"not_understood": &r.NotUnderstood, "error": &r.Error, "goodbye": &r.Goodbye, "survey": &r.Survey, "survey_thanks": &r.SurveyThanks} {
		if attr, ok := content.Attributes[name]; ok {
			m, more := decodeMessage(attr.Expr)
			diags = append(diags, more...)
			*target = m
		}
	}
	return diags
}

var weekdayKeys = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekdays", "weekend", "weekends"}

var businessHoursSchema = func() *hcl.BodySchema {
	s := &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "time_zone", Required: true}, {Name: "holidays"}}}
	for _, k := range weekdayKeys {
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: k})
	}
	return s
}()

var dayIndex = map[string][]time.Weekday{
	"monday": {time.Monday}, "tuesday": {time.Tuesday}, "wednesday": {time.Wednesday},
	"thursday": {time.Thursday}, "friday": {time.Friday}, "saturday": {time.Saturday}, "sunday": {time.Sunday},
	"weekdays": {time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
	"weekend":  {time.Saturday, time.Sunday}, "weekends": {time.Saturday, time.Sunday},
}

func decodeBusinessHours(block *hcl.Block) (*BusinessHours, hcl.Diagnostics) {
	content, diags := block.Body.Content(businessHoursSchema)
	bh := &BusinessHours{Location: time.UTC, Holidays: map[string]bool{}, Range: block.DefRange}

	if attr, ok := content.Attributes["time_zone"]; ok {
		tz, present, more := literalString(attr.Expr)
		diags = append(diags, more...)
		if present {
			loc, err := loadLocation(tz)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Unknown time zone",
					Detail:   fmt.Sprintf("%q is not a time zone; use an IANA name like \"Europe/London\" or \"Asia/Shanghai\".", tz),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				bh.Location = loc
			}
		}
	}

	if _, a := content.Attributes["weekend"]; a {
		if attr, b := content.Attributes["weekends"]; b {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Conflicting weekday keys",
				Detail:   "weekend and weekends mean the same days; give only one.",
				Subject:  attr.NameRange.Ptr(),
			})
		}
	}
	// Groups first, so a single day given as well overrides its group.
	for _, key := range []string{"weekdays", "weekend", "weekends", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"} {
		attr, ok := content.Attributes[key]
		if !ok {
			continue
		}
		s, present, more := literalString(attr.Expr)
		diags = append(diags, more...)
		if !present {
			continue
		}
		ranges, err := parseOpeningHours(s)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid opening hours",
				Detail:   fmt.Sprintf("%q: %s. Write hours like \"09:00-18:00\", \"09:00-12:00, 13:00-18:00\" or \"closed\".", s, err),
				Subject:  attr.Expr.Range().Ptr(),
			})
			continue
		}
		for _, day := range dayIndex[key] {
			bh.Week[day] = ranges
		}
	}

	if attr, ok := content.Attributes["holidays"]; ok {
		days, _, more := attrStringList(content.Attributes, "holidays")
		diags = append(diags, more...)
		for _, day := range days {
			if _, err := time.Parse("2006-01-02", day); err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid holiday date",
					Detail:   fmt.Sprintf("%q is not a date; write holidays like \"2026-12-25\".", day),
					Subject:  attr.Expr.Range().Ptr(),
				})
				continue
			}
			bh.Holidays[day] = true
		}
	}
	return bh, diags
}

// loadLocation refuses "Local": business hours must not depend on the server's zone.
func loadLocation(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("time zone %q is not allowed", name)
	}
	return time.LoadLocation(name)
}

// parseOpeningHours parses "09:00-18:00", "09:00-12:00, 13:00-18:00" or "closed".
// A closed day is nil.
func parseOpeningHours(s string) ([]TimeRange, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "closed") {
		return nil, nil
	}
	if s == "" {
		return nil, fmt.Errorf("empty hours")
	}
	var out []TimeRange
	for _, part := range strings.Split(s, ",") {
		from, to, ok := strings.Cut(strings.TrimSpace(part), "-")
		if !ok {
			return nil, fmt.Errorf("%q is not a span like 09:00-18:00", strings.TrimSpace(part))
		}
		f, err := parseClock(strings.TrimSpace(from))
		if err != nil {
			return nil, err
		}
		t, err := parseClock(strings.TrimSpace(to))
		if err != nil {
			return nil, err
		}
		if t == f {
			return nil, fmt.Errorf("%s is empty", strings.TrimSpace(part))
		}
		out = append(out, TimeRange{From: f, To: t})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].From < out[j].From })
	// A span that ends before it starts runs past midnight (22:00-02:00) and covers
	// both ends of the day, so compare the pieces.
	var pieces []TimeRange
	for _, r := range out {
		if r.From < r.To {
			pieces = append(pieces, r)
		} else {
			pieces = append(pieces, TimeRange{From: r.From, To: 24 * 60}, TimeRange{From: 0, To: r.To})
		}
	}
	sort.Slice(pieces, func(i, j int) bool { return pieces[i].From < pieces[j].From })
	for i := 1; i < len(pieces); i++ {
		if pieces[i].From < pieces[i-1].To {
			return nil, fmt.Errorf("spans overlap")
		}
	}
	return out, nil
}

// parseClock reads "HH:MM" into minutes since midnight; "24:00" is the end of day.
func parseClock(s string) (int, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("%q is not a time like 09:00", s)
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("%q is not a time like 09:00", s)
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return h*60 + m, nil
}
