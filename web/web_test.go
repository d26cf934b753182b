package web_test

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// staffPaths are the pages only staff may see.
var staffPaths = []string{"/", "/collectief/1", "/hulpvragen", "/lessen", "/lessen?zoek=woningcorporatie", "/bijeenkomsten", "/?lang=en"}

// collectiveData are texts of the seeded collective that only staff may read.
var collectiveData = []string{"Bewonersbedrijf Noord", "erfpacht", "buurthuis", "Goede week", "penningmeester", "Ana", "eigenaarschap"}

func TestNoSessionNoCollectiveData(t *testing.T) {
	e := newEnv(t)
	e.seed()
	c := e.client()
	// A made-up cookie is no session either.
	u, _ := url.Parse(e.srv.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "wijkbot", Value: strings.Repeat("A", 43)}})
	for _, path := range staffPaths {
		res := e.get(c, path)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/inloggen") {
			t.Errorf("GET %s: status %d, Location %q; want 303 to /inloggen", path, res.StatusCode, res.Header.Get("Location"))
		}
		for _, s := range collectiveData {
			if strings.Contains(res.Body, s) {
				t.Errorf("GET %s without session shows %q", path, s)
			}
		}
	}
	howto := e.get(c, "/inloggen")
	if howto.StatusCode != http.StatusOK || !strings.Contains(howto.Body, "/dashboard") {
		t.Errorf("/inloggen: status %d, does not say how to log in:\n%s", howto.StatusCode, howto.Body)
	}
	for _, s := range collectiveData {
		if strings.Contains(howto.Body, s) {
			t.Errorf("/inloggen shows %q", s)
		}
	}
	before := e.dump()
	for _, path := range []string{"/hulpvragen/1/antwoord", "/hulpvragen/1/afronden", "/uitloggen"} {
		res := e.post(c, path, url.Values{"tekst": {"hoi"}, "csrf": {"x"}, "event": {"AAAAAAAAAAAAAAAAAAAAAA"}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s without session: status %d, want 403", path, res.StatusCode)
		}
	}
	if after := e.dump(); after != before {
		t.Errorf("POSTs without a session changed the database")
	}
}

func TestLoginLink(t *testing.T) {
	e := newEnv(t)
	e.seed()

	t.Run("preview does not use it, confirming does, once", func(t *testing.T) {
		link := e.loginLink(staffUser)
		if !strings.HasPrefix(link, e.srv.URL+"/login/") {
			t.Fatalf("link %q not under WIJKBOT_WEB_URL", link)
		}
		preview := e.client()
		for range 2 {
			res := e.get(preview, link)
			if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `method="post"`) {
				t.Fatalf("GET link: status %d, no confirm form", res.StatusCode)
			}
			if len(res.Cookies()) != 0 {
				t.Fatalf("GET link set a cookie: %v", res.Cookies())
			}
		}
		c := e.client()
		res := e.post(c, link, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST link: status %d", res.StatusCode)
		}
		cookies := res.Cookies()
		if len(cookies) != 1 {
			t.Fatalf("cookies %v", cookies)
		}
		ck := cookies[0]
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.MaxAge != int((12*time.Hour).Seconds()) || ck.Path != "/" {
			t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, 12 h, path /", ck)
		}
		if ck.Secure {
			t.Errorf("cookie Secure on http")
		}
		if page := e.get(c, "/"); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Bewonersbedrijf Noord") {
			t.Fatalf("overview after login: status %d", page.StatusCode)
		}
		// Used twice: refused, and no session for the second browser.
		other := e.client()
		if res := e.post(other, link, nil); res.StatusCode != http.StatusForbidden || len(res.Cookies()) != 0 {
			t.Errorf("second use: status %d, cookies %v; want 403 and none", res.StatusCode, res.Cookies())
		}
		if res := e.get(other, "/"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("second browser got status %d on /", res.StatusCode)
		}
	})

	t.Run("expired", func(t *testing.T) {
		link := e.loginLink(staffUser)
		e.clock.Advance(15*time.Minute + time.Second)
		c := e.client()
		if res := e.post(c, link, nil); res.StatusCode != http.StatusForbidden || len(res.Cookies()) != 0 {
			t.Errorf("expired link: status %d, cookies %v", res.StatusCode, res.Cookies())
		}
	})

	t.Run("just before expiry", func(t *testing.T) {
		link := e.loginLink(staffUser)
		e.clock.Advance(15*time.Minute - time.Second)
		if res := e.post(e.client(), link, nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("link at 14:59: status %d", res.StatusCode)
		}
	})

	t.Run("outside the staff chat", func(t *testing.T) {
		reply := e.do(groupChat, resident, "dashboard", nil)
		if reply.Code != commands.EFORBIDDEN || strings.Contains(reply.Text, "/login/") {
			t.Errorf("/dashboard in a collective's chat: code %q, text %q", reply.Code, reply.Text)
		}
		private := commands.ChatRef{Platform: commands.Telegram, ID: resident.ID}
		reply = e.do(private, resident, "dashboard", nil)
		if reply.Code != commands.EFORBIDDEN || strings.Contains(reply.Text, "/login/") {
			t.Errorf("/dashboard in a private chat: code %q, text %q", reply.Code, reply.Text)
		}
	})

	t.Run("malformed and unknown tokens", func(t *testing.T) {
		c := e.client()
		for _, tok := range []string{"abc", strings.Repeat("A", 43), "..%2F..%2Fetc"} {
			if res := e.post(c, "/login/"+tok, nil); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
				t.Errorf("token %q: status %d", tok, res.StatusCode)
			}
		}
	})

	t.Run("session ends after 12 hours", func(t *testing.T) {
		c := e.client()
		e.login(c, staffUser)
		e.clock.Advance(12*time.Hour - time.Minute)
		if res := e.get(c, "/"); res.StatusCode != http.StatusOK {
			t.Fatalf("after 11:59: status %d", res.StatusCode)
		}
		e.clock.Advance(2 * time.Minute)
		if res := e.get(c, "/"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("after 12:01: status %d, want 303", res.StatusCode)
		}
	})
}

