package discordtest

// The contract check: every REST request the fake receives is held against
// Discord's own OpenAPI specification (vendored in
// testdata/discord-api-spec), not against what this fake happens to
// implement: the API version, the operation for method and path, its query
// parameters, and the JSON body (or a multipart upload's payload_json)
// against the operation's request schema, with a JSON Schema validator
// that speaks OpenAPI 3.1's dialect (JSON Schema 2020-12). A departure is
// recorded as a Violation; NewServer fails the test that produced one.

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed testdata/discord-api-spec/openapi.json
var specJSON []byte

// APIVersion is the Discord API version the fake expects on the wire
// (REST /api/v10/..., gateway ?v=10), the version of the vendored
// specification.
const APIVersion = "10"

// specExceptions are the places where the OpenAPI file is known to be
// wrong about what Discord accepts; each replaces one schema of the file
// (a JSON pointer into it) before anything is compiled. Keep the reason
// with each: an exception without one cannot be reviewed.
var specExceptions = []struct {
	pointer string
	schema  string
	reason  string
}{
	{
		pointer: "/components/schemas/ApplicationCommandUpdateRequest/properties/default_member_permissions",
		schema:  `{"type": ["string", "null"], "pattern": "^[0-9]+$"}`,
		reason: "The OpenAPI file has an integer; Discord's documentation (Application Commands, " +
			"default_member_permissions: \"?string\", a bit set serialized as a string) and the API " +
			"itself use a string, which is what discordgo sends.",
	},
}

// Violation is one way a request departed from Discord's specification.
type Violation struct {
	Request string // "POST /api/v10/channels/1/messages"
	Problem string
}

func (v Violation) String() string { return v.Request + ": " + v.Problem }

// specOperation is one operation of the specification.
type specOperation struct {
	method   string
	template string         // "/channels/{channel_id}/messages"
	re       *regexp.Regexp // matches concrete paths
	vendored bool
	query    map[string]bool
	// schemas by media type: application/json; multipart/form-data's
	// payload_json uses the JSON one.
	schemas map[string]string // media type -> location to compile
}

type discordSpec struct {
	ops []*specOperation

	mu       sync.Mutex
	compiler *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema
}

const specURL = "https://wijkbot.invalid/discord-api-spec/openapi.json"

var theSpec = sync.OnceValue(loadSpec)

func loadSpec() *discordSpec {
	raw, err := jsonschema.UnmarshalJSON(bytes.NewReader(specJSON))
	if err != nil {
		panic("discordtest: vendored OpenAPI file: " + err.Error())
	}
	doc := raw.(map[string]any)
	for _, e := range specExceptions {
		var repl any
		if err := json.Unmarshal([]byte(e.schema), &repl); err != nil {
			panic("discordtest: spec exception " + e.pointer + ": " + err.Error())
		}
		if err := replaceAt(doc, e.pointer, repl); err != nil {
			panic("discordtest: spec exception: " + err.Error())
		}
	}
	sp := &discordSpec{compiled: map[string]*jsonschema.Schema{}}
	paths := doc["paths"].(map[string]any)
	// Request bodies are moved under $defs, so each compiles as a schema.
	defs := map[string]any{}
	doc["$defs"] = defs
	seen := map[string]bool{}
	for tmpl, it := range paths {
		item := it.(map[string]any)
		var pathParams []any
		if ps, ok := item["parameters"].([]any); ok {
			pathParams = ps
		}
		for m, o := range item {
			if m == "parameters" {
				continue
			}
			op := newOperation(strings.ToUpper(m), tmpl)
			op.vendored = true
			opm := o.(map[string]any)
			params, _ := opm["parameters"].([]any)
			for _, p := range append(append([]any(nil), pathParams...), params...) {
				pm := p.(map[string]any)
				if pm["in"] == "query" {
					op.query[pm["name"].(string)] = true
				}
			}
			if rb, ok := opm["requestBody"].(map[string]any); ok {
				for mt, c := range rb["content"].(map[string]any) {
					name := fmt.Sprintf("op%d", len(defs))
					defs[name] = c.(map[string]any)["schema"]
					op.schemas[mt] = specURL + "#/$defs/" + name
				}
			}
			sp.ops = append(sp.ops, op)
			seen[op.method+" "+tmpl] = true
		}
	}
	subset := doc["x-wijkbot-subset"].(map[string]any)
	for _, a := range subset["all_operations"].([]any) {
		method, tmpl, _ := strings.Cut(a.(string), " ")
		if !seen[a.(string)] {
			sp.ops = append(sp.ops, newOperation(method, tmpl))
		}
	}
	// Fixed segments beat parameters: /messages/@original before /messages/{message_id}.
	sort.SliceStable(sp.ops, func(i, j int) bool {
		return strings.Count(sp.ops[i].template, "{") < strings.Count(sp.ops[j].template, "{")
	})
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(specURL, doc); err != nil {
		panic("discordtest: vendored OpenAPI file: " + err.Error())
	}
	sp.compiler = c
	return sp
}

