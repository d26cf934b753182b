package commands

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// OptionType is the type of a command option. It decides validation here and
// the option type on Discord.
type OptionType int

// Option types.
const (
	OptText   OptionType = iota // free text, 1–MaxLen characters after trimming
	OptInt                      // whole number in [Min, Max]
	OptChoice                   // one of Choices
	OptDate                     // a date written JJJJ-MM-DD
)

// Where says in which kinds of chat a command may run; combine with |.
type Where int

// Chat kinds a command may run in.
const (
	InUnlinked   Where = 1 << iota // a chat not linked to anything yet
	InCollective                   // a chat linked to a collective
	InStaff                        // the staff chat(s)
	InPrivate                      // a person's private chat with the bot (not an expert's)
	InExpert                       // an expert's private chat with the bot
	Anywhere     = InUnlinked | InCollective | InStaff | InPrivate | InExpert
)

// Role says who may run a command, on top of Where.
type Role int

// Roles, from least to most privileged.
const (
	Member    Role = iota // anyone who can write in the chat
	ChatAdmin             // a chat admin (Telegram admin, Discord Manage Server) or bot admin
	BotAdmin              // listed in WIJKBOT_ADMINS
)

// Option is one typed option of a command.
type Option struct {
	Name   string // Dutch name, used as the key in Request.Args
	NameEN string // English localization (Discord)
	// Desc names the option's description in the message catalogue
	// (messages_xx.go); hidden options have none.
	Desc     MsgID
	Type     OptionType
	Required bool
	Min, Max int      // OptInt range, inclusive
	MaxLen   int      // OptText maximum length in characters; 0 means DefaultMaxLen
	Choices  []string // OptChoice values; for OptDate, words accepted besides a date
	// Autocomplete asks the platform to offer values while typing (Discord).
	Autocomplete bool
	// Hidden options are not registered on platforms nor shown in /hulp; they
	// exist for typed confirmations ("/vergeetmij ja") and buttons.
	Hidden bool
	// Secret options take a code (an expert's invite code after /start):
	// a command that fills one in is Guarded like /koppel (GuardedBy).
	Secret bool
}

// TextOpt declares a text or choice option once: the table lists it and
// the handler reads its value with it (Call.Text), so a misspelt option
// does not compile.
type TextOpt struct{ Option }

// IntOpt declares a whole-number option once; see TextOpt.
type IntOpt struct{ Option }

// DateOpt declares a date option once; see TextOpt. Besides a date it may
// hold one of its Choices as a word (Call.Word).
type DateOpt struct{ Option }

// OptionDecl is a declared option: TextOpt, IntOpt or DateOpt.
type OptionDecl interface{ option() Option }

func (o TextOpt) option() Option { return o.Option }
func (o IntOpt) option() Option  { return o.Option }
func (o DateOpt) option() Option { return o.Option }

// Opts lists declared options in the order a user types them.
func Opts(decls ...OptionDecl) []Option {
	out := make([]Option, len(decls))
	for i, d := range decls {
		out[i] = d.option()
	}
	return out
}

// Arg sets the option's value on a button.
func (o TextOpt) Arg(v string) Arg { return Arg{Option: o.Name, Value: v} }

// Arg sets the option's value on a button.
func (o IntOpt) Arg(n int64) Arg { return Arg{Option: o.Name, Value: strconv.FormatInt(n, 10)} }

// DefaultMaxLen is the maximum length of a text option unless it says otherwise.
const DefaultMaxLen = 2000

// Command describes one command once; Discord registration, Telegram
// setMyCommands and text parsing, the console and /hulp derive from it.
type Command struct {
	Name     string   // Dutch name, the canonical one
	English  string   // English alias ("" when the name is the same in both)
	Synonyms []string // further names that work when typed (/start)
	// Desc names the command's description in the message catalogue
	// (messages_xx.go), one text per language; Discord allows 1–100
	// characters, which the catalogue test checks.
	Desc    MsgID
	Options []Option
	Where   Where
	Who     Role
	// Hidden commands exist for buttons; they are not registered or listed.
	Hidden bool
	// Unlisted is where /hulp leaves the command out although it works there.
	Unlisted Where
	// Slow commands render charts or files; adapters defer or show progress.
	Slow bool
	// Documents says the slow result is documents (exports, personal data)
	// rather than a chart, so adapters show the matching progress.
	Documents bool
	// Guarded commands take a secret (a link code): the runtime limits
	// wrong guesses per chat and person (bot.Limits).
	Guarded bool
	// Run does the command's work once Handle has checked where, who and
	// the options.
	Run RunFunc
}