func TestLoginRateLimited(t *testing.T) {
	e := newEnv(t)
	e.seed()
	c := e.client()
	limited := false
	for i := range 30 {
		res := e.post(c, "/login/"+strings.Repeat("B", 43), nil)
		if res.StatusCode == http.StatusTooManyRequests {
			limited = true
			if i < 5 {
				t.Errorf("limited after %d attempts", i)
			}
			break
		}
	}
	if !limited {
		t.Fatal("30 login attempts in a row were never limited")
	}
	// Time passing lets one in again.
	e.clock.Advance(time.Minute)
	if res := e.post(c, e.loginLink(staffUser), nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("login after a minute: status %d", res.StatusCode)
	}
}

func TestEndSessions(t *testing.T) {
	e := newEnv(t)
	e.seed()
	for _, tc := range []struct {
		name string
		end  func(c *http.Client)
	}{
		{"dashboard uit", func(*http.Client) {
			if r := e.do(staffChat, staffUser, "dashboard", map[string]string{"uit": "uit"}); r.Code != "" || !strings.Contains(r.Text, "2 sessies") {
				t.Errorf("/dashboard uit: %q", r.Text)
			}
		}},
		{"vergeetmij", func(*http.Client) {
			if r := e.do(staffChat, staffUser, "vergeetmij", map[string]string{"bevestig": "ja"}); r.Code != "" {
				t.Errorf("/vergeetmij ja: %q", r.Text)
			}
		}},
		{"logout", func(c *http.Client) {
			page := e.get(c, "/")
			if res := e.post(c, "/uitloggen", formValues(t, page.Body, "/uitloggen")); res.StatusCode != http.StatusSeeOther {
				t.Errorf("logout: status %d", res.StatusCode)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := e.client(), e.client()
			e.login(a, staffUser)
			e.login(b, staffUser)
			piet := e.client()
			e.login(piet, otherStaff)
			tc.end(a)
			if res := e.get(a, "/"); res.StatusCode != http.StatusSeeOther {
				t.Errorf("session a: status %d after %s", res.StatusCode, tc.name)
			}
			if tc.name != "logout" {
				if res := e.get(b, "/"); res.StatusCode != http.StatusSeeOther {
					t.Errorf("session b: status %d after %s", res.StatusCode, tc.name)
				}
			}
			if res := e.get(piet, "/"); res.StatusCode != http.StatusOK {
				t.Errorf("another person's session: status %d after %s", res.StatusCode, tc.name)
			}
		})
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	e.seed()
	c := e.client()
	e.login(c, staffUser)
	page := e.get(c, "/hulpvragen")
	good := formValues(t, page.Body, "/hulpvragen/1/antwoord")
	if good.Get("csrf") == "" || good.Get("event") == "" {
		t.Fatalf("answer form lacks csrf or event: %v", good)
	}
	otherToken := otherCSRF(t, e)
	before := e.dump()
	sentBefore := len(e.sent.to(groupChat.ID))
	for _, tc := range []struct {
		name   string
		form   url.Values
		header http.Header
	}{
		{"no token", url.Values{"tekst": {"kaap"}, "event": {good.Get("event")}}, nil},
		{"wrong token", url.Values{"tekst": {"kaap"}, "event": {good.Get("event")}, "csrf": {strings.Repeat("x", 43)}}, nil},
		{"another session's token", url.Values{"tekst": {"kaap"}, "event": {good.Get("event")}, "csrf": {otherToken}}, nil},
		{"cross-site with the right token", url.Values{"tekst": {"kaap"}, "event": {good.Get("event")}, "csrf": {good.Get("csrf")}},
			http.Header{"Sec-Fetch-Site": {"cross-site"}}},
		{"other origin with the right token", url.Values{"tekst": {"kaap"}, "event": {good.Get("event")}, "csrf": {good.Get("csrf")}},
			http.Header{"Origin": {"https://evil.example"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{"/hulpvragen/1/antwoord", "/hulpvragen/1/afronden", "/hulpvragen/1/oppakken"} {
				res := e.send(c, http.MethodPost, path, tc.form, tc.header)
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("POST %s: status %d, want 403", path, res.StatusCode)
				}
			}
		})
	}
	e.runtime.Wait()
	if after := e.dump(); after != before {
		t.Errorf("refused POSTs changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if n := len(e.sent.to(groupChat.ID)); n != sentBefore {
		t.Errorf("refused POSTs sent %d messages to the collective", n-sentBefore)
	}
	// GET never changes anything.
	if res := e.get(c, "/hulpvragen/1/afronden"); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET of an action: status %d", res.StatusCode)
	}
}

// otherCSRF is the CSRF token of another person's session.
func otherCSRF(t *testing.T, e *env) string {
	c := e.client()
	e.login(c, otherStaff)
	return formValues(t, e.get(c, "/hulpvragen").Body, "/hulpvragen/1/antwoord").Get("csrf")
}

func TestAnswerFromQueue(t *testing.T) {
	e := newEnv(t)
	e.seed()
	c := e.client()
	e.login(c, staffUser)
	page := e.get(c, "/hulpvragen")
	for _, want := range []string{"#1", "Bewonersbedrijf Noord", "juridisch", "erfpacht", "op tijd"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("queue lacks %q", want)
		}
	}
	form := formValues(t, page.Body, "/hulpvragen/1/antwoord")
	form.Set("tekst", "Bel het Juridisch Loket <b>gratis</b>")
	res := e.post(c, "/hulpvragen/1/antwoord", form)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "is naar Bewonersbedrijf Noord gestuurd") {
		t.Fatalf("answer: status %d\n%s", res.StatusCode, res.Body)
	}
	e.runtime.Wait()
	got := e.sent.to(groupChat.ID)
	if len(got) == 0 || !strings.Contains(got[len(got)-1], "Bel het Juridisch Loket <b>gratis</b>") || !strings.Contains(got[len(got)-1], "#1") {
		t.Fatalf("collective's chat got %q", got)
	}
	n := len(got)
	// Sending the same form again (a reload) does nothing twice.
	if res := e.post(c, "/hulpvragen/1/antwoord", form); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "al verstuurd") {
		t.Errorf("resent form: status %d", res.StatusCode)
	}
	e.runtime.Wait()
	if len(e.sent.to(groupChat.ID)) != n {
		t.Errorf("resent form delivered again")
	}
	r, err := e.db.Request(t.Context(), 1)
	if err != nil || len(r.Answers) != 1 || r.Answers[0].Author != staffUser.Name || r.Status != commands.StatusAnswered {
		t.Fatalf("request after answer: %+v, %v", r, err)
	}
	// The page escapes the answer it shows.
	page = e.get(c, "/hulpvragen")
	if strings.Contains(page.Body, "<b>gratis</b>") || !strings.Contains(page.Body, "&lt;b&gt;gratis&lt;/b&gt;") {
		t.Errorf("answer not escaped on the queue page")
	}
	// Resolve, through the same command.
	res = e.post(c, "/hulpvragen/1/afronden", formValues(t, page.Body, "/hulpvragen/1/afronden"))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "is afgerond") {
		t.Fatalf("resolve: status %d", res.StatusCode)
	}
	e.runtime.Wait()
	if got := e.sent.to(groupChat.ID); !strings.Contains(got[len(got)-1], "#1 is afgerond") {
		t.Errorf("collective not told of resolving: %q", got[len(got)-1])
	}
	// An empty answer is refused by the command's own validation.
	e.do(groupChat, resident, "hulpvraag", map[string]string{"expertise": "energie", "vraag": "Zonnepanelen?"})
	page = e.get(c, "/hulpvragen")
	form = formValues(t, page.Body, "/hulpvragen/2/antwoord")
	form.Set("tekst", "   ")
	if res := e.post(c, "/hulpvragen/2/antwoord", form); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("empty answer: status %d", res.StatusCode)
	}
}

