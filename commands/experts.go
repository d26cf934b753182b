package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Experts from the programme's network (DESIGN.md "Experts"): staff invite
// them, they onboard in their private chat with the bot, help requests with
// their expertise are offered to them there, and they claim, answer and
// resolve the ones offered to them. An expert sees the collective's name
// and the question of a request offered to them, nothing else.

// The options of the expert commands, declared once (see table.go).
var (
	optExpertNew  = TextOpt{Option{Name: "naam", NameEN: "name", Desc: "Naam van de expert", DescEN: "The expert's name", Type: OptText, Required: true, MaxLen: 100}}
	optExpertises = TextOpt{Option{Name: "expertises", NameEN: "expertises", Desc: "Met komma's: juridisch,vastgoed", DescEN: "Comma-separated: juridisch,vastgoed", Type: OptText, Required: true, MaxLen: 200}}
	optExpertName = TextOpt{Option{Name: "expert", NameEN: "expert", Desc: "Naam van de expert", DescEN: "The expert's name", Type: OptText, Required: true, Autocomplete: true, MaxLen: 100}}
	optInvite     = text("code", "code", "De uitnodigingscode van 8 tekens", "The 8-character invite code", true)
	// optStartCode is what a deep link (t.me/<bot>?start=<code>) sends
	// after /start: an expert's invite code.
	optStartCode = TextOpt{Option{Name: "code", NameEN: "code", Type: OptText, Hidden: true, Secret: true, MaxLen: 64}}
)

// privateChat gives a person's one-to-one chat with the bot its kind: the
// private chat of an active expert (ChatExpert), or anyone's (ChatPrivate).
// A private chat that was made a staff or collective chat before private
// chats had a kind of their own keeps that kind.
func (h *Handler) privateChat(ctx context.Context, chat *Chat) error {
	if chat.Kind != "" {
		return nil
	}
	chat.Kind = ChatPrivate
	e, err := h.Store.ExpertByChat(ctx, chat.Ref)
	if errors.Is(err, ErrExpertNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	chat.Kind, chat.ExpertID = ChatExpert, e.ID
	if e.Unreachable {
		// They wrote to the bot, so the chat takes messages again.
		if _, err := h.Store.SetExpertReachable(ctx, e.ID, true); err != nil {
			h.logger().Warn("expert reachable again: not stored", "expert", e.ID, "err", err)
		}
	}
	return nil
}

// capacity is how the collective reads an expert's role on a request:
// "expert juridisch" (the request's expertise when the expert has it, else
// their own expertises).
func capacity(l Lang, e *Expert, expertise string) string {
	what := expertise
	if !e.Has(expertise) {
		what = strings.Join(e.Expertises, ", ")
	}
	return l.T("expert ", "expert in ") + what
}

// parseExpertises reads "juridisch, zorg" (commas or spaces) into choices
// of Expertises, in table order without repeats.
func parseExpertises(l Lang, s string) ([]string, error) {
	var list []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if !slices.Contains(Expertises, w) {
			return nil, Errorf(EINVALID, "%s", l.T(
				fmt.Sprintf("Onbekende expertise %q. Kies uit: %s (meerdere met komma's: juridisch,zorg).", clip(w, 40), strings.Join(Expertises, ", ")),
				fmt.Sprintf("Unknown expertise %q. Choose from: %s (several with commas: juridisch,zorg).", clip(w, 40), strings.Join(Expertises, ", "))))
		}
		if !slices.Contains(list, w) {
			list = append(list, w)
		}
	}
	if len(list) == 0 {
		return nil, Errorf(EINVALID, "%s", l.T(
			"Noem minstens één expertise: "+strings.Join(Expertises, ", ")+".",
			"Name at least one expertise: "+strings.Join(Expertises, ", ")+"."))
	}
	slices.SortFunc(list, func(a, b string) int { return slices.Index(Expertises, a) - slices.Index(Expertises, b) })
	return list, nil
}

