package bot_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// The text catalog is bot/texts*.go: every word a member sees lives there,
// so the whole voice can be read, reviewed and translated in one place.
// These tests read the Go source (go/parser, no type checking) and name
// every place outside the catalog that still writes member-facing words.
// A string counts as words when it contains a letter: punctuation and
// separators (": ", " · ", "• ") may be put together anywhere.
//
// The command table (commands.go) is part of the voice too: its Summary,
// Help, Example and choice labels are table data, read by help and the
// platforms' command registration, and are not looked for here.

const catalogHint = "member-facing text belongs in bot/texts*.go: add a textXxx function there and call it"

// textMethods are Text's builders that take the bot's own words (and, for
// Cmd, a command line).
var textMethods = map[string]bool{"P": true, "B": true, "I": true, "C": true, "Cmd": true}

// TestCatalogCore checks the core's feature files (package bot, outside the
// catalog): no T, P, B, I, C or Cmd with words, no Span or Action label
// with words.
func TestCatalogCore(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var found []finding
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") || name == "text.go" || strings.HasPrefix(name, "texts") {
			continue
		}
		found = append(found, scanFile(t, name, "bot/"+name, coreRules)...)
	}
	report(t, found)
}

// TestCatalogAdapters checks the adapters (../adapters, recursively, without
// tests and the discordtest fake server): they render the core's Text and
// report conditions; they write no words of their own and do not drive the
// core's clock (the core runs its own ticker: no Tick calls).
//
// While the adapters are being ported to the core's catalog, this test
// names what is left to port.
func TestCatalogAdapters(t *testing.T) {
	root := filepath.Join("..", "adapters")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("no adapters next to bot/: %v", err)
	}
	var found []finding
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "discordtest" || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel("..", path)
		found = append(found, scanFile(t, path, filepath.ToSlash(rel), adapterRules)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	report(t, found)
}

// finding is one place that writes member-facing words outside the catalog.
type finding struct {
	file      string
	line, col int
	what      string
}

// rules say what to look for in a file: inside package bot names are
// unqualified (T, Span), in adapters they are qualified (bot.T, bot.Span).
type rules struct {
	qualifier string // "" inside package bot, "bot" in adapters
	userf     bool   // Userf with words anywhere in its argument
	spans     bool   // Span{Text: "words"}
	actions   bool   // Action{Label: "words"}
	tick      bool   // any call of a function or method named Tick
}

var (
	coreRules    = rules{spans: true, actions: true}
	adapterRules = rules{qualifier: "bot", userf: true, spans: true, tick: true}
)

func scanFile(t *testing.T, path, name string, r rules) []finding {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	var out []finding
	add := func(n ast.Node, format string, args ...any) {
		pos := fset.Position(n.Pos())
		out = append(out, finding{file: name, line: pos.Line, col: pos.Column, what: fmt.Sprintf(format, args...)})
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			switch {
			case r.tick && calleeName(n.Fun) == "Tick":
				add(n, "calls Tick: the core runs its own clock (Bot.Start); adapters must not drive it")
			case isName(n.Fun, r.qualifier, "T") && len(n.Args) == 1:
				if s, ok := words(n.Args[0]); ok {
					add(n.Args[0], "%s(%q): %s", qualified(r.qualifier, "T"), s, catalogHint)
				}
			case r.userf && isName(n.Fun, r.qualifier, "Userf"):
				for _, a := range n.Args {
					if s, ok := anyWords(a); ok {
						add(n, "%s with %q: %s", qualified(r.qualifier, "Userf"), s, catalogHint)
						break
					}
				}
			default:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && textMethods[sel.Sel.Name] && len(n.Args) == 1 {
					if s, ok := words(n.Args[0]); ok {
						add(n.Args[0], ".%s(%q): %s", sel.Sel.Name, s, catalogHint)
					}
				}
			}
		case *ast.CompositeLit:
			for _, lit := range compositeOf(n, r) {
				field, kind := "Text", "Span"
				if r.actions && isName(lit.typ, r.qualifier, "Action") {
					field, kind = "Label", "Action"
				}
				for _, el := range lit.lit.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					if key, ok := kv.Key.(*ast.Ident); ok && key.Name == field {
						if s, ok := words(kv.Value); ok {
							add(kv, "%s{%s: %q}: %s", qualified(r.qualifier, kind), field, s, catalogHint)
						}
					}
				}
			}
		}
		return true
	})
	return out
}

