package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Exporter writes collectives' records as files: CSV tables and a Markdown
// case report per collective. Package export implements it; cmd/wijkbot sets
// it as Handler.Exporter, so the domain does not depend on the file formats.
type Exporter interface {
	// Export returns the files for the reports: of every collective when all
	// is true, else of the one collective named. now is the reports' date;
	// dates are written in loc.
	Export(reports []*CollectiveReport, all bool, now time.Time, loc *time.Location) ([]File, error)
}

// Export gathers the files of an export through x: the CSV tables (progress,
// help requests, their answers, slider history, check-in answers) over the
// collectives, and a Markdown case report per collective. name selects one
// collective (case- and accent-insensitively); "" exports all of them.
// Dates are written in loc, now is the date of the reports.
// Returns ENOTFOUND, in lang and with a suggestion, for an unknown name.
func Export(ctx context.Context, s ExportStore, x Exporter, name string, now time.Time, loc *time.Location, lang Lang) ([]File, error) {
	if loc == nil {
		loc = time.UTC
	}
	var ids []int64
	if name = strings.TrimSpace(name); name != "" {
		c, err := s.CollectiveByName(ctx, name)
		if ErrorCode(err) == ENOTFOUND {
			return nil, unknownCollective(ctx, s, lang, name)
		} else if err != nil {
			return nil, err
		}
		ids = []int64{c.ID}
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

	reports := make([]*CollectiveReport, 0, len(ids))
	for _, id := range ids {
		r, err := s.CollectiveReport(ctx, id)
		if err != nil {
			return nil, err
		}
		reports = append(reports, r)
	}
	return x.Export(reports, name == "", now, loc)
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

// export is /export [collectief]: the export's files as the reply.
func (h *Handler) export(ctx context.Context, c *call) (Reply, error) {
	s, ok := h.Store.(ExportStore)
	if !ok {
		return Reply{}, fmt.Errorf("export: store %T does not implement ExportStore", h.Store)
	}
	if h.Exporter == nil {
		return Reply{}, errors.New("export: Handler.Exporter is not set")
	}
	name := c.args.Text(optExportColl)
	files, err := Export(ctx, s, h.Exporter, name, h.now(), h.loc(), c.lang)
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
