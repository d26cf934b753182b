package telegram_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wijkbv/wijkbot/bot/telegram"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/commands"
)

// syncBuffer is a log destination the bot's goroutines share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Texts the people of the privacy story type. None of them may reach the log.
const (
	pietProgress = "Wij schreven de offerte voor het buurthuis"
	moProgress   = "Mo belde met de wethouder over de huurprijs"
	pietQuestion = "Mag de corporatie ons pand zomaar verkopen"
	staffAnswer  = "Vraag het voorkeursrecht aan bij de gemeente"
	pietReason   = "na het gesprek met de buurvrouw"
)

// TestPrivacyStory is the AVG story on Telegram with the real library:
// Piet asks for his data in a private chat with the bot and gets only his
// own; then he has himself forgotten, after confirming with the button,
// and the group's timeline keeps his progress under "verwijderd". The
// whole run logs at debug level as JSON, and the log holds none of the
// texts typed and not the token.
func TestPrivacyStory(t *testing.T) {
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := newHarness(t, func(c *telegram.Config) { c.Logger = logger })
	h.rt.Logger, h.rt.Handler.Logger = logger, logger
	h.tg.SetMember(noord.ID, piet.ID, "administrator")
	h.start()
	ctx := context.Background()
	pietChat := telegramtest.Private(piet)
	pietRef := commands.UserRef{Platform: commands.Telegram, ID: strconv.FormatInt(piet.ID, 10)}

	h.say(staff, anna, "/stafkanaal", 1)
	h.say(staff, bram, "/collectief Noord", 1)
	coll, err := h.db.CollectiveByName(ctx, "Noord")
	if err != nil {
		t.Fatal(err)
	}
	h.say(noord, piet, "/koppel "+coll.Code, 1)
	h.say(noord, piet, "/voortgang "+pietProgress, 1)
	h.say(noord, mo, "/voortgang "+moProgress, 1)
	// A help request and its answer also post in the other chat; waiting
	// for those deliveries keeps the next say from counting them as replies.
	h.say(noord, piet, "/hulpvraag juridisch "+pietQuestion, 1)
	h.rt.Wait()
	h.say(staff, bram, "/antwoord 1 "+staffAnswer, 1)
	h.rt.Wait()
	h.say(noord, piet, "/schuif zeggenschap 6 "+pietReason, 1)

	t.Run("mijngegevens in the group sends no file", func(t *testing.T) {
		sent := h.say(noord, piet, "/mijngegevens", 1)
		if sent[0].File != nil {
			t.Fatalf("personal data sent to the whole group: %+v", sent[0])
		}
		expect(t, sent[0].Shown, "privébericht")
	})

	t.Run("mijngegevens sends Piet his own data and nobody else's", func(t *testing.T) {
		sent := h.say(pietChat, piet, "/mijngegevens", 2)
		var file *telegramtest.File
		for _, s := range sent {
			if s.File != nil {
				file = s.File
			}
		}
		if file == nil || !strings.HasSuffix(file.Name, ".json") {
			t.Fatalf("no JSON file among %+v", sent)
		}
		var data struct {
			Naam      string `json:"naam"`
			Voortgang []struct {
				Tekst string `json:"tekst"`
			} `json:"voortgang"`
			Hulpvragen []struct {
				Vraag string `json:"vraag"`
			} `json:"hulpvragen"`
			Schuiven []struct {
				Toelichting string `json:"toelichting"`
			} `json:"schuifwijzigingen"`
		}
		if err := json.Unmarshal(file.Data, &data); err != nil {
			t.Fatalf("file is no JSON: %v\n%s", err, file.Data)
		}
		if data.Naam != "Piet Pionier" || len(data.Voortgang) != 1 || data.Voortgang[0].Tekst != pietProgress ||
			len(data.Hulpvragen) != 1 || data.Hulpvragen[0].Vraag != pietQuestion ||
			len(data.Schuiven) != 1 || data.Schuiven[0].Toelichting != pietReason {
			t.Fatalf("personal data = %+v, want Piet's entry, question and slider move", data)
		}
		// The status of Piet's request may name the staff member who took
		// it; what other residents wrote or are called may not appear.
		for _, other := range []string{moProgress, "mo_noord", staffAnswer} {
			if bytes.Contains(file.Data, []byte(other)) {
				t.Errorf("Piet's file contains someone else's %q", other)
			}
		}
	})

	t.Run("vergeetmij asks first and erases only after the button", func(t *testing.T) {
		prompt := h.say(pietChat, piet, "/vergeetmij", 1)[0]
		expect(t, prompt.Shown, "Zeker weten?")
		if pd, err := h.db.PersonalData(ctx, pietRef); err != nil || len(pd.Entries) != 1 {
			t.Fatalf("asking erased already: %+v, %v", pd, err)
		}
		_, query := h.tg.Press(prompt, piet, "Ja, wis mijn gegevens")
		expect(t, h.tg.WaitAnswer(t, query).Text, "gewist")
		pd, err := h.db.PersonalData(ctx, pietRef)
		if err != nil {
			t.Fatal(err)
		}
		if pd.Name != "" || len(pd.Entries)+len(pd.HelpRequests)+len(pd.SliderChanges)+len(pd.Answers)+len(pd.CheckinAnswers) != 0 {
			t.Fatalf("after /vergeetmij the store still has %+v", pd)
		}
	})

	t.Run("the timeline keeps the progress without Piet's name", func(t *testing.T) {
		got := h.say(noord, mo, "/tijdlijn", 1)[0].Shown
		expect(t, got, pietProgress, commands.ErasedAuthor, moProgress, "@mo_noord")
		if strings.Contains(got, "Piet Pionier") {
			t.Fatalf("timeline still names Piet: %q", got)
		}
	})

	t.Run("the log holds no message text and no token", func(t *testing.T) {
		h.stop()
		out := logs.String()
		if !strings.Contains(out, `"level":"DEBUG"`) && !strings.Contains(out, `"level":"INFO"`) {
			t.Fatalf("nothing logged; the check below would prove nothing:\n%s", out)
		}
		texts := []string{pietProgress, moProgress, pietQuestion, staffAnswer, pietReason}
		for _, s := range texts {
			// Also in part: a log line might carry a clipped text.
			for _, part := range []string{s, s[:len(s)/2]} {
				if strings.Contains(out, part) {
					t.Errorf("the log contains the message text %q", part)
				}
			}
		}
		_, secret, _ := strings.Cut(h.tg.Token, ":")
		for _, s := range []string{h.tg.Token, "bot" + secret, ":" + secret} {
			if strings.Contains(out, s) {
				t.Errorf("the log contains the token (%q)", s)
			}
		}
	})
}
