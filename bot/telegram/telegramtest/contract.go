package telegramtest

// The contract check: every request the fake receives is held against the
// Bot API reference itself (vendored in testdata/telegram-bot-api-spec, a
// machine-readable scrape of https://core.telegram.org/bots/api), not
// against what this fake happens to implement. A departure is recorded as
// a Violation; NewServer fails the test that produced one, so every test
// that talks to the fake also asserts that the bot speaks the current API.

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
)

//go:embed testdata/telegram-bot-api-spec/api.json
var specJSON []byte

// Violation is one way a request departed from the Bot API specification.
type Violation struct {
	Method  string
	Problem string
}

func (v Violation) String() string { return v.Method + ": " + v.Problem }

type specField struct {
	Name        string   `json:"name"`
	Types       []string `json:"types"`
	Required    bool     `json:"required"`
	Description string   `json:"description"`

	rule fieldRule
}

type specDef struct {
	Name        string       `json:"name"`
	Description []string     `json:"description"`
	Fields      []*specField `json:"fields"`
	Subtypes    []string     `json:"subtypes"`

	byName map[string]*specField
	// exactlyOneOf: of the fields not in this set, exactly one must be
	// used ("Exactly one of the fields other than text, ... must be used").
	exactlyOneExcept map[string]bool
}

// botAPI is the vendored specification, indexed.
type botAPI struct {
	Version string              `json:"version"`
	Methods map[string]*specDef `json:"methods"`
	Types   map[string]*specDef `json:"types"`
	Subset  struct {
		AllMethods []string `json:"all_methods"`
	} `json:"x-wijkbot-subset"`

	allMethods map[string]string // lower case -> canonical
}

// fieldRule is what a field's description says about its values.
type fieldRule struct {
	min, max      int  // length limits; max 0 = none
	bytes         bool // limits count bytes, not characters
	afterEntities bool // characters after entities parsing
	oneOf         []string
	lowerWord     bool // only lowercase English letters, digits and underscores
	intMin        *int64
	intMax        *int64
}

var (
	reLength     = regexp.MustCompile(`(\d+)-(\d+) (characters|bytes)`)
	reValues     = regexp.MustCompile(`Values between (\d+)-(\d+)`)
	reOneOf      = regexp.MustCompile(`(?i)must be one of ([^.]*)`)
	reQuoted     = regexp.MustCompile(`"([^"]+)"|“([^”]+)”`)
	reMustBe     = regexp.MustCompile(`type, must be ([a-z_]+)$`)
	reExactlyOne = regexp.MustCompile(`Exactly one of the fields other than ([^.]*?) must be used`)
)

func ruleOf(desc string) fieldRule {
	var r fieldRule
	if m := reLength.FindStringSubmatch(desc); m != nil {
		r.min, _ = strconv.Atoi(m[1])
		r.max, _ = strconv.Atoi(m[2])
		r.bytes = m[3] == "bytes"
		r.afterEntities = strings.Contains(desc, m[0]+" after entities parsing")
	}
	if m := reValues.FindStringSubmatch(desc); m != nil {
		lo, _ := strconv.ParseInt(m[1], 10, 64)
		hi, _ := strconv.ParseInt(m[2], 10, 64)
		r.intMin, r.intMax = &lo, &hi
	}
	if m := reOneOf.FindStringSubmatch(desc); m != nil {
		for _, q := range reQuoted.FindAllStringSubmatch(m[1], -1) {
			r.oneOf = append(r.oneOf, q[1]+q[2])
		}
	}
	if m := reMustBe.FindStringSubmatch(desc); m != nil {
		r.oneOf = []string{m[1]}
	}
	r.lowerWord = strings.Contains(desc, "Can contain only lowercase English letters, digits and underscores")
	return r
}

func index(d *specDef) {
	d.byName = map[string]*specField{}
	for _, f := range d.Fields {
		f.rule = ruleOf(f.Description)
		d.byName[f.Name] = f
	}
	for _, line := range d.Description {
		if m := reExactlyOne.FindStringSubmatch(line); m != nil {
			d.exactlyOneExcept = map[string]bool{}
			for _, n := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' }) {
				if n != "and" {
					d.exactlyOneExcept[n] = true
				}
			}
		}
	}
}

// theSpec is the vendored specification, read once.
var theSpec = sync.OnceValue(func() *botAPI {
	var api botAPI
	if err := json.Unmarshal(specJSON, &api); err != nil {
		panic("telegramtest: vendored Bot API specification: " + err.Error())
	}
	for _, d := range api.Methods {
		index(d)
	}
	for _, d := range api.Types {
		index(d)
	}
	api.allMethods = map[string]string{}
	for _, m := range api.Subset.AllMethods {
		api.allMethods[strings.ToLower(m)] = m
	}
	return &api
})

