package commands

// OverviewRenderer is an optional ability of a ChartRenderer: draw every
// collective's panel in one image for /overzicht, so staff compare them at a
// glance.
type OverviewRenderer interface {
	// Overview draws the panels, one per collective, in the order given,
	// its own words in l. note, when not "", says under the title which
	// collectives are shown and where the others are.
	Overview(l Lang, panels []CollectivePanel, note string) (*File, error)
}

// CollectivePanel is one collective's panel as the overview shows it.
type CollectivePanel struct {
	Name     string
	Elements []Element // as Store.Panel returns them
}
