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
		return Errorf(EINVALID, "%s", l.Msg(MsgSparringIsNotThemeTheme, clip(typed, 40)))
	}
	return nil
}

// evidence is why a collective is suggested, in one line.
func (h *Handler) evidence(l Lang, s *SparSuggestion, theme string) string {
	var parts []string
	if s.Entries > 0 {
		parts = append(parts, l.Count(MsgCheckinEntriesN, s.Entries))
	}
	if s.Milestones > 0 {
		parts = append(parts, l.Count(MsgDigestMilestonesN, s.Milestones))
	}
	if s.Lessons > 0 {
		parts = append(parts, l.Count(MsgSparringSharedLessonsN, s.Lessons))
	}
	line := strings.Join(parts, ", ") + l.Msg(MsgSparringAbout) + theme
	if !s.LastActivity.IsZero() {
		line += l.Msg(MsgSparringLastActive) + ago(l, h.now(), s.LastActivity)
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
		return Reply{Text: l.Msg(MsgSparringNoOtherCollectiveHas, theme)}, nil
	}
	var b strings.Builder
	b.WriteString(l.Msg(MsgSparringCollectivesWithExperienceIn, theme))
	var buttons []Button
	for i := range list {
		s := &list[i]
		fmt.Fprintf(&b, "\n%d. %s — %s", i+1, s.Collective.Name, h.evidence(l, s, theme))
		buttons = append(buttons, button(l.Msg(MsgSparringAskForContactWith)+s.Collective.Name,
			cmdContact, optSparColl.Arg(s.Collective.Name), optContactTheme.Arg(theme)))
	}
	b.WriteString(l.Msg(MsgSparringAskForContactIf))
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
		return Reply{}, Errorf(EINVALID, "%s", l.Msg(MsgSparringThatIsYourOwn))
	}
	inv := &Invitation{FromID: c.chat.CollectiveID, ToID: to.ID, Theme: theme}
	err = h.Store.CreateInvitation(ctx, c.EventID, inv, c.User, c.User.Contact)
	var ie *InvitationError
	if errors.As(err, &ie) && ie.Invitation != nil {
		open := ie.Invitation
		return Reply{}, Errorf(ECONFLICT, "%s", l.Msg(MsgSparringThereIsAlreadyOpen, to.Name, open.Theme, h.formatDate(l, open.ExpiresAt)))
	} else if err != nil {
		return Reply{}, err
	}
	// Nothing about the person who asked goes to the invited collective.
	outbox := h.toCollective(ctx, to.ID, "uitnodiging", func(tl Lang) (string, []Button) {
		return tl.Msg(MsgSparringWouldLikeToSpar, inv.FromName, theme, h.formatDate(tl, inv.ExpiresAt)),
			[]Button{
				button(tl.Msg(MsgSparringYesPlease), cmdInvitation, optHiddenID.Arg(strconv.FormatInt(inv.ID, 10)), optHiddenYesNo.Arg("ja")),
				button(tl.Msg(MsgSparringNotNow), cmdInvitation, optHiddenID.Arg(strconv.FormatInt(inv.ID, 10)), optHiddenYesNo.Arg("nee")),
			}
	})
	return Reply{
		Text:   l.Msg(MsgSparringInvitationSentToTo, to.Name, theme, h.formatDate(l, inv.ExpiresAt)),
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

// introduction is the message both chats get on a yes; the two people are
// mentions, so each platform can render a way to reach them.
func introduction(l Lang, inv *Invitation) (string, []Mention) {
	return withMentions(func(mark func(int) string, clean func(string) string) string {
		return l.Msg(MsgSparringIntroductionAboutOfAsked, clean(inv.Theme), mark(0), clean(inv.FromName), mark(1), clean(inv.ToName))
	}, []string{reach(l, inv.AskedBy, inv.AskedByContact), reach(l, inv.AnsweredBy, inv.AnsweredByContact)},
		[]UserRef{inv.Asker, inv.Answerer})
}

// parseID reads the number a hidden command's button carries.
func parseID(l Lang, s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0, Errorf(EINVALID, "%s", l.Msg(MsgSparringIsNotInvitationNumber, clip(s, 20)))
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
			return Reply{}, Errorf(ECONFLICT, "%s", l.Msg(MsgSparringThisInvitationFromHas, was.FromName, was.FromName, was.Theme))
		default:
			return Reply{}, Errorf(ECONFLICT, "%s", l.Msg(MsgSparringThisInvitationFromWas, was.FromName, nameOr(l, was.AnsweredBy)))
		}
	case ErrorCode(err) == ENOTFOUND:
		return Reply{}, Errorf(ENOTFOUND, "%s", l.Msg(MsgSparringThisInvitationIsNot))
	case err != nil:
		return Reply{}, err
	}
	if !accept {
		// The asker hears that the invited collective cannot now, no reason.
		outbox := h.toCollective(ctx, inv.FromID, "uitnodiging-nee", func(tl Lang) (string, []Button) {
			return tl.Msg(MsgSparringCannotSparAboutRight, inv.ToName, inv.Theme, inv.Theme), nil
		})
		return Reply{Text: l.Msg(MsgSparringAllRightIWill, inv.FromName), Outbox: outbox}, nil
	}
	var outbox []Message
	if chats, err := h.Store.CollectiveChats(ctx, inv.FromID); err != nil {
		h.logger().Error("collective chats lookup failed", "kind", "introductie", "collective", inv.FromID, "err", err)
	} else {
		for i := range chats {
			text, ms := introduction(h.chatLang(&chats[i]), inv)
			outbox = append(outbox, Message{Chat: chats[i].Ref, Text: text, Mentions: ms, Kind: "introductie"})
		}
	}
	outbox = append(outbox, h.toStaff(ctx, "introductie", func(tl Lang) (string, []Button) {
		return tl.Msg(MsgSparringIntroductionAndSparAbout, inv.FromName, inv.ToName, inv.Theme), nil
	})...)
	text, ms := introduction(l, inv)
	return Reply{Text: text, Mentions: ms, Outbox: outbox}, nil
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
		return Reply{}, Errorf(ENOTFOUND, "%s", l.Msg(MsgSparringThisIntroductionIsNot))
	} else if err != nil {
		return Reply{}, err
	}
	if talked == TalkedYes {
		return Reply{Text: l.Msg(MsgSparringGreatThatYouTalked)}, nil
	}
	return Reply{Text: l.Msg(MsgSparringAllRightThanksPerhaps)}, nil
}

