package commands

// The message catalogue: every text a user reads, once per language.
//
// Adding a message (read this first):
//
//  1. Add an id to the const block below, in the group of the file that uses
//     it (group comments name the file). Name it Msg<Topic><What>, e.g.
//     MsgRequestNotFound; the order does not matter.
//  2. Add its text to messages_nl.go (Dutch, informal je/jullie) and to
//     messages_en.go under the same group. A text is a fmt format: every
//     language has the same verbs (%s, %d, %q, …) for the same arguments;
//     reorder with %[2]s, write a literal percent sign as %%.
//  3. Use it: l.Msg(MsgX, args...) in commands, lang.Msg(commands.MsgX, …)
//     in bot/ and the adapters. A count-dependent text is a plural message:
//     its forms are separated by "|" ("%d antwoord|%d antwoorden", the form
//     for one first) and it is used as l.Count(MsgX, n, args...), which
//     passes n as the first argument.
//  4. go test ./commands -run Catalogue fails when a language lacks the
//     text, when the placeholders differ between languages, or when a call
//     passes a different number of arguments than the text has verbs.
//
// Adding a language: one file messages_xx.go holding
// var xx = [msgCount]string{...} and var xxDates (copy messages_en.go), a
// Lang constant in it, and one line in catalogues below; the test then
// checks it like the others. The command and option descriptions are
// catalogue texts too (MsgDesc…, referenced by the table entries' Desc), so
// /hulp, Telegram's menus and Discord's localizations follow; so do the
// names of months and days.
//
// Why typed ids in plain Go files rather than golang.org/x/text/message
// catalogs (which the module already depends on for other reasons):
//   - an id is a constant, so a typo or a deleted message is a compile
//     error; x/text catalogs are keyed by strings and print the key itself
//     when it is missing, a mistake only a reader of the chat notices;
//   - x/text's Printer localises numbers (%d of 1234 prints "1.234" in
//     Dutch), which would silently change help request numbers and counts
//     that users type back (/oppakken 1234);
//   - the two plural rules we need (one/other) are a line each, and the
//     catalogue stays greppable, gofmt'ed Go without a generator (gotext)
//     in the build.

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// MsgID names one user-facing message. Its text per language lives in
// messages_nl.go, messages_en.go, ….
type MsgID int