// GuardedBy says whether the runtime limits wrong guesses of this
// invocation: the command is Guarded, or args fill in a Secret option.
func (c *Command) GuardedBy(args map[string]string) bool {
	if c.Guarded {
		return true
	}
	for _, o := range c.Options {
		if o.Secret && args[o.Name] != "" {
			return true
		}
	}
	return false
}

// RunFunc runs one command. Its shape lets a table entry name a handler
// method directly: Run: (*Handler).claim.
type RunFunc func(h *Handler, ctx context.Context, c *Call) (Reply, error)

// Option returns the option with the given (Dutch) name, or nil.
func (c *Command) Option(name string) *Option {
	for i := range c.Options {
		if c.Options[i].Name == name {
			return &c.Options[i]
		}
	}
	return nil
}

// Names returns every name the command answers to.
func (c *Command) Names() []string {
	names := []string{c.Name}
	if c.English != "" && c.English != c.Name {
		names = append(names, c.English)
	}
	return append(names, c.Synonyms...)
}

// Expertises are the choices for /hulpvraag expertise, in DESIGN.md order.
var Expertises = []string{"vastgoed", "juridisch", "financiering", "onderhandelen",
	"bemiddeling", "community", "zorg", "werk", "energie", "overig"}

// Table is the one command table.
type Table []Command

// Lookup finds a command by any of its names, case-insensitively.
func (t Table) Lookup(name string) *Command {
	name = strings.ToLower(name)
	// The names of Names, compared in place: Lookup runs several times for
	// every command, and building each command's list cost allocations.
	for i := range t {
		c := &t[i]
		if c.Name == name || (c.English == name && name != "") || slices.Contains(c.Synonyms, name) {
			return c
		}
	}
	return nil
}

func text(name, nameEN string, desc MsgID, required bool) TextOpt {
	return TextOpt{Option{Name: name, NameEN: nameEN, Desc: desc, Type: OptText, Required: required}}
}

// Names of the commands that buttons run and that tests type into the
// platform fakes; the table entries use them too, so a renamed command
// renames its buttons and its tests.
const (
	CmdForget    = "vergeetmij"
	CmdFeedback  = "feedback"
	CmdNewCode   = "nieuwecode"
	CmdStaffChat = "stafkanaal"
	CmdClaim     = "oppakken"
	CmdAnswer    = "antwoord"
	CmdResolve   = "afronden"
	cmdUnlink    = "ontkoppel"
	cmdRelink    = "herkoppel"
)

