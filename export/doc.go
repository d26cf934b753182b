package export

import (
	"strings"
)

// doc is a report as blocks: headings, paragraphs, list items, a quote of
// user text and a table, each line made of our own text and user text.
// Written once, it becomes Markdown (the file staff download) or HTML (the
// web page), so the page needs no Markdown parser: it shows exactly what
// the file says, and user text is literal in both.
type doc struct {
	blocks []block
}

type blockKind int

const (
	headingBlock blockKind = iota
	paraBlock
	itemBlock // consecutive items make one bulleted list
	quoteBlock
	tableBlock
)

type block struct {
	kind   blockKind
	level  int      // of a heading
	pieces []piece  // of a heading, paragraph or item
	lines  []string // of a quote: user text, line by line
	table  *table
}

// table is a table with a header of our own text and cells of pieces;
// right aligns a column to the right.
type table struct {
	head  []string
	right []bool
	rows  [][][]piece
}

type pieceKind int

const (
	textPiece   pieceKind = iota // our own text, written as it is
	userPiece                    // one line of user text, escaped
	breakPiece                   // a line break inside user text
	emPiece                      // emphasis around sub
	strongPiece                  // strong emphasis around sub
)

type piece struct {
	kind pieceKind
	s    string
	sub  []piece
}

func text(s string) piece { return piece{kind: textPiece, s: s} }

// user is user text on one line: line breaks and runs of spaces become one
// space.
func user(s string) piece { return piece{kind: userPiece, s: strings.Join(strings.Fields(s), " ")} }

// userLines is user text that keeps its line breaks (in a list item).
func userLines(s string) []piece {
	var ps []piece
	for i, l := range splitLines(s) {
		if i > 0 {
			ps = append(ps, piece{kind: breakPiece})
		}
		ps = append(ps, piece{kind: userPiece, s: l})
	}
	return ps
}

func em(sub ...piece) piece     { return piece{kind: emPiece, sub: sub} }
func strong(sub ...piece) piece { return piece{kind: strongPiece, sub: sub} }

func (d *doc) heading(level int, ps ...piece) {
	d.blocks = append(d.blocks, block{kind: headingBlock, level: level, pieces: ps})
}

func (d *doc) para(ps ...piece) { d.blocks = append(d.blocks, block{kind: paraBlock, pieces: ps}) }
func (d *doc) item(ps ...piece) { d.blocks = append(d.blocks, block{kind: itemBlock, pieces: ps}) }