// The messages, grouped by the file that uses them.
const (
	_ MsgID = iota // zero is no message, so a forgotten id never prints a text

	// experts
	MsgExpertWelcome
	// lessons
	// meetings
	MsgMeetingRSVPNo
	MsgMeetingRSVPMaybe
	MsgMeetingRSVPYes
	// sparring
	MsgSparringConversationsN
	MsgSparringIntroductionsN
	MsgSparringInvitationsN
	MsgSparringFigures
	MsgSparringSharedLessonsN
	MsgLessonNewLessons
	MsgLessonNotShared2

	// schedule
	MsgScheduleInvalid
	MsgScheduleEmpty
	MsgScheduleMissingSpec
	MsgScheduleUnknownZone
	MsgScheduleFieldCount
	MsgScheduleUnknownDescriptor
	MsgScheduleBadDuration
	MsgScheduleEveryTooShort
	MsgScheduleOutOfRange
	MsgScheduleBadField
	MsgScheduleNeverFires
	MsgScheduleUnreadable
	// web
	MsgWebSessionsN
	MsgWebLoggedOut
	// bot
	MsgRateLimited
	MsgLinkCodeLimited
	MsgExpertIn
	MsgExpertUnknownExpertiseChooseFrom
	MsgExpertNameAtLeastOne
	MsgExpertNameLetters
	MsgExpertThereIsExpertAlready
	MsgExpertInvitationForCodeSingle
	MsgExpertTelegramSendThisLink
	MsgExpertOrSendsBotPrivate
	MsgExpertInvitePrivateOnly
	MsgExpertIsNotValidInvite
	MsgExpertYouAreExpertHere
	MsgExpertNoInvitationHasCode
	MsgExpertThisInvitationHasBeen
	MsgExpertThisInvitationHasExpired
	MsgExpertYouAreExpertAlready
	MsgExpertThisInvitationWasWithdrawn
	MsgExpertUsedInvitationAndIs
	MsgExpertProgrammeTeamOffersYou
	MsgExpertNewHelpRequestFor
	MsgExpertHelpRequestWasNot
	MsgExpertHasAlreadyBeenTaken
	MsgExpertWasTakenByYou
	MsgExpertFromWasTakenBy
	MsgExpertYouTookFromAnswer
	MsgExpertAnswerToYourHelp
	MsgExpertAnsweredFrom
	MsgExpertYourAnswerToWas
	MsgExpertYourAnswerToIs
	MsgExpertFromWasResolvedBy
	MsgExpertIsResolvedThankYou
	MsgExpertYouAreNotAway
	MsgExpertWelcomeBackNewHelp
	MsgExpertYouAreAwayFrom
	MsgExpertYouGetHelpRequests
	MsgExpertYouCanBeAway
	MsgExpertNotedUntilYouGet
	MsgExpertYouAreAwayUntil
	MsgExpertNoHelpRequestsHave
	MsgExpertYourHelpRequestsNewest
	MsgExpertAnsweredByYou
	MsgExpertTakenByYou
	MsgExpertOpenTakeItWith
	MsgExpertInvitationNotUsedYet
	MsgExpertUnreachableBotBlocked
	MsgExpertAwayUntil
	MsgExpertAvailable
	MsgExpertHMin
	MsgExpertNoExpertsYetInvite
	MsgExpertsTitle
	MsgExpertOfferedTakenAnsweredMedian
	MsgExpertThereIsNoExpert
	MsgExpertHasNotUsedInvitation
	MsgExpertIsUnreachableBotCould
	MsgExpertIsAwayUntilRequest
	MsgExpertNoteHasAlreadyBeen
	MsgExpertWasOfferedTo
	MsgExpertAlreadyRemoved
	MsgExpertProgrammeTeamHasEnded
	MsgExpertRemoved
	MsgExpertUnreachableAlert
	MsgLessonShareWithNetwork
	MsgLessonProgrammeTeamOnly
	MsgLessonLessonRecordedThankYou
	MsgLessonMayOtherCollectivesRead
	MsgLessonIsNotLessonNumber
	MsgLessonLessonDoesNotExist
	MsgLessonIsAnotherCollectiveLesson
	MsgLessonIsSharedWithNetwork
	MsgLessonStaysWithProgrammeTeam
	MsgLessonNoLessonsFoundFor
	MsgLessonNoLessonsYetRecord
	MsgLessonLessonsForBestFirst
	MsgLessonAllLessonsNewestFirst
	MsgLessonLessonsFromNetworkAnd
	MsgLessonSearchMorePreciselyWith
	MsgLessonNotSharedNotChosen
	MsgLessonNotShared
	MsgMeetingDoesNotExistIn
	MsgMeetingIsInPastMeeting
	MsgMeetingIsNotTimeWrite
	MsgMeetingIMComing
	MsgMeetingMaybe
	MsgMeetingCanTCome
	MsgMeetingInvitation
	MsgMeetingAreYouComingEveryone
	MsgMeetingInvitationSentToChats
	MsgMeetingIsComing
	MsgMeetingMightCome
	MsgMeetingCanTCome2
	MsgMeetingIsNotMeetingWrite
	MsgMeetingMeetingDoesNotExist
	MsgMeetingHasStartedOrIs
	MsgMeetingNotedToYouCan
	MsgMeetingNoMeetingsArePlanned
	MsgMeetingUpcomingMeetings
	MsgMeetingNobodyInThisChat
	MsgMeetingFromThisChat
	MsgMeetingTheyAreAttachedAs
	MsgMeetingYesMaybeCanT
	MsgMeetingProgrammeTeam
	MsgMeetingReminder
	MsgMeetingCanTMakeIt
	MsgSparringIsNotThemeTheme
	MsgSparringAbout
	MsgSparringLastActive
	MsgSparringNoOtherCollectiveHas
	MsgSparringCollectivesWithExperienceIn
	MsgSparringAskForContactWith
	MsgSparringAskForContactIf
	MsgSparringThatIsYourOwn
	MsgSparringThereIsAlreadyOpen
	MsgSparringWouldLikeToSpar
	MsgSparringYesPlease
	MsgSparringNotNow
	MsgSparringInvitationSentToTo
	MsgSparringIntroductionAboutOfAsked
	MsgSparringIsNotInvitationNumber
	MsgSparringThisInvitationFromHas
	MsgSparringThisInvitationFromWas
	MsgSparringThisInvitationIsNot
	MsgSparringCannotSparAboutRight
	MsgSparringAllRightIWill
	MsgSparringIntroductionAndSparAbout
	MsgSparringThisIntroductionIsNot
	MsgSparringGreatThatYouTalked
	MsgSparringAllRightThanksPerhaps
	MsgSparringTwoWeeksAgoI
	MsgSparringYes
	MsgSparringNotYet
	MsgWebWebPagesAreOff
	MsgWebYourLoginLinkFor
	MsgSecretSentPrivately
	MsgSecretNeedsPrivateChat
	MsgSecretAnonymous

	// chart (package chart draws the charts in the chat's or page's language)
	MsgChartPanelSubtitle
	MsgChartHistorySubtitle
	MsgChartUnset
	MsgChartNow
	MsgChartFourWeeksAgo
	MsgChartGridTitle
	MsgChartGridCut
	MsgChartGridFolded
	MsgChartGridValue
	MsgChartGridLegend

	// checkin
	MsgCheckinAnswered
	MsgPauseNone
	MsgPauseEnded
	MsgPauseActive
	MsgPauseRunning
	MsgPauseDatePast
	MsgPauseTooFar
	MsgPaused

	// digest
	MsgDigestEntriesN
	MsgDigestMilestonesN
	MsgAlertUnanswered
	MsgDigestTitle
	MsgDigestNoCollectives
	MsgDigestProgress
	MsgDigestSliders
	MsgDigestTakenBy
	MsgDigestNotTaken
	MsgDigestOpenRequests
	MsgDigestCheckinAnsweredBy
	MsgDigestPausedUntil
	MsgDigestNoChat
	MsgDigestNoCheckin
	MsgDigestCheckinUnanswered
	MsgAlertUnclaimed
	MsgAlertTakeIt
	MsgDigestOfferedToExperts
	MsgDigestSummary
	MsgDigestMoreN
	MsgDigestMoreNoWebN
	MsgDigestLessonsMoreN

	// errors
	MsgErrNotFound
	MsgErrConflict
	MsgErrInvalid
	MsgErrForbidden
	MsgInternalError

	// export
	MsgExportAll
	MsgDraftReportsN
	MsgExportNoCollectives
	MsgExportUnknownCollective
	MsgExportDidYouMean
	MsgExportNoneYet
	MsgExportSeeCollectives
	MsgExportOne
	MsgExportPersonalWarning

	// format
	MsgHoursN
	MsgMinutesN
	MsgDaysN
	MsgErased
	MsgAgeJustNow
	MsgAgoJustNow
	MsgAgoSuffix
	MsgSomeone

	// handler
	MsgParseTooManyWords
	MsgParseOpenQuote
	MsgChatNotLinked
	MsgOnlyInStaff
	MsgOnlyInCollective
	MsgNotInLinkedChat
	MsgOnlyChatAdmin
	MsgOnlyBotAdmin
	MsgUnknownCommand
	MsgOnlyExperts
	MsgOnlyCollectiveGroup
	MsgNotInPrivateChat
	MsgOnlyExpertsInvite
	MsgOnlyPrivateChat

	// help
	MsgHelpIntro
	MsgHelpLinked
	MsgHelpStaff
	MsgHelpNotLinked
	MsgHelpCommands
	MsgHelpQuotes
	MsgLanguageSet
	MsgHelpExpert
	MsgHelpThisIsYourPrivate

	// helprequests
	MsgButtonAnswer
	MsgRequestNew
	MsgRequestStoredNoStaff
	MsgRequestSent
	MsgButtonClaim
	MsgButtonResolve
	MsgStatusTakenBy
	MsgStatusAnsweredBy
	MsgStatusResolved
	MsgStatusOpen
	MsgRequestsNone
	MsgRequestsTitle
	MsgRequestsOlder
	MsgRequestNotFound
	MsgRequestResolved
	MsgRequestTaken
	MsgClaimAgain
	MsgClaimedToCollective
	MsgClaimed
	MsgAnswerResolved
	MsgAnswerToCollective
	MsgAnswerStoredNoChat
	MsgAnswerSent
	MsgResolvedToCollective
	MsgButtonHelped
	MsgResolvedDone
	MsgFeedbackNotFound
	MsgFeedbackAlready
	MsgFeedbackNotResolved
	MsgFeedbackToStaff
	MsgFeedbackThanks
	MsgOpenNone
	MsgOpenTitle
	MsgOpenHint
	MsgRequestSentExperts

	// link
	MsgLinkWelcome
	MsgLinkCodeFormat
	MsgLinkCodeInvalid
	MsgLinkAlready
	MsgLinkCodeUnknown
	MsgLinkStaffChat

	// match
	MsgMatchElements
	MsgMatchAmbiguous
	MsgMatchUnknown

	// overview
	MsgOverviewOrder
	MsgOverviewChartAttention
	MsgOverviewChartAttentionNoWeb
	MsgOverviewChartByName
	MsgOverviewChartNote
	MsgOverviewTitle
	MsgCollectivesN
	MsgOpenRequestsN
	MsgAnswersN
	MsgOverviewMoreN
	MsgOverviewNoCollectives
	MsgOverviewNoChat
	MsgOverviewPausedUntil
	MsgOverviewNoProgress
	MsgOverviewProgress
	MsgOverviewNoCheckin
	MsgOverviewCheckin
	MsgOverviewProgressNone
	MsgOverviewMilestone
	MsgOverviewProgressLabel
	MsgOverviewNoRound
	MsgOverviewCheckinUnanswered
	MsgOverviewCheckinOf
	MsgOverviewRequestsNone
	MsgOverviewRequests
	MsgOverviewPanel
	MsgOverviewPanelUnset
	MsgDecimalSeparator
	MsgOverviewPanelAverage
	MsgOverviewPanelNotSet

	// panel
	MsgPanelTitle
	MsgPanelEmpty
	MsgPanelHint
	MsgPanelUnset
	MsgHistoryNever
	MsgHistoryTitle
	MsgHistoryEarlier
	MsgHistoryUnset
	MsgElementGone
	MsgSetTipReason
	MsgElementOwn
	MsgElementDefault
	MsgElementExists
	MsgElementMax
	MsgElementAdded
	MsgElementDescription
	MsgElementNameLetters
	MsgElementNameQuotes
	MsgElementNameDigit

	// privacy
	MsgMyDataPrivateOnly
	MsgForgetDone
	MsgForgetCancelled
	MsgForgetConfirm
	MsgButtonForget
	MsgForgetUnknownAnswer
	MsgMyData
	MsgPrivacyYouAreWritingAs

	// progress
	MsgProgressMilestone
	MsgProgressLogged
	MsgProgressThemes
	MsgProgressSeeTimeline
	MsgTimelineEmpty
	MsgTimelineTitle

	// rounds
	MsgCheckinEntriesN
	MsgCheckinMilestonesN
	MsgCheckinMovesN
	MsgCheckinTitle
	MsgCheckinPastWeek
	MsgCheckinSinceLast
	MsgCheckinQuestions
	MsgCheckinHowReply
	MsgCheckinHow
	MsgCheckinAndMore
	MsgNudge
	MsgCheckinNoRound

	// staff
	MsgStaffAlready
	MsgStaffLinkedChat
	MsgStaffSet
	MsgCollectiveNameLetters
	MsgCollectiveNameQuotes
	MsgCollectiveExists
	MsgButtonNewCode
	MsgCollectiveCreated
	MsgNewLinkCode
	MsgCollectivesNone
	MsgCollectivesTitle
	MsgCollectivesNoActivity
	MsgCollectivesLastActive
	MsgCollectivesPausedUntil
	MsgCollectivesSchedule
	MsgCollectivesNoChat
	MsgCollectiveUnknown
	MsgCollectiveUnknownNone
	MsgCollectiveUnknownList
	MsgScheduleNoTimeZone
	MsgScheduleDefault
	MsgScheduleSet
	MsgSchedulePausedNote

	// validate
	MsgOptionNotDate
	MsgOptionDateOr
	MsgOptionMissing
	MsgOptionTooLong
	MsgOptionUnknownChoice
	MsgOptionIntMin
	MsgOptionIntRange

	// bot/console
	MsgConsoleWelcome
	MsgConsolePlainText
	MsgConsoleNotForUs
	MsgConsoleReplyFailed
	MsgConsoleUnknownDirective
	MsgConsoleGiveName
	MsgConsoleItIsNow
	MsgConsoleClockTooFar
	MsgConsoleClockBadTime
	MsgConsoleClockBackward
	MsgConsoleSchedulerError
	MsgConsoleImage
	MsgConsoleFile
	MsgConsoleGivePrivateName
	MsgConsoleHelp

	// bot/discord
	MsgButtonGone
	MsgDiscordFileTooLarge

	// bot/telegram
	MsgTelegramFileFailed
	MsgAlreadyDone
	MsgTelegramAsk
	MsgTelegramAskFailed
	MsgTelegramAskNotYours
	MsgTelegramAskGone

	// access: link.go, unlink.go, staff.go, helprequests.go, overview.go
	MsgLinkPrivateChat
	MsgRelinkQuestion
	MsgRelinkButton
	MsgRelinkedStaff
	MsgUnlinkButton
	MsgUnlinkUnknown
	MsgUnlinkNoChats
	MsgUnlinkWriteAs
	MsgUnlinkLine
	MsgUnlinkOr
	MsgUnlinkAmbiguous
	MsgUnlinkNotLinked
	MsgUnlinkTold
	MsgUnlinkDone
	MsgNewCodeLinkedChats
	MsgCollectivesUnlinkHint
	MsgRequestTooManyOpen
	MsgOpenMore
	MsgTimelineMore
	MsgOpenListMore
	MsgCollectivesMore

	// descriptions of commands and options (table.go and the option declarations)
	MsgDescOptExpertNew
	MsgDescOptExpertises
	MsgDescOptExpertName
	MsgDescOptInvite
	MsgDescOptLessonText
	MsgDescOptLessonRef
	MsgDescOptShare
	MsgDescOptLessonFind
	MsgDescOptMeetingWhen
	MsgDescOptMeetingTitle
	MsgDescOptMeetingPlace
	MsgDescOptMeetingRef
	MsgDescOptRSVP
	MsgDescOptSparTheme
	MsgDescOptSparColl
	MsgDescOptContactTheme
	MsgDescOptCode
	MsgDescOptLang
	MsgDescOptProgressText
	MsgDescOptMilestoneText
	MsgDescOptCount
	MsgDescOptExpertise
	MsgDescOptQuestion
	MsgDescOptPanelElement
	MsgDescOptSliderElement
	MsgDescOptValue
	MsgDescOptReason
	MsgDescOptElementName
	MsgDescOptElementDesc
	MsgDescOptCheckinText
	MsgDescOptUntil
	MsgDescOptCollective
	MsgDescOptRequestNr
	MsgDescOptAnswerText
	MsgDescOptSchedColl
	MsgDescOptSchedule
	MsgDescOptChat
	MsgDescOptExportColl
	MsgDescCmdHelp
	MsgDescCmdLink
	MsgDescCmdRelink
	MsgDescCmdLanguage
	MsgDescCmdLog
	MsgDescCmdMilestone
	MsgDescCmdTimeline
	MsgDescCmdAsk
	MsgDescCmdRequests
	MsgDescCmdPanel
	MsgDescCmdSet
	MsgDescCmdAddelement
	MsgDescCmdCheckin
	MsgDescCmdPause
	MsgDescCmdMydata
	MsgDescCmdForgetme
	MsgDescCmdFeedback
	MsgDescCmdStaffchat
	MsgDescCmdCollective
	MsgDescCmdNewcode
	MsgDescCmdCollectives
	MsgDescCmdUnlink
	MsgDescCmdOpen
	MsgDescCmdClaim
	MsgDescCmdAnswer
	MsgDescCmdResolve
	MsgDescCmdSchedule
	MsgDescCmdOverview
	MsgDescCmdExport
	MsgDescCmdAddexpert
	MsgDescCmdExperts
	MsgDescCmdAssign
	MsgDescCmdRemoveexpert
	MsgDescCmdIamexpert
	MsgDescCmdMyrequests
	MsgDescCmdAway
	MsgDescCmdLesson
	MsgDescCmdLessons
	MsgDescCmdShare
	MsgDescCmdPeers
	MsgDescCmdContact
	MsgDescCmdInvitation
	MsgDescCmdTalked
	MsgDescCmdMeeting
	MsgDescCmdMeetings
	MsgDescCmdRsvp
	MsgDescCmdDashboard
	MsgDescOptDashboardOff

	// web (package web: the pages' own words; web/texts.go names them
	// for the templates by key)
	MsgWebSkip
	MsgWebBrandSub
	MsgWebNavLabel
	MsgWebNavOverview
	MsgWebNavQueue
	MsgWebNavLessons
	MsgWebNavMeetings
	MsgWebNavPublic
	MsgWebLogout
	MsgWebLangOther
	MsgWebLangOtherCode
	MsgWebFooter
	MsgWebLoggedin
	MsgWebLoginTitle
	MsgWebLoginHow
	MsgWebLoginPublic
	MsgWebLoginConfirm
	MsgWebLoginButton
	MsgWebLoginBad
	MsgWebLoginRefused
	MsgWebLoginSlow
	MsgWebForbiddenTitle
	MsgWebForbiddenText
	MsgWebNotfoundTitle
	MsgWebNotfoundText
	MsgWebErrorTitle
	MsgWebErrorText
	MsgWebOverviewIntro
	MsgWebOverviewRange
	MsgWebTotalsTitle
	MsgWebTotalsCollectives
	MsgWebTotalsOpen
	MsgWebTotalsWithopen
	MsgWebTotalsLate
	MsgWebTotalsQuiet
	MsgWebTotalsLessons
	MsgWebTotalsShared
	MsgWebFilterLabel
	MsgWebFilterClear
	MsgWebFilterMatching
	MsgWebFilterNone
	MsgWebPagerLabel
	MsgWebPagerPrev
	MsgWebPagerNext
	MsgWebPagerMissing
	MsgWebCardAttentionOpen
	MsgWebCardAttentionQuiet
	MsgWebOverviewEmpty
	MsgWebCardActivity
	MsgWebCardNoactivity
	MsgWebCardOpen
	MsgWebCardRate
	MsgWebCardNorounds
	MsgWebCardLessons
	MsgWebCardIntros
	MsgWebCardValues
	MsgWebCardChats
	MsgWebCardNochats
	MsgWebAgo
	MsgWebPanel
	MsgWebUnset
	MsgWebElement
	MsgWebValue
	MsgWebHistory
	MsgWebHistoryNone
	MsgWebWhen
	MsgWebWho
	MsgWebWhy
	MsgWebTimeline
	MsgWebTimelineNone
	MsgWebMilestone
	MsgWebRequests
	MsgWebRequestsNone
	MsgWebAsked
	MsgWebAnswers
	MsgWebCheckins
	MsgWebCheckinsNone
	MsgWebCheckinNoanswer
	MsgWebLessonsNone
	MsgWebLessonUnshared
	MsgWebReport
	MsgWebReportNote
	MsgWebQueueIntro
	MsgWebQueueRange
	MsgWebQueueNone
	MsgWebQueueAge
	MsgWebQueueAnswer
	MsgWebQueueSend
	MsgWebQueueClaim
	MsgWebQueueResolve
	MsgWebQueueDuplicate
	MsgWebQueueStale
	MsgWebSlaOk
	MsgWebSlaUnclaimed
	MsgWebSlaUnanswered
	MsgWebStatusOpen
	MsgWebStatusClaimed
	MsgWebStatusAnswered
	MsgWebStatusResolved
	MsgWebLessonsMissing
	MsgWebLessonsNotnumber
	MsgWebLessonsFirst
	MsgWebLessonsIntro
	MsgWebSearch
	MsgWebSearchLabel
	MsgWebSearchResults
	MsgWebMeetingsIntro
	MsgWebMeetingsMore
	MsgWebMeetingsNone
	MsgWebRsvpJa
	MsgWebRsvpMisschien
	MsgWebRsvpNee
	MsgWebPlace
	MsgWebPublicTitle
	MsgWebPublicIntro
	MsgWebPublicNone
	MsgWebPublicFeed
	MsgWebFeedAuthor
	MsgWebThemes
	MsgWebErased
	MsgWebUnknown

	msgCount // keep last: the size of every language's catalogue
)

