package web

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// TestTexts: every text a template asks for is a catalogue message with a
// text in every language (Dutch and English), and every text in the table
// is used (a renamed key would otherwise print "?key" on a page). The
// catalogue's own test (commands TestCatalogueComplete) checks the texts
// themselves as it checks the chat's: the same placeholders everywhere.
func TestTexts(t *testing.T) {
	used := map[string]bool{}
	direct := regexp.MustCompile(`\btn? \S+ "([a-z.]+)"`)
	// Keys built with printf in the templates, with every value they take.
	built := map[string][]string{
		"sla.%s":  {commands.SLAOK, commands.SLAUnclaimed, commands.SLAUnanswered},
		"rsvp.%s": {commands.RSVPYes, commands.RSVPMaybe, commands.RSVPNo},
	}
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(templateFS, path)
		if err != nil {
			return err
		}
		for _, m := range direct.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
		}
		for pattern, values := range built {
			if strings.Contains(string(src), `"`+pattern+`"`) {
				for _, v := range values {
					used[strings.Replace(pattern, "%s", v, 1)] = true
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Keys the Go code uses.
	for _, k := range []string{"login.title", "login.slow", "login.refused", "forbidden.title", "forbidden.text",
		"notfound.title", "notfound.text", "error.title", "error.text", "nav.overview", "nav.queue", "nav.lessons",
		"nav.meetings", "queue.duplicate", "queue.stale", "public.title", "feed.author", "unknown", "erased",
		"status.claimed", "status.open", "status.answered", "status.resolved"} {
		used[k] = true
	}
	langs := commands.Languages()
	if !slices.Contains(langs, commands.NL) || !slices.Contains(langs, commands.EN) {
		t.Fatalf("the catalogue has %v, want Dutch and English", langs)
	}
	for k := range used {
		id, ok := texts[k]
		if !ok {
			t.Errorf("text %q is used but not in texts", k)
			continue
		}
		for _, l := range langs {
			if l.Msg(id) == "" {
				t.Errorf("text %q has no %s text", k, l)
			}
		}
	}
	for k := range texts {
		if !used[k] {
			t.Errorf("text %q is in texts but no template or handler uses it", k)
		}
	}
}