// The options, each declared once; the table lists them and the handlers
// read them (c.args.Text(optQuestion)).
var (
	optCode          = text("code", "code", MsgDescOptCode, true)
	optLang          = TextOpt{Option{Name: "taal", NameEN: "language", Desc: MsgDescOptLang, Type: OptChoice, Required: true, Choices: languageChoices()}}
	optProgressText  = text("tekst", "text", MsgDescOptProgressText, true)
	optMilestoneText = text("tekst", "text", MsgDescOptMilestoneText, true)
	optCount         = IntOpt{Option{Name: "aantal", NameEN: "count", Desc: MsgDescOptCount, Type: OptInt, Min: 1, Max: 50}}
	optExpertise     = TextOpt{Option{Name: "expertise", NameEN: "expertise", Desc: MsgDescOptExpertise, Type: OptChoice, Required: true, Choices: Expertises}}
	optQuestion      = text("vraag", "question", MsgDescOptQuestion, true)
	optPanelElement  = TextOpt{Option{Name: "element", NameEN: "element", Desc: MsgDescOptPanelElement, Type: OptText, Autocomplete: true, MaxLen: 100}}
	optSliderElement = TextOpt{Option{Name: "element", NameEN: "element", Desc: MsgDescOptSliderElement, Type: OptText, Required: true, Autocomplete: true, MaxLen: 100}}
	optValue         = IntOpt{Option{Name: "waarde", NameEN: "value", Desc: MsgDescOptValue, Type: OptInt, Required: true, Min: 0, Max: 10}}
	optReason        = text("toelichting", "reason", MsgDescOptReason, false)
	optElementName   = TextOpt{Option{Name: "naam", NameEN: "name", Desc: MsgDescOptElementName, Type: OptText, Required: true, MaxLen: 60}}
	optElementDesc   = text("omschrijving", "description", MsgDescOptElementDesc, false)
	optCheckinText   = text("tekst", "text", MsgDescOptCheckinText, true)
	optUntil         = DateOpt{Option{Name: "tot", NameEN: "until", Desc: MsgDescOptUntil, Type: OptDate, Choices: []string{"stop"}}}
	optConfirm       = TextOpt{Option{Name: "bevestig", NameEN: "confirm", Type: OptText, Hidden: true, MaxLen: 20}}
	optFeedbackNr    = IntOpt{Option{Name: "nummer", NameEN: "number", Type: OptInt, Required: true, Min: 1, Max: 1 << 30}}
	optVerdict       = TextOpt{Option{Name: "oordeel", NameEN: "verdict", Type: OptChoice, Required: true, Choices: []string{"ja", "nee"}}}
	optCollective    = TextOpt{Option{Name: "naam", NameEN: "name", Desc: MsgDescOptCollective, Type: OptText, Required: true, MaxLen: 100}}
	optRequestNr     = IntOpt{Option{Name: "nummer", NameEN: "number", Desc: MsgDescOptRequestNr, Type: OptInt, Required: true, Min: 1, Max: 1 << 30, Autocomplete: true}}
	optAnswerText    = text("tekst", "text", MsgDescOptAnswerText, true)
	optSchedColl     = TextOpt{Option{Name: "collectief", NameEN: "collective", Desc: MsgDescOptSchedColl, Type: OptText, Required: true, Autocomplete: true, MaxLen: 100}}
	optSchedule      = TextOpt{Option{Name: "schema", NameEN: "schedule", Desc: MsgDescOptSchedule, Type: OptText, Required: true, MaxLen: 100}}
	optChat          = TextOpt{Option{Name: "chat", NameEN: "chat", Desc: MsgDescOptChat, Type: OptText, Required: true, Autocomplete: true, MaxLen: 200}}
	optExportColl    = TextOpt{Option{Name: "collectief", NameEN: "collective", Desc: MsgDescOptExportColl, Type: OptText, Autocomplete: true, MaxLen: 100}}
)

