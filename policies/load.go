package policies

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/parleyhq/parley/internal/srcfile"
)

// ConnectorTypes gives the loader each connector type's hcldec specs. The engine
// adapts connectors.Registry to it, so this package does not depend on connectors.
type ConnectorTypes interface {
	// Lookup returns the hcldec specs for the connector block body and for each
	// operation block body (either may be nil = no extra settings).
	Lookup(typ string) (connector, operation hcldec.Spec, ok bool)
	Names() []string
}

// Options configure a load.
type Options struct {
	// Connectors knows the connector types. Nil: every connector type is unknown.
	Connectors ConnectorTypes
}

// MaxFileSize bounds what one policy file may hold; real policy files are a few
// KiB, so anything this large is a mistake (a log or a binary named .hcl).
const MaxFileSize = 8 << 20

const maxFileSize = MaxFileSize

// LoadDir loads every *.hcl file in dir and its subfolders (tests/ and so on), in
// sorted order. It returns a nil Bot whenever the diagnostics hold an error.
func LoadDir(dir string, opts Options) (*Bot, hcl.Diagnostics) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read bot folder",
			Detail:   fmt.Sprintf("Cannot read %s: %s.", dir, err),
		}}
	}
	if !info.IsDir() {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Not a folder",
			Detail:   fmt.Sprintf("%s is a file; give the folder that holds the bot's .hcl files.", dir),
		}}
	}

	var diags hcl.Diagnostics
	files := map[string][]byte{}
	walkErr := filepath.WalkDir(dir, func(path string, entry fs.DirEntry, err error) error {
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Cannot read bot folder",
				Detail:   fmt.Sprintf("Cannot read %s: %s.", path, err),
			})
			if entry != nil && entry.IsDir() && path != dir {
				return fs.SkipDir
			}
			return nil
		}
		name := entry.Name()
		if entry.IsDir() {
			// Hidden folders hold editor and VCS state, never policies.
			if path != dir && strings.HasPrefix(name, ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".hcl") || strings.HasPrefix(name, ".") {
			return nil
		}
		src, readErr := srcfile.Read(path, maxFileSize)
		if readErr != nil {
			diags = append(diags, readFileDiagnostic(path, readErr))
			return nil
		}
		files[path] = src
		return nil
	})
	if walkErr != nil {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Cannot read bot folder",
			Detail:   fmt.Sprintf("Cannot read %s: %s.", dir, walkErr),
		})
	}
	if len(files) == 0 && !diags.HasErrors() {
		return nil, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No policy files",
			Detail:   fmt.Sprintf("%s holds no .hcl files.", dir),
		})
	}
	bot, more := load(dir, files, opts)
	diags = append(diags, more...)
	if diags.HasErrors() {
		return nil, diags
	}
	return bot, diags
}

// readFileDiagnostic explains why a policy file was not read.
func readFileDiagnostic(path string, err error) *hcl.Diagnostic {
	d := &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Cannot read file",
		Detail:   fmt.Sprintf("Cannot read %s: %s.", path, err),
		Subject:  &hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos},
	}
	switch {
	case errors.Is(err, srcfile.ErrNotRegular):
		d.Summary = "Not a regular file"
		d.Detail = fmt.Sprintf("%s; policy files must be regular files.", err)
	case errors.Is(err, srcfile.ErrTooLarge):
		d.Summary = "File too large"
		d.Detail = fmt.Sprintf("%s; policy files are small text files.", err)
	}
	return d
}

func tooLarge(name string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "File too large",
		Detail:   fmt.Sprintf("%s is larger than %s; policy files are small text files.", name, srcfile.Size(maxFileSize)),
		Subject:  &hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos},
	}
}

// LoadFiles loads policy sources held in memory, keyed by file name. Editors and
// tests use it; it returns a nil Bot whenever the diagnostics hold an error.
func LoadFiles(files map[string][]byte, opts Options) (*Bot, hcl.Diagnostics) {
	bot, diags := load("", files, opts)
	if diags.HasErrors() {
		return nil, diags
	}
	return bot, diags
}

