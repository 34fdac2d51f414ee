package bot

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Languages. Every word a member sees is a message of the catalog
// (bot/texts_*.go): English is the source (texts_en.go, and the command
// table's Summary, Help, Example, argument help and choice labels), and
// every other language has every key (catalog_lang_test.go). Texts are
// built with msg: a span that names a message and its arguments. The core
// resolves it in the receiving member's or group's language just before
// delivery (deliver.go), so handlers never choose a language.
//
// A message is a string in a small markup:
//
//	**bold**            the bot's own words, emphasised
//	{name}              an argument: plain words of the bot's own (a
//	                    string, a number) or a Text (a member's name as
//	                    User, a command, another message) kept as it is
//	{cmd:checkin green} a command members type (shown with the platform's
//	                    prefix); command names stay English in every
//	                    language
//	{n, plural, one {# Person} other {# Personen}}
//	                    the form for the number n, by the language's
//	                    plural rules (golang.org/x/text/feature/plural);
//	                    "=0 {…}" matches a number exactly, # is the number
//
// Arguments are put in after the markup was read, so a member's words can
// never be read as markup.

// Lang is one language of the catalog.
type Lang struct {
	code string
	tag  language.Tag
	name string // the language's own name for itself
	msgs map[string]string

	once   sync.Once
	parsed map[string][]node
	errs   map[string]error
}

// Code is the language's code as members type it ("en", "pt-BR").
func (l *Lang) Code() string { return l.code }

// Name is the language's name in itself ("Deutsch").
func (l *Lang) Name() string { return l.name }

// catalogs lists the languages, English first. Each texts_XX.go file
// holds one catalog.
var catalogs = []*Lang{
	{code: "en", tag: language.English, name: "English", msgs: textsEN},
	{code: "de", tag: language.German, name: "Deutsch", msgs: textsDE},
	{code: "es", tag: language.Spanish, name: "Español", msgs: textsES},
	{code: "fr", tag: language.French, name: "Français", msgs: textsFR},
	{code: "pt-BR", tag: language.BrazilianPortuguese, name: "Português", msgs: textsPT},
}

// english is the source language and the last resort.
var english = catalogs[0]

func init() {
	// The command table's words are English messages too.
	for k, v := range commandMessages(CommandTable()) {
		if _, dup := textsEN[k]; dup {
			panic("bot: message key in both texts_en.go and the command table: " + k)
		}
		textsEN[k] = v
	}
}

// Languages returns the catalog's languages, English first.
func Languages() []*Lang { return catalogs }

// LanguageCodes returns the codes of the catalog's languages.
func LanguageCodes() []string {
	out := make([]string, len(catalogs))
	for i, l := range catalogs {
		out[i] = l.code
	}
	return out
}

var matcher = func() language.Matcher {
	tags := make([]language.Tag, len(catalogs))
	for i, l := range catalogs {
		tags[i] = l.tag
	}
	return language.NewMatcher(tags)
}()

// LanguageOf returns the catalog language for a code or locale ("de",
// "DE", "pt_br", "es-419", "en-GB", Discord's "pt-BR"), or false when no
// catalog language fits it well.
func LanguageOf(code string) (*Lang, bool) {
	code = strings.TrimSpace(strings.ReplaceAll(code, "_", "-"))
	if code == "" {
		return nil, false
	}
	for _, l := range catalogs {
		if strings.EqualFold(code, l.code) {
			return l, true
		}
	}
	tag, err := language.Parse(code)
	if err != nil {
		return nil, false
	}
	_, i, conf := matcher.Match(tag)
	if conf < language.High {
		return nil, false
	}
	return catalogs[i], true
}

// languageOrEnglish is the language of code, or English.
func languageOrEnglish(code string) *Lang {
	if l, ok := LanguageOf(code); ok {
		return l
	}
	return english
}

// Has reports whether the language has message key.
func (l *Lang) Has(key string) bool {
	_, ok := l.msgs[key]
	return ok
}

