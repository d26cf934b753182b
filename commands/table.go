package commands

import (
	"context"
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
	Name     string // Dutch name, used as the key in Request.Args
	NameEN   string // English localization (Discord)
	Desc     string
	DescEN   string
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
	Desc     string
	DescEN   string
	Options  []Option
	Where    Where
	Who      Role
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
	for i := range t {
		for _, n := range t[i].Names() {
			if n == name {
				return &t[i]
			}
		}
	}
	return nil
}

func text(name, nameEN, desc, descEN string, required bool) TextOpt {
	return TextOpt{Option{Name: name, NameEN: nameEN, Desc: desc, DescEN: descEN, Type: OptText, Required: required}}
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
	optCode          = text("code", "code", "De koppelcode van 8 tekens", "The 8-character link code", true)
	optLang          = TextOpt{Option{Name: "taal", NameEN: "language", Desc: "nl of en", DescEN: "nl or en", Type: OptChoice, Required: true, Choices: []string{"nl", "en"}}}
	optProgressText  = text("tekst", "text", "Wat is er gebeurd?", "What happened?", true)
	optMilestoneText = text("tekst", "text", "Welke mijlpaal is bereikt?", "Which milestone was reached?", true)
	optCount         = IntOpt{Option{Name: "aantal", NameEN: "count", Desc: "Hoeveel berichten (1–50)", DescEN: "How many entries (1–50)", Type: OptInt, Min: 1, Max: 50}}
	optExpertise     = TextOpt{Option{Name: "expertise", NameEN: "expertise", Desc: "Welke expertise zoeken jullie?", DescEN: "Which expertise do you need?", Type: OptChoice, Required: true, Choices: Expertises}}
	optQuestion      = text("vraag", "question", "Jullie vraag", "Your question", true)
	optPanelElement  = TextOpt{Option{Name: "element", NameEN: "element", Desc: "Alleen de geschiedenis van dit element", DescEN: "Only this element's history", Type: OptText, Autocomplete: true, MaxLen: 100}}
	optSliderElement = TextOpt{Option{Name: "element", NameEN: "element", Desc: "Welk element", DescEN: "Which element", Type: OptText, Required: true, Autocomplete: true, MaxLen: 100}}
	optValue         = IntOpt{Option{Name: "waarde", NameEN: "value", Desc: "Nieuwe waarde (0–10)", DescEN: "New value (0–10)", Type: OptInt, Required: true, Min: 0, Max: 10}}
	optReason        = text("toelichting", "reason", "Waarom?", "Why?", false)
	optElementName   = TextOpt{Option{Name: "naam", NameEN: "name", Desc: "Naam van het element", DescEN: "Name of the element", Type: OptText, Required: true, MaxLen: 60}}
	optElementDesc   = text("omschrijving", "description", "Wat meet het?", "What does it measure?", false)
	optCheckinText   = text("tekst", "text", "Jullie antwoord", "Your answer", true)
	optUntil         = DateOpt{Option{Name: "tot", NameEN: "until", Desc: "Datum JJJJ-MM-DD, of stop", DescEN: "Date YYYY-MM-DD, or stop", Type: OptDate, Choices: []string{"stop"}}}
	optConfirm       = TextOpt{Option{Name: "bevestig", NameEN: "confirm", Type: OptText, Hidden: true, MaxLen: 20}}
	optFeedbackNr    = IntOpt{Option{Name: "nummer", NameEN: "number", Type: OptInt, Required: true, Min: 1, Max: 1 << 30}}
	optVerdict       = TextOpt{Option{Name: "oordeel", NameEN: "verdict", Type: OptChoice, Required: true, Choices: []string{"ja", "nee"}}}
	optCollective    = TextOpt{Option{Name: "naam", NameEN: "name", Desc: "Naam van het collectief", DescEN: "Name of the collective", Type: OptText, Required: true, MaxLen: 100}}
	optRequestNr     = IntOpt{Option{Name: "nummer", NameEN: "number", Desc: "Nummer van de hulpvraag", DescEN: "Help request number", Type: OptInt, Required: true, Min: 1, Max: 1 << 30, Autocomplete: true}}
	optAnswerText    = text("tekst", "text", "Het antwoord", "The answer", true)
	optSchedColl     = TextOpt{Option{Name: "collectief", NameEN: "collective", Desc: "Naam van het collectief", DescEN: "Name of the collective", Type: OptText, Required: true, Autocomplete: true, MaxLen: 100}}
	optSchedule      = TextOpt{Option{Name: "schema", NameEN: "schedule", Desc: "Cron (0 10 * * MON) of @weekly", DescEN: "Cron (0 10 * * MON) or @weekly", Type: OptText, Required: true, MaxLen: 100}}
	optChat          = TextOpt{Option{Name: "chat", NameEN: "chat", Desc: "De chat, zoals /collectieven hem noemt", DescEN: "The chat, as /collectives names it", Type: OptText, Required: true, Autocomplete: true, MaxLen: 200}}
	optExportColl    = TextOpt{Option{Name: "collectief", NameEN: "collective", Desc: "Alleen dit collectief", DescEN: "Only this collective", Type: OptText, Autocomplete: true, MaxLen: 100}}
)