// markdown writes the blocks with a blank line between them, except between
// the items of a list.
func (d *doc) markdown() string {
	var b strings.Builder
	for i, bl := range d.blocks {
		if i > 0 && !(bl.kind == itemBlock && d.blocks[i-1].kind == itemBlock) {
			b.WriteByte('\n')
		}
		switch bl.kind {
		case headingBlock:
			h := mdPieces(bl.pieces, "")
			// A heading ending in " #" would lose it: Markdown reads a
			// closing sequence of #s there.
			if run := strings.TrimRight(h, "#"); len(run) < len(h) && strings.HasSuffix(run, " ") {
				h = run + `\` + h[len(run):]
			}
			b.WriteString(strings.Repeat("#", bl.level) + " " + h)
		case paraBlock:
			b.WriteString(mdPieces(bl.pieces, "\n"))
		case itemBlock:
			// Later lines are indented so they stay inside the item.
			b.WriteString("- " + mdPieces(bl.pieces, "\n  "))
		case quoteBlock:
			for i, l := range bl.lines {
				if i > 0 {
					b.WriteByte('\n')
				}
				b.WriteString(strings.TrimRight("> "+mdLineStart(l), " "))
			}
		case tableBlock:
			t := bl.table
			b.WriteString("| " + strings.Join(t.head, " | ") + " |\n|")
			for _, r := range t.right {
				if r {
					b.WriteString("---:|")
				} else {
					b.WriteString("---|")
				}
			}
			for _, row := range t.rows {
				b.WriteString("\n|")
				for _, cell := range row {
					b.WriteString(" " + mdPieces(cell, " ") + " |")
				}
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func mdPieces(ps []piece, br string) string {
	var b strings.Builder
	for i, p := range ps {
		switch p.kind {
		case textPiece:
			b.WriteString(p.s)
		case userPiece:
			if i > 0 && ps[i-1].kind == breakPiece {
				b.WriteString(mdLineStart(p.s))
			} else {
				b.WriteString(mdLine(p.s))
			}
		case breakPiece:
			b.WriteString(br)
		case emPiece:
			b.WriteString("_" + mdPieces(p.sub, br) + "_")
		case strongPiece:
			b.WriteString("**" + mdPieces(p.sub, br) + "**")
		}
	}
	return b.String()
}

// mdEscaper escapes the characters that would turn chat text into Markdown
// markup (emphasis, links, code, HTML, table cells).
var mdEscaper = strings.NewReplacer(`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`,
	`[`, `\[`, `]`, `\]`, `<`, `\<`, `>`, `\>`, `|`, `\|`)

// mdLine makes user text literal Markdown: it escapes markup, what would
// start a heading, list or quote, and a & that would start an entity
// ("&amp;" stays as typed).
func mdLine(s string) string {
	s = mdEscaper.Replace(s)
	if s == "" {
		return s
	}
	if strings.Contains(s, "&") {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			if s[i] == '&' && i+1 < len(s) && (s[i+1] == '#' || 'a' <= s[i+1]|0x20 && s[i+1]|0x20 <= 'z') {
				b.WriteByte('\\')
			}
			b.WriteByte(s[i])
		}
		s = b.String()
	}
	switch s[0] {
	case '#', '-', '+':
		return `\` + s
	}
	// "1. " would start a numbered list.
	if i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }); i > 0 && (s[i] == '.' || s[i] == ')') {
		return s[:i] + `\` + s[i:]
	}
	return s
}

// mdLineStart is mdLine for user text at the start of a line, where "~~~"
// would open a code block, "===" underline the line above as a heading and
// ":-" make it a table's header.
func mdLineStart(s string) string {
	s = mdLine(s)
	if s != "" && (s[0] == '=' || s[0] == '~' || s[0] == ':') {
		return `\` + s
	}
	return s
}

// splitLines splits on any line break and drops the spaces around each
// line, so the output has no accidental hard breaks or indented code.
func splitLines(s string) []string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return lines
}

// html writes the blocks as a CommonMark renderer writes the Markdown:
// a list is tight unless one of its items holds a blank line, and then
// every item's text is a paragraph; user text is escaped.
func (d *doc) html() string {
	var b strings.Builder
	for i := 0; i < len(d.blocks); i++ {
		bl := d.blocks[i]
		switch bl.kind {
		case headingBlock:
			tag := "h" + string(rune('0'+bl.level))
			b.WriteString("<" + tag + ">" + htmlLine(bl.pieces) + "</" + tag + ">\n")
		case paraBlock:
			b.WriteString("<p>" + htmlLine(bl.pieces) + "</p>\n")
		case itemBlock:
			j := i
			var items [][]string
			loose := false
			for ; j < len(d.blocks) && d.blocks[j].kind == itemBlock; j++ {
				paras := htmlParas(d.blocks[j].pieces)
				loose = loose || len(paras) > 1
				items = append(items, paras)
			}
			i = j - 1
			b.WriteString("<ul>\n")
			for _, paras := range items {
				if !loose {
					b.WriteString("<li>" + paras[0] + "</li>\n")
					continue
				}
				b.WriteString("<li>\n")
				for _, p := range paras {
					b.WriteString("<p>" + p + "</p>\n")
				}
				b.WriteString("</li>\n")
			}
			b.WriteString("</ul>\n")
		case quoteBlock:
			var ps []piece
			for i, l := range bl.lines {
				if i > 0 {
					ps = append(ps, piece{kind: breakPiece})
				}
				ps = append(ps, piece{kind: userPiece, s: l})
			}
			b.WriteString("<blockquote>\n")
			for _, p := range htmlParas(ps) {
				if p != "" {
					b.WriteString("<p>" + p + "</p>\n")
				}
			}
			b.WriteString("</blockquote>\n")
		case tableBlock:
			t := bl.table
			b.WriteString("<table>\n<thead>\n<tr>\n")
			for c, h := range t.head {
				b.WriteString("<th" + align(t.right[c]) + ">" + htmlEscaper.Replace(h) + "</th>\n")
			}
			b.WriteString("</tr>\n</thead>\n")
			if len(t.rows) > 0 {
				b.WriteString("<tbody>\n")
			}
			for _, row := range t.rows {
				b.WriteString("<tr>\n")
				for c, cell := range row {
					b.WriteString("<td" + align(t.right[c]) + ">" + htmlLine(cell) + "</td>\n")
				}
				b.WriteString("</tr>\n")
			}
			if len(t.rows) > 0 {
				b.WriteString("</tbody>\n")
			}
			b.WriteString("</table>\n")
		}
	}
	return b.String()
}

func align(right bool) string {
	if right {
		return ` style="text-align:right"`
	}
	return ""
}

// htmlParas writes pieces as paragraphs: an empty line of user text
// separates two.
func htmlParas(ps []piece) []string {
	var paras []string
	var cur []piece
	blank := false // the line so far is empty
	lineStart := 0
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, htmlLine(cur))
		}
		cur = nil
	}
	for _, p := range ps {
		if p.kind == breakPiece {
			if blank {
				// An empty line: end the paragraph before it.
				cur = cur[:lineStart]
				for len(cur) > 0 && cur[len(cur)-1].kind == breakPiece {
					cur = cur[:len(cur)-1]
				}
				flush()
			} else {
				cur = append(cur, p)
			}
			lineStart, blank = len(cur), true
			continue
		}
		if !(p.kind == userPiece && p.s == "") {
			blank = false
		}
		cur = append(cur, p)
	}
	flush()
	if len(paras) == 0 {
		paras = []string{""}
	}
	return paras
}

// htmlLine writes pieces as the inline content of one paragraph; a line
// break in user text stays a line break, as in the Markdown, and the
// spaces around a line go, as Markdown drops them.
func htmlLine(ps []piece) string {
	lines := strings.Split(htmlInline(ps), "\n")
	for i, l := range lines {
		lines[i] = strings.Trim(l, " \t")
	}
	return strings.Join(lines, "\n")
}

func htmlInline(ps []piece) string {
	var b strings.Builder
	for _, p := range ps {
		switch p.kind {
		case textPiece, userPiece:
			b.WriteString(htmlEscaper.Replace(p.s))
		case breakPiece:
			b.WriteByte('\n')
		case emPiece, strongPiece:
			tag, delim := "em", "_"
			if p.kind == strongPiece {
				tag, delim = "strong", "**"
			}
			sub := htmlInline(p.sub)
			if sub == "" { // "****" is no emphasis in Markdown, only text
				b.WriteString(delim + delim)
				continue
			}
			b.WriteString("<" + tag + ">" + sub + "</" + tag + ">")
		}
	}
	return b.String()
}

// htmlEscaper escapes text for HTML as CommonMark renderers do (NUL is
// replaced, as CommonMark says).
var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\x00", "\uFFFD")
