package web_test

import (
	"bytes"
	"context"
	"flag"
	"image/png"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/time/rate"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/telegram"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/chart"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/export"
	"github.com/wijkbv/wijkbot/storage"
	"github.com/wijkbv/wijkbot/web"
)

// screenshots is where TestBrowser saves its screenshots; the README's come
// from `go test ./web -run TestBrowser -screenshots ../docs`.
var screenshots = flag.String("screenshots", "", "directory for the browser test's screenshots (default: a temporary one)")

// chromium finds Debian's Chromium. In CI (CI=true) a missing browser
// fails the test: the browser test must never pass by not running.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("WIJKBOT_CHROMIUM"), "chromium", "chromium-browser"} {
		if name == "" {
			continue
		}
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	const why = "no Chromium found (apt-get install chromium, or set WIJKBOT_CHROMIUM)"
	if os.Getenv("CI") == "true" {
		t.Fatal(why + "; CI must run the browser test")
	}
	t.Skip("skipping the browser test: " + why)
	return ""
}

// Telegram people and chats of the browser test; Anna is a bot admin.
var (
	tgAnna  = telegramtest.User{ID: 101, FirstName: "Anna", LastName: "de Staf"}
	tgPiet  = telegramtest.User{ID: 201, FirstName: "Piet", LastName: "Pionier"}
	tgFatma = telegramtest.User{ID: 202, FirstName: "Fatma"}
	tgStaff = telegramtest.Supergroup(-1001000000001, "Staf WijkBV")
	tgNoord = telegramtest.Group(-2001, "Bewoners Noord")
	tgZuid  = telegramtest.Group(-2002, "Energie Zuid")
)

