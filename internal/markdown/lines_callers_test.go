package markdown

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLinesNotCalledOutsideTests: no code of the module but tests calls
// Lines or LinesContext. On a megabyte of newlines Lines builds a million
// Line values (48 MB), 50–70 ms here, over the 50 ms bar of issue 8 finding
// 4 for a parser of user text; BenchmarkLinesHostile1MB measures it and is
// allowed to be over only because of this test. Code that reads user text
// uses Each, which builds none.
func TestLinesNotCalledOutsideTests(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	fset := token.NewFileSet()
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		local := filepath.Dir(path) == filepath.Join(root, "internal", "markdown")
		name := "" // what the file calls this package
		for _, imp := range f.Imports {
			if imp.Path.Value == `"github.com/overlaphq/overlap/internal/markdown"` {
				name = "markdown"
				if imp.Name != nil {
					name = imp.Name.Name
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			var id string
			switch x := n.(type) {
			case *ast.SelectorExpr:
				if pkg, ok := x.X.(*ast.Ident); ok && name != "" && pkg.Name == name {
					id = x.Sel.Name
				}
			case *ast.Ident:
				if local || name == "." {
					id = x.Name
				}
			}
			if id == "Lines" || id == "LinesContext" {
				pos := fset.Position(n.Pos())
				if local && isDecl(f, n) {
					return true
				}
				t.Errorf("%s:%d uses markdown.%s outside tests; use markdown.Each", pos.Filename, pos.Line, id)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("read %d Go files under %s: not the module", files, root)
	}
}

// isDecl: n is the name of a function declaration of f (Lines and
// LinesContext are declared, and LinesContext is called by Lines, in
// this package).
func isDecl(f *ast.File, n ast.Node) bool {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && (fd.Name == n || fd.Name.Name == "Lines" && contains(fd, n)) {
			return true
		}
	}
	return false
}

func contains(fd *ast.FuncDecl, n ast.Node) bool {
	return fd.Pos() <= n.Pos() && n.End() <= fd.End()
}
