package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// lessonsShown caps /lessen; a search narrows it down.
const lessonsShown = 10

// lessonRef is how a lesson is named in every message about it: "L3".
func lessonRef(n int64) string { return "L" + strconv.FormatInt(n, 10) }

// ParseLessonRef reads a lesson number as users write it: "L3", "l3" or "3".
func ParseLessonRef(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 1 && (s[0] == 'L' || s[0] == 'l') {
		s = s[1:]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// shareButtons ask a collective whether to share lesson n with the network.
func shareButtons(l Lang, n int64) []Button {
	return []Button{
		button(l.T("Delen met het netwerk", "Share with the network"), cmdShare, optLessonRef.Arg(lessonRef(n)), optShare.Arg("ja")),
		button(l.T("Alleen programmateam", "Programme team only"), cmdShare, optLessonRef.Arg(lessonRef(n)), optShare.Arg("nee")),
	}
}

// addLesson records a lesson and asks whether to share it.
func (h *Handler) addLesson(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	lesson := &Lesson{
		CollectiveID: c.chat.CollectiveID,
		Text:         c.args.Text(optLessonText),
		Themes:       Themes(c.args.Text(optLessonText)),
		Source:       c.Chat.Platform,
	}
	if err := h.Store.AddLesson(ctx, c.EventID, lesson, c.User); err != nil {
		return Reply{}, err
	}
	n := lessonRef(lesson.Number)
	var b strings.Builder
	b.WriteString(l.T("📘 Les "+n+" vastgelegd, dank je!", "📘 Lesson "+n+" recorded, thank you!"))
	if len(lesson.Themes) > 0 {
		b.WriteString(l.T(" Thema's: ", " Themes: ") + hashJoin(lesson.Themes))
	}
	b.WriteString(l.T(
		"\nMogen andere collectieven hem lezen? Tot jullie kiezen, blijft hij bij het programmateam. Later kiezen kan ook: /delen "+n+" ja of nee.",
		"\nMay other collectives read it? Until you choose, it stays with the programme team. You can also choose later: /share "+n+" ja or nee."))
	return Reply{Text: b.String(), Buttons: shareButtons(l, lesson.Number)}, nil
}

// shareLesson sets whether the chat's collective shares one of its lessons.
func (h *Handler) shareLesson(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	raw := c.args.Text(optLessonRef)
	number, ok := ParseLessonRef(raw)
	if !ok {
		return Reply{}, Errorf(EINVALID, "%s", l.T(
			fmt.Sprintf("%q is geen lesnummer. Schrijf het zoals /lessen het toont, bijvoorbeeld L3.", clip(raw, 20)),
			fmt.Sprintf("%q is not a lesson number. Write it as /lessons shows it, for example L3.", clip(raw, 20))))
	}
	n := lessonRef(number)
	existing, err := h.Store.Lesson(ctx, number)
	if ErrorCode(err) == ENOTFOUND {
		return Reply{}, Errorf(ENOTFOUND, "%s", l.T(
			"Les "+n+" bestaat niet. Jullie lessen zie je met /lessen.",
			"Lesson "+n+" does not exist. See your lessons with /lessons."))
	} else if err != nil {
		return Reply{}, err
	}
	if existing.CollectiveID != c.chat.CollectiveID {
		return Reply{}, Errorf(EFORBIDDEN, "%s", l.T(
			n+" is een les van een ander collectief. Alleen het collectief dat een les vastlegde, kiest of die gedeeld wordt.",
			n+" is another collective's lesson. Only the collective that recorded a lesson chooses whether it is shared."))
	}
	sharing := SharingTeam
	if c.args.Text(optShare) == "ja" {
		sharing = SharingNetwork
	}
	if _, err := h.Store.SetLessonSharing(ctx, c.EventID, c.chat.CollectiveID, number, sharing, c.User); err != nil {
		return Reply{}, err
	}
	if sharing == SharingNetwork {
		return Reply{Text: l.T(
			"🌍 "+n+" is gedeeld met het netwerk: andere collectieven vinden hem met /lessen, onder de naam van jullie collectief (nooit die van een persoon).",
			"🌍 "+n+" is shared with the network: other collectives find it with /lessons, under your collective's name (never a person's).")}, nil
	}
	return Reply{Text: l.T(
		"🔒 "+n+" blijft bij het programmateam. Delen kan later alsnog met /delen "+n+" ja.",
		"🔒 "+n+" stays with the programme team. You can still share it later with /share "+n+" ja.")}, nil
}

// lessons lists lessons: in a collective's chat the network's shared ones
// and the collective's own, in the staff chat every lesson.
func (h *Handler) lessons(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	staff := c.chat.Kind == ChatStaff
	f := LessonFilter{Scope: LessonsSharedAndOwn, CollectiveID: c.chat.CollectiveID, Query: c.args.Text(optLessonFind), Limit: lessonsShown}
	if staff {
		f = LessonFilter{Scope: LessonsAll, Query: f.Query, Limit: lessonsShown}
	}
	list, err := h.Store.Lessons(ctx, f)
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		if f.Query != "" {
			return Reply{Text: l.T(
				fmt.Sprintf("Geen lessen gevonden met %q. Zoek op hele woorden of een #thema; hoofdletters en accenten maken niet uit.", clip(f.Query, 60)),
				fmt.Sprintf("No lessons found for %q. Search for whole words or a #theme; case and accents do not matter.", clip(f.Query, 60)))}, nil
		}
		return Reply{Text: l.T(
			"Nog geen lessen. Leg er een vast met /les <wat jullie geleerd hebben>.",
			"No lessons yet. Record one with /lesson <what you learned>.")}, nil
	}
	var b strings.Builder
	switch {
	case f.Query != "":
		b.WriteString(l.T(fmt.Sprintf("Lessen met %q (beste eerst):", clip(f.Query, 60)), fmt.Sprintf("Lessons for %q (best first):", clip(f.Query, 60))))
	case staff:
		b.WriteString(l.T("Alle lessen, nieuwste eerst:", "All lessons, newest first:"))
	default:
		b.WriteString(l.T("Lessen uit het netwerk en van jullie zelf, nieuwste eerst:", "Lessons from the network and your own, newest first:"))
	}
	for i := range list {
		b.WriteString("\n\n")
		b.WriteString(h.lessonLine(l, &list[i], staff || list[i].CollectiveID == c.chat.CollectiveID))
	}
	if len(list) == lessonsShown {
		b.WriteString(l.T("\n\nZoek gerichter met /lessen <woorden of #thema>.", "\n\nSearch more precisely with /lessons <words or #theme>."))
	}
	return Reply{Text: b.String()}, nil
}

// lessonLine is one lesson in a list: number, collective, date, the
// excerpt of a search or the text, and, for those who may see unshared
// lessons, whether it is shared.
func (h *Handler) lessonLine(l Lang, ls *Lesson, showSharing bool) string {
	head := fmt.Sprintf("%s · %s · %s", lessonRef(ls.Number), ls.CollectiveName, h.formatDate(l, ls.CreatedAt))
	if showSharing {
		switch ls.Sharing {
		case SharingPending:
			head += l.T(" · niet gedeeld (nog niet gekozen)", " · not shared (not chosen yet)")
		case SharingTeam:
			head += l.T(" · niet gedeeld", " · not shared")
		}
	}
	body := ls.Excerpt
	if body == "" {
		body = clip(ls.Text, 300)
	}
	return head + "\n" + quoteLines(body, "   ")
}

// cmdShare is the command the share buttons run.
const cmdShare = "delen"

// Options of the lesson commands.
var (
	optLessonText = text("tekst", "text", "Wat hebben jullie geleerd? #woorden worden thema's", "What did you learn? #words become themes", true)
	optLessonRef  = TextOpt{Option{Name: "les", NameEN: "lesson", Desc: "Nummer van de les, bijvoorbeeld L3", DescEN: "Lesson number, for example L3", Type: OptText, Required: true, MaxLen: 20}}
	optShare      = TextOpt{Option{Name: "delen", NameEN: "share", Desc: "ja: met het netwerk; nee: alleen het programmateam", DescEN: "ja: with the network; nee: the programme team only", Type: OptChoice, Required: true, Choices: []string{"ja", "nee"}}}
	optLessonFind = TextOpt{Option{Name: "zoek", NameEN: "search", Desc: "Woorden of #thema", DescEN: "Words or #theme", Type: OptText, MaxLen: 200}}
)

// newLessons are the lessons recorded in [since, until), newest first, for
// the staff digest.
func (h *Handler) newLessons(ctx context.Context, since, until time.Time) ([]Lesson, error) {
	list, err := h.Store.Lessons(ctx, LessonFilter{Scope: LessonsAll, Since: since})
	if err != nil {
		return nil, err
	}
	var out []Lesson
	for _, ls := range list {
		if ls.CreatedAt.Before(until) {
			out = append(out, ls)
		}
	}
	return out, nil
}

// digestLessons is the digest's section of new lessons ("" when none).
func (h *Handler) digestLessons(l Lang, list []Lesson) string {
	if len(list) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n" + l.T("Nieuwe lessen", "New lessons") + fmt.Sprintf(" (%d):\n", len(list)))
	for _, ls := range list {
		fmt.Fprintf(&b, "  %s · %s: %s", lessonRef(ls.Number), ls.CollectiveName, clip(strings.ReplaceAll(ls.Text, "\n", " "), 100))
		if !ls.Shared() {
			b.WriteString(l.T(" (niet gedeeld)", " (not shared)"))
		}
		b.WriteString("\n")
	}
	return b.String()
}
