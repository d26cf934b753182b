package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sparring between collectives, double opt-in (DESIGN.md "Sparring"): the
// invited collective learns who asked only when it says yes; then both
// chats get an introduction naming both people and how to reach them, and
// fourteen days later one check-back.

// sparSuggestions is how many collectives /sparren suggests.
const sparSuggestions = 3

// Hidden commands the sparring buttons run.
const (
	cmdInvitation = "uitnodiging" // answer an invitation: /uitnodiging <id> ja|nee
	cmdTalked     = "gesproken"   // answer the check-back: /gesproken <id> ja|nee
	cmdContact    = "contact"     // the "Vraag om contact" button
)

// themeOf reads a theme as typed ("#Energie", "energie") as stored.
func themeOf(s string) string {
	return strings.ToLower(strings.TrimLeft(strings.TrimSpace(s), "#"))
}

// checkTheme refuses a theme that could never match a #word.
func checkTheme(l Lang, typed, theme string) error {
	if theme == "" || len(Themes("#"+theme)) != 1 || Themes("#" + theme)[0] != theme {
		return Errorf(EINVALID, "%s", l.T(
			fmt.Sprintf("%q is geen thema. Een thema is één woord zoals in #woorden van /voortgang, bijvoorbeeld: /sparren energie.", clip(typed, 40)),
			fmt.Sprintf("%q is not a theme. A theme is one word as in the #words of /log, for example: /peers energie.", clip(typed, 40))))
	}
	return nil
}

// evidence is why a collective is suggested, in one line.
func (h *Handler) evidence(l Lang, s *SparSuggestion, theme string) string {
	var parts []string
	if s.Entries > 0 {
		parts = append(parts, l.T(plural(s.Entries, "voortgangsbericht", "voortgangsberichten"), plural(s.Entries, "progress entry", "progress entries")))
	}
	if s.Milestones > 0 {
		parts = append(parts, l.T(plural(s.Milestones, "mijlpaal", "mijlpalen"), plural(s.Milestones, "milestone", "milestones")))
	}
	if s.Lessons > 0 {
		parts = append(parts, l.T(plural(s.Lessons, "gedeelde les", "gedeelde lessen"), plural(s.Lessons, "shared lesson", "shared lessons")))
	}
	line := strings.Join(parts, ", ") + l.T(" over #", " about #") + theme
	if !s.LastActivity.IsZero() {
		line += l.T("; laatst actief ", "; last active ") + ago(l, h.now(), s.LastActivity)
	}
	return line
}

// spar suggests other collectives with experience in a theme.
func (h *Handler) spar(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	typed := c.args.Text(optSparTheme)
	theme := themeOf(typed)
	if err := checkTheme(l, typed, theme); err != nil {
		return Reply{}, err
	}
	list, err := h.Store.SparSuggestions(ctx, c.chat.CollectiveID, theme, sparSuggestions)
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return Reply{Text: l.T(
			fmt.Sprintf("Nog geen ander collectief heeft iets over #%s vastgelegd. Het programmateam kent misschien iemand: vraag het met /hulpvraag.", theme),
			fmt.Sprintf("No other collective has recorded anything about #%s yet. The programme team may know someone: ask with /ask.", theme))}, nil
	}
	var b strings.Builder
	b.WriteString(l.T(
		fmt.Sprintf("Collectieven met ervaring in #%s:", theme),
		fmt.Sprintf("Collectives with experience in #%s:", theme)))
	var buttons []Button
	for i := range list {
		s := &list[i]
		fmt.Fprintf(&b, "\n%d. %s — %s", i+1, s.Collective.Name, h.evidence(l, s, theme))
		buttons = append(buttons, button(l.T("Vraag om contact met ", "Ask for contact with ")+s.Collective.Name,
			cmdContact, optSparColl.Arg(s.Collective.Name), optContactTheme.Arg(theme)))
	}
	b.WriteString(l.T(
		"\nVraag om contact: zegt het andere collectief ja, dan stel ik jullie aan elkaar voor.",
		"\nAsk for contact: if the other collective says yes, I introduce you to each other."))
	return Reply{Text: b.String(), Buttons: buttons}, nil
}

