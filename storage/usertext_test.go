package storage

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoUserText keeps user-facing text out of storage: it returns the
// commands sentinels (ErrNotFound, ErrConflict, ErrInvalid) wrapped with a
// developer's description, and commands answers from its catalogue in the
// chat's language. A commands.Errorf or an Error with a Message here would
// reach a chat in English whatever its language.
func TestNoUserText(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok && id.Name == "commands" && x.Sel.Name == "Errorf" {
					t.Errorf("%s: commands.Errorf carries user text; wrap a commands sentinel instead (fmt.Errorf(\"…: %%w\", commands.ErrNotFound))", fset.Position(x.Pos()))
				}
			case *ast.CompositeLit:
				if sel, ok := x.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Error" {
					for _, e := range x.Elts {
						if kv, ok := e.(*ast.KeyValueExpr); ok && kv.Key.(*ast.Ident).Name == "Message" {
							t.Errorf("%s: commands.Error with a Message carries user text", fset.Position(x.Pos()))
						}
					}
				}
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("checked %d files; the glob missed storage's sources", checked)
	}
}
