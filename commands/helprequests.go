package commands

import (
	"context"
	"errors"
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
	if err := h.Store.CreateRequest(ctx, c.EventID, r, c.User, MaxOpenRequests); err != nil {
		if errors.Is(err, ErrTooManyWaiting) {
			return Reply{}, h.tooManyWaiting(ctx, l, r.CollectiveID, err)
		}
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
			offered = sl.Msg(MsgDigestOfferedToExperts) + expertNames(experts)
		}
		return sl.Msg(MsgRequestNew, n, r.CollectiveName, r.Expertise, quoteLines(r.Question, "> "), nameOr(sl, r.AskedBy)) + offered, staffButtons(sl, r.Number)
	})
	offers := h.offerMessages(ctx, r, experts, false)
	if len(outbox) == 0 {
		h.logger().Warn("help request stored but there is no staff chat", "request", r.Number, "collective", r.CollectiveID)
		if len(offers) > 0 {
			return Reply{Text: l.Msg(MsgRequestSentExperts, n, r.Expertise),
				Outbox: offers}, nil
		}
		return Reply{Text: l.Msg(MsgRequestStoredNoStaff, n, r.Expertise)}, nil
	}
	return Reply{
		Text:   l.Msg(MsgRequestSent, n, r.Expertise),
		Outbox: append(outbox, offers...),
	}, nil
}

// MaxOpenRequests is how many help requests without an answer a collective
// may have at once. Each is a post and, when it waits, an alert in the staff
// chat; a collective that needs more is better served by a conversation
// with the programme team than by a queue of requests.
const MaxOpenRequests = 5

// tooManyWaiting explains a help request the store refused because the
// collective already has MaxOpenRequests without an answer, naming the
// ones waiting. The store counts them in the transaction of the insert, so
// two members asking at the same moment cannot pass the cap together.
func (h *Handler) tooManyWaiting(ctx context.Context, l Lang, collectiveID int64, cause error) error {
	list, err := h.Store.Requests(ctx, collectiveID)
	if err != nil {
		return err
	}
	var waiting []string
	for i := len(list) - 1; i >= 0; i-- { // oldest first
		if s := list[i].Status; s == StatusOpen || s == StatusClaimed {
			waiting = append(waiting, ref(list[i].Number))
		}
	}
	return Errorf(ECONFLICT, "%s", l.Msg(MsgRequestTooManyOpen, len(waiting), strings.Join(waiting, ", "), MaxOpenRequests)).Because(cause)
}

// staffButtons are the quick actions under a help request in the staff chat.
func staffButtons(l Lang, number int64) []Button {
	return []Button{
		button(l.Msg(MsgButtonClaim), CmdClaim, optRequestNr.Arg(number)),
		answerButton(l, number),
		button(l.Msg(MsgButtonResolve), CmdResolve, optRequestNr.Arg(number)),
	}
}

// answerButton answers a help request from its post: it leaves out the
// answer's text, so pressing it asks for that text (Table.Asks: a form on
// Discord, a question to reply to on Telegram).
func answerButton(l Lang, number int64) Button {
	return button(l.Msg(MsgButtonAnswer), CmdAnswer, optRequestNr.Arg(number))
}

// statusText is a request's status as users read it.
func statusText(l Lang, r *HelpRequest) string {
	switch r.Status {
	case StatusClaimed:
		return l.Msg(MsgStatusTakenBy) + nameOr(l, r.ClaimedBy)
	case StatusAnswered:
		return l.Msg(MsgStatusAnsweredBy) + nameOr(l, r.ClaimedBy)
	case StatusResolved:
		s := l.Msg(MsgStatusResolved)
		switch r.Feedback {
		case "ja":
			s += " 👍"
		case "nee":
			s += " 👎"
		}
		return s
	}
	return l.Msg(MsgStatusOpen)
}