// SpecVersion is the Bot API version of the vendored specification.
func SpecVersion() string { return theSpec().Version }

// CheckRequest holds one call (method as in the URL, its parameters as
// sent, and the names of the uploaded files) against the specification
// and returns what departs from it, nil for a correct call.
func CheckRequest(method string, params map[string]string, files []string) []Violation {
	api := theSpec()
	canon, ok := api.allMethods[strings.ToLower(method)]
	if !ok {
		return []Violation{{method, "no such method in Bot API " + api.Version}}
	}
	def, ok := api.Methods[canon]
	if !ok {
		return []Violation{{canon, "method exists but is not vendored: add it to internal/specsubset and regenerate"}}
	}
	c := &checker{api: api, method: canon, params: params}
	uploaded := map[string]bool{}
	for _, f := range files {
		uploaded[f] = true
		fd, ok := def.byName[f]
		if !ok {
			c.addf("file %q is not a parameter of %s", f, canon)
			continue
		}
		if !slicesContains(fd.Types, "InputFile") {
			c.addf("file %q: parameter %s does not take an upload (types %v)", f, f, fd.Types)
		}
	}
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fd, ok := def.byName[k]
		if !ok {
			c.addf("unknown parameter %q", k)
			continue
		}
		c.param(fd, params[k])
	}
	for _, fd := range def.Fields {
		if _, ok := params[fd.Name]; fd.Required && !ok && !uploaded[fd.Name] {
			c.addf("required parameter %q is missing", fd.Name)
		}
	}
	return c.out
}

type checker struct {
	api    *botAPI
	method string
	params map[string]string
	out    []Violation
}

func (c *checker) addf(format string, args ...any) {
	c.out = append(c.out, Violation{c.method, fmt.Sprintf(format, args...)})
}

// param checks a top-level parameter, sent as a string: scalars as text,
// objects and arrays JSON-serialized.
func (c *checker) param(fd *specField, raw string) {
	if raw == "null" {
		c.addf("%s is null: the API wants %s or nothing (leave the parameter out)", fd.Name, strings.Join(fd.Types, " or "))
		return
	}
	var errs []string
	for _, t := range fd.Types {
		var err error
		switch t {
		case "String":
			err = c.stringValue(fd, raw)
		case "Integer":
			n, perr := strconv.ParseInt(raw, 10, 64)
			if perr != nil {
				err = fmt.Errorf("%q is not an Integer", raw)
			} else {
				err = intLimits(fd, n)
			}
		case "Float":
			if _, perr := strconv.ParseFloat(raw, 64); perr != nil {
				err = fmt.Errorf("%q is not a Float", raw)
			}
		case "Boolean":
			if raw != "true" && raw != "false" {
				err = fmt.Errorf("%q is not a Boolean", raw)
			}
		case "InputFile":
			if !strings.HasPrefix(raw, "attach://") {
				err = fmt.Errorf("an InputFile is a multipart upload or attach://<name>")
			}
		default:
			var v any
			if jerr := json.Unmarshal([]byte(raw), &v); jerr != nil {
				err = fmt.Errorf("%s must be JSON-serialized: %v", t, jerr)
			} else {
				err = c.value(fd.Name, t, v)
			}
		}
		if err == nil {
			return
		}
		errs = append(errs, err.Error())
	}
	c.addf("%s: %s", fd.Name, strings.Join(errs, "; or "))
}

// stringValue checks a String parameter's limits; "after entities
// parsing" limits count the text as shown, in UTF-16 units.
func (c *checker) stringValue(fd *specField, s string) error {
	r := fd.rule
	if r.afterEntities && strings.EqualFold(c.params["parse_mode"], "HTML") {
		shown, err := parseHTML(s)
		if err != nil {
			return fmt.Errorf("does not parse as HTML: %v", err)
		}
		s = strings.TrimSpace(shown)
	}
	return stringLimits(fd, s)
}

func stringLimits(fd *specField, s string) error {
	r := fd.rule
	if r.max > 0 {
		n := len(s)
		unit := "bytes"
		if !r.bytes {
			n, unit = len(utf16.Encode([]rune(s))), "characters"
		}
		if n < r.min || n > r.max {
			return fmt.Errorf("%d %s, allowed %d-%d", n, unit, r.min, r.max)
		}
	}
	if len(r.oneOf) > 0 && !slicesContains(r.oneOf, s) {
		return fmt.Errorf("%q is not one of %q", s, r.oneOf)
	}
	if r.lowerWord {
		for _, ch := range s {
			if !(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '_') {
				return fmt.Errorf("%q may contain only lowercase English letters, digits and underscores", s)
			}
		}
	}
	return nil
}