// inviteExpert (/expert) creates an expert with a single-use invite code.
func (h *Handler) inviteExpert(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	name := strings.Join(strings.Fields(c.args.Text(optExpertNew)), " ")
	if err := checkCollectiveName(l, name); err != nil {
		return Reply{}, Errorf(EINVALID, "%s", l.T(
			"De naam van een expert moet letters bevatten en geen aanhalingstekens, bijvoorbeeld /expert \"Jan de Vries\" juridisch.",
			"An expert's name needs letters and no quotes, for example /addexpert \"Jan de Vries\" juridisch."))
	}
	expertises, err := parseExpertises(l, c.args.Text(optExpertises))
	if err != nil {
		return Reply{}, err
	}
	e := &Expert{Name: name, Expertises: expertises}
	var code string
	for range codeAttempts {
		if code, err = NewCode(); err != nil {
			return Reply{}, err
		}
		err = h.Store.CreateExpert(ctx, c.EventID, e, code, h.now().Add(InviteTTL), c.User)
		if !errors.Is(err, ErrCodeTaken) {
			break
		}
	}
	switch {
	case errors.Is(err, ErrExpertNameTaken):
		return Reply{}, Errorf(ECONFLICT, "%s", l.T(
			fmt.Sprintf("Er is al een expert %s. Kies een andere naam (bijvoorbeeld met achternaam), of bekijk de experts met /experts.", name),
			fmt.Sprintf("There is an expert %s already. Choose another name (with a surname, say), or see the experts with /experts.", name)))
	case err != nil:
		return Reply{}, err
	}
	h.logger().Info("expert invited", "expert", e.ID)
	until := h.formatDate(l, h.now().Add(InviteTTL))
	var b strings.Builder
	b.WriteString(l.T(
		fmt.Sprintf("🎓 Uitnodiging voor %s (%s).\nCode: %s — eenmalig, geldig tot %s.\n", e.Name, strings.Join(e.Expertises, ", "), code, until),
		fmt.Sprintf("🎓 Invitation for %s (%s).\nCode: %s — single use, valid until %s.\n", e.Name, strings.Join(e.Expertises, ", "), code, until)))
	if h.DeepLink != nil {
		if link := h.DeepLink(code); link != "" {
			b.WriteString(l.T(
				fmt.Sprintf("\nTelegram: stuur %s deze link; openen en op Start drukken is genoeg:\n%s\n", e.Name, link),
				fmt.Sprintf("\nTelegram: send %s this link; opening it and pressing Start is enough:\n%s\n", e.Name, link)))
		}
	}
	b.WriteString(l.T(
		fmt.Sprintf("\nOf: %s stuurt de bot een privébericht (Discord: een DM) met /ikbenexpert %s.\nHulpvragen over %s komen dan in die privéchat binnen.", e.Name, code, strings.Join(e.Expertises, ", ")),
		fmt.Sprintf("\nOr: %s sends the bot a private message (Discord: a DM) with /iamexpert %s.\nHelp requests about %s then arrive in that private chat.", e.Name, code, strings.Join(e.Expertises, ", "))))
	return Reply{Text: b.String()}, nil
}

// becomeExpert (/ikbenexpert, and /start with the code of a deep link)
// redeems an invite in the person's private chat.
func (h *Handler) becomeExpert(ctx context.Context, c *call, raw string) (Reply, error) {
	l := c.lang
	if c.chat.Kind != ChatPrivate && c.chat.Kind != ChatExpert {
		return Reply{}, Errorf(EFORBIDDEN, "%s", l.T(
			"Een uitnodigingscode voor experts werkt alleen in je eigen privéchat met de bot, niet in een groep. Stuur de bot een privébericht met /ikbenexpert <code>.",
			"An expert invite code only works in your own private chat with the bot, not in a group. Send the bot a private message with /iamexpert <code>."))
	}
	code := normalizeCode(raw)
	if !validCode(code) {
		return Reply{}, Errorf(EINVALID, "%s", l.T(
			fmt.Sprintf("%q is geen geldige uitnodigingscode. Een code heeft %d tekens uit %s (geen 0, O, 1 of I). Vraag het programmateam om de code.", clip(raw, 20), CodeLen, CodeAlphabet),
			fmt.Sprintf("%q is not a valid invite code. A code has %d characters from %s (no 0, O, 1 or I). Ask the programme team for the code.", clip(raw, 20), CodeLen, CodeAlphabet)))
	}
	if c.chat.Kind == ChatExpert {
		e, err := h.Store.Expert(ctx, c.chat.ExpertID)
		if err != nil {
			return Reply{}, err
		}
		return Reply{}, Errorf(ECONFLICT, "%s", l.T(
			fmt.Sprintf("Je bent hier al expert (%s) als %s. Typ /hulp voor wat je kunt doen.", strings.Join(e.Expertises, ", "), e.Name),
			fmt.Sprintf("You are an expert here already (%s) as %s. Type /help for what you can do.", strings.Join(e.Expertises, ", "), e.Name)))
	}
	e, err := h.Store.RedeemInvite(ctx, c.EventID, code, c.Chat, c.User)
	switch {
	case err == nil:
	case errors.Is(err, ErrInviteUnknown):
		return Reply{}, Errorf(ENOTFOUND, "%s", l.T(
			fmt.Sprintf("Er is geen uitnodiging met code %s. Controleer de code (8 tekens, geen 0, O, 1 of I) of vraag het programmateam om een nieuwe.", code),
			fmt.Sprintf("No invitation has code %s. Check the code (8 characters, no 0, O, 1 or I) or ask the programme team for a new one.", code)))
	case errors.Is(err, ErrInviteUsed):
		return Reply{}, Errorf(ECONFLICT, "%s", l.T(
			"Deze uitnodiging is al gebruikt; een code werkt één keer. Vraag het programmateam om een nieuwe als dat niet jij was.",
			"This invitation has been used already; a code works once. Ask the programme team for a new one if that was not you."))
	case errors.Is(err, ErrInviteExpired):
		return Reply{}, Errorf(ECONFLICT, "%s", l.T(
			"Deze uitnodiging is verlopen (een code is 30 dagen geldig). Vraag het programmateam om een nieuwe.",
			"This invitation has expired (a code is valid for 30 days). Ask the programme team for a new one."))
	case errors.Is(err, ErrAlreadyExpert):
		return Reply{}, Errorf(ECONFLICT, "%s", l.T(
			"Je bent al expert, vanuit een andere privéchat met de bot. Daar komen je hulpvragen binnen.",
			"You are an expert already, from another private chat with the bot. Your help requests arrive there."))
	case errors.Is(err, ErrExpertNotFound):
		return Reply{}, Errorf(ECONFLICT, "%s", l.T(
			"Deze uitnodiging is ingetrokken door het programmateam.",
			"This invitation was withdrawn by the programme team."))
	default:
		return Reply{}, err
	}
	h.logger().Info("expert onboarded", "expert", e.ID, "platform", e.Chat.Platform)
	what := strings.Join(e.Expertises, ", ")
	outbox := h.toStaff(ctx, "expert", func(sl Lang) (string, []Button) {
		return sl.T(
			fmt.Sprintf("🎓 %s heeft de uitnodiging gebruikt en is nu expert (%s).", e.Name, what),
			fmt.Sprintf("🎓 %s used the invitation and is now an expert (%s).", e.Name, what)), nil
	})
	return Reply{Text: l.T(
		fmt.Sprintf("Welkom, %s! 🎓 Je bent nu expert bij wijkbot voor: %s.\n\n"+
			"Hulpvragen van collectieven over je expertise komen hier binnen, met een knop Oppakken. Wie het eerst oppakt, beantwoordt hem; je antwoord gaat met je naam naar het collectief.\n\n"+
			"• /mijnvragen — de vragen die aan je zijn voorgelegd\n"+
			"• /afwezig <datum> — even geen nieuwe vragen (stop met /afwezig stop)\n"+
			"• /hulp — alles wat je hier kunt", e.Name, what),
		fmt.Sprintf("Welcome, %s! 🎓 You are now an expert at wijkbot for: %s.\n\n"+
			"Help requests from collectives about your expertise arrive here, with a Claim button. Whoever claims first answers it; your answer goes to the collective with your name.\n\n"+
			"• /myrequests — the requests offered to you\n"+
			"• /away <date> — no new requests for a while (end it with /away stop)\n"+
			"• /help — everything you can do here", e.Name, what)),
		Outbox: outbox}, nil
}

