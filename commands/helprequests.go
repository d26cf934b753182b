package commands

import (
	"context"
	"fmt"
	"strings"
)

// requestsShown caps /hulpvragen so a long-running collective gets a
// readable message; older requests stay in the export.
const requestsShown = 15

// ask stores a help request and sends it to every staff chat.
func (h *Handler) ask(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	r := &HelpRequest{
		CollectiveID: c.chat.CollectiveID,
		Expertise:    c.args.Text(optExpertise),
		Question:     c.args.Text(optQuestion),
	}
	if err := h.Store.CreateRequest(ctx, c.EventID, r, c.User); err != nil {
		return Reply{}, err
	}
	if r.CollectiveName == "" {
		if coll, err := h.Store.Collective(ctx, r.CollectiveID); err == nil {
			r.CollectiveName = coll.Name
		}
	}
	n := ref(r.Number)
	experts := h.route(ctx, r, c.User)
	outbox := h.toStaff(ctx, "helpvraag", func(sl Lang) (string, []Button) {
		offered := ""
		if len(experts) > 0 {
			offered = sl.T("\nVoorgelegd aan experts: ", "\nOffered to experts: ") + expertNames(experts)
		}
		return sl.T(
			fmt.Sprintf("🆘 Nieuwe hulpvraag %s van %s\nExpertise: %s\n%s\n— gevraagd door %s", n, r.CollectiveName, r.Expertise, quoteLines(r.Question, "> "), nameOr(sl, r.AskedBy)),
			fmt.Sprintf("🆘 New help request %s from %s\nExpertise: %s\n%s\n— asked by %s", n, r.CollectiveName, r.Expertise, quoteLines(r.Question, "> "), nameOr(sl, r.AskedBy)),
		) + offered, staffButtons(sl, r.Number)
	})
	offers := h.offerMessages(ctx, r, experts, false)
	if len(outbox) == 0 {
		h.logger().Warn("help request stored but there is no staff chat", "request", r.Number, "collective", r.CollectiveID)
		if len(offers) > 0 {
			return Reply{Text: l.T(
				fmt.Sprintf("📨 Jullie hulpvraag %s (%s) ligt bij de experts van het programma. Zodra iemand hem oppakt, hoor je het hier. De status zie je met /hulpvragen.", n, r.Expertise),
				fmt.Sprintf("📨 Your help request %s (%s) is with the programme's experts. As soon as someone picks it up, you will hear it here. See the status with /requests.", n, r.Expertise)),
				Outbox: offers}, nil
		}
		return Reply{Text: l.T(
			fmt.Sprintf("📨 Jullie hulpvraag %s (%s) is opgeslagen. Het programmateam heeft hier nog geen stafkanaal voor ingericht, maar pakt hem op zodra dat er is. Je hoort het hier; de status zie je met /hulpvragen.", n, r.Expertise),
			fmt.Sprintf("📨 Your help request %s (%s) is stored. The programme team has not set up its staff chat yet, but will pick it up as soon as it has. You will hear it here; see the status with /requests.", n, r.Expertise))}, nil
	}
	return Reply{
		Text: l.T(
			fmt.Sprintf("📨 Jullie hulpvraag %s (%s) ligt bij het programmateam. Zodra iemand hem oppakt, hoor je het hier. De status zie je met /hulpvragen.", n, r.Expertise),
			fmt.Sprintf("📨 Your help request %s (%s) is with the programme team. As soon as someone picks it up, you will hear it here. See the status with /requests.", n, r.Expertise)),
		Outbox: append(outbox, offers...),
	}, nil
}

// staffButtons are the quick actions under a help request in the staff chat.
func staffButtons(l Lang, number int64) []Button {
	return []Button{
		button(l.T("Oppakken", "Claim"), cmdClaim, optRequestNr.Arg(number)),
		answerButton(l, number),
		button(l.T("Afronden", "Resolve"), cmdResolve, optRequestNr.Arg(number)),
	}
}