func intLimits(fd *specField, n int64) error {
	if r := fd.rule; r.intMin != nil && (n < *r.intMin || n > *r.intMax) {
		return fmt.Errorf("%d is outside %d-%d", n, *r.intMin, *r.intMax)
	}
	return nil
}

// value checks a decoded JSON value against a type name of the
// specification ("Array of X", a primitive, an object type or an abstract
// type with subtypes).
func (c *checker) value(at, typ string, v any) error {
	if elem, ok := strings.CutPrefix(typ, "Array of "); ok {
		arr, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: want %s, got %s", at, typ, jsonKind(v))
		}
		for i, e := range arr {
			if err := c.value(fmt.Sprintf("%s[%d]", at, i), elem, e); err != nil {
				return err
			}
		}
		return nil
	}
	switch typ {
	case "String":
		if _, ok := v.(string); !ok {
			return fmt.Errorf("%s: want String, got %s", at, jsonKind(v))
		}
		return nil
	case "Integer":
		if f, ok := v.(float64); !ok || f != float64(int64(f)) {
			return fmt.Errorf("%s: want Integer, got %s", at, jsonKind(v))
		}
		return nil
	case "Float":
		if _, ok := v.(float64); !ok {
			return fmt.Errorf("%s: want Float, got %s", at, jsonKind(v))
		}
		return nil
	case "Boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: want Boolean, got %s", at, jsonKind(v))
		}
		return nil
	}
	def, ok := c.api.Types[typ]
	if !ok {
		return fmt.Errorf("%s: type %s is not in the vendored specification", at, typ)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: want %s (an object), got %s", at, typ, jsonKind(v))
	}
	if len(def.Subtypes) > 0 {
		var errs []string
		for _, st := range def.Subtypes {
			err := c.value(at, st, v)
			if err == nil {
				return nil
			}
			errs = append(errs, st+": "+err.Error())
		}
		return fmt.Errorf("%s: matches none of %s's kinds (%s)", at, typ, strings.Join(errs, "; "))
	}
	return c.object(at, def, obj)
}

func (c *checker) object(at string, def *specDef, obj map[string]any) error {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	used := 0
	for _, k := range keys {
		fd, ok := def.byName[k]
		if !ok {
			return fmt.Errorf("%s: %s has no field %q", at, def.Name, k)
		}
		v := obj[k]
		if v == nil {
			return fmt.Errorf("%s.%s is null: leave it out", at, k)
		}
		if def.exactlyOneExcept != nil && !def.exactlyOneExcept[k] {
			used++
		}
		var errs []string
		for _, t := range fd.Types {
			err := c.value(at+"."+k, t, v)
			if err == nil {
				switch x := v.(type) {
				case string:
					err = stringLimits(fd, x)
				case float64:
					err = intLimits(fd, int64(x))
				}
				if err != nil {
					err = fmt.Errorf("%s.%s: %v", at, k, err)
				}
			}
			if err == nil {
				errs = nil
				break
			}
			errs = append(errs, err.Error())
		}
		if errs != nil {
			return fmt.Errorf("%s", strings.Join(errs, "; or "))
		}
	}
	for _, fd := range def.Fields {
		if _, ok := obj[fd.Name]; fd.Required && !ok {
			return fmt.Errorf("%s: %s lacks its required field %q", at, def.Name, fd.Name)
		}
	}
	if def.exactlyOneExcept != nil && used != 1 {
		return fmt.Errorf("%s: %s must use exactly one of its fields other than %s, uses %d", at, def.Name, keysOf(def.exactlyOneExcept), used)
	}
	return nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	}
	return "an object"
}

func keysOf(m map[string]bool) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

func slicesContains(xs []string, x string) bool {
	for _, e := range xs {
		if e == x {
			return true
		}
	}
	return false
}

// check holds a received request against the specification and records
// what departs from it.
func (s *Server) check(req *request) {
	files := make([]string, 0, len(req.files))
	for f := range req.files {
		files = append(files, f)
	}
	s.ledger.Record(CheckRequest(req.method, req.params, files))
}

// Violations returns the departures from the Bot API specification in the
// requests received so far.
func (s *Server) Violations() []Violation { return s.ledger.Violations() }

// TakeViolations returns the departures recorded so far and forgets them,
// for a test that sends wrong requests on purpose.
func (s *Server) TakeViolations() []Violation { return s.ledger.Take() }

// Checked is the number of requests held against the specification.
func (s *Server) Checked() int { return s.ledger.Checked() }
