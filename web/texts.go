package web

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// texts names the pages' words for the templates, which cannot name the
// catalogue's typed ids: each key is one catalogue message (MsgWeb…), whose
// text per language lives in commands/messages_xx.go with every other text
// a user reads. So the pages have every language the catalogue has, and
// the catalogue's test checks each of their texts as it checks the chat's:
// present in every language, the same placeholders. TestTexts checks every
// key used is here and every key here is used.
var texts = map[string]commands.MsgID{
	"skip":                 commands.MsgWebSkip,
	"brand.sub":            commands.MsgWebBrandSub,
	"nav.label":            commands.MsgWebNavLabel,
	"nav.overview":         commands.MsgWebNavOverview,
	"nav.queue":            commands.MsgWebNavQueue,
	"nav.lessons":          commands.MsgWebNavLessons,
	"nav.meetings":         commands.MsgWebNavMeetings,
	"nav.public":           commands.MsgWebNavPublic,
	"logout":               commands.MsgWebLogout,
	"lang.other":           commands.MsgWebLangOther,
	"lang.other.code":      commands.MsgWebLangOtherCode,
	"footer":               commands.MsgWebFooter,
	"loggedin":             commands.MsgWebLoggedin,
	"login.title":          commands.MsgWebLoginTitle,
	"login.how":            commands.MsgWebLoginHow,
	"login.public":         commands.MsgWebLoginPublic,
	"login.confirm":        commands.MsgWebLoginConfirm,
	"login.button":         commands.MsgWebLoginButton,
	"login.bad":            commands.MsgWebLoginBad,
	"login.refused":        commands.MsgWebLoginRefused,
	"login.slow":           commands.MsgWebLoginSlow,
	"forbidden.title":      commands.MsgWebForbiddenTitle,
	"forbidden.text":       commands.MsgWebForbiddenText,
	"notfound.title":       commands.MsgWebNotfoundTitle,
	"notfound.text":        commands.MsgWebNotfoundText,
	"error.title":          commands.MsgWebErrorTitle,
	"error.text":           commands.MsgWebErrorText,
	"overview.intro":       commands.MsgWebOverviewIntro,
	"overview.range":       commands.MsgWebOverviewRange,
	"totals.title":         commands.MsgWebTotalsTitle,
	"totals.collectives":   commands.MsgWebTotalsCollectives,
	"totals.open":          commands.MsgWebTotalsOpen,
	"totals.withopen":      commands.MsgWebTotalsWithopen,
	"totals.late":          commands.MsgWebTotalsLate,
	"totals.quiet":         commands.MsgWebTotalsQuiet,
	"totals.lessons":       commands.MsgWebTotalsLessons,
	"totals.shared":        commands.MsgWebTotalsShared,
	"filter.label":         commands.MsgWebFilterLabel,
	"filter.clear":         commands.MsgWebFilterClear,
	"filter.matching":      commands.MsgWebFilterMatching,
	"filter.none":          commands.MsgWebFilterNone,
	"pager.label":          commands.MsgWebPagerLabel,
	"pager.prev":           commands.MsgWebPagerPrev,
	"pager.next":           commands.MsgWebPagerNext,
	"pager.missing":        commands.MsgWebPagerMissing,
	"card.attention.open":  commands.MsgWebCardAttentionOpen,
	"card.attention.quiet": commands.MsgWebCardAttentionQuiet,
	"overview.empty":       commands.MsgWebOverviewEmpty,
	"card.activity":        commands.MsgWebCardActivity,
	"card.noactivity":      commands.MsgWebCardNoactivity,
	"card.open":            commands.MsgWebCardOpen,
	"card.rate":            commands.MsgWebCardRate,
	"card.norounds":        commands.MsgWebCardNorounds,
	"card.lessons":         commands.MsgWebCardLessons,
	"card.intros":          commands.MsgWebCardIntros,
	"card.values":          commands.MsgWebCardValues,
	"card.chats":           commands.MsgWebCardChats,
	"card.nochats":         commands.MsgWebCardNochats,
	"ago":                  commands.MsgWebAgo,
	"panel":                commands.MsgWebPanel,
	"unset":                commands.MsgWebUnset,
	"element":              commands.MsgWebElement,
	"value":                commands.MsgWebValue,
	"history":              commands.MsgWebHistory,
	"history.none":         commands.MsgWebHistoryNone,
	"when":                 commands.MsgWebWhen,
	"who":                  commands.MsgWebWho,
	"why":                  commands.MsgWebWhy,
	"timeline":             commands.MsgWebTimeline,
	"timeline.none":        commands.MsgWebTimelineNone,
	"milestone":            commands.MsgWebMilestone,
	"requests":             commands.MsgWebRequests,
	"requests.none":        commands.MsgWebRequestsNone,
	"asked":                commands.MsgWebAsked,
	"answers":              commands.MsgWebAnswers,
	"checkins":             commands.MsgWebCheckins,
	"checkins.none":        commands.MsgWebCheckinsNone,
	"checkin.noanswer":     commands.MsgWebCheckinNoanswer,
	"lessons.none":         commands.MsgWebLessonsNone,
	"lesson.unshared":      commands.MsgWebLessonUnshared,
	"report":               commands.MsgWebReport,
	"report.note":          commands.MsgWebReportNote,
	"queue.intro":          commands.MsgWebQueueIntro,
	"queue.range":          commands.MsgWebQueueRange,
	"queue.none":           commands.MsgWebQueueNone,
	"queue.age":            commands.MsgWebQueueAge,
	"queue.answer":         commands.MsgWebQueueAnswer,
	"queue.send":           commands.MsgWebQueueSend,
	"queue.claim":          commands.MsgWebQueueClaim,
	"queue.resolve":        commands.MsgWebQueueResolve,
	"queue.duplicate":      commands.MsgWebQueueDuplicate,
	"queue.stale":          commands.MsgWebQueueStale,
	"sla.ok":               commands.MsgWebSlaOk,
	"sla.unclaimed":        commands.MsgWebSlaUnclaimed,
	"sla.unanswered":       commands.MsgWebSlaUnanswered,
	"status.open":          commands.MsgWebStatusOpen,
	"status.claimed":       commands.MsgWebStatusClaimed,
	"status.answered":      commands.MsgWebStatusAnswered,
	"status.resolved":      commands.MsgWebStatusResolved,
	"lessons.missing":      commands.MsgWebLessonsMissing,
	"lessons.notnumber":    commands.MsgWebLessonsNotnumber,
	"lessons.first":        commands.MsgWebLessonsFirst,
	"lessons.intro":        commands.MsgWebLessonsIntro,
	"search":               commands.MsgWebSearch,
	"search.label":         commands.MsgWebSearchLabel,
	"search.results":       commands.MsgWebSearchResults,
	"meetings.intro":       commands.MsgWebMeetingsIntro,
	"meetings.more":        commands.MsgWebMeetingsMore,
	"meetings.none":        commands.MsgWebMeetingsNone,
	"rsvp.ja":              commands.MsgWebRsvpJa,
	"rsvp.misschien":       commands.MsgWebRsvpMisschien,
	"rsvp.nee":             commands.MsgWebRsvpNee,
	"place":                commands.MsgWebPlace,
	"public.title":         commands.MsgWebPublicTitle,
	"public.intro":         commands.MsgWebPublicIntro,
	"public.none":          commands.MsgWebPublicNone,
	"public.feed":          commands.MsgWebPublicFeed,
	"feed.author":          commands.MsgWebFeedAuthor,
	"themes":               commands.MsgWebThemes,
	"erased":               commands.MsgWebErased,
	"unknown":              commands.MsgWebUnknown,
}

