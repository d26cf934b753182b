package commands

import "context"

// CollectiveReport is everything recorded about one collective, read in one
// snapshot, for exports and case reports.
type CollectiveReport struct {
	Collective     Collective
	Panel          []Element       // as Panel returns it
	Entries        []Entry         // oldest first
	Requests       []HelpRequest   // oldest first, with their answers
	SliderChanges  []SliderChange  // oldest first
	Rounds         []Round         // check-in rounds of any status, oldest first
	CheckinAnswers []CheckinAnswer // oldest first
	Lessons        []Lesson        // oldest first, shared or not
}

// ReportStore reads whole collectives for /export and `wijkbot export`.
// storage.DB implements it; the handler finds it on its Store with a type
// assertion, so Store itself stays as the core needs it.
type ReportStore interface {
	// CollectiveReport returns everything recorded about the collective.
	// Returns ENOTFOUND if the collective does not exist.
	CollectiveReport(ctx context.Context, collectiveID int64) (*CollectiveReport, error)
}

// ExportStore is what an export reads: the collectives and their reports.
type ExportStore interface {
	CollectiveStore
	ReportStore
}