func TestLoginStopsWhenChatIsNoLongerStaff(t *testing.T) {
	e := newEnv(t)
	e.seed()
	c := e.client()
	e.login(c, staffUser)
	// The bot leaves the staff chat: its logins stop working.
	if err := e.db.SetChatActive(t.Context(), staffChat, false); err != nil {
		t.Fatal(err)
	}
	if res := e.get(c, "/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("session of an inactive staff chat: status %d", res.StatusCode)
	}
}

func TestPagesEscapeAndShow(t *testing.T) {
	e := newEnv(t)
	e.seed()
	c := e.client()
	e.login(c, staffUser)
	for _, path := range []string{"/", "/collectief/1", "/hulpvragen", "/lessen", "/bijeenkomsten", "/openbaar/lessen"} {
		res := e.get(c, path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, res.StatusCode)
		}
		if strings.Contains(res.Body, "<script") {
			t.Errorf("GET %s contains a <script", path)
		}
		// A text formatted with the wrong arguments shows fmt's complaint.
		for _, p := range []string{path, withLangEN(path)} {
			if body := e.get(c, p).Body; strings.Contains(body, "%!") {
				i := strings.Index(body, "%!")
				t.Errorf("GET %s shows a misformatted text: %q", p, body[max(0, i-80):min(len(body), i+40)])
			}
		}
		for _, landmark := range []string{`<html lang="nl">`, "<main", "<header", `<meta name="viewport"`} {
			if !strings.Contains(res.Body, landmark) {
				t.Errorf("GET %s lacks %s", path, landmark)
			}
		}
	}
	coll := e.get(c, "/collectief/1")
	for _, want := range []string{
		`&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; buurthuis gekocht`, // the progress text, inert
		"<svg", "eigenaarschap", "pand gekocht", "erfpacht", "Goede week gehad",
		"Praat eerst met de woningcorporatie", "Interne les", "niet gedeeld", "Casusbeschrijving",
	} {
		if !strings.Contains(coll.Body, want) {
			t.Errorf("collective page lacks %q", want)
		}
	}
	// The case report is rendered Markdown with the raw HTML left out.
	report := coll.Body[strings.Index(coll.Body, `class="markdown"`):]
	if !strings.Contains(report, "<h1") || strings.Contains(report, "<script") {
		t.Errorf("case report not rendered safely:\n%s", report[:min(len(report), 2000)])
	}
	en := e.get(c, "/collectief/1?lang=en")
	if !strings.Contains(en.Body, `<html lang="en">`) || !strings.Contains(en.Body, "Timeline") {
		t.Errorf("English page not in English")
	}
	if res := e.get(c, "/collectief/99"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown collective: status %d", res.StatusCode)
	}
	search := e.get(c, "/lessen?zoek=penningmeester")
	if !strings.Contains(search.Body, "Interne les") || strings.Contains(search.Body, "woningcorporatie") {
		t.Errorf("search for penningmeester:\n%s", search.Body)
	}
	if meet := e.get(c, "/bijeenkomsten"); !strings.Contains(meet.Body, "nog geen bijeenkomsten") {
		t.Errorf("meetings page lacks its empty state")
	}
	// A meeting made in the staff chat, answered in Noord's group.
	if r := e.do(staffChat, staffUser, "bijeenkomst", map[string]string{"wanneer": "2026-03-10 19:30", "titel": "Netwerkavond <wonen>", "plaats": "Buurthuis De Schakel"}); r.Code != "" {
		t.Fatalf("/bijeenkomst: %s", r.Text)
	}
	if r := e.do(groupChat, resident, "aanmelden", map[string]string{"bijeenkomst": "B1", "antwoord": "ja"}); r.Code != "" {
		t.Fatalf("/aanmelden: %s", r.Text)
	}
	meet := e.get(c, "/bijeenkomsten")
	for _, want := range []string{"B1 · Netwerkavond &lt;wonen&gt;", "10 maart 2026 19:30", "Buurthuis De Schakel", "Ana Bewoner (Bewonersbedrijf Noord): komt"} {
		if !strings.Contains(meet.Body, want) {
			t.Errorf("meetings page lacks %q", want)
		}
	}
}