// iAmExpert is /ikbenexpert <code>.
func (h *Handler) iAmExpert(ctx context.Context, c *call) (Reply, error) {
	return h.becomeExpert(ctx, c, c.args.Text(optInvite))
}

// expert returns the expert whose private chat the command came from.
func (h *Handler) expert(ctx context.Context, c *call) (*Expert, error) {
	return h.Store.Expert(ctx, c.chat.ExpertID)
}

// offerText is a help request as an expert sees it: the collective and the
// question, nothing more.
func offerText(l Lang, r *HelpRequest, assigned bool) string {
	if assigned {
		return l.T(
			fmt.Sprintf("🆘 Het programmateam legt hulpvraag %s aan je voor.\nVan: %s · expertise: %s\n%s\n\nPak hem op met de knop of /oppakken %d.", ref(r.Number), r.CollectiveName, r.Expertise, quoteLines(r.Question, "> "), r.Number),
			fmt.Sprintf("🆘 The programme team offers you help request %s.\nFrom: %s · expertise: %s\n%s\n\nTake it with the button or /claim %d.", ref(r.Number), r.CollectiveName, r.Expertise, quoteLines(r.Question, "> "), r.Number))
	}
	return l.T(
		fmt.Sprintf("🆘 Nieuwe hulpvraag %s voor je expertise %s.\nVan: %s\n%s\n\nPak hem op met de knop of /oppakken %d; wie het eerst oppakt, heeft hem.", ref(r.Number), r.Expertise, r.CollectiveName, quoteLines(r.Question, "> "), r.Number),
		fmt.Sprintf("🆘 New help request %s for your expertise %s.\nFrom: %s\n%s\n\nTake it with the button or /claim %d; whoever claims first has it.", ref(r.Number), r.Expertise, r.CollectiveName, quoteLines(r.Question, "> "), r.Number))
}

// offerMessages addresses the request to each expert's private chat, in
// the language of that chat, with an Oppakken button.
func (h *Handler) offerMessages(ctx context.Context, r *HelpRequest, experts []Expert, assigned bool) []Message {
	var msgs []Message
	for i := range experts {
		e := &experts[i]
		chat, err := h.Store.Chat(ctx, e.Chat)
		if err != nil {
			h.logger().Error("expert chat lookup failed", "expert", e.ID, "err", err)
			continue
		}
		l := h.chatLang(chat)
		msgs = append(msgs, Message{Chat: e.Chat, Kind: "aanbod", Text: offerText(l, r, assigned),
			Buttons: []Button{button(l.T("Oppakken", "Claim"), cmdClaim, optRequestNr.Arg(r.Number))}})
	}
	return msgs
}

