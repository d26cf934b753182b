package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The personal-data file speaks Dutch like the bot: it is read by the
// person it is about, not by a program.
//
// Each personal column of storage.Personal names the field that shows it
// here ("section.field"); a storage test puts a marker in every such column
// and finds it in this file.
type (
	dataFile struct {
		Toelichting     string           `json:"toelichting"`
		Opgevraagd      time.Time        `json:"opgevraagd"`
		Platform        string           `json:"platform"`
		GebruikerID     string           `json:"gebruiker_id"`
		Naam            string           `json:"naam"`
		BekendSinds     *time.Time       `json:"bekend_sinds"`
		NaamBijgewerkt  *time.Time       `json:"naam_bijgewerkt"`
		Privechat       *dataChat        `json:"privechat"`
		Voortgang       []dataEntry      `json:"voortgang"`
		Hulpvragen      []dataRequest    `json:"hulpvragen"`
		Opgepakt        []dataClaim      `json:"opgepakte_hulpvragen"`
		Antwoorden      []dataAnswer     `json:"antwoorden"`
		Schuifwijziging []dataSlider     `json:"schuifwijzigingen"`
		CheckinAntwoord []dataCheckinAns `json:"checkin_antwoorden"`
		Expert          *dataExpert      `json:"expert"`
		Uitgenodigd     []dataInvited    `json:"uitgenodigde_experts"`
		Lessen          []dataLesson     `json:"lessen"`
		Sparverzoeken   []dataSpar       `json:"sparverzoeken"`
		Sparantwoorden  []dataSpar       `json:"sparantwoorden"`
		Bijeenkomsten   []dataMeeting    `json:"bijeenkomsten"`
		Aanmeldingen    []dataRSVP       `json:"aanmeldingen"`
	}
	dataLesson struct {
		Nummer     string    `json:"nummer"`
		Collectief string    `json:"collectief"`
		Tekst      string    `json:"tekst"`
		Themas     []string  `json:"themas"`
		Gedeeld    string    `json:"gedeeld"`
		Naam       string    `json:"naam"`
		Tijdstip   time.Time `json:"tijdstip"`
	}
	// dataSpar is a sparring invitation the person made or answered.
	dataSpar struct {
		Van      string    `json:"van"`
		Aan      string    `json:"aan"`
		Thema    string    `json:"thema"`
		Status   string    `json:"status"`
		Naam     string    `json:"naam"`
		Contact  string    `json:"contact"`
		Tijdstip time.Time `json:"tijdstip"`
	}
	dataMeeting struct {
		Nummer string    `json:"nummer"`
		Titel  string    `json:"titel"`
		Naam   string    `json:"naam"`
		Start  time.Time `json:"begint"`
	}
	dataRSVP struct {
		Bijeenkomst string    `json:"bijeenkomst"`
		Collectief  string    `json:"collectief"`
		Naam        string    `json:"naam"`
		Antwoord    string    `json:"antwoord"`
		Tijdstip    time.Time `json:"tijdstip"`
	}
	// dataExpert is the person's role as an expert of the network.
	dataExpert struct {
		Naam       string     `json:"naam"`
		Expertises []string   `json:"expertises"`
		Platform   string     `json:"platform"`
		Chat       string     `json:"chat"`
		Actief     bool       `json:"actief"`
		AfwezigTot *time.Time `json:"afwezig_tot"`
		Sinds      *time.Time `json:"sinds"`
		Gestopt    *time.Time `json:"gestopt"`
		Aangeboden []int64    `json:"aangeboden_hulpvragen"`
		Beantwoord []int64    `json:"beantwoorde_hulpvragen"`
	}
	// dataInvited is an expert the person invited as staff.
	dataInvited struct {
		Expert   string    `json:"expert"`
		Naam     string    `json:"naam"`
		Tijdstip time.Time `json:"tijdstip"`
	}
	// dataChat is the person's own chat with the bot, as stored.
	dataChat struct {
		Chat  string `json:"chat"`
		Titel string `json:"titel"`
		Taal  string `json:"taal"`
	}
	dataEntry struct {
		Tekst    string    `json:"tekst"`
		Themas   []string  `json:"themas"`
		Mijlpaal bool      `json:"mijlpaal"`
		Bron     string    `json:"bron"`
		Naam     string    `json:"naam"`
		Tijdstip time.Time `json:"tijdstip"`
	}
	dataRequest struct {
		Nummer     int64     `json:"nummer"`
		Collectief string    `json:"collectief"`
		Expertise  string    `json:"expertise"`
		Vraag      string    `json:"vraag"`
		Status     string    `json:"status"`
		Naam       string    `json:"naam"`
		Tijdstip   time.Time `json:"tijdstip"`
	}
	// dataClaim is a help request the person took as staff.
	dataClaim struct {
		Nummer     int64      `json:"nummer"`
		Collectief string     `json:"collectief"`
		Expertise  string     `json:"expertise"`
		Status     string     `json:"status"`
		Naam       string     `json:"naam"`
		Opgepakt   *time.Time `json:"opgepakt_op"`
	}
	dataAnswer struct {
		Hulpvraag  int64     `json:"hulpvraag"`
		Collectief string    `json:"collectief"`
		Tekst      string    `json:"tekst"`
		Naam       string    `json:"naam"`
		Tijdstip   time.Time `json:"tijdstip"`
	}
	dataSlider struct {
		Element     string    `json:"element"`
		Waarde      int       `json:"waarde"`
		Vorige      *int      `json:"vorige_waarde"`
		Toelichting string    `json:"toelichting"`
		Naam        string    `json:"naam"`
		Tijdstip    time.Time `json:"tijdstip"`
	}
	dataCheckinAns struct {
		Ronde    int64     `json:"checkin_ronde"`
		Tekst    string    `json:"tekst"`
		Naam     string    `json:"naam"`
		Tijdstip time.Time `json:"tijdstip"`
	}
)

