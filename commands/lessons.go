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
		button(l.Msg(MsgLessonShareWithNetwork), cmdShare, optLessonRef.Arg(lessonRef(n)), optShare.Arg("ja")),
		button(l.Msg(MsgLessonProgrammeTeamOnly), cmdShare, optLessonRef.Arg(lessonRef(n)), optShare.Arg("nee")),
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
	b.WriteString(l.Msg(MsgLessonLessonRecordedThankYou, n))
	if len(lesson.Themes) > 0 {
		b.WriteString(l.Msg(MsgProgressThemes) + hashJoin(lesson.Themes))
	}
	b.WriteString(l.Msg(MsgLessonMayOtherCollectivesRead, n))
	return Reply{Text: b.String(), Buttons: shareButtons(l, lesson.Number)}, nil
}

// shareLesson sets whether the chat's collective shares one of its lessons.
func (h *Handler) shareLesson(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	raw := c.args.Text(optLessonRef)
	number, ok := ParseLessonRef(raw)
	if !ok {
		return Reply{}, Errorf(EINVALID, "%s", l.Msg(MsgLessonIsNotLessonNumber, clip(raw, 20)))
	}
	n := lessonRef(number)
	existing, err := h.Store.Lesson(ctx, number)
	if ErrorCode(err) == ENOTFOUND {
		return Reply{}, Errorf(ENOTFOUND, "%s", l.Msg(MsgLessonLessonDoesNotExist, n))
	} else if err != nil {
		return Reply{}, err
	}
	if existing.CollectiveID != c.chat.CollectiveID {
		return Reply{}, Errorf(EFORBIDDEN, "%s", l.Msg(MsgLessonIsAnotherCollectiveLesson, n))
	}
	sharing := SharingTeam
	if c.args.Text(optShare) == "ja" {
		sharing = SharingNetwork
	}
	if _, err := h.Store.SetLessonSharing(ctx, c.EventID, c.chat.CollectiveID, number, sharing, c.User); err != nil {
		return Reply{}, err
	}
	if sharing == SharingNetwork {
		return Reply{Text: l.Msg(MsgLessonIsSharedWithNetwork, n)}, nil
	}
	return Reply{Text: l.Msg(MsgLessonStaysWithProgrammeTeam, n, n)}, nil
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
			return Reply{Text: l.Msg(MsgLessonNoLessonsFoundFor, clip(f.Query, 60))}, nil
		}
		return Reply{Text: l.Msg(MsgLessonNoLessonsYetRecord)}, nil
	}
	var b strings.Builder
	switch {
	case f.Query != "":
		b.WriteString(l.Msg(MsgLessonLessonsForBestFirst, clip(f.Query, 60)))
	case staff:
		b.WriteString(l.Msg(MsgLessonAllLessonsNewestFirst))
	default:
		b.WriteString(l.Msg(MsgLessonLessonsFromNetworkAnd))
	}
	for i := range list {
		b.WriteString("\n\n")
		b.WriteString(h.lessonLine(l, &list[i], staff || list[i].CollectiveID == c.chat.CollectiveID))
	}
	if len(list) == lessonsShown {
		b.WriteString(l.Msg(MsgLessonSearchMorePreciselyWith))
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
			head += l.Msg(MsgLessonNotSharedNotChosen)
		case SharingTeam:
			head += l.Msg(MsgLessonNotShared)
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
	optLessonText = text("tekst", "text", MsgDescOptLessonText, true)
	optLessonRef  = TextOpt{Option{Name: "les", NameEN: "lesson", Desc: MsgDescOptLessonRef, Type: OptText, Required: true, MaxLen: 20}}
	optShare      = TextOpt{Option{Name: "delen", NameEN: "share", Desc: MsgDescOptShare, Type: OptChoice, Required: true, Choices: []string{"ja", "nee"}}}
	optLessonFind = TextOpt{Option{Name: "zoek", NameEN: "search", Desc: MsgDescOptLessonFind, Type: OptText, MaxLen: 200}}
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

// digestLessonsShown bounds the new lessons the digest names (about 1,300
// characters); it counts the rest and points to /lessen.
const digestLessonsShown = 10

// digestLessons is the digest's section of new lessons ("" when none).
func (h *Handler) digestLessons(l Lang, list []Lesson) string {
	if len(list) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n" + l.Msg(MsgLessonNewLessons) + fmt.Sprintf(" (%d):\n", len(list)))
	for _, ls := range firstN(list, digestLessonsShown) {
		fmt.Fprintf(&b, "  %s · %s: %s", lessonRef(ls.Number), ls.CollectiveName, clip(strings.ReplaceAll(ls.Text, "\n", " "), 100))
		if !ls.Shared() {
			b.WriteString(l.Msg(MsgLessonNotShared2))
		}
		b.WriteString("\n")
	}
	if len(list) > digestLessonsShown {
		b.WriteString(l.Count(MsgDigestLessonsMoreN, len(list)-digestLessonsShown))
	}
	return b.String()
}