var reParam = regexp.MustCompile(`\\\{[a-z_]+\\\}`)

func newOperation(method, tmpl string) *specOperation {
	re := reParam.ReplaceAllString(regexp.QuoteMeta(tmpl), `[^/]+`)
	return &specOperation{method: method, template: tmpl, re: regexp.MustCompile("^" + re + "$"),
		query: map[string]bool{}, schemas: map[string]string{}}
}

// replaceAt sets the value at a JSON pointer of doc.
func replaceAt(doc map[string]any, pointer string, v any) error {
	parts := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	cur := doc
	for i, p := range parts {
		p = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
		if i == len(parts)-1 {
			if _, ok := cur[p]; !ok {
				return fmt.Errorf("%s: not in the specification (was it fixed upstream?)", pointer)
			}
			cur[p] = v
			return nil
		}
		next, ok := cur[p].(map[string]any)
		if !ok {
			return fmt.Errorf("%s: not in the specification (was it fixed upstream?)", pointer)
		}
		cur = next
	}
	return nil
}

func (sp *discordSpec) schema(loc string) (*jsonschema.Schema, error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if s, ok := sp.compiled[loc]; ok {
		return s, nil
	}
	s, err := sp.compiler.Compile(loc)
	if err != nil {
		return nil, err
	}
	sp.compiled[loc] = s
	return s, nil
}

// CheckRequest holds one REST request (method, path from /api/v…, query,
// content type and body) against the specification and returns what
// departs from it, nil for a correct request.
func CheckRequest(method, path string, query map[string][]string, contentType string, body []byte) []Violation {
	sp := theSpec()
	req := method + " " + path
	var out []Violation
	add := func(format string, args ...any) {
		out = append(out, Violation{req, fmt.Sprintf(format, args...)})
	}
	rest, ok := strings.CutPrefix(path, "/api/v")
	version, rest, _ := strings.Cut(rest, "/")
	if !ok || version != APIVersion {
		add("API version %q, the bot must speak v%s", version, APIVersion)
	}
	rest = "/" + rest
	var op *specOperation
	pathKnown := false
	for _, o := range sp.ops {
		if o.re.MatchString(rest) {
			pathKnown = true
			if o.method == method {
				op = o
				break
			}
		}
	}
	switch {
	case op == nil && pathKnown:
		add("no operation %s for this path in the specification", method)
		return out
	case op == nil:
		add("no such path in the specification")
		return out
	case !op.vendored:
		add("operation %s %s exists but is not vendored: add it to internal/specsubset and regenerate", op.method, op.template)
		return out
	}
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !op.query[k] {
			add("unknown query parameter %q of %s %s", k, op.method, op.template)
		}
	}
	if len(op.schemas) == 0 {
		if len(bytes.TrimSpace(body)) > 0 {
			add("%s %s takes no body", op.method, op.template)
		}
		return out
	}
	mt, params, _ := mime.ParseMediaType(contentType)
	var payload []byte
	switch mt {
	case "application/json":
		payload = body
	case "multipart/form-data":
		if op.schemas["multipart/form-data"] == "" {
			add("%s %s takes no multipart body", op.method, op.template)
			return out
		}
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				add("multipart body: %v", err)
				return out
			}
			name := part.FormName()
			data, _ := io.ReadAll(part)
			switch {
			case name == "payload_json":
				payload = data
			case reFiles.MatchString(name):
			default:
				add("unexpected multipart field %q (want payload_json and files[n])", name)
			}
		}
		if payload == nil {
			add("multipart body without payload_json")
			return out
		}
	case "":
		if len(bytes.TrimSpace(body)) == 0 {
			add("%s %s wants a body", op.method, op.template)
		} else {
			add("body without a Content-Type")
		}
		return out
	default:
		add("content type %q", mt)
		return out
	}
	loc := op.schemas["application/json"]
	if loc == "" {
		add("%s %s takes no JSON body", op.method, op.template)
		return out
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(payload))
	if err != nil {
		add("body is not JSON: %v", err)
		return out
	}
	sch, err := sp.schema(loc)
	if err != nil {
		add("compiling the request schema of %s %s: %v", op.method, op.template, err)
		return out
	}
	if err := sch.Validate(inst); err != nil {
		add("body does not match the request schema of %s %s: %v", op.method, op.template, err)
	}
	return out
}