// t returns the text of key in language l, formatted with args (a
// template writes {{t $l "overview.range" .First .Last .Matching}}).
func t(l commands.Lang, key string, args ...any) string {
	id, ok := texts[key]
	if !ok {
		return "?" + key
	}
	return l.Msg(id, args...)
}

// tn returns the plural text of key in language l in the form for n, with
// n as its first argument.
func tn(l commands.Lang, key string, n int, args ...any) string {
	id, ok := texts[key]
	if !ok {
		return "?" + key
	}
	return l.Count(id, n, args...)
}

// parseTemplates parses every page with the layout.
func (s *Server) parseTemplates() map[string]*template.Template {
	funcs := template.FuncMap{
		"t":        t,
		"tn":       tn,
		"href":     withLang,
		"date":     s.formatDate,
		"datetime": s.formatDateTime,
		"age":      s.age,
		"event":    newEventID,
		"ref":      func(n int64) string { return fmt.Sprintf("#%d", n) },
		"themes":   func(th []string) string { return "#" + strings.Join(th, " #") },
		"name": func(l commands.Lang, n string) string {
			switch n {
			case "":
				return t(l, "unknown")
			case commands.ErasedAuthor:
				return t(l, "erased")
			}
			return n
		},
		"status": func(l commands.Lang, r commands.HelpRequest) string {
			switch r.Status {
			case commands.StatusClaimed:
				return t(l, "status.claimed") + " " + r.ClaimedBy
			case commands.StatusAnswered, commands.StatusResolved, commands.StatusOpen:
				return t(l, "status."+r.Status)
			}
			return r.Status
		},
		"collectivePath": func(id int64) string { return fmt.Sprintf("/collectief/%d", id) },
		"zero":           func(tm time.Time) bool { return tm.IsZero() },
	}
	pages := map[string]*template.Template{}
	for _, name := range []string{"overview", "collective", "queue", "lessons", "meetings", "public", "login", "howto", "message"} {
		pages[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", "templates/"+name+".html"))
	}
	return pages
}