var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "bot", LabelNames: []string{"name"}},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "intent", LabelNames: []string{"name"}},
		{Type: "entity", LabelNames: []string{"name"}},
		{Type: "response", LabelNames: []string{"name"}},
		{Type: "answer", LabelNames: []string{"name"}},
		{Type: "dialog", LabelNames: []string{"name"}},
		{Type: "rule", LabelNames: []string{"name"}},
		{Type: "queue", LabelNames: []string{"name"}},
		{Type: "handoff", LabelNames: []string{"name"}},
		{Type: "connector", LabelNames: []string{"name"}},
		{Type: "test", LabelNames: []string{"name"}},
		{Type: "faq", LabelNames: []string{"name"}},
		{Type: "knowledge"},
		{Type: "slot", LabelNames: []string{"name"}},
		{Type: "call", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "labels", LabelNames: []string{"name"}},
		{Type: "mock"},
		{Type: "tickets"},
		{Type: "triage", LabelNames: []string{"name"}},
		{Type: "report", LabelNames: []string{"name"}},
		{Type: "quick_reply", LabelNames: []string{"name"}},
		{Type: "inbox"},
		{Type: "customer_lookup"},
	},
}

// decoder carries what decoding learns that only the checks after it can resolve,
// because the thing referred to may be declared later or in another file.
type decoder struct {
	connectorTypes ConnectorTypes
	// decodeFailed: a block failed to decode, so checks that look for what
	// is missing (an intent nothing acts on) would only echo that error.
	decodeFailed bool
	refs         []reference
	// connectorBodies holds each connector's body minus Parley's own arguments, so a
	// test's connector block can override some of its settings.
	connectorBodies map[*Connector]hcl.Body
	testConnectors  []testConnectorOverride
	// surveysForced are where tests say survey = true, checked against the
	// bot's survey block once it is decoded.
	surveysForced []hcl.Range
	// knowledgeExpected are test turns' knowledge expectations that name no
	// file, checked against the FAQs once every file is decoded.
	knowledgeExpected []knowledgeExpectation
	// surveyInvalid is set when the survey block has a mistake, reported
	// already, that leaves its after_bot unknown.
	surveyInvalid bool
	// shared holds the top-level slot and call definitions, by kind and name.
	shared map[string]map[string]*sharedBlock
	// inExhausted is set while a slot's on_exhausted is decoded.
	inExhausted bool
	// using is the shared definition being decoded into a dialog, if any, so the
	// references found in it say where it is used.
	using *sharedUse
	// testRefsSeen keeps the references of tests recorded once per place they
	// are written, however many for_each cases evaluate them.
	testRefsSeen map[string]bool
	mockExprs    map[*Mock]mockExprs
	// operationsUnknown marks the connectors whose blocks have mistakes, so
	// their operations are not all known: calls to them are not checked.
	operationsUnknown map[*Connector]bool
	// triggerWritten marks the dialogs whose trigger names intents, even
	// wrongly: a mistake there is reported where it is, not as a dialog
	// that can never start.
	triggerWritten map[*Dialog]bool
	// sayBroken marks, by their block, the actions whose reply, handoff or
	// start is written but could not be read: that mistake is reported, not
	// also "finishes without a word".
	sayBroken map[hcl.Range]bool
	// startBroken is set when a start action could not be read: the dialog it
	// meant is then not also reported as one that can never start.
	startBroken bool
}

// sharedUse is one use of a shared definition.
type sharedUse struct {
	def   *SharedDef
	use   hcl.Range
	where string // "in dialog \"refund\""
}

// reference is a name used somewhere that must be declared somewhere.
type reference struct {
	kind   string // intent, queue, dialog, operation, slot, type, entity
	name   string
	op     string // for kind "operation"
	dialog string // for kind "slot": the dialog whose slots are in scope ("" for none)
	rng    hcl.Range
	use    *sharedUse // set when the name is written in a shared definition
	// expect is the value a test expects of an entity (kind "entity"), and
	// expectRng where it is written; cty.NilVal elsewhere.
	expect    cty.Value
	expectRng hcl.Range
}

type testConnectorOverride struct {
	test *Test
	name string
	body hcl.Body
	each cty.Value // the for_each case it is decoded for; cty.NilVal: none
	rng  hcl.Range
}