// catalogue is one language's texts, its plural rule and its names of
// months and days.
type catalogue struct {
	// texts holds one text per MsgID (the language file's array).
	texts []string
	// plural returns the form of a plural message used for count n: an
	// index into the "|"-separated forms. forms is how many there are.
	plural func(n int) int
	forms  int
	dates  dateNames
}

// dateNames are a language's names for dates shown to users; Go's layouts
// know only English, so every language lists its own (English too).
type dateNames struct {
	months, monthsShort     [12]string // January first
	weekdays, weekdaysShort [7]string  // Sunday first, as time.Weekday
}

// catalogues holds every supported language: a new language is a new
// messages_xx.go file and one line here. Everything that lists languages
// (Languages: Telegram's menus, Discord's localizations, /taal's choices)
// derives from it.
var catalogues = map[Lang]catalogue{
	NL: {nl[:], oneOther, 2, nlDates},
	EN: {en[:], oneOther, 2, enDates},
}

// Languages lists every language with a catalogue: the default (Dutch)
// first, then the others in the order of their tags.
func Languages() []Lang {
	out := []Lang{NL}
	var rest []Lang
	for l := range catalogues {
		if l != NL {
			rest = append(rest, l)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// languageChoices are /taal's values: every language's tag.
func languageChoices() []string {
	var out []string
	for _, l := range Languages() {
		out = append(out, string(l))
	}
	return out
}

// Month is the name of m in language l: "maart", "March".
func (l Lang) Month(m time.Month) string { return l.catalogue().dates.months[m-1] }

// MonthShort is the abbreviation of m in language l: "mrt", "Mar".
func (l Lang) MonthShort(m time.Month) string { return l.catalogue().dates.monthsShort[m-1] }

// Weekday is the name of d in language l: "maandag", "Monday".
func (l Lang) Weekday(d time.Weekday) string { return l.catalogue().dates.weekdays[d] }

// WeekdayShort is the abbreviation of d in language l: "ma", "Mon".
func (l Lang) WeekdayShort(d time.Weekday) string { return l.catalogue().dates.weekdaysShort[d] }

// oneOther is the plural rule of Dutch and English: one, or other.
func oneOther(n int) int {
	if n == 1 {
		return 0
	}
	return 1
}

// catalogue returns l's catalogue; a language without one reads the
// default (Dutch).
func (l Lang) catalogue() catalogue {
	if c, ok := catalogues[l]; ok {
		return c
	}
	return catalogues[NL]
}

// Msg returns message id in language l, formatted with args.
func (l Lang) Msg(id MsgID, args ...any) string {
	t := l.catalogue().texts[id]
	if len(args) == 0 && strings.IndexByte(t, '%') < 0 {
		return t // as Sprintf would give it, without its copy: most texts
	}
	return fmt.Sprintf(t, args...)
}

// Count returns the plural message id in language l in the form for n,
// formatted with n as its first argument and then args.
func (l Lang) Count(id MsgID, n int, args ...any) string {
	c := l.catalogue()
	forms := strings.Split(c.texts[id], "|")
	form := forms[min(c.plural(n), len(forms)-1)]
	return fmt.Sprintf(form, append([]any{n}, args...)...)
}
