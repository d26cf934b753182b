package commands

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// msgNames reads the MsgID constants from messages.go, so failures name the
// message instead of a number, and the call-site check below can map an
// identifier to its texts.
func msgNames(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "messages.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			for _, n := range s.(*ast.ValueSpec).Names {
				names = append(names, n.Name)
			}
		}
	}
	// names holds "_", the ids, then msgCount: the ids are iota-numbered.
	if got, want := len(names), int(msgCount)+1; got != want || names[len(names)-1] != "msgCount" {
		t.Fatalf("messages.go has %d constants ending in %q; want %d ending in msgCount (is the const block still one iota list?)", got, names[len(names)-1], want)
	}
	return names[:msgCount]
}

// verb is one placeholder of a format: which argument (1-based) and how.
type verb struct {
	arg  int
	verb rune
}

func (v verb) String() string { return fmt.Sprintf("%%%c for argument %d", v.verb, v.arg) }

// verbs lists the placeholders of a fmt format the way fmt numbers
// arguments: sequentially, %[n] resetting the count, * taking one.
func verbs(format string) ([]verb, error) {
	var out []verb
	arg := 1
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			i++
		}
		index := func() error {
			if i < len(format) && format[i] == '[' {
				j := strings.IndexByte(format[i:], ']')
				if j < 0 {
					return fmt.Errorf("unclosed [ in %q", format)
				}
				n, err := strconv.Atoi(format[i+1 : i+j])
				if err != nil || n < 1 {
					return fmt.Errorf("bad argument index in %q", format)
				}
				arg, i = n, i+j+1
			}
			return nil
		}
		number := func() error {
			if err := index(); err != nil {
				return err
			}
			if i < len(format) && format[i] == '*' {
				out = append(out, verb{arg, '*'})
				arg++
				i++
				return nil
			}
			for i < len(format) && format[i] >= '0' && format[i] <= '9' {
				i++
			}
			return nil
		}
		if err := number(); err != nil { // width
			return nil, err
		}
		if i < len(format) && format[i] == '.' { // precision
			i++
			if err := number(); err != nil {
				return nil, err
			}
		}
		if err := index(); err != nil {
			return nil, err
		}
		if i >= len(format) {
			return nil, fmt.Errorf("%q ends in a lone %%", format)
		}
		if format[i] == '%' {
			continue
		}
		r, size := utf8.DecodeRuneInString(format[i:])
		out = append(out, verb{arg, r})
		arg++
		i += size - 1
	}
	slices.SortStableFunc(out, func(a, b verb) int { return a.arg - b.arg })
	return out, nil
}

var verbsTests = []struct {
	in   string
	want []verb
	err  bool
}{
	{"geen verbs", nil, false},
	{"100%% zeker", nil, false},
	{"%s en %d", []verb{{1, 's'}, {2, 'd'}}, false},
	{"%[2]s %[1]q", []verb{{1, 'q'}, {2, 's'}}, false},
	{"%5.2f %-8s|%+d", []verb{{1, 'f'}, {2, 's'}, {3, 'd'}}, false},
	{"%*d", []verb{{1, '*'}, {2, 'd'}}, false},
	{"kapot %", nil, true},
	{"%[x]s", nil, true},
}