// answerButton answers a help request from its post: it leaves out the
// answer's text, so pressing it asks for that text where the platform can
// (a form on Discord) and platforms that cannot leave it out (Table.Asks).
func answerButton(l Lang, number int64) Button {
	return button(l.T("Beantwoorden", "Answer"), cmdAnswer, optRequestNr.Arg(number))
}

// statusText is a request's status as users read it.
func statusText(l Lang, r *HelpRequest) string {
	switch r.Status {
	case StatusClaimed:
		return l.T("opgepakt door ", "taken by ") + nameOr(l, r.ClaimedBy)
	case StatusAnswered:
		return l.T("beantwoord door ", "answered by ") + nameOr(l, r.ClaimedBy)
	case StatusResolved:
		s := l.T("afgerond", "resolved")
		switch r.Feedback {
		case "ja":
			s += " 👍"
		case "nee":
			s += " 👎"
		}
		return s
	}
	return l.T("open, nog niet opgepakt", "open, not taken yet")
}

// requests lists the collective's own help requests with status and answers.
func (h *Handler) requests(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	list, err := h.Store.Requests(ctx, c.chat.CollectiveID)
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return Reply{Text: l.T(
			"Jullie hebben nog geen hulpvragen gesteld. Vraag een expert om hulp met /hulpvraag <expertise> <vraag>.",
			"You have not asked for help yet. Ask an expert with /ask <expertise> <question>.")}, nil
	}
	var b strings.Builder
	b.WriteString(l.T("Jullie hulpvragen (nieuwste eerst):", "Your help requests (newest first):"))
	for i := range list {
		if i == requestsShown {
			fmt.Fprintf(&b, "\n%s", l.T(
				fmt.Sprintf("… en nog %d oudere.", len(list)-i),
				fmt.Sprintf("… and %d older ones.", len(list)-i)))
			break
		}
		r := &list[i]
		// The list comes without answers; fetch them only where there are some.
		if r.Status == StatusAnswered || (r.Status == StatusResolved && !r.AnsweredAt.IsZero()) {
			if full, err := h.Store.Request(ctx, r.Number); err == nil {
				r = full
			}
		}
		fmt.Fprintf(&b, "\n\n%s · %s · %s · %s\n%s", ref(r.Number), r.Expertise, statusText(l, r),
			h.formatDate(l, r.CreatedAt), quoteLines(r.Question, "   "))
		for _, a := range r.Answers {
			fmt.Fprintf(&b, "\n   ↳ %s (%s): %s", nameOr(l, a.Author), h.formatDate(l, a.CreatedAt), strings.ReplaceAll(a.Text, "\n", "\n     "))
		}
	}
	return Reply{Text: b.String()}, nil
}

// requestsOf keeps the collective's requests of a programme-wide list
// (OpenRequests), in their order.
func requestsOf(all []HelpRequest, collectiveID int64) []HelpRequest {
	var list []HelpRequest
	for _, r := range all {
		if r.CollectiveID == collectiveID {
			list = append(list, r)
		}
	}
	return list
}

// findRequest reads a help request, with a user-facing message when it does not exist.
func (h *Handler) findRequest(ctx context.Context, l Lang, number int64) (*HelpRequest, error) {
	r, err := h.Store.Request(ctx, number)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(ENOTFOUND, "%s", l.T(
			fmt.Sprintf("%s bestaat niet. Bekijk de openstaande hulpvragen met /open.", ref(number)),
			fmt.Sprintf("%s does not exist. See the unresolved help requests with /open.", ref(number))))
	}
	return r, err
}

// unresolvedRequest is findRequest for a state change (claim, answer,
// resolve): a resolved request is refused with ifResolved before the store
// is asked, so the user reads why instead of a bare conflict.
func (h *Handler) unresolvedRequest(ctx context.Context, l Lang, number int64, ifResolved error) (*HelpRequest, error) {
	r, err := h.findRequest(ctx, l, number)
	if err != nil {
		return nil, err
	}
	if r.Status == StatusResolved {
		return nil, ifResolved
	}
	return r, nil
}