// Keys returns the language's message keys, sorted.
func (l *Lang) Keys() []string {
	keys := make([]string, 0, len(l.msgs))
	for k := range l.msgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Check parses every message and returns the problems, by key.
func (l *Lang) Check() map[string]error {
	l.parse()
	return l.errs
}

// Placeholders returns the names of a message's arguments (plural
// selectors included), sorted, without duplicates.
func (l *Lang) Placeholders(key string) []string {
	l.parse()
	set := map[string]bool{}
	var walk func(ns []node)
	walk = func(ns []node) {
		for _, n := range ns {
			switch n.kind {
			case nodeArg:
				set[n.text] = true
			case nodePlural:
				set[n.text] = true
				for _, f := range n.forms {
					walk(f)
				}
			}
		}
	}
	walk(l.parsed[key])
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Commands returns the command lines a message names with {cmd:…}.
func (l *Lang) Commands(key string) []string {
	l.parse()
	var out []string
	var walk func(ns []node)
	walk = func(ns []node) {
		for _, n := range ns {
			switch n.kind {
			case nodeCmd:
				out = append(out, n.text)
			case nodePlural:
				for _, f := range n.forms {
					walk(f)
				}
			}
		}
	}
	walk(l.parsed[key])
	return out
}

// Raw returns a message's catalog string.
func (l *Lang) Raw(key string) string { return l.msgs[key] }

func (l *Lang) parse() {
	l.once.Do(func() {
		l.parsed = make(map[string][]node, len(l.msgs))
		l.errs = map[string]error{}
		for k, s := range l.msgs {
			ns, err := parseMessage(s)
			if err != nil {
				l.errs[k] = err
				continue
			}
			l.parsed[k] = ns
		}
	})
}

// msgRef is what a Msg span stands for.
type msgRef struct {
	args []any // name, value pairs
	// cmd: the message is a command line (an example), shown as a Cmd
	// span, not read as markup.
	cmd bool
	// country, when set, makes the span a country's name: the ISO code,
	// named in the language (golang.org/x/text/language/display); the
	// span's Text is the directory's English name.
	country string
	// languages, when set, makes the span the directory's list of
	// languages ("English, French"), each known language named in the
	// reader's language.
	languages bool
}

// msg is message key with its arguments as name, value pairs. A value is
// a string or a number (the bot's own words: shown in the style around the
// placeholder) or a Text (kept as it is: a member's words as User, a
// command, another message).
func msg(key string, args ...any) Text {
	return Text{{Style: Msg, Text: key, msg: &msgRef{args: args}}}
}

// cmdMsg is a message that is a command line (a command's example).
func cmdMsg(key string) Text {
	return Text{{Style: Msg, Text: key, msg: &msgRef{cmd: true}}}
}

// Resolve returns t with every message put into words in l. Texts the
// core delivers are resolved already; adapters need this only for texts
// they ask the core for directly.
func (l *Lang) Resolve(t Text) Text {
	if !t.hasMsg() {
		return t
	}
	out := make(Text, 0, len(t)+8)
	for _, s := range t {
		if n := len(out); n > 0 && s.Style != Msg && mergeable(out[n-1], s) {
			out[n-1].Text += s.Text
			continue
		}
		switch {
		case s.Style == Msg && s.msg != nil && s.msg.country != "":
			out = append(out, Span{Style: Plain, Text: l.countryName(s.msg.country, s.Text)})
		case s.Style == Msg && s.msg != nil && s.msg.languages:
			out = append(out, Span{Style: Plain, Text: l.languageNames(s.Text)})
		case s.Style == Msg:
			for _, m := range l.message(s.Text, s.msg) {
				if n := len(out); n > 0 && mergeable(out[n-1], m) {
					out[n-1].Text += m.Text
				} else {
					out = append(out, m)
				}
			}
		case s.Style == UserSpoiler && english.Has(s.Warning):
			s.Warning = l.Resolve(msg(s.Warning)).String()
			out = append(out, s)
		default:
			out = append(out, s)
		}
	}
	return out
}

// mergeable reports whether b can join a: both the bot's own words in the
// same plain style (a member's words always stay spans of their own).
func mergeable(a, b Span) bool {
	return a.Style == b.Style && (a.Style == Plain || a.Style == Bold || a.Style == Italic)
}

func (t Text) hasMsg() bool {
	for _, s := range t {
		if s.Style == Msg || (s.Style == UserSpoiler && english.Has(s.Warning)) {
			return true
		}
	}
	return false
}

// country is a country's name (code: ISO 3166-1 alpha-2), in the
// language of the text; name is the directory's English name.
func country(code, name string) Text {
	if code == "" {
		return Text{{Style: Plain, Text: name}}
	}
	return Text{{Style: Msg, Text: name, msg: &msgRef{country: code}}}
}

// spokenList is the directory's list of languages a line speaks
// ("English, French"), shown in the reader's language.
func spokenList(s string) Text {
	return Text{{Style: Msg, Text: s, msg: &msgRef{languages: true}}}
}

// spokenLanguages maps English language names, as the directory writes
// them, to their tags.
var spokenLanguages = func() map[string]language.Tag {
	m := map[string]language.Tag{}
	for _, code := range []string{"am", "ar", "cs", "cy", "da", "de", "el", "en", "es", "fa", "fi", "fil", "fr", "ga", "he", "hi",
		"hu", "is", "it", "ja", "ko", "ms", "nl", "no", "pl", "pt", "ro", "ru", "sv", "th", "tr", "uk", "ur", "vi", "yue", "zh", "cmn"} {
		t := language.MustParse(code)
		if n := display.English.Languages().Name(t); n != "" {
			m[n] = t
		}
	}
	return m
}()

func (l *Lang) languageNames(s string) string {
	if l == english {
		return s
	}
	if key := "languages: " + s; english.Has(key) {
		return l.Resolve(msg(key)).String()
	}
	// Each item's leading name is translated; notes after it ("French
	// (Shimaoré in development)") are the directory's, as it has them.
	parts := strings.Split(s, ", ")
	for i, p := range parts {
		name, rest := p, ""
		if j := strings.IndexAny(p, " ;("); j > 0 {
			name, rest = p[:j], p[j:]
		}
		if t, ok := spokenLanguages[name]; ok {
			if n := display.Languages(l.tag).Name(t); n != "" {
				parts[i] = n + rest
			}
		}
	}
	return strings.Join(parts, ", ")
}

func (l *Lang) countryName(code, name string) string {
	if l == english {
		return name
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return name
	}
	if n := display.Regions(l.tag).Name(r); n != "" {
		return n
	}
	return name
}

// message puts one message into words.
func (l *Lang) message(key string, ref *msgRef) Text {
	l.parse()
	src := l
	ns, ok := l.parsed[key]
	if !ok {
		// Tests make sure this never happens; say something rather than
		// nothing.
		src = english
		english.parse()
		ns, ok = english.parsed[key]
		if !ok {
			return Text{{Style: Plain, Text: key}}
		}
	}
	if ref != nil && ref.cmd {
		return Text{{Style: Cmd, Text: strings.TrimSpace(src.msgs[key])}}
	}
	var args []any
	if ref != nil {
		args = ref.args
	}
	return l.render(nil, ns, args, Plain, -1)
}

// render appends the words of nodes ns to t; num is the number of the
// plural branch being rendered (for #), or -1.
func (l *Lang) render(t Text, ns []node, args []any, style Style, num int) Text {
	for _, n := range ns {
		st := style
		if n.bold {
			st = Bold
		}
		switch n.kind {
		case nodeText:
			t = append(t, Span{Style: st, Text: n.text})
		case nodeHash:
			if num >= 0 {
				t = append(t, Span{Style: st, Text: strconv.Itoa(num)})
			} else {
				t = append(t, Span{Style: st, Text: "#"})
			}
		case nodeCmd:
			t = append(t, Span{Style: Cmd, Text: n.text})
		case nodeArg:
			t = l.arg(t, argValue(args, n.text), st)
		case nodePlural:
			v, _ := toInt(argValue(args, n.text))
			t = l.render(t, n.choose(l.tag, v), args, style, v)
		}
	}
	return t
}

// arg appends one argument's value.
func (l *Lang) arg(t Text, v any, st Style) Text {
	switch v := v.(type) {
	case Text:
		for _, s := range l.Resolve(v) {
			if s.Style == Plain && st == Bold {
				s.Style = Bold
			}
			t = append(t, s)
		}
		return t
	case string:
		return append(t, Span{Style: st, Text: v})
	case nil:
		return t
	}
	if n, ok := toInt(v); ok {
		return append(t, Span{Style: st, Text: strconv.Itoa(n)})
	}
	return append(t, Span{Style: st, Text: fmt.Sprint(v)})
}

func argValue(args []any, name string) any {
	for i := 0; i+1 < len(args); i += 2 {
		if args[i] == name {
			return args[i+1]
		}
	}
	return nil
}

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	}
	return 0, false
}