func (d *decoder) ref(kind, name string, rng hcl.Range) {
	d.addRef(reference{kind: kind, name: name, rng: rng})
}

func (d *decoder) addRef(r reference) {
	if d.using != nil && inside(&r.rng, d.using.def.Body) {
		r.use = d.using
	}
	d.refs = append(d.refs, r)
}

func load(dir string, files map[string][]byte, opts Options) (*Bot, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)

	bot := &Bot{
		Dir:        dir,
		Variables:  map[string]*Variable{},
		Entities:   map[string]*Entity{},
		Queues:     map[string]*Queue{},
		Responses:  map[string]*Message{},
		Connectors: map[string]*Connector{},
		Files:      map[string]*hcl.File{},
	}
	bot.Functions = bot.languageFunctions(Functions(), "")
	d := &decoder{connectorTypes: opts.Connectors, connectorBodies: map[*Connector]hcl.Body{}, triggerWritten: map[*Dialog]bool{}}
	decl := newDeclarations()
	var botBlocks []*hcl.Block
	// A file that does not parse may declare anything, so references to what it
	// would declare can't be checked: the syntax errors are the root cause, and
	// every "no response named ..." after them would be noise.
	var syntaxErrors hcl.Diagnostics
	var blocks []*hcl.Block

	for _, name := range names {
		src := files[name]
		if len(src) > maxFileSize {
			diags = append(diags, tooLarge(name))
			continue
		}
		if bytes.IndexByte(src, 0) >= 0 || !utf8.Valid(src) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Not a text file",
				Detail:   fmt.Sprintf("%s is not UTF-8 text (it holds NUL bytes or invalid UTF-8); policy files must be plain text.", name),
				Subject:  &hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos},
			})
			continue
		}
		file, parseDiags := ParseHCL(src, name)
		if file != nil {
			bot.Files[name] = file
		}
		if parseDiags.HasErrors() || file == nil || file.Body == nil {
			syntaxErrors = append(syntaxErrors, rootCause(parseDiags)...)
			continue
		}
		diags = append(diags, parseDiags...)
		content, contentDiags := file.Body.Content(rootSchema)
		diags = append(diags, contentDiags...)
		if content == nil {
			continue
		}
		blocks = append(blocks, content.Blocks...)
	}
	// Shared slot and call definitions first: dialogs anywhere may use them.
	diags = append(diags, d.indexShared(blocks, decl)...)
	for _, block := range blocks {
		if isSharedBlock(block) {
			continue
		}
		diags = append(diags, d.decodeRootBlock(bot, block, decl, &botBlocks)...)
	}
	if len(syntaxErrors) > 0 {
		diags = dropMissingMisspelt(diags, bot.Files)
		diags = dedupeDiagnostics(diags)
		sortDiagnostics(diags)
		return bot, append(syntaxErrors, diags...)
	}

	if len(botBlocks) == 0 && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing bot block",
			Detail:   `Every bot needs exactly one block like: bot "shop" { languages = ["en"] }.`,
		})
	}
	if len(botBlocks) == 0 {
		// Checks below rely on bot settings; give them defaults so errors elsewhere still show.
		applyBotDefaults(bot)
	}
	d.decodeFailed = diags.HasErrors()
	diags = append(diags, d.check(bot)...)
	diags = append(diags, d.unusedShared()...)
	diags = dropMissingMisspelt(diags, bot.Files)
	diags = dedupeDiagnostics(diags)
	sortDiagnostics(diags)
	bot.Version = contentVersion(dir, files, bot)
	return bot, diags
}

// rootCause keeps the syntax errors of a file that explain the others: those
// at the first error's position. HCL's lexer reports every later line of a
// file with an unterminated string as a multi-line string of its own, and the
// parser an unclosed brace at each block after it; those follow from the first
// and go away with it.
func rootCause(parseDiags hcl.Diagnostics) hcl.Diagnostics {
	var first *hcl.Diagnostic
	var out hcl.Diagnostics
	later := 0
	for _, d := range parseDiags {
		if d.Severity != hcl.DiagError {
			continue
		}
		switch {
		case first == nil:
			first = d
			out = append(out, d)
		case d.Subject != nil && first.Subject != nil && d.Subject.Start == first.Subject.Start:
			out = append(out, d)
		default:
			later++
		}
	}
	// Of several errors at one place, the one naming what is unclosed says most.
	slices.SortStableFunc(out, func(a, b *hcl.Diagnostic) int {
		return cmpBool(unclosed(b.Summary), unclosed(a.Summary))
	})
	if len(out) > 0 {
		explainSyntax(out[0])
		note := "\n\nParley checks the rest of the bot (references between blocks, types, tests) once every file parses."
		if later > 0 {
			note = fmt.Sprintf("\n\n%s in this file probably follow from this one. ", plural(later, "more syntax error")) + note[2:]
		}
		out[0].Detail += note
	}
	return out
}