// Commands is every command of wijkbot, in the order /hulp lists them.
// Adding a command is one entry here (with its handler in Run) plus that
// handler's file and tests; every platform, /hulp and the permission
// checks derive from the entry.
var Commands = Table{
	// Everywhere.
	{Name: "hulp", English: "help", Synonyms: []string{"start"}, Where: Anywhere, Run: (*Handler).help,
		Desc:    MsgDescCmdHelp,
		Options: Opts(optStartCode)},
	// Relinking is possible but rare; in a linked chat /koppel would only
	// distract from the daily commands, so /hulp leaves it out there.
	{Name: "koppel", English: "link", Where: InUnlinked | InCollective, Unlisted: InCollective, Who: ChatAdmin, Guarded: true, Run: (*Handler).link,
		Desc:    MsgDescCmdLink,
		Options: Opts(optCode)},
	{Name: cmdRelink, English: "relink", Where: InCollective, Who: ChatAdmin, Guarded: true, Hidden: true, Run: (*Handler).relink,
		Desc:    MsgDescCmdRelink,
		Options: Opts(optCode)},
	{Name: "taal", English: "language", Where: Anywhere, Run: (*Handler).setLang,
		Desc:    MsgDescCmdLanguage,
		Options: Opts(optLang)},

	// In a collective's chat.
	{Name: "voortgang", English: "log", Where: InCollective, Run: (*Handler).logProgress,
		Desc:    MsgDescCmdLog,
		Options: Opts(optProgressText)},
	{Name: "mijlpaal", English: "milestone", Where: InCollective, Run: (*Handler).logMilestone,
		Desc:    MsgDescCmdMilestone,
		Options: Opts(optMilestoneText)},
	{Name: "tijdlijn", English: "timeline", Where: InCollective, Run: (*Handler).timeline,
		Desc:    MsgDescCmdTimeline,
		Options: Opts(optCount)},
	{Name: "hulpvraag", English: "ask", Where: InCollective, Run: (*Handler).ask,
		Desc:    MsgDescCmdAsk,
		Options: Opts(optExpertise, optQuestion)},
	{Name: "hulpvragen", English: "requests", Where: InCollective, Run: (*Handler).requests,
		Desc: MsgDescCmdRequests},
	{Name: "mengpaneel", English: "panel", Where: InCollective, Slow: true, Run: (*Handler).panel,
		Desc:    MsgDescCmdPanel,
		Options: Opts(optPanelElement)},
	{Name: "schuif", English: "set", Where: InCollective, Run: (*Handler).setSlider,
		Desc:    MsgDescCmdSet,
		Options: Opts(optSliderElement, optValue, optReason)},
	{Name: "element", English: "addelement", Where: InCollective, Run: (*Handler).addElement,
		Desc:    MsgDescCmdAddelement,
		Options: Opts(optElementName, optElementDesc)},
	{Name: "checkin", Where: InCollective, Run: (*Handler).checkin,
		Desc:    MsgDescCmdCheckin,
		Options: Opts(optCheckinText)},
	{Name: "pauze", English: "pause", Where: InCollective, Run: (*Handler).pause,
		Desc:    MsgDescCmdPause,
		Options: Opts(optUntil)},
	{Name: "mijngegevens", English: "mydata", Where: Anywhere, Slow: true, Documents: true, Run: (*Handler).myData,
		Desc: MsgDescCmdMydata},
	{Name: CmdForget, English: "forgetme", Where: Anywhere, Run: (*Handler).forgetMe,
		Desc:    MsgDescCmdForgetme,
		Options: Opts(optConfirm)},
	{Name: CmdFeedback, Where: InCollective, Hidden: true, Run: (*Handler).feedback,
		Desc:    MsgDescCmdFeedback,
		Options: Opts(optFeedbackNr, optVerdict)},

	// In the staff chat.
	{Name: CmdStaffChat, English: "staffchat", Where: InUnlinked | InStaff, Who: BotAdmin, Run: (*Handler).staffChat,
		Desc: MsgDescCmdStaffchat},
	{Name: "collectief", English: "collective", Where: InStaff, Run: (*Handler).createCollective,
		Desc:    MsgDescCmdCollective,
		Options: Opts(optCollective)},
	{Name: CmdNewCode, English: "newcode", Where: InStaff, Hidden: true, Run: (*Handler).renewCode,
		Desc:    MsgDescCmdNewcode,
		Options: Opts(optCollective)},
	{Name: "collectieven", English: "collectives", Where: InStaff, Run: (*Handler).collectives,
		Desc: MsgDescCmdCollectives},
	{Name: cmdUnlink, English: "unlink", Where: InStaff, Run: (*Handler).unlink,
		Desc:    MsgDescCmdUnlink,
		Options: Opts(optChat)},
	{Name: "open", Where: InStaff, Run: (*Handler).openRequests,
		Desc: MsgDescCmdOpen},
	{Name: CmdClaim, English: "claim", Where: InStaff | InExpert, Run: (*Handler).claim,
		Desc:    MsgDescCmdClaim,
		Options: Opts(optRequestNr)},
	{Name: CmdAnswer, English: "answer", Where: InStaff | InExpert, Run: (*Handler).answer,
		Desc:    MsgDescCmdAnswer,
		Options: Opts(optRequestNr, optAnswerText)},
	{Name: CmdResolve, English: "resolve", Where: InStaff | InExpert, Run: (*Handler).resolve,
		Desc:    MsgDescCmdResolve,
		Options: Opts(optRequestNr)},
	{Name: "schema", English: "schedule", Where: InStaff, Run: (*Handler).schedule,
		Desc:    MsgDescCmdSchedule,
		Options: Opts(optSchedColl, optSchedule)},
	{Name: "overzicht", English: "overview", Where: InStaff, Slow: true, Run: (*Handler).overview,
		Desc: MsgDescCmdOverview},
	{Name: "export", Where: InStaff, Slow: true, Documents: true, Run: (*Handler).export,
		Desc:    MsgDescCmdExport,
		Options: Opts(optExportColl)},

	// Experts (experts.go): staff invite and follow them; an expert works
	// in their private chat with the bot.
	{Name: "expert", English: "addexpert", Where: InStaff, Run: (*Handler).inviteExpert,
		Desc:    MsgDescCmdAddexpert,
		Options: Opts(optExpertNew, optExpertises)},
	{Name: "experts", Where: InStaff, Run: (*Handler).listExperts,
		Desc: MsgDescCmdExperts},
	{Name: "toewijzen", English: "assign", Where: InStaff, Run: (*Handler).assign,
		Desc:    MsgDescCmdAssign,
		Options: Opts(optRequestNr, optExpertName)},
	{Name: "expertweg", English: "removeexpert", Where: InStaff, Run: (*Handler).removeExpert,
		Desc:    MsgDescCmdRemoveexpert,
		Options: Opts(optExpertName)},
	{Name: "ikbenexpert", English: "iamexpert", Where: InPrivate | InExpert, Unlisted: InExpert, Guarded: true, Run: (*Handler).iAmExpert,
		Desc:    MsgDescCmdIamexpert,
		Options: Opts(optInvite)},
	{Name: "mijnvragen", English: "myrequests", Where: InExpert, Run: (*Handler).myRequests,
		Desc: MsgDescCmdMyrequests},
	{Name: "afwezig", English: "away", Where: InExpert, Run: (*Handler).away,
		Desc:    MsgDescCmdAway,
		Options: Opts(optUntil)},

	// The network (issue 13): lessons, sparring, meetings. Handlers and
	// options live in lessons.go, sparring.go and meetings.go.
	{Name: "les", English: "lesson", Where: InCollective, Run: (*Handler).addLesson,
		Desc:    MsgDescCmdLesson,
		Options: Opts(optLessonText)},
	{Name: "lessen", English: "lessons", Where: InCollective | InStaff, Run: (*Handler).lessons,
		Desc:    MsgDescCmdLessons,
		Options: Opts(optLessonFind)},
	{Name: cmdShare, English: "share", Where: InCollective, Run: (*Handler).shareLesson,
		Desc:    MsgDescCmdShare,
		Options: Opts(optLessonRef, optShare)},
	{Name: "sparren", English: "peers", Where: InCollective, Run: (*Handler).spar,
		Desc:    MsgDescCmdPeers,
		Options: Opts(optSparTheme)},
	{Name: cmdContact, Where: InCollective, Run: (*Handler).contact,
		Desc:    MsgDescCmdContact,
		Options: Opts(optSparColl, optContactTheme)},
	{Name: cmdInvitation, English: "invitation", Where: InCollective, Hidden: true, Run: (*Handler).answerInvitation,
		Desc:    MsgDescCmdInvitation,
		Options: Opts(optHiddenID, optHiddenYesNo)},
	{Name: cmdTalked, English: "talked", Where: InCollective, Hidden: true, Run: (*Handler).talked,
		Desc:    MsgDescCmdTalked,
		Options: Opts(optHiddenID, optHiddenYesNo)},
	{Name: "bijeenkomst", English: "meeting", Where: InStaff, Run: (*Handler).createMeeting,
		Desc:    MsgDescCmdMeeting,
		Options: Opts(optMeetingWhen, optMeetingTitle, optMeetingPlace)},
	{Name: "bijeenkomsten", English: "meetings", Where: InCollective | InStaff, Slow: true, Documents: true, Run: (*Handler).meetings,
		Desc: MsgDescCmdMeetings},
	{Name: cmdRSVP, English: "rsvp", Where: InCollective | InStaff, Run: (*Handler).rsvp,
		Desc:    MsgDescCmdRsvp,
		Options: Opts(optMeetingRef, optRSVP)},
	// The web pages (web.go).
	{Name: "dashboard", Where: InStaff, Run: (*Handler).dashboard,
		Desc:    MsgDescCmdDashboard,
		Options: Opts(optDashboardOff)},
}

// MissingText returns the command's last option when it is required text
// that args leave out while every other required option is there: a button
// or form that lacks only its text ("/antwoord 12") asks the user for it.
func (c *Command) MissingText(args map[string]string) *Option {
	n := len(c.Options)
	if n == 0 {
		return nil
	}
	last := &c.Options[n-1]
	if last.Type != OptText || !last.Required || last.Hidden {
		return nil
	}
	if _, ok := args[last.Name]; ok {
		return nil
	}
	for _, o := range c.Options[:n-1] {
		if _, ok := args[o.Name]; o.Required && !ok {
			return nil
		}
	}
	return last
}

// Asks returns the text option that pressing btn asks the presser for
// (Command.MissingText), or nil when the button runs as it is.
func (t Table) Asks(btn Button) *Option {
	cmd := t.Lookup(btn.Command)
	if cmd == nil {
		return nil
	}
	return cmd.MissingText(btn.argMap())
}

// Direct returns the buttons that run without asking for text, for
// platforms that cannot ask (and for typed-command fallbacks).
func (t Table) Direct(buttons []Button) []Button {
	var out []Button
	for _, b := range buttons {
		if t.Asks(b) == nil {
			out = append(out, b)
		}
	}
	return out
}