func TestQueueSLA(t *testing.T) {
	e := newEnv(t)
	e.seed()
	c := e.client()
	e.login(c, staffUser)
	sla := func() string {
		t.Helper()
		page := e.get(c, "/hulpvragen").Body
		i := strings.Index(page, `id="r1"`)
		if i < 0 {
			t.Fatal("request #1 not in the queue")
		}
		return page[strings.LastIndex(page[:i], "<article"):i]
	}
	if got := sla(); !strings.Contains(got, "sla-ok") {
		t.Errorf("new request: %s", got)
	}
	e.clock.Advance(24 * time.Hour)
	e.login(c, staffUser) // the session lasts 12 hours
	if got := sla(); !strings.Contains(got, "sla-unclaimed") {
		t.Errorf("request unclaimed for 24 h: %s", got)
	}
	page := e.get(c, "/hulpvragen")
	if res := e.post(c, "/hulpvragen/1/oppakken", formValues(t, page.Body, "/hulpvragen/1/oppakken")); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "opgepakt") {
		t.Fatalf("claim: status %d", res.StatusCode)
	}
	if got := sla(); !strings.Contains(got, "sla-ok") {
		t.Errorf("just claimed: %s", got)
	}
	e.clock.Advance(72 * time.Hour)
	e.login(c, staffUser)
	if got := sla(); !strings.Contains(got, "sla-unanswered") {
		t.Errorf("claimed, unanswered for 72 h: %s", got)
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	e.seed()
	c := e.client()
	for _, path := range []string{"/inloggen", "/", "/openbaar/lessen", "/openbaar/lessen.atom", "/static/style.css", "/nergens", "/login/" + strings.Repeat("A", 43)} {
		res := e.get(c, path)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "style-src 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("GET %s: CSP %q lacks %s", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "script-src") {
			t.Errorf("GET %s: CSP %q allows script or inline", path, csp)
		}
		if h.Get("Referrer-Policy") != "no-referrer" || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: Referrer-Policy %q, X-Content-Type-Options %q", path, h.Get("Referrer-Policy"), h.Get("X-Content-Type-Options"))
		}
	}
}