// plural forms by name, as they are written in messages.
var formNames = map[plural.Form]string{
	plural.Other: "other", plural.Zero: "zero", plural.One: "one",
	plural.Two: "two", plural.Few: "few", plural.Many: "many",
}

// choose picks a plural branch for v: "=v", then v's form in the
// language, then "other".
func (n node) choose(tag language.Tag, v int) []node {
	if f, ok := n.forms["="+strconv.Itoa(v)]; ok {
		return f
	}
	i := v
	if i < 0 {
		i = -i
	}
	form := plural.Cardinal.MatchPlural(tag, i, 0, 0, 0, 0)
	if f, ok := n.forms[formNames[form]]; ok {
		return f
	}
	return n.forms["other"]
}

type nodeKind uint8

const (
	nodeText nodeKind = iota
	nodeArg
	nodeCmd
	nodePlural
	nodeHash
)

// node is one piece of a parsed message.
type node struct {
	kind  nodeKind
	text  string // words, argument name, command line
	bold  bool
	forms map[string][]node // nodePlural
}

// parseMessage reads a message's markup.
func parseMessage(s string) ([]node, error) {
	p := &msgParser{s: s}
	ns, err := p.nodes(false, false)
	if err != nil {
		return nil, err
	}
	if p.bold {
		return nil, fmt.Errorf("** not closed")
	}
	if p.i < len(p.s) {
		return nil, fmt.Errorf("unexpected } at %d", p.i)
	}
	return ns, nil
}