// explainSyntax adds what HCL's message leaves out for the syntax errors
// people who write regular expressions make.
func explainSyntax(d *hcl.Diagnostic) {
	if d.Summary == "Invalid escape sequence" {
		// HCL says only which letter follows the backslash; the usual cause is
		// a pattern written as in a regex tester: "DD\d{11}".
		d.Detail += ` In a quoted string a backslash starts an escape such as \n or \", so a backslash of a regular expression is written twice: "DD\\d{11}" for DD\d{11} (or write [0-9] for \d).`
	}
}

func unclosed(summary string) bool {
	return strings.HasPrefix(summary, "Unterminated") || strings.HasPrefix(summary, "Unclosed")
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// sortDiagnostics orders diagnostics by file and position, so output is stable
// whatever order the checks ran in.
func sortDiagnostics(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil && b == nil:
			return false
		case a == nil:
			return true
		case b == nil:
			return false
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		default:
			return a.Start.Byte < b.Start.Byte
		}
	})
}

// declarations remembers where each name was first declared, per block kind.
type declarations map[string]map[string]hcl.Range

func newDeclarations() declarations { return declarations{} }

// add reports a duplicate when name was already declared as kind.
func (decl declarations) add(kind, name string, rng hcl.Range) hcl.Diagnostics {
	if decl[kind] == nil {
		decl[kind] = map[string]hcl.Range{}
	}
	if first, dup := decl[kind][name]; dup {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  fmt.Sprintf("Duplicate %s %q", kind, name),
			Detail:   fmt.Sprintf("%s %s named %q was already declared at %s. Names must be unique per block type.", article(kind), kind, name, first.String()),
			Subject:  rng.Ptr(),
		}}
	}
	decl[kind][name] = rng
	return nil
}

