package commands

import (
	"context"
	"fmt"
	"time"
)

// maxPause is how far ahead /pauze may reach; longer is rather a goodbye
// than a holiday, and then the programme team should know.
const maxPause = 366 * 24 * time.Hour

// checkin stores an answer to a check-in: the one the message replies to
// (where the platform passes on replies), else the collective's latest.
func (h *Handler) checkin(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	round, err := h.roundFor(ctx, c)
	if err != nil {
		return Reply{}, err
	}
	if err := h.Store.AddCheckinAnswer(ctx, c.EventID, round.ID, c.args.Text(optCheckinText), c.User); err != nil {
		return Reply{}, err
	}
	when := round.PostedAt
	if when.IsZero() {
		when = round.ScheduledAt
	}
	return Reply{Text: l.T(
		fmt.Sprintf("🙏 Dank je! Je antwoord op de check-in van %s is opgeslagen.", h.formatDate(l, when)),
		fmt.Sprintf("🙏 Thank you! Your answer to the check-in of %s is stored.", h.formatDate(l, when)))}, nil
}

// pause shows the pause, or pauses check-ins until a future date.
func (h *Handler) pause(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	coll, err := h.Store.Collective(ctx, c.chat.CollectiveID)
	if err != nil {
		return Reply{}, err
	}
	now := h.now().In(h.loc())
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, h.loc())
	paused := !coll.PausedUntil.IsZero() && coll.PausedUntil.After(now)
	if c.args.Word(optUntil) == "stop" {
		if !paused {
			return Reply{Text: l.T("Er is geen pauze; de check-ins lopen gewoon.", "There is no pause; check-ins are running.")}, nil
		}
		if err := h.Store.SetPause(ctx, c.EventID, coll.ID, time.Time{}, c.User); err != nil {
			return Reply{}, err
		}
		return Reply{Text: l.T("▶️ De pauze is voorbij: de volgende check-in komt weer volgens het schema. Welkom terug!",
			"▶️ The pause is over: the next check-in comes on schedule again. Welcome back!")}, nil
	}
	until, ok := c.args.Date(optUntil)
	if !ok {
		if paused {
			return Reply{Text: l.T(
				fmt.Sprintf("⏸️ De check-ins zijn gepauzeerd; vanaf %s komen ze weer. Eerder terug? Typ /pauze stop.", h.formatDate(l, coll.PausedUntil)),
				fmt.Sprintf("⏸️ Check-ins are paused; they resume on %s. Back earlier? Type /pause stop.", h.formatDate(l, coll.PausedUntil)))}, nil
		}
		return Reply{Text: l.T(
			"De check-ins lopen gewoon. Op vakantie? Pauzeer ze met /pauze JJJJ-MM-DD (de datum waarop ze weer beginnen).",
			"Check-ins are running. On holiday? Pause them with /pause YYYY-MM-DD (the date they start again).")}, nil
	}
	if !until.After(today) {
		return Reply{}, Errorf(EINVALID, "%s", l.T(
			fmt.Sprintf("De datum moet in de toekomst liggen (na vandaag, %s).", h.formatDate(l, today)),
			fmt.Sprintf("The date must be in the future (after today, %s).", h.formatDate(l, today))))
	}
	if until.Sub(today) > maxPause {
		return Reply{}, Errorf(EINVALID, "%s", l.T(
			"Pauzeren kan tot hooguit een jaar vooruit. Stoppen jullie langer? Laat het het programmateam weten.",
			"A pause can reach at most a year ahead. Stopping for longer? Let the programme team know."))
	}
	if err := h.Store.SetPause(ctx, c.EventID, coll.ID, until, c.User); err != nil {
		return Reply{}, err
	}
	return Reply{Text: l.T(
		fmt.Sprintf("⏸️ Check-ins gepauzeerd. Vanaf %s komen ze weer. Fijne tijd!", h.formatDate(l, until)),
		fmt.Sprintf("⏸️ Check-ins paused. They resume on %s. Have a good time!", h.formatDate(l, until)))}, nil
}