type msgParser struct {
	s    string
	i    int
	bold bool
}

// nodes reads up to the end, or up to a closing } when inBranch.
func (p *msgParser) nodes(inBranch, hash bool) ([]node, error) {
	var out []node
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			out = append(out, node{kind: nodeText, text: lit.String(), bold: p.bold})
			lit.Reset()
		}
	}
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case strings.HasPrefix(p.s[p.i:], "**"):
			flush()
			p.bold = !p.bold
			p.i += 2
		case c == '{':
			flush()
			n, err := p.placeholder()
			if err != nil {
				return nil, err
			}
			n.bold = p.bold
			out = append(out, n)
		case c == '}':
			if !inBranch {
				return nil, fmt.Errorf("unexpected } at %d", p.i)
			}
			flush()
			return out, nil
		case c == '#' && hash:
			flush()
			out = append(out, node{kind: nodeHash, bold: p.bold})
			p.i++
		default:
			lit.WriteByte(c)
			p.i++
		}
	}
	if inBranch {
		return nil, fmt.Errorf("plural branch not closed")
	}
	flush()
	return out, nil
}

// placeholder reads {name}, {cmd:…} or {name, plural, …} at p.i.
func (p *msgParser) placeholder() (node, error) {
	start := p.i
	p.i++ // {
	if strings.HasPrefix(p.s[p.i:], "cmd:") {
		end := strings.IndexByte(p.s[p.i:], '}')
		if end < 0 {
			return node{}, fmt.Errorf("{cmd: not closed at %d", start)
		}
		line := p.s[p.i+4 : p.i+end]
		p.i += end + 1
		if strings.TrimSpace(line) != line || line == "" || strings.ContainsAny(line, "{*") {
			return node{}, fmt.Errorf("bad command %q at %d", line, start)
		}
		return node{kind: nodeCmd, text: line}, nil
	}
	end := strings.IndexAny(p.s[p.i:], ",}")
	if end < 0 {
		return node{}, fmt.Errorf("{ not closed at %d", start)
	}
	name := strings.TrimSpace(p.s[p.i : p.i+end])
	if !isIdent(name) {
		return node{}, fmt.Errorf("bad argument name %q at %d", name, start)
	}
	p.i += end
	if p.s[p.i] == '}' {
		p.i++
		return node{kind: nodeArg, text: name}, nil
	}
	// {name, plural, form {…} …}
	p.i++
	rest := strings.TrimLeft(p.s[p.i:], " ")
	if !strings.HasPrefix(rest, "plural,") {
		return node{}, fmt.Errorf("only plural is known after %q at %d", name, start)
	}
	p.i = len(p.s) - len(rest) + len("plural,")
	n := node{kind: nodePlural, text: name, forms: map[string][]node{}}
	for {
		for p.i < len(p.s) && p.s[p.i] == ' ' {
			p.i++
		}
		if p.i >= len(p.s) {
			return node{}, fmt.Errorf("plural not closed at %d", start)
		}
		if p.s[p.i] == '}' {
			p.i++
			break
		}
		open := strings.IndexByte(p.s[p.i:], '{')
		if open < 0 {
			return node{}, fmt.Errorf("plural form without {…} at %d", p.i)
		}
		form := strings.TrimSpace(p.s[p.i : p.i+open])
		if !validForm(form) {
			return node{}, fmt.Errorf("unknown plural form %q at %d", form, p.i)
		}
		p.i += open + 1
		bold := p.bold
		branch, err := p.nodes(true, true)
		if err != nil {
			return node{}, err
		}
		if p.bold != bold {
			return node{}, fmt.Errorf("** crosses a plural branch at %d", p.i)
		}
		p.i++ // }
		n.forms[form] = branch
	}
	if _, ok := n.forms["other"]; !ok {
		return node{}, fmt.Errorf("plural without other at %d", start)
	}
	return n, nil
}

func validForm(f string) bool {
	switch f {
	case "zero", "one", "two", "few", "many", "other":
		return true
	}
	if strings.HasPrefix(f, "=") {
		_, err := strconv.Atoi(f[1:])
		return err == nil
	}
	return false
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