func (d *decoder) decodeRootBlock(bot *Bot, block *hcl.Block, decl declarations, botBlocks *[]*hcl.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	switch block.Type {
	case "knowledge":
		return d.decodeKnowledgeBlock(bot, block)
	case "locals":
		locals, diags := decodeLocals(block, decl)
		bot.Locals = append(bot.Locals, locals...)
		return diags
	case "mock":
		m, diags := d.decodeMock(block, d.testEval(cty.NilVal))
		if m != nil {
			bot.Mocks = append(bot.Mocks, m)
		}
		return diags
	case "inbox":
		return d.decodeInboxBlock(bot, block)
	case "customer_lookup":
		return d.decodeCustomerLookupBlock(bot, block)
	}
	if block.Type == "tickets" {
		return d.decodeTicketsBlock(bot, block)
	}
	name := block.Labels[0]
	if block.Type != "bot" && block.Type != "test" {
		diags = append(diags, checkName(block)...)
	}
	if block.Type != "bot" && block.Type != "test" {
		diags = append(diags, decl.add(block.Type, name, block.DefRange)...)
	}
	switch block.Type {
	case "faq":
		f, more := decodeFAQ(block)
		diags = append(diags, more...)
		if f != nil {
			bot.FAQs = append(bot.FAQs, f)
		}
	case "bot":
		if len(*botBlocks) > 0 {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate bot block",
				Detail:   fmt.Sprintf("A bot is already declared at %s; a bot folder holds exactly one bot block.", (*botBlocks)[0].DefRange.String()),
				Subject:  block.DefRange.Ptr(),
			})
			return diags
		}
		*botBlocks = append(*botBlocks, block)
		diags = append(diags, d.decodeBot(bot, block)...)
	case "labels":
		l, more := decodeLabels(block)
		diags = append(diags, more...)
		if bot.Labels == nil {
			bot.Labels = map[string]map[string]map[string]string{}
		}
		if _, dup := bot.Labels[name]; !dup {
			bot.Labels[name] = l
		}
	case "variable":
		v, more := decodeVariable(block)
		diags = append(diags, more...)
		putFirst(bot.Variables, name, v)
	case "intent":
		it, more := d.decodeIntent(block)
		diags = append(diags, more...)
		if it != nil {
			bot.Intents = append(bot.Intents, it)
		}
	case "entity":
		e, more := decodeEntity(block)
		diags = append(diags, more...)
		putFirst(bot.Entities, name, e)
	case "response":
		m, more := decodeResponse(block)
		diags = append(diags, more...)
		putFirst(bot.Responses, name, m)
	case "answer":
		a, more := d.decodeAnswer(block)
		diags = append(diags, more...)
		if a != nil {
			bot.Answers = append(bot.Answers, a)
		}
	case "dialog":
		dl, more := d.decodeDialog(block)
		diags = append(diags, more...)
		if dl != nil {
			bot.Dialogs = append(bot.Dialogs, dl)
		}
	case "rule":
		r, more := d.decodeRule(block)
		diags = append(diags, more...)
		if r != nil {
			bot.Rules = append(bot.Rules, r)
		}
	case "queue":
		q, more := decodeQueue(block)
		diags = append(diags, more...)
		putFirst(bot.Queues, name, q)
	case "triage":
		tr, more := d.decodeTriage(block)
		diags = append(diags, more...)
		bot.Triage = append(bot.Triage, tr)
	case "handoff":
		h, more := d.decodeHandoff(block)
		diags = append(diags, more...)
		if h != nil {
			bot.Handoffs = append(bot.Handoffs, h)
		}
	case "connector":
		c, more := d.decodeConnector(block)
		diags = append(diags, more...)
		putFirst(bot.Connectors, name, c)
	case "report":
		r, more := decodeReport(block)
		diags = append(diags, more...)
		bot.Reports = append(bot.Reports, r)
	case "quick_reply":
		q, more := decodeQuickReply(block)
		diags = append(diags, more...)
		if q != nil {
			bot.QuickReplies = append(bot.QuickReplies, q)
		}
	case "test":
		tests, more := d.decodeTests(block)
		diags = append(diags, more...)
		bot.Tests = append(bot.Tests, tests...)
	}
	return diags
}

// putFirst adds a decoded block under its name unless decoding failed or the
// name is taken: a duplicate is reported where the second one is declared, and
// the first one stays, so checks later see one consistent definition.
func putFirst[V any](m map[string]*V, name string, v *V) {
	if _, dup := m[name]; !dup && v != nil {
		m[name] = v
	}
}

// checkName requires a block's label to be a valid identifier, because other blocks
// refer to it with a bare traversal such as intent.NAME.
func checkName(block *hcl.Block) hcl.Diagnostics {
	if len(block.Labels) == 0 {
		return nil
	}
	name := block.Labels[0]
	if hclsyntax.ValidIdentifier(name) {
		return nil
	}
	rng := block.DefRange
	if len(block.LabelRanges) > 0 {
		rng = block.LabelRanges[0]
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid name",
		Detail:   fmt.Sprintf("%q is not a valid %s name: a name starts with a letter and holds only letters, digits, underscores and dashes.", name, block.Type),
		Subject:  rng.Ptr(),
	}}
}

// ---- literal decoding helpers, shared by every block decoder ----

// literalValue evaluates an expression that must be a constant.
func literalValue(expr hcl.Expression) (cty.Value, hcl.Diagnostics) {
	val, diags := expr.Value(nil)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	if !val.IsWhollyKnown() {
		return cty.NilVal, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Value must be a constant",
			Detail:   "This value must be written out literally.",
			Subject:  expr.Range().Ptr(),
		}}
	}
	return val, diags
}

func wrongType(expr hcl.Expression, what string, err error) hcl.Diagnostics {
	detail := fmt.Sprintf("This must be %s.", what)
	if err != nil {
		detail = fmt.Sprintf("This must be %s: %s.", what, err)
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Incorrect value type",
		Detail:   detail,
		Subject:  expr.Range().Ptr(),
	}}
}

