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
	optExpertNew  = TextOpt{Option{Name: "naam", NameEN: "name", Desc: MsgDescOptExpertNew, Type: OptText, Required: true, MaxLen: 100}}
	optExpertises = TextOpt{Option{Name: "expertises", NameEN: "expertises", Desc: MsgDescOptExpertises, Type: OptText, Required: true, MaxLen: 200}}
	optExpertName = TextOpt{Option{Name: "expert", NameEN: "expert", Desc: MsgDescOptExpertName, Type: OptText, Required: true, Autocomplete: true, MaxLen: 100}}
	optInvite     = text("code", "code", MsgDescOptInvite, true)
	// optStartCode is what a deep link (t.me/<bot>?start=<code>) sends
	// after /start: an expert's invite code.
	optStartCode = TextOpt{Option{Name: "code", NameEN: "code", Type: OptText, Hidden: true, Secret: true, MaxLen: 64}}
)

// privateChat gives a person's one-to-one chat with the bot its kind: the
// private chat of an active expert (ChatExpert), or anyone's (ChatPrivate).
// A private chat that was made a staff or collective chat before private
// chats had a kind of their own keeps that kind. user is the person
// writing in it (see notePrivateOwner).
func (h *Handler) privateChat(ctx context.Context, chat *Chat, user UserRef) error {
	h.notePrivateOwner(ctx, chat, user)
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

// notePrivateOwner records user as the owner of their one-to-one chat
// with the bot when the store keeps it without one: a DM whose language
// was set before migration 082 by someone who was no expert. Only the
// person it belongs to writes in a one-to-one chat, so their first command
// or interaction there ties it to them, and /vergeetmij then erases it.
// A chat whose id is the person's own (Telegram) needs no owner, and a
// chat the store does not keep has nothing to erase. A private chat linked
// to a collective or made a staff chat before private chats had a kind of
// their own is the collective's or the staff's, not the person's: it
// stays without an owner. A failed write is logged and tried again at the
// next command: the command itself goes on.
func (h *Handler) notePrivateOwner(ctx context.Context, chat *Chat, user UserRef) {
	if !chat.Stored || chat.Kind != "" || chat.Owner != "" || user.ID == "" || user.ID == chat.Ref.ID || user.Platform != chat.Ref.Platform {
		return
	}
	if err := h.Store.SetPrivateChatOwner(ctx, chat.Ref, user); err != nil {
		h.logger().Warn("private chat owner: not stored", "chat", chat.Ref.String(), "err", err)
		return
	}
	chat.Owner = user.ID
}

// capacity is how the collective reads an expert's role on a request:
// "expert juridisch" (the request's expertise when the expert has it, else
// their own expertises).
func capacity(l Lang, e *Expert, expertise string) string {
	what := expertise
	if !e.Has(expertise) {
		what = strings.Join(e.Expertises, ", ")
	}
	return l.Msg(MsgExpertIn) + what
}

// parseExpertises reads "juridisch, zorg" (commas or spaces) into choices
// of Expertises, in table order without repeats.
func parseExpertises(l Lang, s string) ([]string, error) {
	var list []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if !slices.Contains(Expertises, w) {
			return nil, Errorf(EINVALID, "%s", l.Msg(MsgExpertUnknownExpertiseChooseFrom, clip(w, 40), strings.Join(Expertises, ", ")))
		}
		if !slices.Contains(list, w) {
			list = append(list, w)
		}
	}
	if len(list) == 0 {
		return nil, Errorf(EINVALID, "%s", l.Msg(MsgExpertNameAtLeastOne, strings.Join(Expertises, ", ")))
	}
	slices.SortFunc(list, func(a, b string) int { return slices.Index(Expertises, a) - slices.Index(Expertises, b) })
	return list, nil
}