func alreadyResolved(l Lang, number int64) error {
	return Errorf(ECONFLICT, "%s", l.T(
		fmt.Sprintf("%s is al afgerond.", ref(number)),
		fmt.Sprintf("%s is already resolved.", ref(number))))
}

// stateConflict explains why a request could not change, from its state as
// it is now (another staff member may have been quicker).
func (h *Handler) stateConflict(ctx context.Context, l Lang, number int64) error {
	r, err := h.findRequest(ctx, l, number)
	if err != nil {
		return err
	}
	if r.Status == StatusResolved {
		return alreadyResolved(l, number)
	}
	return Errorf(ECONFLICT, "%s", l.T(
		fmt.Sprintf("%s is al opgepakt door %s.", ref(number), nameOr(l, r.ClaimedBy)),
		fmt.Sprintf("%s is already taken by %s.", ref(number), nameOr(l, r.ClaimedBy))))
}

// changeError turns a Store error of a state change into a user-facing one.
func (h *Handler) changeError(ctx context.Context, l Lang, number int64, err error) error {
	switch {
	case ErrorCode(err) == ECONFLICT:
		return h.stateConflict(ctx, l, number)
	case ErrorCode(err) == ENOTFOUND:
		_, ferr := h.findRequest(ctx, l, number)
		if ferr != nil {
			return ferr
		}
	}
	return err
}

// claim assigns a help request to the staff member and tells the collective.
func (h *Handler) claim(ctx context.Context, c *call) (Reply, error) {
	if c.chat.Kind == ChatExpert {
		return h.expertClaim(ctx, c)
	}
	l, number := c.lang, int64(c.args.Int(optRequestNr))
	before, err := h.unresolvedRequest(ctx, l, number, alreadyResolved(l, number))
	if err != nil {
		return Reply{}, err
	}
	r, err := h.Store.ClaimRequest(ctx, c.EventID, number, c.User)
	if err != nil {
		return Reply{}, h.changeError(ctx, l, number, err)
	}
	n := ref(number)
	// The store lets the claimer claim again; say so instead of
	// announcing it to the collective a second time.
	if before.ClaimedBy != "" && before.ClaimedBy != ErasedAuthor {
		return Reply{Text: l.T(
			fmt.Sprintf("Je had %s al opgepakt. Beantwoord met /antwoord %d <tekst>.", n, number),
			fmt.Sprintf("You had already taken %s. Answer with /answer %d <text>.", n, number))}, nil
	}
	outbox := h.toCollective(ctx, r.CollectiveID, "opgepakt", func(cl Lang) (string, []Button) {
		return cl.T(
			fmt.Sprintf("🙋 %s is opgepakt door %s. Jullie horen snel meer!", n, nameOr(cl, r.ClaimedBy)),
			fmt.Sprintf("🙋 %s was taken by %s. You will hear more soon!", n, nameOr(cl, r.ClaimedBy))), nil
	})
	return Reply{
		Text: l.T(
			fmt.Sprintf("Je hebt %s van %s opgepakt (%s):\n%s\nBeantwoord met /antwoord %d <tekst>.", n, r.CollectiveName, r.Expertise, quoteLines(r.Question, "> "), number),
			fmt.Sprintf("You took %s from %s (%s):\n%s\nAnswer with /answer %d <text>.", n, r.CollectiveName, r.Expertise, quoteLines(r.Question, "> "), number)),
		Outbox: outbox,
	}, nil
}