// bareWord is the word of an expression that is one bare name (urgent).
func bareWord(expr hcl.Expression) (string, bool) {
	trav, d := hcl.AbsTraversalForExpr(expr)
	if d.HasErrors() || len(trav) != 1 {
		return "", false
	}
	return trav.RootName(), true
}

// missingQuotesError reports a bare word where text is wanted.
func missingQuotesError(expr hcl.Expression, word string) hcl.Diagnostics {
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Missing quotes",
		Detail:   fmt.Sprintf("This value is text, written in quotes: %q.", word),
		Subject:  expr.Range().Ptr(),
	}}
}

// literalString reads a constant string; null counts as absent ("", false).
func literalString(expr hcl.Expression) (string, bool, hcl.Diagnostics) {
	// A bare word (priority = urgent) parses as a variable, and HCL's own
	// "Variables not allowed" does not say that the word wants quotes.
	if word, ok := bareWord(expr); ok {
		return "", false, missingQuotesError(expr, word)
	}
	val, diags := literalValue(expr)
	if diags.HasErrors() || val.IsNull() {
		return "", false, diags
	}
	if !val.Type().IsPrimitiveType() {
		return "", false, append(diags, wrongType(expr, "a string", nil)...)
	}
	s, err := convert.Convert(val, cty.String)
	if err != nil {
		return "", false, append(diags, wrongType(expr, "a string", err)...)
	}
	return s.AsString(), true, diags
}

func attrString(attrs hcl.Attributes, name string) (string, hcl.Diagnostics) {
	attr, ok := attrs[name]
	if !ok {
		return "", nil
	}
	s, _, diags := literalString(attr.Expr)
	return s, diags
}

func attrBool(attrs hcl.Attributes, name string) (bool, hcl.Diagnostics) {
	attr, ok := attrs[name]
	if !ok {
		return false, nil
	}
	val, diags := literalValue(attr.Expr)
	if diags.HasErrors() || val.IsNull() {
		return false, diags
	}
	if val.Type() != cty.Bool {
		return false, append(diags, wrongType(attr.Expr, "true or false", nil)...)
	}
	return val.True(), diags
}

func attrNumber(attrs hcl.Attributes, name string) (float64, bool, hcl.Diagnostics) {
	attr, ok := attrs[name]
	if !ok {
		return 0, false, nil
	}
	val, diags := literalValue(attr.Expr)
	if diags.HasErrors() || val.IsNull() {
		return 0, false, diags
	}
	if val.Type() != cty.Number {
		return 0, false, append(diags, wrongType(attr.Expr, "a number", nil)...)
	}
	f, _ := val.AsBigFloat().Float64()
	return f, true, diags
}

func attrInt(attrs hcl.Attributes, name string) (int, bool, hcl.Diagnostics) {
	attr, ok := attrs[name]
	if !ok {
		return 0, false, nil
	}
	val, diags := literalValue(attr.Expr)
	if diags.HasErrors() || val.IsNull() {
		return 0, false, diags
	}
	if val.Type() != cty.Number {
		return 0, false, append(diags, wrongType(attr.Expr, "a whole number", nil)...)
	}
	bf := val.AsBigFloat()
	if !bf.IsInt() {
		return 0, false, append(diags, wrongType(attr.Expr, "a whole number", nil)...)
	}
	i, acc := bf.Int64()
	if acc != big.Exact || i > 1<<31 || i < -(1<<31) {
		return 0, false, append(diags, wrongType(attr.Expr, "a whole number of reasonable size", nil)...)
	}
	return int(i), true, diags
}

// attrStringList reads a constant list of strings. An explicit [] gives a non-nil
// empty slice, because "nothing" differs from "not given" in tests.
func attrStringList(attrs hcl.Attributes, name string) ([]string, bool, hcl.Diagnostics) {
	attr, ok := attrs[name]
	if !ok {
		return nil, false, nil
	}
	list, diags := stringList(attr.Expr)
	return list, !diags.HasErrors(), diags
}

