package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/wijkbv/wijkbot/export"
)

// ExportAll is the file prefix of an export of every collective.
const ExportAll = "alle-collectieven"

// Export gathers the files of an export: the CSV tables (progress, help
// requests, their answers, slider history, check-in answers) over the
// collectives, and a Markdown case report per collective. name selects one
// collective (case- and accent-insensitively); "" exports all of them.
// Dates are written in loc, now is the date of the reports.
// Returns ENOTFOUND, in lang and with a suggestion, for an unknown name.
func Export(ctx context.Context, s ExportStore, name string, now time.Time, loc *time.Location, lang Lang) ([]File, error) {
	if loc == nil {
		loc = time.UTC
	}
	var ids []int64
	prefix := ExportAll
	if name = strings.TrimSpace(name); name != "" {
		c, err := s.CollectiveByName(ctx, name)
		if ErrorCode(err) == ENOTFOUND {
			return nil, unknownCollective(ctx, s, lang, name)
		} else if err != nil {
			return nil, err
		}
		ids, prefix = []int64{c.ID}, export.Slug(c.Name)
	} else {
		all, err := s.Collectives(ctx)
		if err != nil {
			return nil, err
		}
		if len(all) == 0 {
			return nil, Errorf(ENOTFOUND, "%s", lang.T(
				"Er zijn nog geen collectieven om te exporteren. Maak er een met /collectief <naam>.",
				"There are no collectives to export yet. Create one with /collective <name>."))
		}
		for _, c := range all {
			ids = append(ids, c.ID)
		}
	}

	data := make([]export.Collective, 0, len(ids))
	for _, id := range ids {
		r, err := s.CollectiveReport(ctx, id)
		if err != nil {
			return nil, err
		}
		data = append(data, exportData(r))
	}
	csvs, err := export.CSV(prefix, data, loc)
	if err != nil {
		return nil, err
	}
	files := make([]File, 0, len(csvs)+len(data))
	for _, f := range csvs {
		files = append(files, File{Name: f.Name, ContentType: f.ContentType, Data: f.Data})
	}
	for _, c := range data {
		f := export.Report(c, now, loc)
		files = append(files, File{Name: f.Name, ContentType: f.ContentType, Data: f.Data})
	}
	return files, nil
}

// unknownCollective explains that no collective has the name, suggesting
// the nearest one.
func unknownCollective(ctx context.Context, s CollectiveStore, lang Lang, name string) error {
	all, err := s.Collectives(ctx)
	if err != nil {
		return err
	}
	names := make([]string, len(all))
	for i, c := range all {
		names[i] = c.Name
	}
	msg := lang.T(fmt.Sprintf("Er is geen collectief %q.", name), fmt.Sprintf("There is no collective %q.", name))
	if best := suggest(NormalizeName(name), names); best != "" {
		msg += lang.T(fmt.Sprintf(" Bedoel je %q?", best), fmt.Sprintf(" Did you mean %q?", best))
	}
	if len(names) == 0 {
		msg += lang.T(" Er zijn nog geen collectieven.", " There are no collectives yet.")
	} else {
		msg += lang.T(" /collectieven toont alle namen.", " /collectives lists every name.")
	}
	return Errorf(ENOTFOUND, "%s", msg)
}

// exportData converts a collective's records to the export package's plain
// data.
func exportData(r *CollectiveReport) export.Collective {
	c := export.Collective{Name: r.Collective.Name, CreatedAt: r.Collective.CreatedAt}
	for _, e := range r.Panel {
		c.Panel = append(c.Panel, export.Element{Name: e.Name, Description: e.Description, Value: e.Value, Set: e.IsSet})
	}
	for _, e := range r.Entries {
		c.Entries = append(c.Entries, export.Entry{At: e.CreatedAt, Text: e.Text, Themes: e.Themes,
			Milestone: e.Milestone, Author: e.Author, Source: e.Source})
	}
	for _, q := range r.Requests {
		x := export.Request{Number: q.Number, Expertise: q.Expertise, Question: q.Question, Status: q.Status,
			AskedBy: q.AskedBy, ClaimedBy: q.ClaimedBy, Feedback: q.Feedback, CreatedAt: q.CreatedAt,
			ClaimedAt: q.ClaimedAt, AnsweredAt: q.AnsweredAt, ResolvedAt: q.ResolvedAt}
		for _, a := range q.Answers {
			x.Answers = append(x.Answers, export.Answer{At: a.CreatedAt, Author: a.Author, Text: a.Text})
		}
		c.Requests = append(c.Requests, x)
	}
	for _, s := range r.SliderChanges {
		c.Sliders = append(c.Sliders, export.SliderChange{At: s.At, Element: s.ElementName, Value: s.Value,
			Previous: s.Previous, HadPrevious: s.HadPrevious, Who: s.Who, Why: s.Why})
	}
	rounds := make(map[int64]time.Time, len(r.Rounds))
	for _, rd := range r.Rounds {
		rounds[rd.ID] = rd.ScheduledAt
	}
	for _, a := range r.CheckinAnswers {
		c.Checkins = append(c.Checkins, export.CheckinAnswer{Round: rounds[a.RoundID], At: a.CreatedAt, Author: a.Author, Text: a.Text})
	}
	return c
}

// export is /export [collectief]: the export's files as the reply.
func (h *Handler) export(ctx context.Context, c *call) (Reply, error) {
	s, ok := h.Store.(ExportStore)
	if !ok {
		return Reply{}, fmt.Errorf("export: store %T does not implement ExportStore", h.Store)
	}
	name := c.args.text["collectief"]
	files, err := Export(ctx, s, name, h.now(), h.loc(), c.lang)
	if err != nil {
		return Reply{}, err
	}
	reports := 0
	for _, f := range files {
		if strings.HasSuffix(f.Name, ".md") {
			reports++
		}
	}
	var text string
	if name != "" {
		text = c.lang.T(
			"Export van dit collectief: CSV-bestanden (voortgang, hulpvragen, antwoorden, schuifgeschiedenis, check-ins) en een concept-casusbeschrijving in Markdown.",
			"Export of this collective: CSV files (progress, help requests, answers, slider history, check-ins) and a draft case report in Markdown.")
	} else {
		text = c.lang.T(
			fmt.Sprintf("Export van alle collectieven: CSV-bestanden (voortgang, hulpvragen, antwoorden, schuifgeschiedenis, check-ins) en %s in Markdown.", plural(reports, "concept-casusbeschrijving", "concept-casusbeschrijvingen")),
			fmt.Sprintf("Export of all collectives: CSV files (progress, help requests, answers, slider history, check-ins) and %s in Markdown.", plural(reports, "draft case report", "draft case reports")))
	}
	text += c.lang.T(" De bestanden bevatten namen van deelnemers: deel ze niet buiten het team.",
		" The files contain participants' names: do not share them outside the team.")
	return Reply{Text: text, Files: files}, nil
}