// answer stores a staff answer and delivers it to the collective's chats.
func (h *Handler) answer(ctx context.Context, c *call) (Reply, error) {
	if c.chat.Kind == ChatExpert {
		return h.expertAnswer(ctx, c)
	}
	l, number := c.lang, int64(c.args.Int(optRequestNr))
	text := c.args.Text(optAnswerText)
	if _, err := h.unresolvedRequest(ctx, l, number, Errorf(ECONFLICT, "%s", l.T(
		fmt.Sprintf("%s is al afgerond; er kan geen antwoord meer bij.", ref(number)),
		fmt.Sprintf("%s is already resolved; no more answers can be added.", ref(number))))); err != nil {
		return Reply{}, err
	}
	r, err := h.Store.AnswerRequest(ctx, c.EventID, number, text, c.User)
	if err != nil {
		return Reply{}, h.changeError(ctx, l, number, err)
	}
	n, who := ref(number), c.User.Name
	if len(r.Answers) > 0 {
		who = r.Answers[len(r.Answers)-1].Author
	}
	outbox := h.toCollective(ctx, r.CollectiveID, "antwoord", func(cl Lang) (string, []Button) {
		return cl.T(
			fmt.Sprintf("💬 Antwoord op jullie hulpvraag %s, van %s:\n%s\n\n(Jullie vraag: %s)", n, nameOr(cl, who), text, clip(r.Question, 200)),
			fmt.Sprintf("💬 Answer to your help request %s, from %s:\n%s\n\n(Your question: %s)", n, nameOr(cl, who), text, clip(r.Question, 200))), nil
	})
	var reply string
	if len(outbox) == 0 {
		reply = l.T(
			fmt.Sprintf("Je antwoord op %s is bewaard, maar %s heeft geen gekoppelde chat; ze zien het met /hulpvragen zodra ze gekoppeld zijn.", n, r.CollectiveName),
			fmt.Sprintf("Your answer to %s is stored, but %s has no linked chat; they will see it with /requests once linked.", n, r.CollectiveName))
	} else {
		reply = l.T(
			fmt.Sprintf("Je antwoord op %s is naar %s gestuurd. Klaar? Rond af met /afronden %d.", n, r.CollectiveName, number),
			fmt.Sprintf("Your answer to %s was sent to %s. Done? Resolve it with /resolve %d.", n, r.CollectiveName, number))
	}
	return Reply{
		Text:    reply,
		Buttons: []Button{button(l.T("Afronden", "Resolve"), cmdResolve, optRequestNr.Arg(number))},
		Outbox:  outbox,
	}, nil
}

// resolve closes a help request and asks the collective whether it helped.
func (h *Handler) resolve(ctx context.Context, c *call) (Reply, error) {
	if c.chat.Kind == ChatExpert {
		return h.expertResolve(ctx, c)
	}
	l, number := c.lang, int64(c.args.Int(optRequestNr))
	if _, err := h.unresolvedRequest(ctx, l, number, alreadyResolved(l, number)); err != nil {
		return Reply{}, err
	}
	r, err := h.Store.ResolveRequest(ctx, c.EventID, number, c.User)
	if err != nil {
		return Reply{}, h.changeError(ctx, l, number, err)
	}
	n := ref(number)
	outbox := h.resolvedOutbox(ctx, r)
	return Reply{
		Text: l.T(
			fmt.Sprintf("%s is afgerond. %s krijgt bericht en kan laten weten of het geholpen heeft.", n, r.CollectiveName),
			fmt.Sprintf("%s is resolved. %s is told and can let you know whether it helped.", n, r.CollectiveName)),
		Outbox: outbox,
	}, nil
}

// resolvedOutbox tells the collective a request is resolved and asks
// whether it helped.
func (h *Handler) resolvedOutbox(ctx context.Context, r *HelpRequest) []Message {
	n, number := ref(r.Number), r.Number
	return h.toCollective(ctx, r.CollectiveID, "afgerond", func(cl Lang) (string, []Button) {
		return cl.T(
				fmt.Sprintf("✅ %s is afgerond. Hebben jullie er iets aan gehad?", n),
				fmt.Sprintf("✅ %s is resolved. Did it help you?", n)),
			[]Button{
				button(cl.T("Geholpen? 👍", "Helped? 👍"), cmdFeedback, optFeedbackNr.Arg(number), optVerdict.Arg("ja")),
				button("👎", cmdFeedback, optFeedbackNr.Arg(number), optVerdict.Arg("nee")),
			}
	})
}