func stringList(expr hcl.Expression) ([]string, hcl.Diagnostics) {
	val, diags := literalValue(expr)
	if diags.HasErrors() {
		return nil, diags
	}
	list, more := stringListValue(val, expr)
	return list, append(diags, more...)
}

// stringListValue reads a list of strings that expr evaluated to.
func stringListValue(val cty.Value, expr hcl.Expression) ([]string, hcl.Diagnostics) {
	if val.IsNull() {
		return nil, nil
	}
	ty := val.Type()
	if !ty.IsTupleType() && !ty.IsListType() && !ty.IsSetType() {
		return nil, wrongType(expr, "a list of strings", nil)
	}
	out := []string{}
	for it := val.ElementIterator(); it.Next(); {
		_, v := it.Element()
		if v.IsNull() || !v.Type().IsPrimitiveType() {
			return nil, wrongType(expr, "a list of strings", nil)
		}
		s, err := convert.Convert(v, cty.String)
		if err != nil {
			return nil, wrongType(expr, "a list of strings", err)
		}
		out = append(out, s.AsString())
	}
	return out, nil
}

func attrDuration(attrs hcl.Attributes, name string, def time.Duration) (time.Duration, hcl.Diagnostics) {
	attr, ok := attrs[name]
	if !ok {
		return def, nil
	}
	s, present, diags := literalString(attr.Expr)
	if diags.HasErrors() || !present {
		return def, diags
	}
	dur, err := time.ParseDuration(s)
	if err != nil || dur <= 0 {
		return def, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid duration",
			Detail:   fmt.Sprintf("%q is not a positive duration; write it like \"30s\", \"10m\" or \"1h30m\".%s", s, durationHint(s)),
			Subject:  attr.Expr.Range().Ptr(),
		})
	}
	return dur, diags
}

// durationHint spells out a duration written in words or in days, which Go's
// durations lack: "5d" and "1 day" are common first guesses.
func durationHint(s string) string {
	s = strings.TrimSpace(strings.ToLower(s))
	digits := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if digits <= 0 {
		return ""
	}
	n, unit := s[:digits], strings.TrimSpace(s[digits:])
	count, err := strconv.Atoi(n)
	if err != nil || count <= 0 {
		return ""
	}
	switch unit {
	case "d", "day", "days":
		return fmt.Sprintf(" Days are written in hours: %q.", strconv.Itoa(count*24)+"h")
	case "w", "week", "weeks":
		return fmt.Sprintf(" Weeks are written in hours: %q.", strconv.Itoa(count*24*7)+"h")
	case "hour", "hours", "hr", "hrs":
		return fmt.Sprintf(" Did you mean %q?", n+"h")
	case "min", "mins", "minute", "minutes":
		return fmt.Sprintf(" Did you mean %q?", n+"m")
	case "sec", "secs", "second", "seconds":
		return fmt.Sprintf(" Did you mean %q?", n+"s")
	}
	return ""
}

// oneOf checks a constant string against the allowed values.
func oneOf(attr *hcl.Attribute, value string, allowed []string, what string) hcl.Diagnostics {
	for _, a := range allowed {
		if a == value {
			return nil
		}
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid " + what,
		Detail:   fmt.Sprintf("%q is not %s %s; use one of %s.%s", value, strings.ToLower(article(what)), what, strings.Join(allowed, ", "), didYouMean(value, allowed)),
		Subject:  attr.Expr.Range().Ptr(),
	}}
}

var priorities = []string{"low", "normal", "high", "urgent"}

// article is "An" before a vowel, else "A".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "An"
	}
	return "A"
}

// ---- references ----

var kindArticle = map[string]string{
	"intent": "an intent", "response": "a response", "queue": "a queue", "dialog": "a dialog",
	"connector": "a connector operation", "slot": "a slot", "entity": "an entity",
	"triage": "a triage block",
}

// refTraversal reads a bare reference such as intent.refund into its parts.
func refTraversal(expr hcl.Expression) ([]string, bool) {
	trav, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() {
		return nil, false
	}
	parts := []string{trav.RootName()}
	for _, step := range trav[1:] {
		attr, ok := step.(hcl.TraverseAttr)
		if !ok {
			return nil, false
		}
		parts = append(parts, attr.Name)
	}
	return parts, true
}