// inviteExpert (/expert) creates an expert with a single-use invite code.
func (h *Handler) inviteExpert(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	name := strings.Join(strings.Fields(c.args.Text(optExpertNew)), " ")
	if err := checkCollectiveName(l, name); err != nil {
		return Reply{}, Errorf(EINVALID, "%s", l.Msg(MsgExpertNameLetters))
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
		return Reply{}, Errorf(ECONFLICT, "%s", l.Msg(MsgExpertThereIsExpertAlready, name))
	case err != nil:
		return Reply{}, err
	}
	h.logger().Info("expert invited", "expert", e.ID)
	until := h.formatDate(l, h.now().Add(InviteTTL))
	var b strings.Builder
	b.WriteString(l.Msg(MsgExpertInvitationForCodeSingle, e.Name, strings.Join(e.Expertises, ", "), code, until))
	if h.DeepLink != nil {
		if link := h.DeepLink(code); link != "" {
			b.WriteString(l.Msg(MsgExpertTelegramSendThisLink, e.Name, link))
		}
	}
	b.WriteString(l.Msg(MsgExpertOrSendsBotPrivate, e.Name, code, strings.Join(e.Expertises, ", ")))
	return Reply{Text: b.String()}, nil
}

// becomeExpert (/ikbenexpert, and /start with the code of a deep link)
// redeems an invite in the person's private chat.
func (h *Handler) becomeExpert(ctx context.Context, c *call, raw string) (Reply, error) {
	l := c.lang
	if c.chat.Kind != ChatPrivate && c.chat.Kind != ChatExpert {
		return Reply{}, Errorf(EFORBIDDEN, "%s", l.Msg(MsgExpertInvitePrivateOnly))
	}
	code := normalizeCode(raw)
	if !validCode(code) {
		return Reply{}, Errorf(EINVALID, "%s", l.Msg(MsgExpertIsNotValidInvite, clip(raw, 20), CodeLen, CodeAlphabet))
	}
	if c.chat.Kind == ChatExpert {
		e, err := h.Store.Expert(ctx, c.chat.ExpertID)
		if err != nil {
			return Reply{}, err
		}
		return Reply{}, Errorf(ECONFLICT, "%s", l.Msg(MsgExpertYouAreExpertHere, strings.Join(e.Expertises, ", "), e.Name))
	}
	e, err := h.Store.RedeemInvite(ctx, c.EventID, code, c.Chat, c.User)
	switch {
	case err == nil:
	case errors.Is(err, ErrInviteUnknown):
		return Reply{}, Errorf(ENOTFOUND, "%s", l.Msg(MsgExpertNoInvitationHasCode, code))
	case errors.Is(err, ErrInviteUsed):
		return Reply{}, Errorf(ECONFLICT, "%s", l.Msg(MsgExpertThisInvitationHasBeen))
	case errors.Is(err, ErrInviteExpired):
		return Reply{}, Errorf(ECONFLICT, "%s", l.Msg(MsgExpertThisInvitationHasExpired))
	case errors.Is(err, ErrAlreadyExpert):
		return Reply{}, Errorf(ECONFLICT, "%s", l.Msg(MsgExpertYouAreExpertAlready))
	case errors.Is(err, ErrExpertNotFound):
		return Reply{}, Errorf(ECONFLICT, "%s", l.Msg(MsgExpertThisInvitationWasWithdrawn))
	default:
		return Reply{}, err
	}
	h.logger().Info("expert onboarded", "expert", e.ID, "platform", e.Chat.Platform)
	what := strings.Join(e.Expertises, ", ")
	outbox := h.toStaff(ctx, "expert", func(sl Lang) (string, []Button) {
		return sl.Msg(MsgExpertUsedInvitationAndIs, e.Name, what), nil
	})
	return Reply{Text: l.Msg(MsgExpertWelcome, e.Name, what),
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
		return l.Msg(MsgExpertProgrammeTeamOffersYou, ref(r.Number), r.CollectiveName, r.Expertise, quoteLines(r.Question, "> "), r.Number)
	}
	return l.Msg(MsgExpertNewHelpRequestFor, ref(r.Number), r.Expertise, r.CollectiveName, quoteLines(r.Question, "> "), r.Number)
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
			Buttons: []Button{button(l.Msg(MsgButtonClaim), CmdClaim, optRequestNr.Arg(r.Number))}})
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
	return Errorf(EFORBIDDEN, "%s", l.Msg(MsgExpertHelpRequestWasNot, ref(number)))
}