// route offers a new request to every available expert with its
// expertise. It runs after the request is stored, so a failure is logged
// and the request stays with the staff, as before experts existed.
func (h *Handler) route(ctx context.Context, r *HelpRequest, by UserRef) []Expert {
	experts, err := h.Store.AvailableExperts(ctx, r.Expertise, h.now())
	if err != nil {
		h.logger().Error("routing: available experts lookup failed", "request", r.Number, "err", err)
		return nil
	}
	if len(experts) == 0 {
		return nil
	}
	ids := make([]int64, len(experts))
	for i := range experts {
		ids[i] = experts[i].ID
	}
	// The ask's own event id is spent on the request; offering twice is
	// harmless, so the offers go unrecorded.
	if err := h.Store.OfferRequest(ctx, "", r.Number, ids, false, by); err != nil {
		h.logger().Error("routing: offer not stored", "request", r.Number, "err", err)
		return nil
	}
	return experts
}

// expertNames lists experts by name: "Jan, Eva".
func expertNames(experts []Expert) string {
	names := make([]string, len(experts))
	for i := range experts {
		names[i] = experts[i].Name
	}
	return strings.Join(names, ", ")
}

// notOffered refuses a number that was not offered to this expert, without
// saying whether it exists: an expert sees only their own requests.
func notOffered(l Lang, number int64) error {
	return Errorf(EFORBIDDEN, "%s", l.T(
		fmt.Sprintf("Hulpvraag %s is niet aan jou voorgelegd. De vragen die wel voor jou zijn, zie je met /mijnvragen.", ref(number)),
		fmt.Sprintf("Help request %s was not offered to you. See the requests that are with /myrequests.", ref(number))))
}

// expertError turns an ExpertStore error of a request change into the
// expert's language.
func (h *Handler) expertError(ctx context.Context, l Lang, number int64, err error) error {
	switch {
	case errors.Is(err, ErrDuplicate):
		return err
	case errors.Is(err, ErrNotOffered), ErrorCode(err) == ENOTFOUND && !errors.Is(err, ErrExpertNotFound):
		return notOffered(l, number)
	case errors.Is(err, ErrResolved):
		return alreadyResolved(l, number)
	case errors.Is(err, ErrTakenByOther):
		r, ferr := h.Store.Request(ctx, number)
		if ferr != nil {
			return ferr
		}
		return Errorf(ECONFLICT, "%s", l.T(
			fmt.Sprintf("%s is al opgepakt door %s.", ref(number), nameOr(l, r.ClaimedBy)),
			fmt.Sprintf("%s has already been taken by %s.", ref(number), nameOr(l, r.ClaimedBy))))
	}
	return err
}

// expertClaim is /oppakken in an expert's private chat: the first claim
// wins; the collective hears who took it in what capacity.
func (h *Handler) expertClaim(ctx context.Context, c *call) (Reply, error) {
	l, number := c.lang, int64(c.args.Int(optRequestNr))
	e, err := h.expert(ctx, c)
	if err != nil {
		return Reply{}, err
	}
	before, err := h.Store.Request(ctx, number)
	if err != nil {
		return Reply{}, h.expertError(ctx, l, number, err)
	}
	r, err := h.Store.ClaimAsExpert(ctx, c.EventID, number, e.ID, c.User)
	if err != nil {
		return Reply{}, h.expertError(ctx, l, number, err)
	}
	n := ref(number)
	buttons := []Button{answerButton(l, number)}
	if before.ClaimedByExpert == e.ID {
		return Reply{Text: l.T(
			fmt.Sprintf("Je had %s al opgepakt. Beantwoord met /antwoord %d <tekst>.", n, number),
			fmt.Sprintf("You had already taken %s. Answer with /answer %d <text>.", n, number)), Buttons: buttons}, nil
	}
	outbox := h.toCollective(ctx, r.CollectiveID, "opgepakt", func(cl Lang) (string, []Button) {
		return cl.T(
			fmt.Sprintf("🙋 %s is opgepakt door %s (%s). Jullie horen snel meer!", n, e.Name, capacity(cl, e, r.Expertise)),
			fmt.Sprintf("🙋 %s was taken by %s (%s). You will hear more soon!", n, e.Name, capacity(cl, e, r.Expertise))), nil
	})
	outbox = append(outbox, h.toStaff(ctx, "opgepakt", func(sl Lang) (string, []Button) {
		return sl.T(
			fmt.Sprintf("🙋 %s van %s is opgepakt door %s (%s).", n, r.CollectiveName, e.Name, capacity(sl, e, r.Expertise)),
			fmt.Sprintf("🙋 %s from %s was taken by %s (%s).", n, r.CollectiveName, e.Name, capacity(sl, e, r.Expertise))), nil
	})...)
	return Reply{
		Text: l.T(
			fmt.Sprintf("Je hebt %s van %s opgepakt (%s):\n%s\nBeantwoord met de knop of /antwoord %d <tekst>; je antwoord gaat met je naam naar het collectief.", n, r.CollectiveName, r.Expertise, quoteLines(r.Question, "> "), number),
			fmt.Sprintf("You took %s from %s (%s):\n%s\nAnswer with the button or /answer %d <text>; your answer goes to the collective with your name.", n, r.CollectiveName, r.Expertise, quoteLines(r.Question, "> "), number)),
		Buttons: buttons,
		Outbox:  outbox,
	}, nil
}