// contact invites another collective to spar about a theme.
func (h *Handler) contact(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	typed := c.args.Text(optSparTheme)
	theme := themeOf(typed)
	if err := checkTheme(l, typed, theme); err != nil {
		return Reply{}, err
	}
	to, err := h.findCollective(ctx, l, c.args.Text(optSparColl))
	if err != nil {
		return Reply{}, err
	}
	if to.ID == c.chat.CollectiveID {
		return Reply{}, Errorf(EINVALID, "%s", l.T(
			"Dat is jullie eigen collectief. Kies een ander collectief om mee te sparren; /sparren <thema> stelt er een paar voor.",
			"That is your own collective. Choose another collective to spar with; /peers <theme> suggests a few."))
	}
	inv := &Invitation{FromID: c.chat.CollectiveID, ToID: to.ID, Theme: theme}
	err = h.Store.CreateInvitation(ctx, c.EventID, inv, c.User, c.User.Contact)
	var ie *InvitationError
	if errors.As(err, &ie) && ie.Invitation != nil {
		open := ie.Invitation
		return Reply{}, Errorf(ECONFLICT, "%s", l.T(
			fmt.Sprintf("Er staat al een uitnodiging open tussen jullie en %s (over #%s, tot %s). Per tweetal staat er één tegelijk open.", to.Name, open.Theme, h.formatDate(l, open.ExpiresAt)),
			fmt.Sprintf("There is already an open invitation between you and %s (about #%s, until %s). One at a time per pair.", to.Name, open.Theme, h.formatDate(l, open.ExpiresAt))))
	} else if err != nil {
		return Reply{}, err
	}
	// Nothing about the person who asked goes to the invited collective.
	outbox := h.toCollective(ctx, to.ID, "uitnodiging", func(tl Lang) (string, []Button) {
		return tl.T(
				fmt.Sprintf("🤝 %s wil graag met jullie sparren over #%s. Zeggen jullie ja, dan stel ik jullie aan elkaar voor. De uitnodiging staat open tot %s.", inv.FromName, theme, h.formatDate(tl, inv.ExpiresAt)),
				fmt.Sprintf("🤝 %s would like to spar with you about #%s. If you say yes, I introduce you to each other. The invitation is open until %s.", inv.FromName, theme, h.formatDate(tl, inv.ExpiresAt))),
			[]Button{
				button(tl.T("Ja, graag", "Yes, please"), cmdInvitation, optHiddenID.Arg(strconv.FormatInt(inv.ID, 10)), optHiddenYesNo.Arg("ja")),
				button(tl.T("Nu niet", "Not now"), cmdInvitation, optHiddenID.Arg(strconv.FormatInt(inv.ID, 10)), optHiddenYesNo.Arg("nee")),
			}
	})
	return Reply{
		Text: l.T(
			fmt.Sprintf("📨 Uitnodiging verstuurd naar %s om te sparren over #%s. Zeggen ze ja, dan stel ik jullie hier aan elkaar voor; de uitnodiging verloopt op %s.", to.Name, theme, h.formatDate(l, inv.ExpiresAt)),
			fmt.Sprintf("📨 Invitation sent to %s to spar about #%s. If they say yes, I introduce you here; the invitation expires on %s.", to.Name, theme, h.formatDate(l, inv.ExpiresAt))),
		Outbox: outbox,
	}, nil
}

// reach is a person and how to reach them: "Ana (@ana)".
func reach(l Lang, name, contact string) string {
	name = nameOr(l, name)
	if contact == "" || contact == name {
		return name
	}
	return name + " (" + contact + ")"
}

// introduction is the message both chats get on a yes.
func introduction(l Lang, inv *Invitation) string {
	return l.T(
		fmt.Sprintf("🤝 Kennismaking over #%s!\n%s van %s vroeg om contact; %s van %s zei ja. Neem contact met elkaar op. Over twee weken vraag ik of het gelukt is.",
			inv.Theme, reach(l, inv.AskedBy, inv.AskedByContact), inv.FromName, reach(l, inv.AnsweredBy, inv.AnsweredByContact), inv.ToName),
		fmt.Sprintf("🤝 Introduction about #%s!\n%s of %s asked for contact; %s of %s said yes. Get in touch with each other. In two weeks I will ask whether it worked.",
			inv.Theme, reach(l, inv.AskedBy, inv.AskedByContact), inv.FromName, reach(l, inv.AnsweredBy, inv.AnsweredByContact), inv.ToName))
}