var reFiles = regexp.MustCompile(`^files\[\d+\]$`)

// check notes a received REST request, to be held against the
// specification when the results are read (audit); the body stays
// readable for the handler.
//
// Why later: the check is the test suite's audit of the bot, not part of
// what Discord does before accepting a request (the handlers refuse what
// Discord refuses). Done in the request, it cost about 40 µs of CPU per
// interaction callback (schema validation over the OpenAPI file), on the
// same two cores the bot runs on, where Discord's own validation costs
// the bot nothing: a fifth of the CPU of wijkbench's latency run. Every
// request is still checked, before any result is read and before the
// test ends (FailOn in the server's cleanup).
func (s *Server) check(r *http.Request) {
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		// The client went away mid-body (a bot stopped while sending): no
		// request arrived to hold against the specification, and the
		// handler refuses the cut-off body as Discord would.
		return
	}
	req := pendingCheck{r.Method, r.URL.Path, r.URL.Query(), r.Header.Get("Content-Type"), body}
	s.checkMu.Lock()
	s.pending = append(s.pending, req)
	n := len(s.pending)
	s.checkMu.Unlock()
	if n >= maxPendingChecks {
		s.audit()
	}
}

// maxPendingChecks bounds the requests kept unchecked (with their bodies)
// in a long test that reads no results.
const maxPendingChecks = 1024

// pendingCheck is a received request not yet held against the specification.
type pendingCheck struct {
	method, path string
	query        map[string][]string
	contentType  string
	body         []byte
}

// audit holds the requests noted by check against the specification, in
// the order received, and records the results in the ledger.
func (s *Server) audit() {
	s.auditMu.Lock() // one audit at a time, so results are recorded in order
	defer s.auditMu.Unlock()
	s.checkMu.Lock()
	reqs := s.pending
	s.pending = nil
	s.checkMu.Unlock()
	for _, r := range reqs {
		s.ledger.Record(CheckRequest(r.method, r.path, r.query, r.contentType, r.body))
	}
}

// checkGateway checks the gateway URL's query: the API version and JSON.
func (s *Server) checkGateway(r *http.Request) {
	var v []Violation
	q := r.URL.Query()
	if got := q.Get("v"); got != APIVersion {
		v = append(v, Violation{"GET " + r.URL.Path, fmt.Sprintf("gateway version v=%q, the bot must speak v=%s", got, APIVersion)})
	}
	s.ledger.Record(v)
}

// Violations returns the departures from Discord's specification in the
// requests received so far.
func (s *Server) Violations() []Violation { s.audit(); return s.ledger.Violations() }

// TakeViolations returns the departures recorded so far and forgets them,
// for a test that sends wrong requests on purpose.
func (s *Server) TakeViolations() []Violation { s.audit(); return s.ledger.Take() }

// Checked is the number of requests (and gateway connections) held
// against the specification.
func (s *Server) Checked() int { s.audit(); return s.ledger.Checked() }