func TestCatalogueVerbs(t *testing.T) {
	for _, tt := range verbsTests {
		got, err := verbs(tt.in)
		if (err != nil) != tt.err || !slices.Equal(got, tt.want) {
			t.Errorf("verbs(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// forms splits a plural message into its forms; other messages have one.
func forms(text string) []string { return strings.Split(text, "|") }

// TestCatalogueComplete: every message has a text in every language, and
// every language has the same placeholders (count, argument and verb) as
// Dutch in every form, so no chat reads %!s(MISSING) or a blank.
func TestCatalogueComplete(t *testing.T) {
	names := msgNames(t)
	if len(catalogues) < 2 {
		t.Fatalf("catalogues has %d languages, want Dutch and English at least", len(catalogues))
	}
	for lang, c := range catalogues {
		for id := MsgID(1); id < msgCount; id++ {
			name, text := names[id], c.texts[id]
			if text == "" {
				t.Errorf("%s has no %s text", name, lang)
				continue
			}
			nlForms, langForms := forms(nl[id]), forms(text)
			if (len(nlForms) > 1) != (len(langForms) > 1) {
				t.Errorf("%s: plural in one language only (nl %q, %s %q)", name, nl[id], lang, text)
				continue
			}
			if len(langForms) > 1 && len(langForms) != c.forms {
				t.Errorf("%s: %s has %d plural forms, its rule has %d: %q", name, lang, len(langForms), c.forms, text)
			}
			want, err := verbs(nlForms[0])
			if err != nil {
				t.Errorf("%s nl: %v", name, err)
				continue
			}
			for _, form := range langForms {
				got, err := verbs(form)
				if err != nil {
					t.Errorf("%s %s: %v", name, lang, err)
				} else if !slices.Equal(got, want) {
					t.Errorf("%s: %s placeholders %v differ from nl %v\n nl: %q\n %s: %q", name, lang, got, want, nl[id], lang, form)
				}
			}
			// Formatted with values of the right kinds, no form may show
			// fmt's complaints (%!d(string=…), %!(EXTRA …)).
			args := make([]any, 0, len(want))
			for _, v := range want {
				for len(args) < v.arg {
					args = append(args, sample(v.verb))
				}
			}
			for _, form := range langForms {
				if out := fmt.Sprintf(form, args...); strings.Contains(out, "%!") {
					t.Errorf("%s %s formats as %q", name, lang, out)
				}
			}
		}
	}
	if got := NL.Msg(MsgErased); got != ErasedAuthor {
		t.Errorf("nl MsgErased = %q, want ErasedAuthor %q (the stored marker reads as the Dutch word)", got, ErasedAuthor)
	}
}

func sample(verb rune) any {
	switch verb {
	case 'd', '*', 'x', 'X', 'c', 'b', 'o':
		return 7
	case 'f', 'g', 'e':
		return 7.5
	case 't':
		return true
	}
	return "x"
}

// TestCatalogueCallArgs reads every Msg and Count call in the module and
// checks that it passes as many arguments as its Dutch text has: a wrong
// count compiles, so only this test catches it before a user does.
func TestCatalogueCallArgs(t *testing.T) {
	names := msgNames(t)
	ids := make(map[string]MsgID, len(names))
	for id, n := range names {
		ids[n] = MsgID(id)
	}
	fset := token.NewFileSet()
	calls := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != ".." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Msg" && sel.Sel.Name != "Count") {
				return true
			}
			var name string
			switch a := call.Args[0].(type) {
			case *ast.Ident:
				name = a.Name
			case *ast.SelectorExpr:
				name = a.Sel.Name
			}
			id, ok := ids[name]
			if !ok || call.Ellipsis.IsValid() {
				return true
			}
			calls++
			want := 0
			if vs, err := verbs(forms(nl[id])[0]); err == nil && len(vs) > 0 {
				want = vs[len(vs)-1].arg
			}
			got := len(call.Args) - 1 // Count's n is the text's first argument
			if got != want {
				t.Errorf("%s: %s(%s) passes %d arguments, its text has %d: %q", fset.Position(call.Pos()), sel.Sel.Name, name, got, want, nl[id])
			}
			if isPlural := len(forms(nl[id])) > 1; isPlural != (sel.Sel.Name == "Count") {
				t.Errorf("%s: %s(%s), but the message is plural=%v: use Count for plural messages, Msg for the others", fset.Position(call.Pos()), sel.Sel.Name, name, isPlural)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 200 {
		t.Fatalf("found %d Msg/Count calls; the walk missed files (expected over 200)", calls)
	}
}

func TestCatalogueCount(t *testing.T) {
	for _, tt := range []struct {
		lang Lang
		n    int
		want string
	}{
		{NL, 1, "1 dag"}, {NL, 0, "0 dagen"}, {NL, 3, "3 dagen"},
		{EN, 1, "1 day"}, {EN, 2, "2 days"},
	} {
		if got := tt.lang.Count(MsgDaysN, tt.n); got != tt.want {
			t.Errorf("%s Count(MsgDaysN, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"en": EN, "en-GB": EN, "EN": EN, "nl_NL": NL, "nl": NL, "fr": NL, "": NL, "e": NL} {
		if got := ParseLang(in); got != want {
			t.Errorf("ParseLang(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSentinelsWithoutText: the package's error values (ErrNotFound,
// ErrResolved, …) are what stores return, so they carry a code and a cause
// but no Message: a Message is user text in one language, and a sentinel
// would show it in every chat.
func TestSentinelsWithoutText(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			ast.Inspect(g, func(n ast.Node) bool {
				lit, ok := n.(*ast.CompositeLit)
				if !ok {
					return true
				}
				if id, ok := lit.Type.(*ast.Ident); !ok || id.Name != "Error" {
					return true
				}
				found++
				for _, e := range lit.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok && kv.Key.(*ast.Ident).Name == "Message" {
						t.Errorf("%s: a package-level Error has a Message; give it an Err (cause) and word it from the catalogue where it is handled", fset.Position(lit.Pos()))
					}
				}
				return true
			})
		}
	}
	if found < 4 {
		t.Fatalf("found %d package-level Error values; the walk missed them", found)
	}
}

// TestMsgIsSprintf: Msg gives every text as fmt.Sprintf formats it, also
// when it hands a text without arguments over as it is (a "%%" must still
// become "%").
func TestMsgIsSprintf(t *testing.T) {
	var none []any // as Msg(id) passes them
	n := 0
	for l, c := range catalogues {
		for id, text := range c.texts {
			if got, want := l.Msg(MsgID(id)), fmt.Sprintf(text, none...); got != want {
				t.Errorf("%s %d: Msg %q, Sprintf %q", l, id, got, want)
			}
			n++
		}
	}
	if got := (Lang(NL)).Msg(MsgID(0), "x"); got != fmt.Sprintf(catalogues[NL].texts[0], "x") {
		t.Errorf("with an argument: %q", got)
	}
	if n == 0 {
		t.Fatal("no catalogue texts")
	}
}
