package commands

import "strings"

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
	Anywhere     = InUnlinked | InCollective | InStaff
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
}

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
	// Slow commands render charts or files; adapters defer or show progress.
	Slow bool
}

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

func text(name, nameEN, desc, descEN string, required bool) Option {
	return Option{Name: name, NameEN: nameEN, Desc: desc, DescEN: descEN, Type: OptText, Required: required}
}

// Commands is every command of wijkbot, in the order /hulp lists them.
var Commands = Table{
	// Everywhere.
	{Name: "hulp", English: "help", Synonyms: []string{"start"}, Where: Anywhere,
		Desc: "Wat deze bot doet en de commando's van deze chat", DescEN: "What this bot does and the commands of this chat"},
	{Name: "koppel", English: "link", Where: InUnlinked | InCollective, Who: ChatAdmin,
		Desc: "Koppel deze chat aan jullie collectief met de koppelcode", DescEN: "Link this chat to your collective with its link code",
		Options: []Option{text("code", "code", "De koppelcode van 8 tekens", "The 8-character link code", true)}},
	{Name: "taal", English: "language", Where: Anywhere,
		Desc: "Kies de taal van de bot in deze chat", DescEN: "Choose the bot's language in this chat",
		Options: []Option{{Name: "taal", NameEN: "language", Desc: "nl of en", DescEN: "nl or en", Type: OptChoice, Required: true, Choices: []string{"nl", "en"}}}},

	// In a collective's chat.
	{Name: "voortgang", English: "log", Where: InCollective,
		Desc: "Leg voortgang vast; #woorden worden thema's", DescEN: "Log progress; #words become themes",
		Options: []Option{text("tekst", "text", "Wat is er gebeurd?", "What happened?", true)}},
	{Name: "mijlpaal", English: "milestone", Where: InCollective,
		Desc: "Leg een mijlpaal vast", DescEN: "Log a milestone",
		Options: []Option{text("tekst", "text", "Welke mijlpaal is bereikt?", "Which milestone was reached?", true)}},
	{Name: "tijdlijn", English: "timeline", Where: InCollective,
		Desc: "Recente voortgang, nieuwste eerst", DescEN: "Recent progress, newest first",
		Options: []Option{{Name: "aantal", NameEN: "count", Desc: "Hoeveel berichten (1–50)", DescEN: "How many entries (1–50)", Type: OptInt, Min: 1, Max: 50}}},
	{Name: "hulpvraag", English: "ask", Where: InCollective,
		Desc: "Vraag hulp van een expert", DescEN: "Ask an expert for help",
		Options: []Option{
			{Name: "expertise", NameEN: "expertise", Desc: "Welke expertise zoeken jullie?", DescEN: "Which expertise do you need?", Type: OptChoice, Required: true, Choices: Expertises},
			text("vraag", "question", "Jullie vraag", "Your question", true)}},
	{Name: "hulpvragen", English: "requests", Where: InCollective,
		Desc: "Jullie hulpvragen en hun status", DescEN: "Your help requests and their status"},
	{Name: "mengpaneel", English: "panel", Where: InCollective, Slow: true,
		Desc: "Het mengpaneel nu (tekst en grafiek)", DescEN: "The panel now (text and chart)",
		Options: []Option{{Name: "element", NameEN: "element", Desc: "Alleen de geschiedenis van dit element", DescEN: "Only this element's history", Type: OptText, Autocomplete: true, MaxLen: 100}}},
	{Name: "schuif", English: "set", Where: InCollective,
		Desc: "Zet een schuif van het mengpaneel", DescEN: "Move a slider of the panel",
		Options: []Option{
			{Name: "element", NameEN: "element", Desc: "Welk element", DescEN: "Which element", Type: OptText, Required: true, Autocomplete: true, MaxLen: 100},
			{Name: "waarde", NameEN: "value", Desc: "Nieuwe waarde (0–10)", DescEN: "New value (0–10)", Type: OptInt, Required: true, Min: 0, Max: 10},
			text("toelichting", "reason", "Waarom?", "Why?", false)}},
	{Name: "element", English: "addelement", Where: InCollective,
		Desc: "Voeg een eigen element toe aan jullie mengpaneel", DescEN: "Add your own element to your panel",
		Options: []Option{
			{Name: "naam", NameEN: "name", Desc: "Naam van het element", DescEN: "Name of the element", Type: OptText, Required: true, MaxLen: 60},
			text("omschrijving", "description", "Wat meet het?", "What does it measure?", false)}},
	{Name: "checkin", Where: InCollective,
		Desc: "Beantwoord de check-in van deze week", DescEN: "Answer this week's check-in",
		Options: []Option{text("tekst", "text", "Jullie antwoord", "Your answer", true)}},
	{Name: "pauze", English: "pause", Where: InCollective,
		Desc: "Geen check-ins tot een datum (vakantie)", DescEN: "No check-ins until a date (holidays)",
		Options: []Option{{Name: "tot", NameEN: "until", Desc: "Datum JJJJ-MM-DD, of stop", DescEN: "Date YYYY-MM-DD, or stop", Type: OptDate, Choices: []string{"stop"}}}},
	{Name: "mijngegevens", English: "mydata", Where: Anywhere, Slow: true,
		Desc: "Alles wat over mij is opgeslagen, als bestand", DescEN: "Everything stored about me, as a file"},
	{Name: "vergeetmij", English: "forgetme", Where: Anywhere,
		Desc: "Wis mijn persoonsgegevens (na bevestiging)", DescEN: "Erase my personal data (after confirmation)",
		Options: []Option{{Name: "bevestig", NameEN: "confirm", Type: OptText, Hidden: true, MaxLen: 20}}},
	{Name: "feedback", Where: InCollective, Hidden: true,
		Desc: "Was de hulp nuttig?", DescEN: "Was the help useful?",
		Options: []Option{
			{Name: "nummer", NameEN: "number", Type: OptInt, Required: true, Min: 1, Max: 1 << 30},
			{Name: "oordeel", NameEN: "verdict", Type: OptChoice, Required: true, Choices: []string{"ja", "nee"}}}},

	// In the staff chat.
	{Name: "stafkanaal", English: "staffchat", Where: InUnlinked | InStaff, Who: BotAdmin,
		Desc: "Maak deze chat het stafkanaal", DescEN: "Make this chat the staff chat"},
	{Name: "collectief", English: "collective", Where: InStaff,
		Desc: "Maak een collectief aan (of toon de koppelcode)", DescEN: "Create a collective (or show its link code)",
		Options: []Option{{Name: "naam", NameEN: "name", Desc: "Naam van het collectief", DescEN: "Name of the collective", Type: OptText, Required: true, MaxLen: 100}}},
	{Name: "nieuwecode", English: "newcode", Where: InStaff, Hidden: true,
		Desc: "Geef een collectief een nieuwe koppelcode", DescEN: "Give a collective a new link code",
		Options: []Option{{Name: "naam", NameEN: "name", Desc: "Naam van het collectief", DescEN: "Name of the collective", Type: OptText, Required: true, MaxLen: 100}}},
	{Name: "collectieven", English: "collectives", Where: InStaff,
		Desc: "Alle collectieven, hun chats, codes en laatste activiteit", DescEN: "All collectives, their chats, codes and last activity"},
	{Name: "open", Where: InStaff,
		Desc: "Openstaande hulpvragen, oudste eerst", DescEN: "Unresolved help requests, oldest first"},
	{Name: "oppakken", English: "claim", Where: InStaff,
		Desc: "Pak een hulpvraag op", DescEN: "Take a help request",
		Options: []Option{{Name: "nummer", NameEN: "number", Desc: "Nummer van de hulpvraag", DescEN: "Help request number", Type: OptInt, Required: true, Min: 1, Max: 1 << 30, Autocomplete: true}}},
	{Name: "antwoord", English: "answer", Where: InStaff,
		Desc: "Beantwoord een hulpvraag; het antwoord gaat naar het collectief", DescEN: "Answer a help request; the answer goes to the collective",
		Options: []Option{
			{Name: "nummer", NameEN: "number", Desc: "Nummer van de hulpvraag", DescEN: "Help request number", Type: OptInt, Required: true, Min: 1, Max: 1 << 30, Autocomplete: true},
			text("tekst", "text", "Het antwoord", "The answer", true)}},
	{Name: "afronden", English: "resolve", Where: InStaff,
		Desc: "Rond een hulpvraag af", DescEN: "Close a help request",
		Options: []Option{{Name: "nummer", NameEN: "number", Desc: "Nummer van de hulpvraag", DescEN: "Help request number", Type: OptInt, Required: true, Min: 1, Max: 1 << 30, Autocomplete: true}}},
	{Name: "schema", English: "schedule", Where: InStaff,
		Desc: "Stel het check-inschema van een collectief in", DescEN: "Set a collective's check-in schedule",
		Options: []Option{
			{Name: "collectief", NameEN: "collective", Desc: "Naam van het collectief", DescEN: "Name of the collective", Type: OptText, Required: true, Autocomplete: true, MaxLen: 100},
			{Name: "schema", NameEN: "schedule", Desc: "Cron (0 10 * * MON) of @weekly", DescEN: "Cron (0 10 * * MON) or @weekly", Type: OptText, Required: true, MaxLen: 100}}},
	{Name: "overzicht", English: "overview", Where: InStaff, Slow: true,
		Desc: "Overzicht van het programma", DescEN: "Programme overview"},
	{Name: "export", Where: InStaff, Slow: true,
		Desc: "CSV-bestanden en een casusbeschrijving in Markdown", DescEN: "CSV files and a Markdown case report",
		Options: []Option{{Name: "collectief", NameEN: "collective", Desc: "Alleen dit collectief", DescEN: "Only this collective", Type: OptText, Autocomplete: true, MaxLen: 100}}},
}