// expertAnswer is /antwoord in an expert's private chat: the answer goes to
// every chat of the collective, with a copy to the staff chat.
func (h *Handler) expertAnswer(ctx context.Context, c *call) (Reply, error) {
	l, number := c.lang, int64(c.args.Int(optRequestNr))
	text := c.args.Text(optAnswerText)
	e, err := h.expert(ctx, c)
	if err != nil {
		return Reply{}, err
	}
	r, err := h.Store.AnswerAsExpert(ctx, c.EventID, number, e.ID, text, c.User)
	if err != nil {
		return Reply{}, h.expertError(ctx, l, number, err)
	}
	n := ref(number)
	outbox := h.toCollective(ctx, r.CollectiveID, "antwoord", func(cl Lang) (string, []Button) {
		return cl.T(
			fmt.Sprintf("💬 Antwoord op jullie hulpvraag %s, van %s (%s):\n%s\n\n(Jullie vraag: %s)", n, e.Name, capacity(cl, e, r.Expertise), text, clip(r.Question, 200)),
			fmt.Sprintf("💬 Answer to your help request %s, from %s (%s):\n%s\n\n(Your question: %s)", n, e.Name, capacity(cl, e, r.Expertise), text, clip(r.Question, 200))), nil
	})
	reached := len(outbox)
	outbox = append(outbox, h.toStaff(ctx, "antwoord-kopie", func(sl Lang) (string, []Button) {
		return sl.T(
			fmt.Sprintf("💬 %s (%s) beantwoordde %s van %s:\n%s", e.Name, capacity(sl, e, r.Expertise), n, r.CollectiveName, quoteLines(text, "> ")),
			fmt.Sprintf("💬 %s (%s) answered %s from %s:\n%s", e.Name, capacity(sl, e, r.Expertise), n, r.CollectiveName, quoteLines(text, "> "))), nil
	})...)
	reply := l.T(
		fmt.Sprintf("Je antwoord op %s is naar %s gestuurd, met een kopie voor het programmateam. Klaar? Rond af met /afronden %d.", n, r.CollectiveName, number),
		fmt.Sprintf("Your answer to %s was sent to %s, with a copy for the programme team. Done? Resolve it with /resolve %d.", n, r.CollectiveName, number))
	if reached == 0 {
		reply = l.T(
			fmt.Sprintf("Je antwoord op %s is bewaard en het programmateam heeft een kopie; %s heeft nu geen gekoppelde chat en ziet het met /hulpvragen zodra die er is.", n, r.CollectiveName),
			fmt.Sprintf("Your answer to %s is stored and the programme team has a copy; %s has no linked chat now and will see it with /requests once it has.", n, r.CollectiveName))
	}
	return Reply{
		Text:    reply,
		Buttons: []Button{button(l.T("Afronden", "Resolve"), cmdResolve, optRequestNr.Arg(number))},
		Outbox:  outbox,
	}, nil
}

// expertResolve is /afronden in an expert's private chat, for a request
// the expert took.
func (h *Handler) expertResolve(ctx context.Context, c *call) (Reply, error) {
	l, number := c.lang, int64(c.args.Int(optRequestNr))
	e, err := h.expert(ctx, c)
	if err != nil {
		return Reply{}, err
	}
	r, err := h.Store.ResolveAsExpert(ctx, c.EventID, number, e.ID, c.User)
	if err != nil {
		return Reply{}, h.expertError(ctx, l, number, err)
	}
	n := ref(number)
	outbox := append(h.resolvedOutbox(ctx, r), h.toStaff(ctx, "afgerond", func(sl Lang) (string, []Button) {
		return sl.T(
			fmt.Sprintf("✅ %s van %s is afgerond door %s (%s).", n, r.CollectiveName, e.Name, capacity(sl, e, r.Expertise)),
			fmt.Sprintf("✅ %s from %s was resolved by %s (%s).", n, r.CollectiveName, e.Name, capacity(sl, e, r.Expertise))), nil
	})...)
	return Reply{
		Text: l.T(
			fmt.Sprintf("%s is afgerond. Dank je wel! %s kan laten weten of het geholpen heeft.", n, r.CollectiveName),
			fmt.Sprintf("%s is resolved. Thank you! %s can let you know whether it helped.", n, r.CollectiveName)),
		Outbox: outbox,
	}, nil
}