// Commands is every command of wijkbot, in the order /hulp lists them.
// Adding a command is one entry here (with its handler in Run) plus that
// handler's file and tests; every platform, /hulp and the permission
// checks derive from the entry.
var Commands = Table{
	// Everywhere.
	{Name: "hulp", English: "help", Synonyms: []string{"start"}, Where: Anywhere, Run: (*Handler).help,
		Desc: "Wat deze bot doet en de commando's van deze chat", DescEN: "What this bot does and the commands of this chat",
		Options: Opts(optStartCode)},
	// Relinking is possible but rare; in a linked chat /koppel would only
	// distract from the daily commands, so /hulp leaves it out there.
	{Name: "koppel", English: "link", Where: InUnlinked | InCollective, Unlisted: InCollective, Who: ChatAdmin, Guarded: true, Run: (*Handler).link,
		Desc: "Koppel deze chat aan jullie collectief met de koppelcode", DescEN: "Link this chat to your collective with its link code",
		Options: Opts(optCode)},
	{Name: cmdRelink, English: "relink", Where: InCollective, Who: ChatAdmin, Guarded: true, Hidden: true, Run: (*Handler).relink,
		Desc: "Koppel deze chat aan een ander collectief (na bevestiging)", DescEN: "Link this chat to another collective (confirmed)",
		Options: Opts(optCode)},
	{Name: "taal", English: "language", Where: Anywhere, Run: (*Handler).setLang,
		Desc: "Kies de taal van de bot in deze chat", DescEN: "Choose the bot's language in this chat",
		Options: Opts(optLang)},

	// In a collective's chat.
	{Name: "voortgang", English: "log", Where: InCollective, Run: (*Handler).logProgress,
		Desc: "Leg voortgang vast; #woorden worden thema's", DescEN: "Log progress; #words become themes",
		Options: Opts(optProgressText)},
	{Name: "mijlpaal", English: "milestone", Where: InCollective, Run: (*Handler).logMilestone,
		Desc: "Leg een mijlpaal vast", DescEN: "Log a milestone",
		Options: Opts(optMilestoneText)},
	{Name: "tijdlijn", English: "timeline", Where: InCollective, Run: (*Handler).timeline,
		Desc: "Recente voortgang, nieuwste eerst", DescEN: "Recent progress, newest first",
		Options: Opts(optCount)},
	{Name: "hulpvraag", English: "ask", Where: InCollective, Run: (*Handler).ask,
		Desc: "Vraag hulp van een expert", DescEN: "Ask an expert for help",
		Options: Opts(optExpertise, optQuestion)},
	{Name: "hulpvragen", English: "requests", Where: InCollective, Run: (*Handler).requests,
		Desc: "Jullie hulpvragen en hun status", DescEN: "Your help requests and their status"},
	{Name: "mengpaneel", English: "panel", Where: InCollective, Slow: true, Run: (*Handler).panel,
		Desc: "Het mengpaneel nu (tekst en grafiek)", DescEN: "The panel now (text and chart)",
		Options: Opts(optPanelElement)},
	{Name: "schuif", English: "set", Where: InCollective, Run: (*Handler).setSlider,
		Desc: "Zet een schuif van het mengpaneel", DescEN: "Move a slider of the panel",
		Options: Opts(optSliderElement, optValue, optReason)},
	{Name: "element", English: "addelement", Where: InCollective, Run: (*Handler).addElement,
		Desc: "Voeg een eigen element toe aan jullie mengpaneel", DescEN: "Add your own element to your panel",
		Options: Opts(optElementName, optElementDesc)},
	{Name: "checkin", Where: InCollective, Run: (*Handler).checkin,
		Desc: "Beantwoord de check-in van deze week", DescEN: "Answer this week's check-in",
		Options: Opts(optCheckinText)},
	{Name: "pauze", English: "pause", Where: InCollective, Run: (*Handler).pause,
		Desc: "Geen check-ins tot een datum (vakantie)", DescEN: "No check-ins until a date (holidays)",
		Options: Opts(optUntil)},
	{Name: "mijngegevens", English: "mydata", Where: Anywhere, Slow: true, Documents: true, Run: (*Handler).myData,
		Desc: "Alles wat over mij is opgeslagen, als bestand", DescEN: "Everything stored about me, as a file"},
	{Name: CmdForget, English: "forgetme", Where: Anywhere, Run: (*Handler).forgetMe,
		Desc: "Wis mijn persoonsgegevens (na bevestiging)", DescEN: "Erase my personal data (after confirmation)",
		Options: Opts(optConfirm)},
	{Name: CmdFeedback, Where: InCollective, Hidden: true, Run: (*Handler).feedback,
		Desc: "Was de hulp nuttig?", DescEN: "Was the help useful?",
		Options: Opts(optFeedbackNr, optVerdict)},

	// In the staff chat.
	{Name: CmdStaffChat, English: "staffchat", Where: InUnlinked | InStaff, Who: BotAdmin, Run: (*Handler).staffChat,
		Desc: "Maak deze chat het stafkanaal", DescEN: "Make this chat the staff chat"},
	{Name: "collectief", English: "collective", Where: InStaff, Run: (*Handler).createCollective,
		Desc: "Maak een collectief aan (of toon de koppelcode)", DescEN: "Create a collective (or show its link code)",
		Options: Opts(optCollective)},
	{Name: CmdNewCode, English: "newcode", Where: InStaff, Hidden: true, Run: (*Handler).renewCode,
		Desc: "Geef een collectief een nieuwe koppelcode", DescEN: "Give a collective a new link code",
		Options: Opts(optCollective)},
	{Name: "collectieven", English: "collectives", Where: InStaff, Run: (*Handler).collectives,
		Desc: "Alle collectieven, hun chats, codes en laatste activiteit", DescEN: "All collectives, their chats, codes and last activity"},
	{Name: cmdUnlink, English: "unlink", Where: InStaff, Run: (*Handler).unlink,
		Desc: "Ontkoppel een chat van zijn collectief; de chat krijgt bericht", DescEN: "Unlink a chat from its collective; the chat is told",
		Options: Opts(optChat)},
	{Name: "open", Where: InStaff, Run: (*Handler).openRequests,
		Desc: "Openstaande hulpvragen, oudste eerst", DescEN: "Unresolved help requests, oldest first"},
	{Name: CmdClaim, English: "claim", Where: InStaff | InExpert, Run: (*Handler).claim,
		Desc: "Pak een hulpvraag op", DescEN: "Take a help request",
		Options: Opts(optRequestNr)},
	{Name: CmdAnswer, English: "answer", Where: InStaff | InExpert, Run: (*Handler).answer,
		Desc: "Beantwoord een hulpvraag; het antwoord gaat naar het collectief", DescEN: "Answer a help request; the answer goes to the collective",
		Options: Opts(optRequestNr, optAnswerText)},
	{Name: CmdResolve, English: "resolve", Where: InStaff | InExpert, Run: (*Handler).resolve,
		Desc: "Rond een hulpvraag af", DescEN: "Close a help request",
		Options: Opts(optRequestNr)},
	{Name: "schema", English: "schedule", Where: InStaff, Run: (*Handler).schedule,
		Desc: "Stel het check-inschema van een collectief in", DescEN: "Set a collective's check-in schedule",
		Options: Opts(optSchedColl, optSchedule)},
	{Name: "overzicht", English: "overview", Where: InStaff, Slow: true, Run: (*Handler).overview,
		Desc: "Overzicht van het programma", DescEN: "Programme overview"},
	{Name: "export", Where: InStaff, Slow: true, Documents: true, Run: (*Handler).export,
		Desc: "CSV-bestanden en een casusbeschrijving in Markdown", DescEN: "CSV files and a Markdown case report",
		Options: Opts(optExportColl)},

	// Experts (experts.go): staff invite and follow them; an expert works
	// in their private chat with the bot.
	{Name: "expert", English: "addexpert", Where: InStaff, Run: (*Handler).inviteExpert,
		Desc: "Nodig een expert uit; je krijgt een uitnodigingscode", DescEN: "Invite an expert; you get an invite code",
		Options: Opts(optExpertNew, optExpertises)},
	{Name: "experts", Where: InStaff, Run: (*Handler).listExperts,
		Desc: "Alle experts: expertise, beschikbaarheid en cijfers", DescEN: "All experts: expertise, availability and figures"},
	{Name: "toewijzen", English: "assign", Where: InStaff, Run: (*Handler).assign,
		Desc: "Leg een hulpvraag voor aan één expert", DescEN: "Offer a help request to one expert",
		Options: Opts(optRequestNr, optExpertName)},
	{Name: "expertweg", English: "removeexpert", Where: InStaff, Run: (*Handler).removeExpert,
		Desc: "Beëindig iemands rol als expert", DescEN: "End someone's expert role",
		Options: Opts(optExpertName)},
	{Name: "ikbenexpert", English: "iamexpert", Where: InPrivate | InExpert, Unlisted: InExpert, Guarded: true, Run: (*Handler).iAmExpert,
		Desc: "Word expert met je uitnodigingscode", DescEN: "Become an expert with your invite code",
		Options: Opts(optInvite)},
	{Name: "mijnvragen", English: "myrequests", Where: InExpert, Run: (*Handler).myRequests,
		Desc: "De hulpvragen die aan mij zijn voorgelegd", DescEN: "The help requests offered to me"},
	{Name: "afwezig", English: "away", Where: InExpert, Run: (*Handler).away,
		Desc: "Even geen nieuwe hulpvragen (tot een datum)", DescEN: "No new help requests for a while (until a date)",
		Options: Opts(optUntil)},

	// The network (issue 13): lessons, sparring, meetings. Handlers and
	// options live in lessons.go, sparring.go and meetings.go.
	{Name: "les", English: "lesson", Where: InCollective, Run: (*Handler).addLesson,
		Desc: "Leg een les vast die jullie geleerd hebben", DescEN: "Record a lesson you learned",
		Options: Opts(optLessonText)},
	{Name: "lessen", English: "lessons", Where: InCollective | InStaff, Run: (*Handler).lessons,
		Desc: "Lessen uit het netwerk; zoek op woorden of #thema", DescEN: "Lessons from the network; search by words or #theme",
		Options: Opts(optLessonFind)},
	{Name: cmdShare, English: "share", Where: InCollective, Run: (*Handler).shareLesson,
		Desc: "Deel een les met het netwerk (ja) of alleen met het programmateam (nee)", DescEN: "Share a lesson with the network (ja) or only the programme team (nee)",
		Options: Opts(optLessonRef, optShare)},
	{Name: "sparren", English: "peers", Where: InCollective, Run: (*Handler).spar,
		Desc: "Collectieven met ervaring in een thema, om mee te sparren", DescEN: "Collectives with experience in a theme, to spar with",
		Options: Opts(optSparTheme)},
	{Name: cmdContact, Where: InCollective, Run: (*Handler).contact,
		Desc: "Vraag een ander collectief om te sparren over een thema", DescEN: "Ask another collective to spar about a theme",
		Options: Opts(optSparColl, optContactTheme)},
	{Name: cmdInvitation, English: "invitation", Where: InCollective, Hidden: true, Run: (*Handler).answerInvitation,
		Desc: "Beantwoord een uitnodiging om te sparren", DescEN: "Answer an invitation to spar",
		Options: Opts(optHiddenID, optHiddenYesNo)},
	{Name: cmdTalked, English: "talked", Where: InCollective, Hidden: true, Run: (*Handler).talked,
		Desc: "Hebben jullie gesproken?", DescEN: "Have you talked?",
		Options: Opts(optHiddenID, optHiddenYesNo)},
	{Name: "bijeenkomst", English: "meeting", Where: InStaff, Run: (*Handler).createMeeting,
		Desc: "Nodig alle collectieven uit voor een bijeenkomst", DescEN: "Invite every collective to a meeting",
		Options: Opts(optMeetingWhen, optMeetingTitle, optMeetingPlace)},
	{Name: "bijeenkomsten", English: "meetings", Where: InCollective | InStaff, Slow: true, Documents: true, Run: (*Handler).meetings,
		Desc: "Komende bijeenkomsten, wie er komt, en een agendabestand", DescEN: "Upcoming meetings, who is coming, and a calendar file"},
	{Name: cmdRSVP, English: "rsvp", Where: InCollective | InStaff, Run: (*Handler).rsvp,
		Desc: "Meld je aan voor een bijeenkomst (ja, misschien, nee)", DescEN: "Answer a meeting invitation (ja, misschien, nee)",
		Options: Opts(optMeetingRef, optRSVP)},
	// The web pages (web.go).
	{Name: "dashboard", Where: InStaff, Run: (*Handler).dashboard,
		Desc: "Een eenmalige inloglink voor de webpagina's; uit: log me overal uit", DescEN: "A one-time login link for the web pages; off: log me out everywhere",
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