// TestBrowser is a staff member's morning in a real browser: log in with
// the link the bot gave in the (fake) Telegram staff chat, look at the
// programme and one collective, answer a help request from the queue and
// see the answer arrive in the collective's Telegram group; every page fits
// a 390 px wide phone.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test starts Chromium")
	}
	exe := chromium(t)
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)

	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "wijkbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &bot.Clock{}
	clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	db.Now = clock.Now
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	charts := &chart.Renderer{Now: clock.Now, Location: loc}
	handler := &commands.Handler{Store: db, Now: clock.Now, Location: loc, DefaultLang: commands.NL,
		DefaultSchedule: "0 10 * * MON", Charts: charts, Exporter: export.Files{}, Logger: quiet}
	rt := &bot.Runtime{Handler: handler, Store: db, Admins: map[string]bool{"telegram:101": true}, Logger: quiet}
	pages := &web.Server{App: handler, Runner: rt, Charts: charts, SLA: commands.DefaultSLA, Logger: quiet}
	site := httptest.NewServer(pages.Handler())
	t.Cleanup(site.Close)
	handler.WebURL, pages.BaseURL = site.URL, site.URL

	tg := telegramtest.NewServer(t)
	tgBot, err := telegram.New(telegram.Config{Token: tg.Token, APIURL: tg.URL(), Logger: quiet, State: db, Chats: db,
		Limits: telegram.Limits{Global: rate.Inf, Chat: rate.Inf, Group: rate.Inf},
		Sleep:  func(ctx context.Context, d time.Duration) error { return ctx.Err() }}, rt)
	if err != nil {
		t.Fatal(err)
	}
	botCtx, stopBot := context.WithCancel(ctx)
	botDone := make(chan error, 1)
	go func() { botDone <- tgBot.Run(botCtx) }()
	t.Cleanup(func() {
		stopBot()
		<-botDone
		rt.Wait()
	})

	// say types a line in a chat and waits for the bot's reply there.
	say := func(chat telegramtest.Chat, from telegramtest.User, line string) telegramtest.Sent {
		t.Helper()
		n := len(tg.Sent(chat.ID))
		tg.PushText(chat, from, line)
		sent := tg.WaitSent(t, chat.ID, n+1)
		return sent[n]
	}
	code := regexp.MustCompile(`[A-Z2-9]{8}`)
	tg.SetMember(tgNoord.ID, tgPiet.ID, "administrator")
	tg.SetMember(tgZuid.ID, tgFatma.ID, "administrator")
	say(tgStaff, tgAnna, "/stafkanaal")
	noordCode := code.FindString(say(tgStaff, tgAnna, "/collectief Bewonersbedrijf Noord").Shown)
	zuidCode := code.FindString(say(tgStaff, tgAnna, "/collectief Energiecoöperatie Zuid").Shown)
	say(tgNoord, tgPiet, "/koppel "+noordCode)
	say(tgZuid, tgFatma, "/koppel "+zuidCode)
	for _, line := range []string{
		"/voortgang Eerste gesprek met de gemeente over het buurthuis #vastgoed",
		"/schuif eigenaarschap 6 we hebben een bod gedaan",
		"/schuif zeggenschap 7 bewonersavond met 40 mensen",
		"/schuif \"geworteld in de wijk\" 8",
		"/mijlpaal Bod op het buurthuis aanvaard! #vastgoed",
		"/schuif eigenaarschap 8 pand gekocht",
		"/les Begin bij de woningcorporatie, niet bij de gemeente #vastgoed",
		"/delen L1 ja",
	} {
		clock.Advance(26 * time.Hour)
		say(tgNoord, tgPiet, line)
	}
	for _, line := range []string{
		"/voortgang <script>alert('zuid')</script> 12 daken gemeten voor zonnepanelen #energie",
		"/schuif ondernemerschap 5 eerste offerte",
		"/schuif \"impact op wonen\" 4",
	} {
		clock.Advance(3 * time.Hour)
		say(tgZuid, tgFatma, line)
	}
	// Two check-in rounds for Noord, the first one answered.
	for i, answer := range []string{"Goede week: bod gedaan en 40 mensen op de bewonersavond", ""} {
		round, _, err := db.ClaimRound(ctx, 1, clock.Now().Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.MarkRoundPosted(ctx, round.ID); err != nil {
			t.Fatal(err)
		}
		if answer != "" {
			say(tgNoord, tgPiet, "/checkin "+answer)
		}
		clock.Advance(time.Duration(i+1) * 24 * time.Hour)
	}
	staffSeen := len(tg.Sent(tgStaff.ID))
	say(tgNoord, tgPiet, "/hulpvraag juridisch Hoe zit het met de erfpacht van het buurthuis?")
	tg.WaitSent(t, tgStaff.ID, staffSeen+1) // the request reaches the staff chat
	clock.Advance(2 * time.Hour)

	// The login link, asked for in the staff chat, arrives in Anna's
	// private chat with the bot (which she opens first); the staff chat
	// reads only that it went there.
	linkRE := regexp.MustCompile(regexp.QuoteMeta(site.URL) + `/login/[A-Za-z0-9_-]{43}`)
	annaDM := telegramtest.Private(tgAnna)
	say(annaDM, tgAnna, "/start")
	inDM := len(tg.Sent(annaDM.ID))
	if reply := say(tgStaff, tgAnna, "/dashboard"); linkRE.MatchString(reply.Shown) {
		t.Fatalf("the login link was shown in the staff chat: %q", reply.Shown)
	}
	reply := tg.WaitSent(t, annaDM.ID, inDM+1)[inDM]
	link := linkRE.FindString(reply.Shown)
	if link == "" {
		t.Fatalf("no login link in Anna's private chat: %q", reply.Shown)
	}

	dir := *screenshots
	if dir == "" {
		dir = t.TempDir()
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	browser, cancelTimeout := context.WithTimeout(browser, 90*time.Second)
	defer cancelTimeout()

	// do runs steps in the browser; text, eval and location read from it.
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(browser, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(css string) string {
		t.Helper()
		s, err := chromedp.Run(browser, chromedp.Text(chromedp.CSS(css)))
		if err != nil {
			t.Fatalf("text of %s: %v", css, err)
		}
		return s
	}
	eval := func(js string) int {
		t.Helper()
		n, err := chromedp.Run(browser, chromedp.Evaluate[int](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return n
	}
	shot := func(name string) {
		t.Helper()
		buf, err := chromedp.Run(browser, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		img, err := png.Decode(bytes.NewReader(buf))
		if err != nil {
			t.Fatalf("screenshot %s is no PNG: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() < 300 || b.Dy() < 300 {
			t.Fatalf("screenshot %s is %v", name, b)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The link opens a page with a button; the button logs in.
	do("open the login link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`main form button`)))
	if got := text("main"); !strings.Contains(got, "inloglink") {
		t.Fatalf("login page says %q", got)
	}
	do("log in", chromedp.Click(chromedp.CSS(`main form button`)), chromedp.WaitVisible(chromedp.CSS(`.cards`)))
	if url, err := chromedp.Run(browser, chromedp.Location()); err != nil || url != site.URL+"/" {
		t.Errorf("after login the browser is at %s (%v)", url, err)
	}
	overview := text("main")
	for _, want := range []string{"Bewonersbedrijf Noord", "Energiecoöperatie Zuid", "Open hulpvragen"} {
		if !strings.Contains(overview, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
	if n := eval(`document.querySelectorAll('svg.chart').length`); n != 2 {
		t.Errorf("overview shows %d panel charts, want 2", n)
	}
	shot("web-overview.png")

	// The name filter: a GET form, no script; accents and case do not matter.
	do("filter the overview",
		chromedp.SendKeys(chromedp.CSS(`#zoek`), "COOPERATIE"),
		chromedp.Click(chromedp.CSS(`form.search button`)),
		chromedp.WaitVisible(chromedp.CSS(`form.search a`))) // the link that clears the filter: on the filtered page only
	if n, got := eval(`document.querySelectorAll('article.card').length`), text(".range"); n != 1 || !strings.Contains(got, "met “COOPERATIE” in de naam") {
		t.Errorf("filtered overview: %d cards, range %q", n, got)
	}
	if got := text(".cards"); !strings.Contains(got, "Energiecoöperatie Zuid") {
		t.Errorf("the filter kept %q", got)
	}
	do("clear the filter", chromedp.Click(chromedp.CSS(`form.search a`)), chromedp.WaitVisible(chromedp.CSS(`#c1 a`)))

	do("open Noord", chromedp.Click(chromedp.CSS(`#c1 a`)), chromedp.WaitVisible(chromedp.CSS(`#casus`)))
	noordPage := text("main")
	for _, want := range []string{"Bod op het buurthuis aanvaard!", "pand gekocht", "erfpacht", "Begin bij de woningcorporatie", "Casusbeschrijving", "40 mensen op de bewonersavond", "50% (1/2)"} {
		if !strings.Contains(noordPage, want) {
			t.Errorf("collective page lacks %q", want)
		}
	}
	shot("web-collective.png")

	// The script in Zuid's progress is text on the page, not a script.
	do("open Zuid", chromedp.Navigate(site.URL+"/collectief/2"), chromedp.WaitVisible(chromedp.CSS(`#tijdlijn`)))
	if n, zuid := eval(`document.scripts.length`), text("#tijdlijn"); n != 0 || !strings.Contains(zuid, "<script>alert('zuid')</script>") {
		t.Errorf("Zuid's timeline: %d scripts, text %q", n, zuid)
	}

	// Answer #1 from the queue: it reaches Noord's Telegram group.
	noordSeen := len(tg.Sent(tgNoord.ID))
	do("answer from the queue",
		chromedp.Navigate(site.URL+"/hulpvragen"),
		chromedp.WaitVisible(chromedp.CSS(`#a1`)),
		chromedp.SendKeys(chromedp.CSS(`#a1`), "Vraag het Juridisch Loket; de erfpacht is afgekocht tot 2050."),
		chromedp.Click(chromedp.CSS(`#r1 .answer-form button`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice.ok`)))
	if got := text(".notice"); !strings.Contains(got, "is naar Bewonersbedrijf Noord gestuurd") {
		t.Errorf("after answering the page says %q", got)
	}
	got := tg.WaitSent(t, tgNoord.ID, noordSeen+1)[noordSeen]
	if !strings.Contains(got.Shown, "de erfpacht is afgekocht tot 2050") || !strings.Contains(got.Shown, "#1") || !strings.Contains(got.Shown, "Anna") {
		t.Errorf("Noord's group got %q", got.Shown)
	}

	// Every page fits a phone of 390 CSS pixels: no horizontal scrolling.
	do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	for _, path := range []string{"/", "/collectief/1", "/collectief/2", "/hulpvragen", "/lessen", "/bijeenkomsten", "/openbaar/lessen", "/?lang=en"} {
		do("phone "+path, chromedp.Navigate(site.URL+path), chromedp.WaitVisible(chromedp.CSS(`main`)))
		scrollW, clientW := eval(`document.documentElement.scrollWidth`), eval(`document.documentElement.clientWidth`)
		if clientW != 390 || scrollW > clientW {
			t.Errorf("%s at 390 px: scrollWidth %d, clientWidth %d (horizontal scroll)", path, scrollW, clientW)
		}
	}
	do("phone overview", chromedp.Navigate(site.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`.cards`)))
	shot("web-phone.png")
	t.Logf("screenshots in %s", dir)
}