// typedLit is a composite literal with its (possibly elided) type.
type typedLit struct {
	typ ast.Expr
	lit *ast.CompositeLit
}

// compositeOf returns the Span (and Action) literals n stands for: n itself,
// or the elements of a slice or array of them written with elided types
// ([]Span{{Text: …}}).
func compositeOf(n *ast.CompositeLit, r rules) []typedLit {
	wanted := func(e ast.Expr) bool {
		return (r.spans && isName(e, r.qualifier, "Span")) || (r.actions && isName(e, r.qualifier, "Action"))
	}
	if n.Type == nil {
		return nil // an element: handled with its parent
	}
	if wanted(n.Type) {
		return []typedLit{{n.Type, n}}
	}
	var elt ast.Expr
	switch t := n.Type.(type) {
	case *ast.ArrayType:
		elt = t.Elt
	case *ast.MapType:
		elt = t.Value
	}
	if elt == nil || !wanted(elt) {
		return nil
	}
	var out []typedLit
	for _, el := range n.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			el = kv.Value
		}
		if lit, ok := el.(*ast.CompositeLit); ok && lit.Type == nil {
			out = append(out, typedLit{elt, lit})
		}
	}
	return out
}

// isName reports whether e names name: unqualified inside package bot,
// qualifier.name elsewhere.
func isName(e ast.Expr, qualifier, name string) bool {
	if qualifier == "" {
		id, ok := e.(*ast.Ident)
		return ok && id.Name == name
	}
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == qualifier
}

func qualified(qualifier, name string) string {
	if qualifier == "" {
		return name
	}
	return qualifier + "." + name
}

// calleeName is the name a call calls: f() or x.f().
func calleeName(fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	case *ast.IndexExpr: // f[T]()
		return calleeName(f.X)
	}
	return ""
}

// words returns the first string literal with a letter that e writes
// directly: a literal, a concatenation ("a " + x), or fmt.Sprintf's format.
// Values computed elsewhere (a variable, a catalog function's result) are
// not words here.
func words(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		if err != nil {
			return "", false
		}
		return s, strings.IndexFunc(s, unicode.IsLetter) >= 0
	case *ast.ParenExpr:
		return words(e.X)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		if s, ok := words(e.X); ok {
			return s, true
		}
		return words(e.Y)
	case *ast.CallExpr:
		if isName(e.Fun, "fmt", "Sprintf") && len(e.Args) > 0 {
			return words(e.Args[0])
		}
	}
	return "", false
}

// anyWords is words anywhere inside e (for Userf, whose argument is a
// Text built in place).
func anyWords(e ast.Expr) (string, bool) {
	var s string
	var ok bool
	ast.Inspect(e, func(n ast.Node) bool {
		if ok {
			return false
		}
		if x, isExpr := n.(ast.Expr); isExpr {
			if lit, isLit := x.(*ast.BasicLit); isLit {
				s, ok = words(lit)
			}
		}
		return !ok
	})
	return s, ok
}

func report(t *testing.T, found []finding) {
	t.Helper()
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if a.file != b.file {
			return a.file < b.file
		}
		if a.line != b.line {
			return a.line < b.line
		}
		return a.col < b.col
	})
	seen := map[string]bool{}
	for _, f := range found {
		at := fmt.Sprintf("%s:%d", f.file, f.line)
		if seen[at] {
			continue // one line, one report: its first words
		}
		seen[at] = true
		t.Errorf("%s: %s", at, f.what)
	}
}