// expertError turns an ExpertStore error of a request change into the
// expert's language. A duplicate matches no case and goes back as it is
// (Handle makes it a silent reply).
func (h *Handler) expertError(ctx context.Context, l Lang, number int64, err error) error {
	switch {
	case errors.Is(err, ErrNotOffered), ErrorCode(err) == ENOTFOUND && !errors.Is(err, ErrExpertNotFound):
		return notOffered(l, number)
	case errors.Is(err, ErrResolved):
		return alreadyResolved(l, number)
	case errors.Is(err, ErrTakenByOther):
		r, ferr := h.Store.Request(ctx, number)
		if ferr != nil {
			return ferr
		}
		return Errorf(ECONFLICT, "%s", l.Msg(MsgExpertHasAlreadyBeenTaken, ref(number), nameOr(l, r.ClaimedBy)))
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
		return Reply{Text: l.Msg(MsgClaimAgain, n, number), Buttons: buttons}, nil
	}
	outbox := h.toCollective(ctx, r.CollectiveID, "opgepakt", func(cl Lang) (string, []Button) {
		return cl.Msg(MsgExpertWasTakenByYou, n, e.Name, capacity(cl, e, r.Expertise)), nil
	})
	outbox = append(outbox, h.toStaff(ctx, "opgepakt", func(sl Lang) (string, []Button) {
		return sl.Msg(MsgExpertFromWasTakenBy, n, r.CollectiveName, e.Name, capacity(sl, e, r.Expertise)), nil
	})...)
	return Reply{
		Text:    l.Msg(MsgExpertYouTookFromAnswer, n, r.CollectiveName, r.Expertise, quoteLines(r.Question, "> "), number),
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
		return cl.Msg(MsgExpertAnswerToYourHelp, n, e.Name, capacity(cl, e, r.Expertise), text, clip(r.Question, 200)), nil
	})
	reached := len(outbox)
	outbox = append(outbox, h.toStaff(ctx, "antwoord-kopie", func(sl Lang) (string, []Button) {
		return sl.Msg(MsgExpertAnsweredFrom, e.Name, capacity(sl, e, r.Expertise), n, r.CollectiveName, quoteLines(text, "> ")), nil
	})...)
	reply := l.Msg(MsgExpertYourAnswerToWas, n, r.CollectiveName, number)
	if reached == 0 {
		reply = l.Msg(MsgExpertYourAnswerToIs, n, r.CollectiveName)
	}
	return Reply{
		Text:    reply,
		Buttons: []Button{button(l.Msg(MsgButtonResolve), CmdResolve, optRequestNr.Arg(number))},
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
		return sl.Msg(MsgExpertFromWasResolvedBy, n, r.CollectiveName, e.Name, capacity(sl, e, r.Expertise)), nil
	})...)
	return Reply{
		Text:   l.Msg(MsgExpertIsResolvedThankYou, n, r.CollectiveName),
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
			return Reply{Text: l.Msg(MsgExpertYouAreNotAway)}, nil
		}
		if err := h.Store.SetExpertAway(ctx, c.EventID, e.ID, time.Time{}, c.User); err != nil {
			return Reply{}, err
		}
		return Reply{Text: l.Msg(MsgExpertWelcomeBackNewHelp)}, nil
	}
	until, ok := c.args.Date(optUntil)
	if !ok {
		if e.Away(now) {
			return Reply{Text: l.Msg(MsgExpertYouAreAwayFrom, h.formatDate(l, e.AwayUntil))}, nil
		}
		return Reply{Text: l.Msg(MsgExpertYouGetHelpRequests)}, nil
	}
	if !until.After(today) {
		return Reply{}, Errorf(EINVALID, "%s", l.Msg(MsgPauseDatePast, h.formatDate(l, today)))
	}
	if until.Sub(today) > maxPause {
		return Reply{}, Errorf(EINVALID, "%s", l.Msg(MsgExpertYouCanBeAway))
	}
	if err := h.Store.SetExpertAway(ctx, c.EventID, e.ID, until, c.User); err != nil {
		return Reply{}, err
	}
	return Reply{Text: l.Msg(MsgExpertNotedUntilYouGet, h.formatDate(l, until))}, nil
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
		b.WriteString(l.Msg(MsgExpertYouAreAwayUntil, h.formatDate(l, e.AwayUntil)))
	}
	if len(offers) == 0 {
		b.WriteString(l.Msg(MsgExpertNoHelpRequestsHave, strings.Join(e.Expertises, ", ")))
		return Reply{Text: b.String()}, nil
	}
	b.WriteString(l.Msg(MsgExpertYourHelpRequestsNewest))
	for i, o := range offers {
		if i == requestsShown {
			fmt.Fprintf(&b, "\n%s", l.Msg(MsgRequestsOlder, len(offers)-i))
			break
		}
		r := &o.Request
		var status string
		switch {
		case r.Status == StatusResolved:
			status = l.Msg(MsgStatusResolved)
		case o.Taken && r.Status == StatusAnswered:
			status = l.Msg(MsgExpertAnsweredByYou)
		case o.Taken:
			status = l.Msg(MsgExpertTakenByYou)
		case r.ClaimedBy != "":
			status = l.Msg(MsgStatusTakenBy) + nameOr(l, r.ClaimedBy)
		default:
			status = l.Msg(MsgExpertOpenTakeItWith) + fmt.Sprint(r.Number)
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
		return l.Msg(MsgExpertInvitationNotUsedYet)
	case e.Unreachable:
		return l.Msg(MsgExpertUnreachableBotBlocked)
	case e.Away(h.now()):
		return l.Msg(MsgExpertAwayUntil) + h.formatDate(l, e.AwayUntil)
	}
	return l.Msg(MsgExpertAvailable)
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
		return l.Msg(MsgExpertHMin, int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	n := int(d / (24 * time.Hour))
	return l.Count(MsgDaysN, n)
}

// listExperts (/experts) shows every expert with their figures.
func (h *Handler) listExperts(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	list, err := h.Store.Experts(ctx)
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return Reply{Text: l.Msg(MsgExpertNoExpertsYetInvite)}, nil
	}
	var b strings.Builder
	b.WriteString(l.Msg(MsgExpertsTitle, len(list)))
	for i := range list {
		s := &list[i]
		median := "—"
		if s.Answered > 0 {
			median = duration(l, s.MedianFirstAnswer)
		}
		fmt.Fprintf(&b, "\n\n%s — %s\n   %s · %s\n   %s",
			s.Name, strings.Join(s.Expertises, ", "), platformName(s.Chat.Platform), h.expertStatus(l, &s.Expert),
			l.Msg(MsgExpertOfferedTakenAnsweredMedian, s.Offered, s.Taken, s.Answered, median, s.ThumbsUp, s.ThumbsDown))
	}
	return Reply{Text: b.String()}, nil
}

