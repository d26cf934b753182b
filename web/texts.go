package web

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// texts are the pages' words per language: Dutch first, then English.
// They are the web front end's own table, as the chat texts are the
// commands catalogue's: templates name texts by key, which the catalogue's
// typed ids cannot be. TestTexts checks every key used is here in both
// languages and every key here is used.
var texts = map[string][2]string{
	"skip":                 {"Naar de inhoud", "Skip to content"},
	"brand.sub":            {"WijkBV-programma", "WijkBV programme"},
	"nav.label":            {"Hoofdmenu", "Main menu"},
	"nav.overview":         {"Programma", "Programme"},
	"nav.queue":            {"Hulpvragen", "Help requests"},
	"nav.lessons":          {"Lessen", "Lessons"},
	"nav.meetings":         {"Bijeenkomsten", "Meetings"},
	"nav.public":           {"Openbare lessen", "Public lessons"},
	"logout":               {"Uitloggen", "Log out"},
	"lang.other":           {"English", "Nederlands"},
	"lang.other.code":      {"en", "nl"},
	"footer":               {"wijkbot — de chatbot van het WijkBV-programma.", "wijkbot — the WijkBV programme's chat bot."},
	"loggedin":             {"Ingelogd als", "Logged in as"},
	"login.title":          {"Inloggen", "Log in"},
	"login.how":            {"Typ /dashboard in het stafkanaal (Telegram, Discord of de console). De bot antwoordt met een inloglink die 15 minuten geldig is en één keer werkt. Open die link hier en bevestig met de knop; je blijft dan 12 uur ingelogd.", "Type /dashboard in the staff chat (Telegram, Discord or the console). The bot replies with a login link that is valid for 15 minutes and works once. Open that link here and confirm with the button; you then stay logged in for 12 hours."},
	"login.public":         {"De lessen die collectieven met het netwerk delen staan openbaar op", "The lessons collectives share with the network are public at"},
	"login.confirm":        {"Je opent een inloglink voor de webpagina's van wijkbot. Druk op de knop om in te loggen. (De link werkt één keer.)", "You opened a login link for wijkbot's web pages. Press the button to log in. (The link works once.)"},
	"login.button":         {"Inloggen", "Log in"},
	"login.bad":            {"Dit is geen geldige inloglink. Vraag een nieuwe met /dashboard in het stafkanaal.", "This is not a valid login link. Ask for a new one with /dashboard in the staff chat."},
	"login.refused":        {"Deze inloglink werkt niet (meer): hij is al gebruikt, verlopen (15 minuten), of niet uit het stafkanaal. Vraag een nieuwe met /dashboard in het stafkanaal.", "This login link does not work (any more): it was used, expired (15 minutes), or is not from the staff chat. Ask for a new one with /dashboard in the staff chat."},
	"login.slow":           {"Te veel inlogpogingen vanaf dit adres. Wacht een minuut en probeer het opnieuw.", "Too many login attempts from this address. Wait a minute and try again."},
	"forbidden.title":      {"Niet toegestaan", "Not allowed"},
	"forbidden.text":       {"Dit verzoek is geweigerd: het formulier hoort niet bij je sessie of kwam van een andere site. Laad de pagina opnieuw en probeer het nog eens.", "This request was refused: the form does not belong to your session or came from another site. Reload the page and try again."},
	"notfound.title":       {"Niet gevonden", "Not found"},
	"notfound.text":        {"Deze pagina bestaat niet.", "This page does not exist."},
	"error.title":          {"Er ging iets mis", "Something went wrong"},
	"error.text":           {"Er ging iets mis aan onze kant. Probeer het later nog eens.", "Something went wrong on our side. Please try again later."},
	"overview.intro":       {"Alle collectieven in het programma met hun mengpaneel, 24 per pagina. Eerst wie aandacht nodig heeft: collectieven met een openstaande hulpvraag, dan collectieven die al 4 weken of langer niets hebben gedaan (het langst stil eerst); daarna de rest. Binnen elke groep op naam.", "Every collective in the programme with its panel, 24 to a page. First those that need attention: collectives with an unresolved help request, then collectives with no activity for 4 weeks or more (the longest quiet first); then the rest. By name within each group."},
	"overview.range":       {"Collectief %d–%d van %d", "Collective %d–%d of %d"},
	"totals.title":         {"Het hele programma", "The whole programme"},
	"totals.collectives":   {"Collectieven", "Collectives"},
	"totals.open":          {"Openstaande hulpvragen", "Unresolved help requests"},
	"totals.withopen":      {"bij collectieven", "collectives asking"},
	"totals.late":          {"te lang niet opgepakt", "unclaimed too long"},
	"totals.quiet":         {"Collectieven 4 weken of langer stil", "Collectives quiet for 4 weeks or more"},
	"totals.lessons":       {"Lessen", "Lessons"},
	"totals.shared":        {"gedeeld met het netwerk", "shared with the network"},
	"filter.label":         {"Zoek een collectief op naam", "Find a collective by name"},
	"filter.clear":         {"Alle collectieven tonen", "Show every collective"},
	"filter.matching":      {"met “%s” in de naam", "with “%s” in the name"},
	"filter.none":          {"Geen collectief heeft “%s” in de naam.", "No collective has “%s” in its name."},
	"pager.label":          {"Pagina's", "Pages"},
	"pager.prev":           {"Vorige", "Previous"},
	"pager.next":           {"Volgende", "Next"},
	"pager.missing":        {"Pagina “%s” bestaat niet; je ziet nu pagina %d van %d.", "Page “%s” does not exist; this is page %d of %d."},
	"card.attention.open":  {"Wacht op hulp", "Waiting for help"},
	"card.attention.quiet": {"Al 4 weken of langer stil", "Quiet for 4 weeks or more"},
	"overview.empty":       {"Er zijn nog geen collectieven. Maak er een met /collectief <naam> in het stafkanaal.", "There are no collectives yet. Create one with /collective <name> in the staff chat."},
	"card.activity":        {"Laatste activiteit", "Last activity"},
	"card.noactivity":      {"nog geen", "none yet"},
	"card.open":            {"Open hulpvragen", "Open help requests"},
	"card.rate":            {"Check-ins beantwoord", "Check-ins answered"},
	"card.norounds":        {"nog geen check-in verstuurd", "no check-in sent yet"},
	"card.lessons":         {"Lessen", "Lessons"},
	"card.intros":          {"Kennismakingen", "Introductions"},
	"card.values":          {"Waarden van het mengpaneel", "Panel values"},
	"card.chats":           {"Chats", "Chats"},
	"card.nochats":         {"nog geen chat gekoppeld", "no chat linked yet"},
	"ago":                  {"geleden", "ago"},
	"panel":                {"Mengpaneel", "Panel"},
	"unset":                {"nog niet gezet", "not set yet"},
	"element":              {"Element", "Element"},
	"value":                {"Waarde", "Value"},
	"history":              {"Verloop per element", "History per element"},
	"history.none":         {"nog niet verschoven", "not moved yet"},
	"when":                 {"Wanneer", "When"},
	"who":                  {"Wie", "Who"},
	"why":                  {"Toelichting", "Reason"},
	"timeline":             {"Tijdlijn", "Timeline"},
	"timeline.none":        {"Nog geen voortgang vastgelegd.", "No progress logged yet."},
	"milestone":            {"mijlpaal", "milestone"},
	"requests":             {"Hulpvragen", "Help requests"},
	"requests.none":        {"Nog geen hulpvragen.", "No help requests yet."},
	"asked":                {"gevraagd door", "asked by"},
	"answers":              {"Antwoorden", "Answers"},
	"checkins":             {"Check-ins", "Check-ins"},
	"checkins.none":        {"Nog geen check-ins.", "No check-ins yet."},
	"checkin.noanswer":     {"geen antwoord", "no answer"},
	"lessons.none":         {"Nog geen lessen.", "No lessons yet."},
	"lesson.unshared":      {"niet gedeeld", "not shared"},
	"report":               {"Casusbeschrijving", "Case report"},
	"report.note":          {"Dezelfde tekst als de Markdown-casusbeschrijving van /export", "The same text as the Markdown case report of /export"},
	"queue.intro":          {"Hulpvragen die nog niet zijn afgerond, oudste eerst, 25 per pagina. Wat je hier doet gaat zoals in het stafkanaal: een antwoord komt in de chats van het collectief.", "Help requests not yet resolved, oldest first, 25 to a page. What you do here works as in the staff chat: an answer reaches the collective's chats."},
	"queue.range":          {"Hulpvraag %d–%d van %d", "Help request %d–%d of %d"},
	"queue.none":           {"Geen openstaande hulpvragen.", "No unresolved help requests."},
	"queue.age":            {"wacht", "waiting"},
	"queue.answer":         {"Antwoord op", "Answer to"},
	"queue.send":           {"Antwoord versturen", "Send answer"},
	"queue.claim":          {"Oppakken", "Claim"},
	"queue.resolve":        {"Afronden", "Resolve"},
	"queue.duplicate":      {"Dit formulier was al verstuurd; er is niets dubbel gedaan.", "This form was already sent; nothing was done twice."},
	"queue.stale":          {"Dit formulier is verlopen. Probeer het opnieuw.", "This form has expired. Please try again."},
	"sla.ok":               {"op tijd", "on time"},
	"sla.unclaimed":        {"te lang niet opgepakt", "unclaimed too long"},
	"sla.unanswered":       {"te lang zonder antwoord", "unanswered too long"},
	"status.open":          {"open", "open"},
	"status.claimed":       {"opgepakt door", "taken by"},
	"status.answered":      {"beantwoord", "answered"},
	"status.resolved":      {"afgerond", "resolved"},
	"lessons.missing":      {"Pagina “%s” bestaat niet: zo veel lessen zijn er niet.", "Page “%s” does not exist: there are not that many lessons."},
	"lessons.notnumber":    {"Pagina “%s” bestaat niet; je ziet nu pagina 1.", "Page “%s” does not exist; this is page 1."},
	"lessons.first":        {"Naar de eerste pagina", "To the first page"},
	"lessons.intro":        {"Alle lessen, gedeeld of niet, 50 per pagina. Zoek op woorden of #thema.", "Every lesson, shared or not, 50 to a page. Search by words or #theme."},
	"search":               {"Zoeken", "Search"},
	"search.label":         {"Zoek in de lessen", "Search the lessons"},
	"search.results":       {"Resultaten voor", "Results for"},
	"meetings.intro":       {"Komende bijeenkomsten en wie er komt.", "Upcoming meetings and who is coming."},
	"meetings.more.one":    {"… en nog 1 antwoord (de aantallen hierboven tellen ze allemaal).", "… and 1 more answer (the counts above include them all)."},
	"meetings.more":        {"… en nog %d antwoorden (de aantallen hierboven tellen ze allemaal).", "… and %d more answers (the counts above include them all)."},
	"meetings.none":        {"Er zijn nog geen bijeenkomsten gepland. Plan er een met /bijeenkomst in het stafkanaal.", "No meetings are planned yet. Plan one with /meeting in the staff chat."},
	"rsvp.ja":              {"komt", "coming"},
	"rsvp.misschien":       {"misschien", "maybe"},
	"rsvp.nee":             {"kan niet", "cannot come"},
	"place":                {"Plaats", "Place"},
	"public.title":         {"Lessen uit de wijken", "Lessons from the neighbourhoods"},
	"public.intro":         {"Wat bewonerscollectieven in het WijkBV-programma leren en met de beweging delen.", "What resident collectives in the WijkBV programme learn and share with the movement."},
	"public.none":          {"Er zijn nog geen gedeelde lessen.", "No lessons have been shared yet."},
	"public.feed":          {"Volg de lessen als Atom-feed", "Follow the lessons as an Atom feed"},
	"feed.author":          {"WijkBV-programma", "WijkBV programme"},
	"themes":               {"Thema's", "Themes"},
	"erased":               {"(gewist)", "(erased)"},
	"unknown":              {"onbekend", "unknown"},
}

// t returns the text of key in the language.
func t(l commands.Lang, key string) string {
	v, ok := texts[key]
	if !ok {
		return "?" + key
	}
	if l == commands.EN {
		return v[1]
	}
	return v[0]
}

// parseTemplates parses every page with the layout.
func (s *Server) parseTemplates() map[string]*template.Template {
	funcs := template.FuncMap{
		"t":        t,
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
