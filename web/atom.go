package web

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// The public feed of shared lessons, in Atom (RFC 4287): a website or a
// newsletter embeds it. It names collectives, never people.

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Author     atomPerson     `xml:"author"`
	Link       atomLink       `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Content    atomText       `xml:"content"`
}

// feedEntries caps the feed; the page has the rest.
const feedEntries = 50

// feed is /openbaar/lessen.atom.
func (s *Server) feed(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	list, err := s.App.PublicLessons(r.Context(), "", feedEntries)
	if err != nil {
		s.failed(w, r, err)
		return
	}
	base := strings.TrimRight(s.BaseURL, "/")
	if base == "" {
		base = "http://" + r.Host
	}
	page := base + withLang(l, "/openbaar/lessen")
	f := atomFeed{
		Lang:   string(l),
		ID:     base + "/openbaar/lessen",
		Title:  t(l, "public.title"),
		Author: atomPerson{Name: t(l, "feed.author")},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + withLang(l, "/openbaar/lessen.atom")},
			{Rel: "alternate", Type: "text/html", Href: page},
		},
	}
	var newest time.Time
	for _, ls := range list {
		updated := lessonUpdated(&ls)
		if updated.After(newest) {
			newest = updated
		}
		e := atomEntry{
			ID:        fmt.Sprintf("%s/openbaar/lessen#L%d", base, ls.Number),
			Title:     fmt.Sprintf("L%d · %s", ls.Number, ls.CollectiveName),
			Updated:   updated.UTC().Format(time.RFC3339),
			Published: ls.CreatedAt.UTC().Format(time.RFC3339),
			Author:    atomPerson{Name: ls.CollectiveName},
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: fmt.Sprintf("%s#L%d", page, ls.Number)},
			Content:   atomText{Type: "text", Body: ls.Text},
		}
		for _, th := range ls.Themes {
			e.Categories = append(e.Categories, atomCategory{Term: th})
		}
		f.Entries = append(f.Entries, e)
	}
	if newest.IsZero() {
		// An empty feed still needs an updated: the programme's start of
		// time would lie, so the feed says "now".
		newest = s.now()
	}
	f.Updated = newest.UTC().Format(time.RFC3339)
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		s.failed(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write([]byte(xml.Header))
	w.Write(out)
}

// lessonUpdated is when a lesson last changed for the public: when it was
// shared, else when it was recorded.
func lessonUpdated(l *commands.Lesson) time.Time {
	if l.SharingAt.After(l.CreatedAt) {
		return l.SharingAt
	}
	return l.CreatedAt
}