// requests lists the collective's own help requests with status and answers.
func (h *Handler) requests(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	list, err := h.Store.Requests(ctx, c.chat.CollectiveID)
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return Reply{Text: l.Msg(MsgRequestsNone)}, nil
	}
	var b strings.Builder
	b.WriteString(l.Msg(MsgRequestsTitle))
	for i := range list {
		if i == requestsShown {
			fmt.Fprintf(&b, "\n%s", l.Msg(MsgRequestsOlder, len(list)-i))
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
		return nil, Errorf(ENOTFOUND, "%s", l.Msg(MsgRequestNotFound, ref(number)))
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
	return Errorf(ECONFLICT, "%s", l.Msg(MsgRequestResolved, ref(number)))
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
	return Errorf(ECONFLICT, "%s", l.Msg(MsgRequestTaken, ref(number), nameOr(l, r.ClaimedBy)))
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
		return Reply{Text: l.Msg(MsgClaimAgain, n, number)}, nil
	}
	outbox := h.toCollective(ctx, r.CollectiveID, "opgepakt", func(cl Lang) (string, []Button) {
		return cl.Msg(MsgClaimedToCollective, n, nameOr(cl, r.ClaimedBy)), nil
	})
	return Reply{
		Text:   l.Msg(MsgClaimed, n, r.CollectiveName, r.Expertise, quoteLines(r.Question, "> "), number),
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
	if _, err := h.unresolvedRequest(ctx, l, number, Errorf(ECONFLICT, "%s", l.Msg(MsgAnswerResolved, ref(number)))); err != nil {
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
		return cl.Msg(MsgAnswerToCollective, n, nameOr(cl, who), text, clip(r.Question, 200)), nil
	})
	var reply string
	if len(outbox) == 0 {
		reply = l.Msg(MsgAnswerStoredNoChat, n, r.CollectiveName)
	} else {
		reply = l.Msg(MsgAnswerSent, n, r.CollectiveName, number)
	}
	return Reply{
		Text:    reply,
		Buttons: []Button{button(l.Msg(MsgButtonResolve), CmdResolve, optRequestNr.Arg(number))},
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
		Text:   l.Msg(MsgResolvedDone, n, r.CollectiveName),
		Outbox: outbox,
	}, nil
}

// resolvedOutbox tells the collective a request is resolved and asks
// whether it helped.
func (h *Handler) resolvedOutbox(ctx context.Context, r *HelpRequest) []Message {
	n, number := ref(r.Number), r.Number
	return h.toCollective(ctx, r.CollectiveID, "afgerond", func(cl Lang) (string, []Button) {
		return cl.Msg(MsgResolvedToCollective, n),
			[]Button{
				button(cl.Msg(MsgButtonHelped), CmdFeedback, optFeedbackNr.Arg(number), optVerdict.Arg("ja")),
				button("👎", CmdFeedback, optFeedbackNr.Arg(number), optVerdict.Arg("nee")),
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
			return nil, Errorf(ENOTFOUND, "%s", l.Msg(MsgFeedbackNotFound, n))
		} else if err != nil {
			return nil, err
		}
		if r.Feedback != "" {
			return nil, Errorf(ECONFLICT, "%s", l.Msg(MsgFeedbackAlready, n, thumb(r.Feedback)))
		}
		if r.Status != StatusResolved {
			return nil, Errorf(ECONFLICT, "%s", l.Msg(MsgFeedbackNotResolved, n))
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
		return sl.Msg(MsgFeedbackToStaff, n, r.CollectiveName, thumb(verdict)), nil
	})
	return Reply{
		Text:   l.Msg(MsgFeedbackThanks, n, thumb(verdict)),
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
		return Reply{Text: l.Msg(MsgOpenNone)}, nil
	}
	now := h.now()
	var b strings.Builder
	b.WriteString(l.Msg(MsgOpenTitle, len(list)))
	lst := newBounded(&b, l.Msg(MsgOpenHint))
	for i := range list {
		r := &list[i]
		if !lst.add(fmt.Sprintf("\n\n%s · %s · %s · %s · %s\n%s", ref(r.Number), r.CollectiveName, r.Expertise,
			age(l, now, r.CreatedAt), statusText(l, r), quoteLines(clip(r.Question, 200), "   "))) {
			break
		}
	}
	if n := len(list) - lst.added; n > 0 {
		b.WriteString(l.Msg(MsgOpenListMore, n))
	}
	b.WriteString(l.Msg(MsgOpenHint))
	return Reply{Text: b.String()}, nil
}
