package export

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/wijkbv/wijkbot/commands"
)

// commonMark renders Markdown as the web page did before ReportHTML:
// CommonMark with GitHub's tables, raw HTML off. It is here only to hold
// ReportHTML to the Markdown (goldmark is not in the bot).
var commonMark = goldmark.New(goldmark.WithExtensions(extension.Table))

func renderMarkdown(t *testing.T, md []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := commonMark.Convert(md, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// trickyRunes are what user text is drawn from: Markdown's every
// punctuation, line breaks and blank lines, spaces of every kind, NUL.
const trickyRunes = "abc XYZ 019 \n\n  \r\t!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ é€\u00a0\u2028\u0085\f\v\x00😀"

func randomText(r *rand.Rand, n int) string {
	rs := []rune(trickyRunes)
	b := make([]rune, r.IntN(n))
	for i := range b {
		b[i] = rs[r.IntN(len(rs))]
	}
	return string(b)
}

// randomReport is a report with every kind of user text random.
func randomReport(r *rand.Rand) *commands.CollectiveReport {
	c := &commands.CollectiveReport{Collective: commands.Collective{ID: 1, Name: randomText(r, 12), CreatedAt: at(3, 1, 9)}}
	for range r.IntN(4) {
		c.Panel = append(c.Panel, commands.Element{Name: randomText(r, 10), Value: r.IntN(11), IsSet: r.IntN(2) == 0})
	}
	for i := range r.IntN(4) {
		c.Entries = append(c.Entries, commands.Entry{CreatedAt: at(3, 2+i, 10), Text: randomText(r, 30), Author: randomText(r, 8),
			Milestone: r.IntN(2) == 0, Themes: []string{randomText(r, 5)}})
	}
	for i := range r.IntN(3) {
		q := commands.HelpRequest{Number: int64(i + 1), Expertise: randomText(r, 8), Question: randomText(r, 30),
			Status: []string{"open", "resolved", randomText(r, 5)}[r.IntN(3)], AskedBy: randomText(r, 8), ClaimedBy: randomText(r, 6),
			Feedback: []string{"", "ja", "nee"}[r.IntN(3)], CreatedAt: at(3, 10, 8)}
		for range r.IntN(3) {
			q.Answers = append(q.Answers, commands.Answer{CreatedAt: at(3, 11, 9), Author: randomText(r, 6), Text: randomText(r, 30)})
		}
		c.Requests = append(c.Requests, q)
	}
	for i := range r.IntN(3) {
		name := randomText(r, 6)
		if len(c.Panel) > 0 {
			name = c.Panel[r.IntN(len(c.Panel))].Name
		}
		c.SliderChanges = append(c.SliderChanges, commands.SliderChange{At: at(3, 5+i, 10), ElementName: name, Value: r.IntN(11),
			Previous: r.IntN(11), HadPrevious: r.IntN(2) == 0, Who: randomText(r, 6), Why: randomText(r, 20)})
	}
	c.Rounds = []commands.Round{{ID: 9, ScheduledAt: at(4, 6, 8)}, {ID: 10, ScheduledAt: at(4, 13, 8)}}
	for i := range r.IntN(4) {
		c.CheckinAnswers = append(c.CheckinAnswers, commands.CheckinAnswer{RoundID: int64(9 + i/2), CreatedAt: at(4, 6+i, 12),
			Author: randomText(r, 6), Text: randomText(r, 25)})
	}
	for i := range r.IntN(3) {
		c.Lessons = append(c.Lessons, commands.Lesson{Number: int64(i + 1), CreatedAt: at(5, 1, 9), Text: randomText(r, 25)})
	}
	return c
}

// markupTexts are user texts that are Markdown when written as they are.
var markupTexts = []string{
	"a\n:-", "a\n:--|", "a\n===", "a\n---", "a\n~~~\nb", "a\n```\nb", "Noord #", "Noord ##", "#", "AT&amp;T", "&#65;", "&copy",
	"a\n\nb", "a\n \n\n b", "1. x", "a\n2) x", "- x", "a\n+ x", "> x", "a\n> x", "* * *", "a\n***", "    code", "\\", "a\\\nb",
	"<b>", "<!-- x -->", "[a]: /b", "![x](y)", "**x**", "__x__", "`x`", "x  \ny", "x\\\ny", "|", "a|b\n-|-", "", " ", "\x00",
}

// TestReportHTMLIsTheMarkdownRendered: the web page's case report is,
// byte for byte, what a CommonMark renderer makes of the Markdown file,
// for the sample and for reports full of random user text (blank lines,
// markup, entities, NUL). A difference is either ReportHTML writing the
// blocks wrong or the Markdown letting user text become markup.
func TestReportHTMLIsTheMarkdownRendered(t *testing.T) {
	now := at(11, 27, 10)
	check := func(name string, c *commands.CollectiveReport) {
		t.Helper()
		want := renderMarkdown(t, Report(c, now, amsterdam).Data)
		if got := ReportHTML(c, now, amsterdam); got != want {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Fatalf("%s: ReportHTML differs from the rendered Markdown at byte %d:\n got %q\nwant %q\nMarkdown:\n%s",
				name, i, got[max(0, i-120):min(len(got), i+120)], want[max(0, i-120):min(len(want), i+120)], Report(c, now, amsterdam).Data)
		}
	}
	check("sample", sample())
	check("empty", &commands.CollectiveReport{Collective: commands.Collective{Name: "Nieuw"}, Panel: []commands.Element{{Name: "eigenaarschap"}}})
	for _, text := range markupTexts {
		c := sample()
		c.Collective.Name, c.Panel[0].Name = text, text
		c.Entries[0].Text, c.Entries[0].Author = text, text
		c.Requests[0].Question, c.Requests[0].AskedBy, c.Requests[0].Answers[0].Text = text, text, text
		c.SliderChanges[0].Why, c.CheckinAnswers[0].Text, c.CheckinAnswers[1].Author = text, text, text
		c.Lessons = []commands.Lesson{{Number: 1, Text: text}}
		check(fmt.Sprintf("%q", text), c)
	}
	r := rand.New(rand.NewPCG(15, 7))
	for i := range 3000 {
		check("random report "+strconv.Itoa(i), randomReport(r))
	}
}

// TestReportHTMLUserTextInert: what residents type is shown as text, never
// as markup: no raw HTML, no script link, no element of their making.
func TestReportHTMLUserTextInert(t *testing.T) {
	evil := "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[klik](javascript:alert(3))\n| a | b |\n|---|---|\n**vet** &lt;b&gt;"
	c := sample()
	c.Collective.Name = "<b>Noord</b>"
	c.Entries[0].Text, c.Entries[0].Author = evil, `"><svg onload=alert(4)>`
	c.Requests[0].Question, c.Requests[0].Answers[0].Text = evil, evil
	c.CheckinAnswers[0].Text = evil
	c.Panel[0].Name = "<i>eigenaarschap</i>"
	html := ReportHTML(c, at(11, 27, 10), amsterdam)
	for _, bad := range []string{"<script", "<img", "<svg", "<b>", "<i>", "href=", "<a ", "<strong>vet"} {
		if strings.Contains(html, bad) {
			t.Errorf("report HTML contains %q:\n%s", bad, html)
		}
	}
	for _, want := range []string{"<h1>Casusbeschrijving (concept): &lt;b&gt;Noord&lt;/b&gt;</h1>", "<table>", "<td>&lt;i&gt;eigenaarschap&lt;/i&gt;</td>",
		"&lt;script&gt;alert(1)&lt;/script&gt;", "[klik](javascript:alert(3))", "**vet** &amp;lt;b&amp;gt;", "<blockquote>"} {
		if !strings.Contains(html, want) {
			t.Errorf("report HTML lacks %q:\n%s", want, html)
		}
	}
}
