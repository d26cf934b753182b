package bench

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

// Seed describes a programme to generate: collectives, each with a linked
// Telegram group, and optionally a year of history in every collective.
type Seed struct {
	Collectives int
	// History adds a year before Now (the collectives are created a year
	// before Now; without history, at Now): a check-in round (posted) at
	// each Monday 10:00 in Location, the default schedule, up to the last
	// one before Now, with an answer every other week and to the last round
	// (so a bot started on it has no round, nudge or alert due), a progress entry a week, a slider move a
	// month and a help request a quarter, per collective.
	History bool
	// Schedule is every collective's check-in schedule ("" the default).
	Schedule string
	// Location is the programme's time zone for the rounds; nil is UTC.
	Location *time.Location
	// TelegramGroups is the number of Telegram groups linked to each
	// collective (0 means 1): group g of collective i is
	// TelegramGroupOf(i, g).
	TelegramGroups int
	// DiscordChannels, when set, links collective i also to Discord
	// channel DiscordChannels[i].
	DiscordChannels []string
	Now             time.Time
}

// TelegramGroup is the Telegram chat id of collective i's (first) group.
func TelegramGroup(i int) int64 { return TelegramGroupOf(i, 0) }

// TelegramGroupOf is the Telegram chat id of collective i's group g.
func TelegramGroupOf(i, g int) int64 { return -100_000_000 - int64(g)*1_000_000 - int64(i) }

// Code is collective i's link code.
func Code(i int) string {
	b := make([]byte, 8)
	n := i
	for k := 7; k >= 0; k-- {
		b[k] = commands.CodeAlphabet[n%len(commands.CodeAlphabet)]
		n /= len(commands.CodeAlphabet)
	}
	return string(b)
}

// StaffChat is the Telegram staff chat of seeded programmes.
const StaffChat = -100_999_999_999

var seeder = commands.UserRef{Platform: commands.Telegram, ID: "1", Name: "Seed"}

// Run creates the collectives through the Store (as /collectief and
// /koppel would) and writes the history in one bulk transaction, which
// would otherwise take an fsync per record. It returns the collective ids.
func (s Seed) Run(ctx context.Context, db *storage.DB, path string) ([]int64, error) {
	if s.Now.IsZero() {
		s.Now = time.Now()
	}
	start := s.Now
	if s.History {
		start = s.Now.AddDate(-1, 0, 0)
	}
	oldNow := db.Now
	db.Now = func() time.Time { return start }
	defer func() { db.Now = oldNow }()
	if err := db.AddStaffChat(ctx, "", commands.ChatRef{Platform: commands.Telegram, ID: fmt.Sprint(StaffChat)}, "Staf", seeder); err != nil {
		return nil, fmt.Errorf("seed staff chat: %w", err)
	}
	ids := make([]int64, s.Collectives)
	for i := range s.Collectives {
		c := &commands.Collective{Name: fmt.Sprintf("Collectief %04d", i), Code: Code(i), Schedule: s.Schedule}
		if err := db.CreateCollective(ctx, "", c, seeder); err != nil {
			return nil, fmt.Errorf("seed collective %d: %w", i, err)
		}
		ids[i] = c.ID
		for g := range max(1, s.TelegramGroups) {
			ref := commands.ChatRef{Platform: commands.Telegram, ID: fmt.Sprint(TelegramGroupOf(i, g))}
			if _, err := db.LinkChat(ctx, "", ref, c.Name, c.Code, seeder); err != nil {
				return nil, fmt.Errorf("seed link %d: %w", i, err)
			}
		}
		if i < len(s.DiscordChannels) {
			ref := commands.ChatRef{Platform: commands.Discord, ID: s.DiscordChannels[i]}
			if _, err := db.LinkChat(ctx, "", ref, c.Name, c.Code, seeder); err != nil {
				return nil, fmt.Errorf("seed link %d: %w", i, err)
			}
		}
	}
	if s.History {
		if err := s.history(ctx, path, ids, start); err != nil {
			return nil, fmt.Errorf("seed history: %w", err)
		}
	}
	return ids, nil
}

// timeText is storage's fixed-width UTC time format.
func timeText(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

func (s Seed) history(ctx context.Context, path string, ids []int64, start time.Time) error {
	sdb, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		return err
	}
	defer sdb.Close()
	tx, err := sdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rng := rand.New(rand.NewPCG(8, 8))
	exec := func(q string, args ...any) (int64, error) {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return 0, err
		}
		return res.LastInsertId()
	}
	people := make([]int64, 5)
	for p := range people {
		id, err := exec(`INSERT INTO people (platform, user_id, name, created_at, updated_at) VALUES ('telegram', ?, ?, ?, ?)`,
			fmt.Sprint(5000+p), fmt.Sprintf("Bewoner %d", p), timeText(start), timeText(start))
		if err != nil {
			return err
		}
		people[p] = id
	}
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	last := s.Now.In(loc)
	last = time.Date(last.Year(), last.Month(), last.Day(), 10, 0, 0, 0, loc)
	for last.Weekday() != time.Monday || last.After(s.Now) {
		last = last.AddDate(0, 0, -1)
	}
	number := int64(0)
	for _, cid := range ids {
		for w := range 52 {
			at := last.AddDate(0, 0, -7*(51-w))
			who := people[rng.IntN(len(people))]
			rid, err := exec(`INSERT INTO checkin_rounds (collective_id, scheduled_at, status, posted_at, created_at) VALUES (?, ?, 'posted', ?, ?)`,
				cid, timeText(at), timeText(at), timeText(at))
			if err != nil {
				return err
			}
			if w%2 == 0 || w == 51 {
				if _, err := exec(`INSERT INTO checkin_answers (round_id, text, author_id, author_name, created_at) VALUES (?, ?, ?, 'Bewoner', ?)`,
					rid, "Deze week hebben we met de gemeente gepraat over het buurthuis.", who, timeText(at.Add(3*time.Hour))); err != nil {
					return err
				}
			}
			eid, err := exec(`INSERT INTO entries (collective_id, text, milestone, author_id, author_name, source, created_at) VALUES (?, ?, ?, ?, 'Bewoner', 'telegram', ?)`,
				cid, "Gesprek met de woningcorporatie over het pand #vastgoed #energie", w%13 == 0, who, timeText(at.Add(26*time.Hour)))
			if err != nil {
				return err
			}
			for p, theme := range []string{"vastgoed", "energie"} {
				if _, err := exec(`INSERT INTO entry_themes (entry_id, position, theme) VALUES (?, ?, ?)`, eid, p, theme); err != nil {
					return err
				}
			}
			if w%4 == 0 {
				if _, err := exec(`INSERT INTO slider_changes (collective_id, element_id, value, previous, author_id, author_name, why, created_at) VALUES (?, ?, ?, NULL, ?, 'Bewoner', 'maandelijkse stand', ?)`,
					cid, 1+rng.IntN(11), rng.IntN(11), who, timeText(at.Add(50*time.Hour))); err != nil {
					return err
				}
			}
			if w%13 == 6 {
				number++
				if _, err := exec(`INSERT INTO help_requests (number, collective_id, expertise, question, status, asked_by_id, asked_by_name, created_at, resolved_at) VALUES (?, ?, 'juridisch', 'Hoe maken we een koopovereenkomst?', 'resolved', ?, 'Bewoner', ?, ?)`,
					number, cid, who, timeText(at), timeText(at.Add(72*time.Hour))); err != nil {
					return err
				}
			}
		}
	}
	return tx.Commit()
}