// CheckbackMessage asks one chat of an introduction, once, whether the two
// collectives spoke. The scheduler sends it CheckbackAfter the yes.
func (h *Handler) CheckbackMessage(inv *Invitation, chat Chat) Message {
	l := h.chatLang(&chat)
	other := inv.ToName
	if chat.CollectiveID == inv.ToID {
		other = inv.FromName
	}
	text := l.Msg(MsgSparringTwoWeeksAgoI, other, inv.Theme)
	id := strconv.FormatInt(inv.ID, 10)
	return Message{Chat: chat.Ref, Text: text, Kind: SendCheckback, Buttons: []Button{
		button(l.Msg(MsgSparringYes), cmdTalked, optHiddenID.Arg(id), optHiddenYesNo.Arg("ja")),
		button(l.Msg(MsgSparringNotYet), cmdTalked, optHiddenID.Arg(id), optHiddenYesNo.Arg("nee")),
	}}
}

// Options of the sparring commands.
var (
	optSparTheme    = TextOpt{Option{Name: "thema", NameEN: "theme", Desc: MsgDescOptSparTheme, Type: OptText, Required: true, MaxLen: 60}}
	optSparColl     = TextOpt{Option{Name: "collectief", NameEN: "collective", Desc: MsgDescOptSparColl, Type: OptText, Required: true, Autocomplete: true, MaxLen: 100}}
	optContactTheme = TextOpt{Option{Name: "thema", NameEN: "theme", Desc: MsgDescOptContactTheme, Type: OptText, Required: true, MaxLen: 60}}
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
	return "\n\n" + l.Msg(MsgSparringFigures,
		l.Count(MsgSparringInvitationsN, n.Invitations), l.Count(MsgSparringIntroductionsN, n.Introductions), l.Count(MsgSparringConversationsN, n.Conversations))
}