// timeOrNil is t in loc, or nil when t is zero (shown as null).
func timeOrNil(t time.Time, loc *time.Location) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.In(loc)
	return &t
}

// myData sends everything stored about the user as a JSON file (AVG inzage).
func (h *Handler) myData(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	if !c.Private {
		// A reply that is not private (a group chat) reaches everyone in
		// it, and so would the file.
		return Reply{}, Errorf(EFORBIDDEN, "%s", l.Msg(MsgMyDataPrivateOnly))
	}
	pd, err := h.Store.PersonalData(ctx, c.User)
	if err != nil {
		return Reply{}, err
	}
	loc := h.loc()
	f := dataFile{
		Toelichting: "Alles wat wijkbot over je heeft opgeslagen. Wissen kan met /vergeetmij.",
		Opgevraagd:  h.now().In(loc),
		Platform:    pd.Platform, GebruikerID: pd.UserID, Naam: pd.Name,
		BekendSinds: timeOrNil(pd.KnownSince, loc), NaamBijgewerkt: timeOrNil(pd.NameUpdated, loc),
		Voortgang: []dataEntry{}, Hulpvragen: []dataRequest{}, Opgepakt: []dataClaim{}, Antwoorden: []dataAnswer{},
		Schuifwijziging: []dataSlider{}, CheckinAntwoord: []dataCheckinAns{},
	}
	if pc := pd.PrivateChat; pc != nil {
		f.Privechat = &dataChat{Chat: pc.Ref.ID, Titel: pc.Title, Taal: string(pc.Lang)}
	}
	for _, e := range pd.Entries {
		themes := e.Themes
		if themes == nil {
			themes = []string{}
		}
		f.Voortgang = append(f.Voortgang, dataEntry{Tekst: e.Text, Themas: themes, Mijlpaal: e.Milestone, Bron: e.Source, Naam: e.Author, Tijdstip: e.CreatedAt.In(loc)})
	}
	for _, r := range pd.HelpRequests {
		f.Hulpvragen = append(f.Hulpvragen, dataRequest{Nummer: r.Number, Collectief: r.CollectiveName, Expertise: r.Expertise,
			Vraag: r.Question, Status: statusText(NL, &r), Naam: r.AskedBy, Tijdstip: r.CreatedAt.In(loc)})
	}
	for _, r := range pd.Claimed {
		f.Opgepakt = append(f.Opgepakt, dataClaim{Nummer: r.Number, Collectief: r.CollectiveName, Expertise: r.Expertise,
			Status: statusText(NL, &r), Naam: r.ClaimedBy, Opgepakt: timeOrNil(r.ClaimedAt, loc)})
	}
	for _, a := range pd.Answers {
		f.Antwoorden = append(f.Antwoorden, dataAnswer{Hulpvraag: a.Number, Collectief: a.CollectiveName,
			Tekst: a.Text, Naam: a.Author, Tijdstip: a.CreatedAt.In(loc)})
	}
	for _, s := range pd.SliderChanges {
		d := dataSlider{Element: s.ElementName, Waarde: s.Value, Toelichting: s.Why, Naam: s.Who, Tijdstip: s.At.In(loc)}
		if s.HadPrevious {
			prev := s.Previous
			d.Vorige = &prev
		}
		f.Schuifwijziging = append(f.Schuifwijziging, d)
	}
	for _, a := range pd.CheckinAnswers {
		f.CheckinAntwoord = append(f.CheckinAntwoord, dataCheckinAns{Ronde: a.RoundID, Tekst: a.Text, Naam: a.Author, Tijdstip: a.CreatedAt.In(loc)})
	}
	f.Uitgenodigd = []dataInvited{}
	for _, x := range pd.InvitedExperts {
		f.Uitgenodigd = append(f.Uitgenodigd, dataInvited{Expert: x.Expert, Naam: x.By, Tijdstip: x.At.In(loc)})
	}
	f.Lessen = []dataLesson{}
	for _, x := range pd.Lessons {
		themes := x.Themes
		if themes == nil {
			themes = []string{}
		}
		f.Lessen = append(f.Lessen, dataLesson{Nummer: fmt.Sprintf("L%d", x.Number), Collectief: x.CollectiveName,
			Tekst: x.Text, Themas: themes, Gedeeld: x.Sharing, Naam: x.Author, Tijdstip: x.CreatedAt.In(loc)})
	}
	f.Sparverzoeken, f.Sparantwoorden = []dataSpar{}, []dataSpar{}
	for _, v := range pd.SparAsked {
		f.Sparverzoeken = append(f.Sparverzoeken, dataSpar{Van: v.FromName, Aan: v.ToName, Thema: v.Theme, Status: v.Status,
			Naam: v.AskedBy, Contact: v.AskedByContact, Tijdstip: v.CreatedAt.In(loc)})
	}
	for _, v := range pd.SparAnswered {
		f.Sparantwoorden = append(f.Sparantwoorden, dataSpar{Van: v.FromName, Aan: v.ToName, Thema: v.Theme, Status: v.Status,
			Naam: v.AnsweredBy, Contact: v.AnsweredByContact, Tijdstip: v.AnsweredAt.In(loc)})
	}
	f.Bijeenkomsten, f.Aanmeldingen = []dataMeeting{}, []dataRSVP{}
	for _, m := range pd.Meetings {
		f.Bijeenkomsten = append(f.Bijeenkomsten, dataMeeting{Nummer: fmt.Sprintf("B%d", m.Number), Titel: m.Title,
			Naam: m.CreatedBy, Start: m.StartsAt.In(loc)})
	}
	for _, r := range pd.RSVPs {
		f.Aanmeldingen = append(f.Aanmeldingen, dataRSVP{Bijeenkomst: fmt.Sprintf("B%d", r.Meeting), Collectief: r.CollectiveName,
			Naam: r.Name, Antwoord: r.Answer, Tijdstip: r.UpdatedAt.In(loc)})
	}
	ed, err := h.Store.ExpertData(ctx, c.User)
	if err != nil {
		return Reply{}, err
	}
	if ed != nil {
		e := ed.Expert
		d := &dataExpert{Naam: e.Name, Expertises: e.Expertises, Platform: e.Chat.Platform, Chat: e.Chat.ID, Actief: e.Active,
			AfwezigTot: timeOrNil(e.AwayUntil, loc), Sinds: timeOrNil(e.JoinedAt, loc), Gestopt: timeOrNil(e.EndedAt, loc),
			Aangeboden: []int64{}, Beantwoord: ed.Answered}
		for _, o := range ed.Offers {
			d.Aangeboden = append(d.Aangeboden, o.Request.Number)
		}
		if d.Beantwoord == nil {
			d.Beantwoord = []int64{}
		}
		f.Expert = d
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return Reply{}, fmt.Errorf("personal data json: %w", err)
	}
	total := len(f.Voortgang) + len(f.Hulpvragen) + len(f.Opgepakt) + len(f.Antwoorden) + len(f.Schuifwijziging) + len(f.CheckinAntwoord) +
		len(f.Uitgenodigd) + len(f.Lessen) + len(f.Sparverzoeken) + len(f.Sparantwoorden) + len(f.Bijeenkomsten) + len(f.Aanmeldingen)
	return Reply{
		Text:      l.Msg(MsgMyData, total),
		Files:     []File{{Name: "mijngegevens.json", ContentType: "application/json", Data: append(data, '\n')}},
		Ephemeral: true, // personal: only for the asker where the platform can
	}, nil
}

