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
			return nil, Errorf(ENOTFOUND, "%s", lang.Msg(MsgExportNoCollectives))
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
	msg := lang.Msg(MsgExportUnknownCollective, name)
	if best := suggest(NormalizeName(name), names); best != "" {
		msg += lang.Msg(MsgExportDidYouMean, best)
	}
	if len(names) == 0 {
		msg += lang.Msg(MsgExportNoneYet)
	} else {
		msg += lang.Msg(MsgExportSeeCollectives)
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
		text = c.lang.Msg(MsgExportOne)
	} else {
		text = c.lang.Msg(MsgExportAll, c.lang.Count(MsgDraftReportsN, reports))
	}
	text += c.lang.Msg(MsgExportPersonalWarning)
	return Reply{Text: text, Files: files}, nil
}