// parseID reads the number a hidden command's button carries.
func parseID(l Lang, s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0, Errorf(EINVALID, "%s", l.T(
			fmt.Sprintf("%q is geen nummer van een uitnodiging.", clip(s, 20)),
			fmt.Sprintf("%q is not an invitation number.", clip(s, 20))))
	}
	return n, nil
}

// answerInvitation accepts or declines an invitation to this collective.
func (h *Handler) answerInvitation(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	id, err := parseID(l, c.args.Text(optHiddenID))
	if err != nil {
		return Reply{}, err
	}
	accept := c.args.Text(optHiddenYesNo) == "ja"
	inv, err := h.Store.AnswerInvitation(ctx, c.EventID, id, c.chat.CollectiveID, accept, c.User, c.User.Contact)
	var ie *InvitationError
	switch {
	case errors.As(err, &ie) && ie.Invitation != nil:
		was := ie.Invitation
		switch was.Status {
		case InvitationExpired:
			return Reply{}, Errorf(ECONFLICT, "%s", l.T(
				fmt.Sprintf("Deze uitnodiging van %s is verlopen. Willen jullie toch sparren? Vraag zelf om contact: /contact %q %s", was.FromName, was.FromName, was.Theme),
				fmt.Sprintf("This invitation from %s has expired. Still want to spar? Ask for contact yourselves: /contact %q %s", was.FromName, was.FromName, was.Theme)))
		default:
			return Reply{}, Errorf(ECONFLICT, "%s", l.T(
				fmt.Sprintf("Deze uitnodiging van %s is al beantwoord door %s.", was.FromName, nameOr(l, was.AnsweredBy)),
				fmt.Sprintf("This invitation from %s was already answered by %s.", was.FromName, nameOr(l, was.AnsweredBy))))
		}
	case ErrorCode(err) == ENOTFOUND:
		return Reply{}, Errorf(ENOTFOUND, "%s", l.T(
			"Deze uitnodiging is niet voor jullie collectief.", "This invitation is not for your collective."))
	case err != nil:
		return Reply{}, err
	}
	if !accept {
		// The asker hears that the invited collective cannot now, no reason.
		outbox := h.toCollective(ctx, inv.FromID, "uitnodiging-nee", func(tl Lang) (string, []Button) {
			return tl.T(
				fmt.Sprintf("%s kan nu niet sparren over #%s. Misschien een ander collectief? Probeer /sparren %s, of vraag het programmateam met /hulpvraag.", inv.ToName, inv.Theme, inv.Theme),
				fmt.Sprintf("%s cannot spar about #%s right now. Another collective perhaps? Try /peers %s, or ask the programme team with /ask.", inv.ToName, inv.Theme, inv.Theme)), nil
		})
		return Reply{Text: l.T(
			fmt.Sprintf("Oké, ik laat %s weten dat het nu niet uitkomt (zonder reden).", inv.FromName),
			fmt.Sprintf("All right, I will let %s know it does not suit you now (without a reason).", inv.FromName)), Outbox: outbox}, nil
	}
	outbox := h.toCollective(ctx, inv.FromID, "introductie", func(tl Lang) (string, []Button) {
		return introduction(tl, inv), nil
	})
	outbox = append(outbox, h.toStaff(ctx, "introductie", func(tl Lang) (string, []Button) {
		return tl.T(
			fmt.Sprintf("🤝 Introductie: %s en %s sparren over #%s.", inv.FromName, inv.ToName, inv.Theme),
			fmt.Sprintf("🤝 Introduction: %s and %s spar about #%s.", inv.FromName, inv.ToName, inv.Theme)), nil
	})...)
	return Reply{Text: introduction(l, inv), Outbox: outbox}, nil
}