// feedback stores the collective's verdict on a resolved request, once.
func (h *Handler) feedback(ctx context.Context, c *call) (Reply, error) {
	l, number := c.lang, int64(c.args.Int(optFeedbackNr))
	verdict := c.args.Text(optVerdict)
	n := ref(number)
	check := func() (*HelpRequest, error) {
		r, err := h.Store.Request(ctx, number)
		if ErrorCode(err) == ENOTFOUND || (err == nil && r.CollectiveID != c.chat.CollectiveID) {
			return nil, Errorf(ENOTFOUND, "%s", l.T(
				fmt.Sprintf("%s bestaat niet bij jullie collectief. Jullie hulpvragen zie je met /hulpvragen.", n),
				fmt.Sprintf("%s does not exist for your collective. See your help requests with /requests.", n)))
		} else if err != nil {
			return nil, err
		}
		if r.Feedback != "" {
			return nil, Errorf(ECONFLICT, "%s", l.T(
				fmt.Sprintf("Jullie feedback op %s is al doorgegeven (%s). Dank je!", n, thumb(r.Feedback)),
				fmt.Sprintf("Your feedback on %s was already passed on (%s). Thank you!", n, thumb(r.Feedback))))
		}
		if r.Status != StatusResolved {
			return nil, Errorf(ECONFLICT, "%s", l.T(
				fmt.Sprintf("%s is nog niet afgerond; feedback kan zodra het programmateam hem afrondt.", n),
				fmt.Sprintf("%s is not resolved yet; feedback is possible once the programme team resolves it.", n)))
		}
		return r, nil
	}
	r, err := check()
	if err != nil {
		return Reply{}, err
	}
	err = h.Store.SetFeedback(ctx, c.EventID, c.chat.CollectiveID, number, verdict, c.User)
	if code := ErrorCode(err); code == ECONFLICT || code == ENOTFOUND {
		// Someone in the group pressed the button a moment earlier.
		if _, cerr := check(); cerr != nil {
			return Reply{}, cerr
		}
		return Reply{}, err
	} else if err != nil {
		return Reply{}, err
	}
	outbox := h.toStaff(ctx, "feedback", func(sl Lang) (string, []Button) {
		return sl.T(
			fmt.Sprintf("Feedback op %s van %s: %s", n, r.CollectiveName, thumb(verdict)),
			fmt.Sprintf("Feedback on %s from %s: %s", n, r.CollectiveName, thumb(verdict))), nil
	})
	return Reply{
		Text: l.T(
			fmt.Sprintf("Dank je! Jullie feedback op %s (%s) is doorgegeven aan het programmateam.", n, thumb(verdict)),
			fmt.Sprintf("Thank you! Your feedback on %s (%s) was passed on to the programme team.", n, thumb(verdict))),
		Outbox: outbox,
	}, nil
}

func thumb(verdict string) string {
	if verdict == "ja" {
		return "👍"
	}
	return "👎"
}

// openRequests lists every unresolved request, oldest first, for the staff.
func (h *Handler) openRequests(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	list, err := h.Store.OpenRequests(ctx)
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return Reply{Text: l.T("Geen openstaande hulpvragen. 🎉", "No unresolved help requests. 🎉")}, nil
	}
	now := h.now()
	var b strings.Builder
	b.WriteString(l.T(
		fmt.Sprintf("Openstaande hulpvragen (%d, oudste eerst):", len(list)),
		fmt.Sprintf("Unresolved help requests (%d, oldest first):", len(list))))
	for i := range list {
		r := &list[i]
		fmt.Fprintf(&b, "\n\n%s · %s · %s · %s · %s\n%s", ref(r.Number), r.CollectiveName, r.Expertise,
			age(l, now, r.CreatedAt), statusText(l, r), quoteLines(clip(r.Question, 200), "   "))
	}
	b.WriteString(l.T("\n\nPak er een op met /oppakken <nummer>.", "\n\nTake one with /claim <number>."))
	return Reply{Text: b.String()}, nil
}
