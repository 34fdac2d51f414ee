package main

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// keyWalker walks a YAML document beside the Go type it decodes into. It
// finds keys the type does not have, with their full key paths (yaml.v3's
// own KnownFields error names only the field and the Go type), and records
// which key each line belongs to so that type errors can name the key too.
type keyWalker struct {
	unknown []string
	lines   map[int]string // line number → key path of the value on it
	depth   int
}

func typeOf(v any) reflect.Type {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func (w *keyWalker) walk(n *yaml.Node, t reflect.Type, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode {
		if w.depth > 20 || n.Alias == nil {
			return
		}
		w.depth++
		defer func() { w.depth-- }()
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		if t.Kind() != reflect.Struct {
			w.lines[n.Line] = path
			return
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			sub := k.Value
			if path != "" {
				sub = path + "." + k.Value
			}
			ft, ok := fields[k.Value]
			if !ok {
				w.unknown = append(w.unknown, fmt.Sprintf("%s: unknown key (line %d)", sub, k.Line))
				continue
			}
			w.lines[k.Line] = sub
			w.walk(v, ft, sub)
		}
	case yaml.SequenceNode:
		w.lines[n.Line] = path
		if t.Kind() != reflect.Slice {
			return
		}
		for i, item := range n.Content {
			w.walk(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	default:
		w.lines[n.Line] = path
	}
}

// yamlFields maps the YAML keys of struct type t to their field types, the
// way yaml.v3 names them (the tag's name, else the lower-cased field name;
// inline structs merged).
func yamlFields(t reflect.Type) map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(","+opts+",", ",inline,") {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range yamlFields(ft) {
					m[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		m[name] = f.Type
	}
	return m
}

var lineRE = regexp.MustCompile(`^line (\d+): (.*)$`)

// withKey turns a yaml.v3 type error ("line 5: cannot unmarshal !!str `x`
// into int") into one that starts with the key on that line.
func (w *keyWalker) withKey(msg string) string {
	m := lineRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	n, _ := strconv.Atoi(m[1])
	key, ok := w.lines[n]
	if !ok || key == "" {
		return msg
	}
	return fmt.Sprintf("%s: %s (line %d)", key, m[2], n)
}