// talked records the answer to the check-back after an introduction.
func (h *Handler) talked(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	id, err := parseID(l, c.args.Text(optHiddenID))
	if err != nil {
		return Reply{}, err
	}
	talked := TalkedNo
	if c.args.Text(optHiddenYesNo) == "ja" {
		talked = TalkedYes
	}
	if _, err := h.Store.SetTalked(ctx, c.EventID, id, c.chat.CollectiveID, talked, c.User); ErrorCode(err) == ENOTFOUND {
		return Reply{}, Errorf(ENOTFOUND, "%s", l.T("Deze kennismaking is niet van jullie collectief.", "This introduction is not your collective's."))
	} else if err != nil {
		return Reply{}, err
	}
	if talked == TalkedYes {
		return Reply{Text: l.T("Mooi dat jullie gesproken hebben! Leg wat jullie leerden vast met /les.", "Great that you talked! Record what you learned with /lesson.")}, nil
	}
	return Reply{Text: l.T("Oké, dank je. Misschien lukt het nog; de gegevens staan in de kennismaking hierboven.", "All right, thanks. Perhaps it still works out; the details are in the introduction above.")}, nil
}

// CheckbackMessage asks one chat of an introduction, once, whether the two
// collectives spoke. The scheduler sends it CheckbackAfter the yes.
func (h *Handler) CheckbackMessage(inv *Invitation, chat Chat) Message {
	l := h.chatLang(&chat)
	other := inv.ToName
	if chat.CollectiveID == inv.ToID {
		other = inv.FromName
	}
	text := l.T(
		fmt.Sprintf("Twee weken geleden stelde ik jullie voor aan %s om te sparren over #%s. Hebben jullie gesproken?", other, inv.Theme),
		fmt.Sprintf("Two weeks ago I introduced you to %s to spar about #%s. Have you talked?", other, inv.Theme))
	id := strconv.FormatInt(inv.ID, 10)
	return Message{Chat: chat.Ref, Text: text, Kind: SendCheckback, Buttons: []Button{
		button(l.T("Ja", "Yes"), cmdTalked, optHiddenID.Arg(id), optHiddenYesNo.Arg("ja")),
		button(l.T("Nog niet", "Not yet"), cmdTalked, optHiddenID.Arg(id), optHiddenYesNo.Arg("nee")),
	}}
}

// Options of the sparring commands.
var (
	optSparTheme    = TextOpt{Option{Name: "thema", NameEN: "theme", Desc: "Het thema, zoals een #woord van /voortgang", DescEN: "The theme, like a #word of /log", Type: OptText, Required: true, MaxLen: 60}}
	optSparColl     = TextOpt{Option{Name: "collectief", NameEN: "collective", Desc: "Het collectief om mee te sparren", DescEN: "The collective to spar with", Type: OptText, Required: true, MaxLen: 100}}
	optContactTheme = TextOpt{Option{Name: "thema", NameEN: "theme", Desc: "Waarover?", DescEN: "About what?", Type: OptText, Required: true, MaxLen: 60}}
	optHiddenID     = TextOpt{Option{Name: "nummer", NameEN: "number", Type: OptText, Required: true, MaxLen: 20}}
	optHiddenYesNo  = TextOpt{Option{Name: "antwoord", NameEN: "answer", Type: OptChoice, Required: true, Choices: []string{"ja", "nee"}}}
)

// networkLine is /overzicht's line about sparring: introductions and the
// conversations the check-backs confirmed ("" before any invitation, or
// when the counts cannot be read: the overview stands without them).
func (h *Handler) networkLine(ctx context.Context, l Lang) string {
	n, err := h.Store.NetworkCounts(ctx)
	if err != nil {
		h.logger().Warn("network counts failed", "err", err)
		return ""
	}
	if n.Invitations == 0 {
		return ""
	}
	return "\n\n" + l.T(
		fmt.Sprintf("🤝 Sparren: %s, %s, %s (volgens de check-back na twee weken).",
			plural(n.Invitations, "uitnodiging", "uitnodigingen"), plural(n.Introductions, "introductie", "introducties"), plural(n.Conversations, "gesprek", "gesprekken")),
		fmt.Sprintf("🤝 Sparring: %s, %s, %s (by the check-back after two weeks).",
			plural(n.Invitations, "invitation", "invitations"), plural(n.Introductions, "introduction", "introductions"), plural(n.Conversations, "conversation", "conversations")))
}