// decodeRef reads a reference of the form KIND.NAME.
func decodeRef(expr hcl.Expression, kind string) (string, hcl.Diagnostics) {
	parts, ok := refTraversal(expr)
	example := kind + ".NAME"
	if ok && len(parts) == 2 && parts[0] == kind {
		return parts[1], nil
	}
	detail := fmt.Sprintf("Expected a reference to %s, like %s.", kindArticle[kind], example)
	if ok && parts[0] != kind {
		if art, known := kindArticle[parts[0]]; known {
			detail = fmt.Sprintf("This refers to %s, but %s is expected here, like %s.", art, kindArticle[kind], example)
		}
	}
	detail += quotedHint(expr, kind)
	return "", hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Expected " + kindArticle[kind] + " reference",
		Detail:   detail,
		Subject:  expr.Range().Ptr(),
	}}
}

// decodeOperationRef reads connector.CONNECTOR.OPERATION.
func decodeOperationRef(expr hcl.Expression) (string, string, hcl.Diagnostics) {
	parts, ok := refTraversal(expr)
	if ok && len(parts) == 3 && parts[0] == "connector" {
		return parts[1], parts[2], nil
	}
	detail := "Expected a connector operation, like connector.orders.get_order."
	if ok && parts[0] != "connector" {
		if art, known := kindArticle[parts[0]]; known {
			detail = fmt.Sprintf("This refers to %s, but a connector operation is expected here, like connector.orders.get_order.", art)
		}
	}
	if s, quoted := quotedText(expr); quoted {
		if name, isRef := strings.CutPrefix(s, "connector."); isRef {
			if c, op, two := strings.Cut(name, "."); two && hclsyntax.ValidIdentifier(c) && hclsyntax.ValidIdentifier(op) {
				detail += fmt.Sprintf(" A reference is written without quotes: connector.%s.%s.", c, op)
			}
		}
	}
	return "", "", hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Expected a connector operation reference",
		Detail:   detail,
		Subject:  expr.Range().Ptr(),
	}}
}

// quotedName reports a constant string that is a plain name, such as
// "top_up" written where a reference like intent.top_up belongs.
func quotedName(expr hcl.Expression) (string, bool) {
	name, ok := quotedText(expr)
	return name, ok && hclsyntax.ValidIdentifier(name)
}

// quotedText is the text of a constant string, trimmed.
func quotedText(expr hcl.Expression) (string, bool) {
	if len(expr.Variables()) > 0 {
		return "", false
	}
	val, diags := expr.Value(nil)
	if diags.HasErrors() || val.IsNull() || !val.IsKnown() || val.Type() != cty.String {
		return "", false
	}
	return strings.TrimSpace(val.AsString()), true
}

// quotedHint says how to write a quoted name, or a whole reference in quotes
// ("intent.top_up"), as a reference; "" otherwise.
func quotedHint(expr hcl.Expression, kind string) string {
	s, quoted := quotedText(expr)
	if name := strings.TrimPrefix(s, kind+"."); quoted && hclsyntax.ValidIdentifier(name) {
		return fmt.Sprintf(" A reference is written without quotes: %s.%s.", kind, name)
	}
	return ""
}

// slotReads lists the slot names an expression reads, in order of first use.
func slotReads(expr hcl.Expression) []string { return rootReads(expr, "slot") }

// exprOrNil turns an absent attribute into a nil expression.
func exprOrNil(attrs hcl.Attributes, name string) hcl.Expression {
	if attr, ok := attrs[name]; ok {
		return attr.Expr
	}
	return nil
}

// singleBlock reports every block of a kind after the first.
func singleBlock(blocks hcl.Blocks, typ string) (*hcl.Block, hcl.Diagnostics) {
	var first *hcl.Block
	var diags hcl.Diagnostics
	for _, b := range blocks {
		if b.Type != typ {
			continue
		}
		if first != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  fmt.Sprintf("Duplicate %s block", typ),
				Detail:   fmt.Sprintf("Only one %s block is allowed here; the first is at %s.", typ, first.DefRange.String()),
				Subject:  b.DefRange.Ptr(),
			})
			continue
		}
		first = b
	}
	return first, diags
}
