package commands

import (
	"context"
	"fmt"
	"strings"
	"unicode"
)

// Themes returns the #words of a text as themes: lower case, without '#',
// each once, in the order they first appear. "#Zorg en #zorg-coöp" gives
// [zorg zorg-coöp].
func Themes(text string) []string {
	var themes []string
	seen := map[string]bool{}
	rs := []rune(text)
	for i := 0; i < len(rs); i++ {
		if rs[i] != '#' || (i > 0 && !themeMayFollow(rs[i-1])) {
			continue
		}
		j := i + 1
		for j < len(rs) && isThemeRune(rs[j]) {
			j++
		}
		// A theme ends on a letter or digit: "#zorg-" at a sentence end is "zorg".
		for j > i+1 && (rs[j-1] == '-' || rs[j-1] == '_') {
			j--
		}
		if j > i+1 {
			t := strings.ToLower(string(rs[i+1 : j]))
			if !seen[t] && !isAllDigits(t) {
				seen[t] = true
				themes = append(themes, t)
			}
		}
		i = j - 1
	}
	return themes
}

func isThemeRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '_' || r == '-'
}

// themeMayFollow says whether a '#' after r starts a theme: after a space or
// an opening bracket or quote, not inside a word, address or link ("a#b",
// "mail@#x", "site.nl/#deel").
func themeMayFollow(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune("([{\"'“‘,;:", r)
}

// isAllDigits keeps "#12" (a help request number) from becoming a theme.
func isAllDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func (h *Handler) logProgress(ctx context.Context, c *call) (Reply, error) {
	return h.addEntry(ctx, c, false)
}

func (h *Handler) logMilestone(ctx context.Context, c *call) (Reply, error) {
	return h.addEntry(ctx, c, true)
}

// addEntry stores a progress entry or milestone and confirms it with its themes.
func (h *Handler) addEntry(ctx context.Context, c *call, milestone bool) (Reply, error) {
	l := c.lang
	opt := optProgressText
	if milestone {
		opt = optMilestoneText
	}
	e := &Entry{
		CollectiveID: c.chat.CollectiveID,
		Text:         c.args.Text(opt),
		Themes:       Themes(c.args.Text(opt)),
		Milestone:    milestone,
		Source:       c.Chat.Platform,
	}
	if err := h.Store.AddEntry(ctx, c.EventID, e, c.User); err != nil {
		return Reply{}, err
	}
	var b strings.Builder
	if milestone {
		b.WriteString(l.Msg(MsgProgressMilestone))
	} else {
		b.WriteString(l.Msg(MsgProgressLogged))
	}
	if len(e.Themes) > 0 {
		b.WriteString(l.Msg(MsgProgressThemes) + hashJoin(e.Themes))
	}
	b.WriteString(l.Msg(MsgProgressSeeTimeline))
	return Reply{Text: b.String()}, nil
}

func hashJoin(themes []string) string {
	return "#" + strings.Join(themes, ", #")
}

// timelineDefault is how many entries /tijdlijn shows without a count.
const timelineDefault = 10

// timeline shows the collective's latest entries, newest first.
func (h *Handler) timeline(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	n := timelineDefault
	if v, ok := c.args.IntOK(optCount); ok {
		n = v
	}
	entries, err := h.Store.Entries(ctx, c.chat.CollectiveID, n)
	if err != nil {
		return Reply{}, err
	}
	if len(entries) == 0 {
		return Reply{Text: l.Msg(MsgTimelineEmpty)}, nil
	}
	var b strings.Builder
	b.WriteString(l.Msg(MsgTimelineTitle, len(entries)))
	lst := newBounded(&b, "")
	for _, e := range entries {
		mark := "•"
		if e.Milestone {
			mark = "★"
		}
		if !lst.add(fmt.Sprintf("\n%s %s — %s\n%s", mark, h.formatTime(l, e.CreatedAt), nameOr(l, e.Author), quoteLines(e.Text, "   "))) {
			break
		}
	}
	if n := len(entries) - lst.added; n > 0 {
		b.WriteString(l.Msg(MsgTimelineMore, n))
	}
	return Reply{Text: b.String()}, nil
}