// away (/afwezig) stops offers until a date, or ends an absence.
func (h *Handler) away(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	e, err := h.expert(ctx, c)
	if err != nil {
		return Reply{}, err
	}
	now := h.now().In(h.loc())
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, h.loc())
	if c.args.Word(optUntil) == "stop" {
		if !e.Away(now) {
			return Reply{Text: l.T("Je bent niet afwezig; nieuwe hulpvragen komen gewoon binnen.", "You are not away; new help requests arrive as usual.")}, nil
		}
		if err := h.Store.SetExpertAway(ctx, c.EventID, e.ID, time.Time{}, c.User); err != nil {
			return Reply{}, err
		}
		return Reply{Text: l.T("▶️ Welkom terug! Nieuwe hulpvragen komen weer hier binnen.", "▶️ Welcome back! New help requests arrive here again.")}, nil
	}
	until, ok := c.args.Date(optUntil)
	if !ok {
		if e.Away(now) {
			return Reply{Text: l.T(
				fmt.Sprintf("Je bent afwezig; vanaf %s krijg je weer hulpvragen. Eerder terug? Typ /afwezig stop.", h.formatDate(l, e.AwayUntil)),
				fmt.Sprintf("You are away; from %s you get help requests again. Back earlier? Type /away stop.", h.formatDate(l, e.AwayUntil)))}, nil
		}
		return Reply{Text: l.T(
			"Je krijgt gewoon hulpvragen. Even niet? Typ /afwezig JJJJ-MM-DD (de dag waarop je er weer bent).",
			"You get help requests as usual. Not for a while? Type /away YYYY-MM-DD (the day you are back).")}, nil
	}
	if !until.After(today) {
		return Reply{}, Errorf(EINVALID, "%s", l.T(
			fmt.Sprintf("De datum moet in de toekomst liggen (na vandaag, %s).", h.formatDate(l, today)),
			fmt.Sprintf("The date must be in the future (after today, %s).", h.formatDate(l, today))))
	}
	if until.Sub(today) > maxPause {
		return Reply{}, Errorf(EINVALID, "%s", l.T(
			"Afwezig melden kan tot hooguit een jaar vooruit. Stop je als expert? Laat het het programmateam weten.",
			"You can be away at most a year ahead. Stopping as an expert? Let the programme team know."))
	}
	if err := h.Store.SetExpertAway(ctx, c.EventID, e.ID, until, c.User); err != nil {
		return Reply{}, err
	}
	return Reply{Text: l.T(
		fmt.Sprintf("🌴 Genoteerd: tot %s krijg je geen nieuwe hulpvragen. Vragen die je al hebt, zie je met /mijnvragen.", h.formatDate(l, until)),
		fmt.Sprintf("🌴 Noted: until %s you get no new help requests. The ones you have, you see with /myrequests.", h.formatDate(l, until)))}, nil
}

// myRequests (/mijnvragen) lists the requests offered to or taken by the
// expert: the collective, the question and the status, nothing else.
func (h *Handler) myRequests(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	e, err := h.expert(ctx, c)
	if err != nil {
		return Reply{}, err
	}
	offers, err := h.Store.ExpertOffers(ctx, e.ID)
	if err != nil {
		return Reply{}, err
	}
	var b strings.Builder
	if e.Away(h.now()) {
		b.WriteString(l.T(
			fmt.Sprintf("🌴 Je bent afwezig tot %s.\n\n", h.formatDate(l, e.AwayUntil)),
			fmt.Sprintf("🌴 You are away until %s.\n\n", h.formatDate(l, e.AwayUntil))))
	}
	if len(offers) == 0 {
		b.WriteString(l.T(
			"Er zijn nog geen hulpvragen aan je voorgelegd. Nieuwe vragen over "+strings.Join(e.Expertises, ", ")+" komen hier vanzelf binnen.",
			"No help requests have been offered to you yet. New requests about "+strings.Join(e.Expertises, ", ")+" arrive here by themselves."))
		return Reply{Text: b.String()}, nil
	}
	b.WriteString(l.T("Jouw hulpvragen (nieuwste eerst):", "Your help requests (newest first):"))
	for i, o := range offers {
		if i == requestsShown {
			fmt.Fprintf(&b, "\n%s", l.T(fmt.Sprintf("… en nog %d oudere.", len(offers)-i), fmt.Sprintf("… and %d older ones.", len(offers)-i)))
			break
		}
		r := &o.Request
		var status string
		switch {
		case r.Status == StatusResolved:
			status = l.T("afgerond", "resolved")
		case o.Taken && r.Status == StatusAnswered:
			status = l.T("door jou beantwoord", "answered by you")
		case o.Taken:
			status = l.T("door jou opgepakt", "taken by you")
		case r.ClaimedBy != "":
			status = l.T("opgepakt door ", "taken by ") + nameOr(l, r.ClaimedBy)
		default:
			status = l.T("open — pak hem op met /oppakken ", "open — take it with /claim ") + fmt.Sprint(r.Number)
		}
		fmt.Fprintf(&b, "\n\n%s · %s · %s · %s\n%s", ref(r.Number), r.CollectiveName, r.Expertise, status,
			quoteLines(clip(r.Question, 300), "   "))
	}
	return Reply{Text: b.String()}, nil
}