// findExpert finds an active expert by name, with a message naming the
// experts there are.
func (h *Handler) findExpert(ctx context.Context, l Lang, name string) (*Expert, error) {
	e, err := h.Store.ExpertByName(ctx, name)
	if errors.Is(err, ErrExpertNotFound) {
		return nil, Errorf(ENOTFOUND, "%s", l.Msg(MsgExpertThereIsNoExpert, clip(name, 60)))
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
		return Reply{}, Errorf(ECONFLICT, "%s", l.Msg(MsgExpertHasNotUsedInvitation, e.Name))
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
		note = l.Msg(MsgExpertIsUnreachableBotCould, e.Name)
	case e.Away(h.now()):
		note = l.Msg(MsgExpertIsAwayUntilRequest, e.Name, h.formatDate(l, e.AwayUntil))
	}
	var outbox []Message
	if !e.Unreachable {
		outbox = h.offerMessages(ctx, r, []Expert{*e}, true)
	}
	taken := ""
	if r.ClaimedBy != "" && r.ClaimedBy != ErasedAuthor {
		taken = l.Msg(MsgExpertNoteHasAlreadyBeen, ref(number), r.ClaimedBy, e.Name)
	}
	return Reply{
		Text:   l.Msg(MsgExpertWasOfferedTo, ref(number), r.CollectiveName, r.Expertise, e.Name, strings.Join(e.Expertises, ", ")) + taken + note,
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
			return Reply{}, Errorf(ENOTFOUND, "%s", l.Msg(MsgExpertAlreadyRemoved, e.Name))
		}
		return Reply{}, err
	}
	h.logger().Info("expert role ended", "expert", e.ID)
	var outbox []Message
	if e.Onboarded() && !e.Unreachable {
		chat, err := h.Store.Chat(ctx, e.Chat)
		if err == nil {
			el := h.chatLang(chat)
			outbox = append(outbox, Message{Chat: e.Chat, Kind: "expertweg", Text: el.Msg(MsgExpertProgrammeTeamHasEnded)})
		}
	}
	return Reply{
		Text:   l.Msg(MsgExpertRemoved, e.Name, e.Name),
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
		return sl.Msg(MsgExpertUnreachableAlert, e.Name, e.Name, e.Name), nil
	})
}