// forgetMe erases the user's personal data after an explicit "ja".
func (h *Handler) forgetMe(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	if c.User.Anonymous {
		// Whoever posts anonymously speaks for the group: what is stored
		// under that identity is the group's, and an admin of it could
		// otherwise erase the group's record (or, before identities were
		// per group, another group's).
		return Reply{}, Errorf(EFORBIDDEN, "%s", l.Msg(MsgPrivacyYouAreWritingAs))
	}
	switch answer := strings.ToLower(c.args.Text(optConfirm)); answer {
	case "ja", "yes":
		if err := h.Store.ForgetPerson(ctx, c.EventID, c.User); err != nil {
			return Reply{}, err
		}
		h.logger().Info("person forgotten", "platform", c.User.Platform)
		return Reply{Text: l.Msg(MsgForgetDone),
			Ephemeral: true}, nil
	case "nee", "no":
		return Reply{Text: l.Msg(MsgForgetCancelled), Ephemeral: true}, nil
	case "":
		return Reply{
			Text:      l.Msg(MsgForgetConfirm),
			Buttons:   []Button{button(l.Msg(MsgButtonForget), CmdForget, optConfirm.Arg("ja"))},
			Ephemeral: true,
		}, nil
	default:
		return Reply{}, Errorf(EINVALID, "%s", l.Msg(MsgForgetUnknownAnswer, clip(answer, 20)))
	}
}