// expertStatus is an expert's state as staff read it in /experts.
func (h *Handler) expertStatus(l Lang, e *Expert) string {
	switch {
	case !e.Onboarded():
		return l.T("uitnodiging nog niet gebruikt", "invitation not used yet")
	case e.Unreachable:
		return l.T("⚠ onbereikbaar (bot geblokkeerd?)", "⚠ unreachable (bot blocked?)")
	case e.Away(h.now()):
		return l.T("afwezig tot ", "away until ") + h.formatDate(l, e.AwayUntil)
	}
	return l.T("beschikbaar", "available")
}

// platformName is a platform as staff read it.
func platformName(p string) string {
	switch p {
	case Telegram:
		return "Telegram"
	case Discord:
		return "Discord"
	case Console:
		return "console"
	}
	return "—"
}

// duration shows a time to first answer: "45 min", "3 u 10 min", "2 dagen".
func duration(l Lang, d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 48*time.Hour:
		return l.T(fmt.Sprintf("%d u %d min", int(d/time.Hour), int(d%time.Hour/time.Minute)),
			fmt.Sprintf("%d h %d min", int(d/time.Hour), int(d%time.Hour/time.Minute)))
	}
	n := int(d / (24 * time.Hour))
	return l.T(plural(n, "dag", "dagen"), plural(n, "day", "days"))
}

// listExperts (/experts) shows every expert with their figures.
func (h *Handler) listExperts(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	list, err := h.Store.Experts(ctx)
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return Reply{Text: l.T(
			"Nog geen experts. Nodig er een uit met /expert <naam> <expertises>, bijvoorbeeld /expert Jan juridisch,vastgoed.",
			"No experts yet. Invite one with /addexpert <name> <expertises>, for example /addexpert Jan juridisch,vastgoed.")}, nil
	}
	var b strings.Builder
	b.WriteString(l.T(fmt.Sprintf("Experts (%d):", len(list)), fmt.Sprintf("Experts (%d):", len(list))))
	for i := range list {
		s := &list[i]
		median := "—"
		if s.Answered > 0 {
			median = duration(l, s.MedianFirstAnswer)
		}
		fmt.Fprintf(&b, "\n\n%s — %s\n   %s · %s\n   %s",
			s.Name, strings.Join(s.Expertises, ", "), platformName(s.Chat.Platform), h.expertStatus(l, &s.Expert),
			l.T(
				fmt.Sprintf("voorgelegd %d · opgepakt %d · beantwoord %d · mediaan tot eerste antwoord %s · 👍 %d 👎 %d", s.Offered, s.Taken, s.Answered, median, s.ThumbsUp, s.ThumbsDown),
				fmt.Sprintf("offered %d · taken %d · answered %d · median time to first answer %s · 👍 %d 👎 %d", s.Offered, s.Taken, s.Answered, median, s.ThumbsUp, s.ThumbsDown)))
	}
	return Reply{Text: b.String()}, nil
}

// findExpert finds an active expert by name, with a message naming the
// experts there are.
func (h *Handler) findExpert(ctx context.Context, l Lang, name string) (*Expert, error) {
	e, err := h.Store.ExpertByName(ctx, name)
	if errors.Is(err, ErrExpertNotFound) {
		return nil, Errorf(ENOTFOUND, "%s", l.T(
			fmt.Sprintf("Er is geen expert %q. Bekijk de experts met /experts.", clip(name, 60)),
			fmt.Sprintf("There is no expert %q. See the experts with /experts.", clip(name, 60))))
	}
	return e, err
}

// assign (/toewijzen) offers a request to one expert, also one whose
// expertise differs.
func (h *Handler) assign(ctx context.Context, c *call) (Reply, error) {
	l, number := c.lang, int64(c.args.Int(optRequestNr))
	e, err := h.findExpert(ctx, l, c.args.Text(optExpertName))
	if err != nil {
		return Reply{}, err
	}
	if !e.Onboarded() {
		return Reply{}, Errorf(ECONFLICT, "%s", l.T(
			fmt.Sprintf("%s heeft de uitnodiging nog niet gebruikt; er is nog geen privéchat om de vraag heen te sturen.", e.Name),
			fmt.Sprintf("%s has not used the invitation yet; there is no private chat to send the request to.", e.Name)))
	}
	r, err := h.unresolvedRequest(ctx, l, number, alreadyResolved(l, number))
	if err != nil {
		return Reply{}, err
	}
	if err := h.Store.OfferRequest(ctx, c.EventID, number, []int64{e.ID}, true, c.User); err != nil {
		return Reply{}, h.changeError(ctx, l, number, err)
	}
	var note string
	switch {
	case e.Unreachable:
		note = l.T(
			fmt.Sprintf("\n⚠ %s is onbereikbaar: de bot kon eerder geen bericht in de privéchat kwijt. De vraag staat wel in hun /mijnvragen.", e.Name),
			fmt.Sprintf("\n⚠ %s is unreachable: the bot could not deliver to their private chat before. The request is in their /myrequests anyway.", e.Name))
	case e.Away(h.now()):
		note = l.T(
			fmt.Sprintf("\n%s is afwezig tot %s; de vraag wacht in de privéchat.", e.Name, h.formatDate(l, e.AwayUntil)),
			fmt.Sprintf("\n%s is away until %s; the request waits in their private chat.", e.Name, h.formatDate(l, e.AwayUntil)))
	}
	var outbox []Message
	if !e.Unreachable {
		outbox = h.offerMessages(ctx, r, []Expert{*e}, true)
	}
	taken := ""
	if r.ClaimedBy != "" && r.ClaimedBy != ErasedAuthor {
		taken = l.T(
			fmt.Sprintf("\nLet op: %s is al opgepakt door %s; %s kan hem pas oppakken als die hem loslaat.", ref(number), r.ClaimedBy, e.Name),
			fmt.Sprintf("\nNote: %s has already been taken by %s; %s can only take it once it is free.", ref(number), r.ClaimedBy, e.Name))
	}
	return Reply{
		Text: l.T(
			fmt.Sprintf("📨 %s (%s, %s) is voorgelegd aan %s (%s).", ref(number), r.CollectiveName, r.Expertise, e.Name, strings.Join(e.Expertises, ", ")),
			fmt.Sprintf("📨 %s (%s, %s) was offered to %s (%s).", ref(number), r.CollectiveName, r.Expertise, e.Name, strings.Join(e.Expertises, ", "))) + taken + note,
		Outbox: outbox,
	}, nil
}