func TestPublicLessons(t *testing.T) {
	e := newEnv(t)
	e.seed()
	c := e.client() // no session
	page := e.get(c, "/openbaar/lessen")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("public page: status %d", page.StatusCode)
	}
	for _, want := range []string{"Praat eerst met de woningcorporatie", "Bewonersbedrijf Noord", "#wonen"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("public page lacks %q", want)
		}
	}
	for _, secret := range []string{"penningmeester", "Ana", "erfpacht", "buurthuis"} {
		if strings.Contains(page.Body, secret) {
			t.Errorf("public page shows %q", secret)
		}
	}

	res := e.get(c, "/openbaar/lessen.atom")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed: status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, secret := range []string{"penningmeester", "Ana"} {
		if strings.Contains(res.Body, secret) {
			t.Errorf("feed shows %q", secret)
		}
	}
	// RFC 4287 4.1.1: a feed has id, title, updated and an author (or
	// every entry has one); 4.1.2: an entry has id, title, updated.
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Author  []struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Links []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Author  []struct {
				Name string `xml:"name"`
			} `xml:"author"`
			Content    string `xml:"content"`
			Categories []struct {
				Term string `xml:"term,attr"`
			} `xml:"category"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(res.Body), &feed); err != nil {
		t.Fatalf("feed does not parse: %v", err)
	}
	iri := func(s string) bool { u, err := url.Parse(s); return err == nil && u.IsAbs() }
	stamp := func(s string) bool { _, err := time.Parse(time.RFC3339, s); return err == nil }
	if !iri(feed.ID) || feed.Title == "" || !stamp(feed.Updated) || len(feed.Author) != 1 || feed.Author[0].Name == "" {
		t.Errorf("feed head: id %q title %q updated %q author %v", feed.ID, feed.Title, feed.Updated, feed.Author)
	}
	self := false
	for _, l := range feed.Links {
		self = self || (l.Rel == "self" && strings.HasSuffix(l.Href, "/openbaar/lessen.atom"))
	}
	if !self {
		t.Errorf("feed has no self link: %v", feed.Links)
	}
	if len(feed.Entries) != 1 {
		t.Fatalf("feed has %d entries, want the 1 shared lesson", len(feed.Entries))
	}
	en := feed.Entries[0]
	if !iri(en.ID) || en.Title == "" || !stamp(en.Updated) || !strings.Contains(en.Content, "woningcorporatie") {
		t.Errorf("entry: %+v", en)
	}
	if len(en.Author) != 1 || en.Author[0].Name != "Bewonersbedrijf Noord" {
		t.Errorf("entry author %v, want the collective", en.Author)
	}
	if len(en.Categories) != 1 || en.Categories[0].Term != "wonen" {
		t.Errorf("entry categories %v", en.Categories)
	}
}

func TestLanguageSwitch(t *testing.T) {
	e := newEnv(t)
	e.seed()
	c := e.client()
	e.login(c, staffUser)
	nl := e.get(c, "/lessen?zoek=woningcorporatie")
	if !strings.Contains(nl.Body, `href="/lessen?lang=en&amp;zoek=woningcorporatie"`) {
		t.Errorf("Dutch page lacks the link to English")
	}
	en := e.get(c, "/lessen?zoek=woningcorporatie&lang=en")
	if !strings.Contains(en.Body, `<html lang="en">`) || !strings.Contains(en.Body, `href="/lessen?zoek=woningcorporatie"`) {
		t.Errorf("English page lacks lang=en or the link back to Dutch")
	}
	if !strings.Contains(en.Body, `href="/hulpvragen?lang=en"`) {
		t.Errorf("English page's menu does not stay English")
	}
}

// The panel charts on the overview and a collective's page draw their own
// words (date, legend, "not set yet") in the page's language, like the
// rest of the page.
func TestChartsInThePagesLanguage(t *testing.T) {
	e := newEnv(t)
	e.seed()
	c := e.client()
	e.login(c, staffUser)
	for _, tc := range []struct {
		query      string
		words, not []string
	}{
		{"", []string{"Mengpaneel op 2 maart 2026", "nog niet gezet", ">nu<"}, []string{"Panel on", "not set yet", ">now<"}},
		{"?lang=en", []string{"Panel on 2 March 2026", "not set yet", ">now<"}, []string{"Mengpaneel op", "nog niet gezet", ">nu<", "maart"}},
	} {
		for _, path := range []string{"/", "/collectief/1"} {
			body := e.get(c, path+tc.query).Body
			start, end := strings.Index(body, "<svg"), strings.LastIndex(body, "</svg>")
			if start < 0 || end < start {
				t.Fatalf("GET %s%s has no chart", path, tc.query)
			}
			svg := body[start:end]
			for _, w := range tc.words {
				if !strings.Contains(svg, w) {
					t.Errorf("the chart of %s%s lacks %q", path, tc.query, w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(svg, w) {
					t.Errorf("the chart of %s%s says %q", path, tc.query, w)
				}
			}
		}
	}
}

// withLangEN is path in English.
func withLangEN(path string) string {
	if strings.Contains(path, "?") {
		return path + "&lang=en"
	}
	return path + "?lang=en"
}