// removeExpert (/expertweg) ends someone's expert role; their past answers
// keep their name.
func (h *Handler) removeExpert(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	e, err := h.findExpert(ctx, l, c.args.Text(optExpertName))
	if err != nil {
		return Reply{}, err
	}
	if _, err := h.Store.EndExpert(ctx, c.EventID, e.ID, c.User); err != nil {
		if errors.Is(err, ErrExpertNotFound) {
			return Reply{}, Errorf(ENOTFOUND, "%s", l.T(e.Name+" is al geen expert meer.", e.Name+" is no longer an expert already."))
		}
		return Reply{}, err
	}
	h.logger().Info("expert role ended", "expert", e.ID)
	var outbox []Message
	if e.Onboarded() && !e.Unreachable {
		chat, err := h.Store.Chat(ctx, e.Chat)
		if err == nil {
			el := h.chatLang(chat)
			outbox = append(outbox, Message{Chat: e.Chat, Kind: "expertweg", Text: el.T(
				"Het programmateam heeft je rol als expert bij wijkbot beëindigd; je krijgt geen hulpvragen meer. Dank je wel voor je hulp! Je eerdere antwoorden blijven bij de collectieven staan.",
				"The programme team has ended your expert role at wijkbot; you will get no more help requests. Thank you for your help! Your earlier answers stay with the collectives.")})
		}
	}
	return Reply{
		Text: l.T(
			fmt.Sprintf("%s is geen expert meer. Eerdere antwoorden houden hun naam; nieuwe hulpvragen gaan niet meer naar %s.", e.Name, e.Name),
			fmt.Sprintf("%s is no longer an expert. Earlier answers keep their name; new help requests no longer go to %s.", e.Name, e.Name)),
		Outbox: outbox,
	}, nil
}

// Undeliverable is told by the runtime that a chat refuses the bot's
// messages (the person blocked the bot: Telegram 403, Discord 50007). If
// it is an expert's private chat, the expert is marked unreachable, so no
// more requests are routed there, and the staff hear it once; it returns
// the messages for the staff. The other experts offered the same request
// already have it, so routing goes on without them.
func (h *Handler) Undeliverable(ctx context.Context, chat ChatRef) []Message {
	e, err := h.Store.ExpertByChat(ctx, chat)
	if errors.Is(err, ErrExpertNotFound) {
		return nil
	} else if err != nil {
		h.logger().Error("undeliverable: expert lookup failed", "chat", chat.String(), "err", err)
		return nil
	}
	changed, err := h.Store.SetExpertReachable(ctx, e.ID, false)
	if err != nil {
		h.logger().Error("undeliverable: not stored", "expert", e.ID, "err", err)
		return nil
	}
	if !changed {
		return nil
	}
	h.logger().Warn("expert unreachable", "expert", e.ID, "platform", chat.Platform)
	return h.toStaff(ctx, "expert-onbereikbaar", func(sl Lang) (string, []Button) {
		return sl.T(
			fmt.Sprintf("⚠ Expert %s is onbereikbaar: de bot kan geen berichten meer in de privéchat kwijt (geblokkeerd?). Nieuwe hulpvragen gaan naar de andere experts; een vraag voor %s zelf kun je met /toewijzen aan een ander geven. Zodra %s de bot weer een bericht stuurt, komen er weer vragen binnen.", e.Name, e.Name, e.Name),
			fmt.Sprintf("⚠ Expert %s is unreachable: the bot can no longer deliver to their private chat (blocked?). New help requests go to the other experts; give a request meant for %s to someone else with /assign. Once %s messages the bot again, requests arrive again.", e.Name, e.Name, e.Name)), nil
	})
}
