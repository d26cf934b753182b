package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wijkbv/wijkbot/chart"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

// The mixed load's yardstick (issue 15, scale_p99_ratio).
//
// One round of 400 commands gives a p99 that is its fourth-slowest
// command: one garbage collection or one other process on the two cores
// moves it by half, and three whole runs of the same code gave the ratio
// 1.02, 1.14 and 1.49. So every point now runs many rounds, and
//
//   - its figure is the p99 of all its commands pooled (4,000 with the
//     defaults: the 40th-slowest), not the median of the rounds' p99s. The
//     pooled p99 is what the target speaks of (the time within which 99 in
//     100 commands are answered) and every command counts: a slow round is
//     not outvoted, its slow commands are in the tail like any other. The
//     median of per-round p99s would estimate a different quantity (the
//     typical fourth-slowest of 400) and throw away what the rounds it
//     outvotes saw.
//   - the points' rounds alternate (round r of every point before round
//     r+1 of any, forward and backward in turn), so what else runs on the
//     machine in those minutes falls on all points alike, not on whichever
//     point happened to be measured when a build started; the ratio's two
//     points run next to each other in every round;
//   - every point runs the same commands: each round has exactly the mix's
//     counts (200 /voortgang, 120 /tijdlijn, 80 /schuif of 400), in the same
//     order with the same arguments at every point; only the collectives
//     they are sent to are drawn per point;
//   - a round is a burst of Requests commands from Workers chats at once,
//     as before, and after it the bot gets the pause it gets between bursts
//     (its idle checkpointer copies the log then, storage/checkpoint.go):
//     the next turn, of this point or another, starts only once the log is
//     copied, so no point's checkpoint runs inside another point's timed
//     commands. Nothing is timed in the pause; nothing is left out of a
//     round and no cache is warmed beyond what the bot's own commands warm.
//   - both points do the same work per command: the clock runs on, so
//     every write moves its collective's last activity on as a running
//     bot's do, and the senders are known members (addMembers), so no
//     point stores a new person with nearly every write;
//   - how far the ratio can be trusted is printed beside it
//     (PairedRatioInterval): the rounds of the two points at the same turn
//     are resampled together, so noise that hit both at once moves both;
//     and so is what the machine's other processes used meanwhile
//     (OtherCores) and the pages a command wrote (FramesPerCommand), which
//     no other process changes.

// MixedSettle is the pause after each round before the next turn starts:
// longer than the bot's idle time before it checkpoints (500 ms), so its
// own checkpointer has run; MixedLoad then makes sure the log is copied.
const MixedSettle = 600 * time.Millisecond

// MixedLoad measures the mixed command load (MixedCommands) of several
// scale points together, their rounds alternating.
type MixedLoad struct {
	Points   []ScalePoint
	DBs      []string // per point, a copy of its ScaleDB; written to
	Requests int      // commands a round: a burst from Workers chats at once
	Rounds   int      // rounds per point
	Workers  int      // chats at once
	// Settle is the pause after each round (MixedSettle when 0).
	Settle time.Duration
	Log    *slog.Logger
}

// MixedSample is one timed command of the mixed load.
type MixedSample struct {
	Command string
	Round   int
	Latency time.Duration
}

// MixedResult is one point's mixed load.
type MixedResult struct {
	Point   ScalePoint
	Samples []MixedSample // every command of every round, by round
	// Turns are the positions of the point's rounds in the run's order of
	// turns (0, 1, …, across all points): the proof that rounds alternated.
	Turns []int
	// LogFrames are the pages each round's commits wrote to the log.
	LogFrames []int
	// OtherCores are, per round, the cores the machine's other processes
	// kept busy meanwhile (/proc/stat's busy time less this process's);
	// none where /proc/stat cannot be read. A figure measured while they
	// were busy tells of them more than of the bot.
	OtherCores []float64
}

// MeanOtherCores is the mean of OtherCores, -1 when there are none.
func (r MixedResult) MeanOtherCores() float64 {
	if len(r.OtherCores) == 0 {
		return -1
	}
	sum := 0.0
	for _, c := range r.OtherCores {
		sum += c
	}
	return sum / float64(len(r.OtherCores))
}

// FramesPerCommand are the log pages written per command of the load
// (reads included in the count of commands, as in the mix): what the
// writes cost in pages, which no other process on the machine changes.
func (r MixedResult) FramesPerCommand() float64 {
	n := 0
	for _, f := range r.LogFrames {
		n += f
	}
	if len(r.Samples) == 0 {
		return 0
	}
	return float64(n) / float64(len(r.Samples))
}

// Latencies are the samples' times, of one command (all for "").
func (r MixedResult) Latencies(command string) []time.Duration {
	var ds []time.Duration
	for _, s := range r.Samples {
		if command == "" || s.Command == command {
			ds = append(ds, s.Latency)
		}
	}
	return ds
}

// P99 is the pooled p99 of all the point's commands, in milliseconds.
func (r MixedResult) P99() float64 { return Milliseconds(Percentile(r.Latencies(""), 99)) }

// RoundP99s are the p99s of each round apart, in milliseconds: the
// spread the pooled figure no longer shows.
func (r MixedResult) RoundP99s() []float64 {
	var out []float64
	for _, ds := range r.byRound() {
		out = append(out, Milliseconds(Percentile(ds, 99)))
	}
	return out
}

// Counts are the samples per command.
func (r MixedResult) Counts() map[string]int {
	n := map[string]int{}
	for _, s := range r.Samples {
		n[s.Command]++
	}
	return n
}

func (r MixedResult) byRound() [][]time.Duration {
	var rounds [][]time.Duration
	for _, s := range r.Samples {
		for len(rounds) <= s.Round {
			rounds = append(rounds, nil)
		}
		rounds[s.Round] = append(rounds[s.Round], s.Latency)
	}
	return rounds
}

// mixedCounts splits n commands over MixedCommands by weight, exactly
// (the remainder to the first commands), so every round has the mix.
func mixedCounts(n int) []int {
	total := 0
	for _, c := range MixedCommands {
		total += c.Weight
	}
	counts := make([]int, len(MixedCommands))
	left := n
	for i, c := range MixedCommands {
		counts[i] = n * c.Weight / total
		left -= counts[i]
	}
	for i := 0; left > 0; i, left = (i+1)%len(counts), left-1 {
		counts[i]++
	}
	return counts
}

// mixedCommand is one command of a round before its collective is drawn.
type mixedCommand struct {
	command string
	args    map[string]string
}

// mixedRound is round r's commands, the same at every point: the mix's
// exact counts in an order and with arguments drawn from r alone.
func mixedRound(r, n int) []mixedCommand {
	rng := rand.New(rand.NewPCG(uint64(r), 15))
	var cmds []mixedCommand
	for i, k := range mixedCounts(n) {
		for range k {
			cmds = append(cmds, mixedCommand{command: MixedCommands[i].Command})
		}
	}
	rng.Shuffle(len(cmds), func(i, j int) { cmds[i], cmds[j] = cmds[j], cmds[i] })
	for i := range cmds {
		switch cmds[i].command {
		case "voortgang":
			cmds[i].args = map[string]string{"tekst": "Bewonersavond over het buurthuis #wonen"}
		case "schuif":
			cmds[i].args = map[string]string{"element": DefaultElements[rng.IntN(len(DefaultElements))], "waarde": fmt.Sprint(rng.IntN(11)), "toelichting": "na de bewonersavond"}
		}
	}
	return cmds
}

// mixedPoint is one point's open database during the load.
type mixedPoint struct {
	p   ScalePoint
	db  *storage.DB
	raw *sql.DB // a connection of the benchmark's own, to see the log copied
	h   *commands.Handler
	rng *rand.Rand // the collectives
	res MixedResult
}

// Run measures the points: Rounds turns of each, alternating.
func (m MixedLoad) Run(ctx context.Context) ([]MixedResult, error) {
	if len(m.Points) != len(m.DBs) {
		return nil, fmt.Errorf("mixed load: %d points, %d databases", len(m.Points), len(m.DBs))
	}
	quiet := m.Log
	if quiet == nil {
		quiet = slog.New(slog.DiscardHandler)
	}
	settle := m.Settle
	if settle == 0 {
		settle = MixedSettle
	}
	// The clock runs on from ScaleNow as a running bot's does. Stopped at
	// ScaleNow, only a collective's first write of the load moved its last
	// activity on (migration 070's triggers keep the latest time): at 10
	// collectives the other 99 % of the writes skipped that update, about
	// two pages of every commit that a running bot writes (and that every
	// write at 10,000 collectives, nearly each the first of its collective,
	// did write), and the chat cache never aged (storage/chatcache.go).
	start := time.Now()
	now := func() time.Time { return ScaleNow.Add(time.Since(start)) }
	var pts []*mixedPoint
	defer func() {
		for _, mp := range pts {
			mp.db.Close()
			mp.raw.Close()
		}
	}()
	for i, p := range m.Points {
		db, err := storage.Open(ctx, m.DBs[i])
		if err != nil {
			return nil, err
		}
		db.Now = now
		raw, err := sql.Open("sqlite", storage.DSN(m.DBs[i]))
		if err != nil {
			db.Close()
			return nil, err
		}
		raw.SetMaxOpenConns(1)
		if err := addMembers(ctx, raw, p); err != nil {
			db.Close()
			raw.Close()
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		pts = append(pts, &mixedPoint{p: p, db: db, raw: raw,
			h: &commands.Handler{Store: db, Now: now, Location: time.UTC, DefaultLang: commands.NL, Logger: quiet,
				Charts: &chart.Renderer{Now: now}},
			rng: rand.New(rand.NewPCG(uint64(p.Collectives), uint64(p.Years))),
			res: MixedResult{Point: p}})
	}
	turn := 0
	for r := range max(1, m.Rounds) {
		cmds := mixedRound(r, m.Requests)
		for k := range pts {
			// Forward in even rounds, backward in odd ones (A B B A):
			// a drift of the machine's load over a round falls on the
			// points alike, and neighbours in Points (the ratio's two,
			// put first) always run next to each other, each first in
			// every other round.
			if r%2 == 1 {
				k = len(pts) - 1 - k
			}
			mp := pts[k]
			reqs := make([]commands.Request, len(cmds))
			for i, c := range cmds {
				n := mp.rng.IntN(mp.p.Collectives)
				reqs[i] = commands.Request{
					EventID: fmt.Sprintf("bench:scale:mixed:%d:%d", r, i),
					Chat:    commands.ChatRef{Platform: commands.Telegram, ID: fmt.Sprint(TelegramGroup(n))},
					User:    commands.UserRef{Platform: commands.Telegram, ID: fmt.Sprint(20_000 + n), Name: "Lid"},
					Command: c.command, Args: c.args, Lang: commands.NL,
				}
			}
			busy0, cpu0, t0 := machineBusy(), processCPUOrZero(), time.Now()
			lat, err := runBurst(ctx, mp.h, reqs, m.Workers)
			if busy0 >= 0 {
				if busy := machineBusy(); busy >= 0 {
					others := (busy - busy0) - (processCPUOrZero() - cpu0)
					mp.res.OtherCores = append(mp.res.OtherCores, max(0, float64(others)/float64(time.Since(t0))))
				}
			}
			for i, d := range lat {
				mp.res.Samples = append(mp.res.Samples, MixedSample{Command: reqs[i].Command, Round: r, Latency: d})
			}
			mp.res.Turns = append(mp.res.Turns, turn)
			turn++
			if err != nil {
				return nil, fmt.Errorf("%s: %w", mp.p, err)
			}
			quiet.Debug("mixed round", "point", mp.p.String(), "round", r, "p99", Percentile(lat, 99))
			frames, err := settleLog(ctx, mp.raw, settle)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", mp.p, err)
			}
			mp.res.LogFrames = append(mp.res.LogFrames, frames)
		}
	}
	out := make([]MixedResult, len(pts))
	for i, mp := range pts {
		out[i] = mp.res
	}
	return out, nil
}

// addMembers stores, before anything is timed, the member of each
// collective who sends its commands in the load (user 20,000 + i, "Lid"),
// as a programme that has run for years knows the people who write in its
// chats, and copies the log. Without them a write at 10,000 collectives was
// nearly always its sender's first (4,000 commands, 10,000 senders) and
// stored a new person, about three pages of every commit more (the row, the
// (platform, user_id) index, the entries' author index), while at 10
// collectives only the first command of each of 10 senders did: the points
// differed in who wrote, not in the programme's size. A known sender still
// costs a look-up when the people cache does not hold them
// (storage/peoplecache.go), as at 10,000 collectives.
func addMembers(ctx context.Context, raw *sql.DB, p ScalePoint) error {
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	at := timeText(ScaleNow.AddDate(-p.Years, 0, 0))
	st, err := tx.PrepareContext(ctx, `INSERT INTO people (platform, user_id, name, created_at, updated_at) VALUES ('telegram', ?, 'Lid', ?, ?)
		ON CONFLICT (platform, user_id) DO NOTHING`)
	if err != nil {
		return err
	}
	for i := range p.Collectives {
		if _, err := st.ExecContext(ctx, fmt.Sprint(20_000+i), at, at); err != nil {
			return fmt.Errorf("members: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = settleLog(ctx, raw, 0)
	return err
}

// settleLog waits out the pause after a burst, then until the log is
// copied into the database file. The bot's checkpointer normally has done
// that (it starts after 500 ms without a commit); if it is still copying,
// the check's PASSIVE checkpoint reports busy and is tried again; if it
// has not started (a machine so loaded that its timer is late), the check
// does its work, which is the same work in the same untimed pause.
//
// It returns the frames in the log: after a round, the pages its commits
// wrote (the log starts from its beginning with the first write after a
// full copy), a count no other process on the machine changes.
func settleLog(ctx context.Context, raw *sql.DB, pause time.Duration) (int, error) {
	select {
	case <-time.After(pause):
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var busy, logPages, moved int
		if err := raw.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logPages, &moved); err != nil {
			return 0, fmt.Errorf("settle: %w", err)
		}
		if busy == 0 && moved == logPages {
			return logPages, nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("settle: the log still has %d of %d pages to copy after 30 s", logPages-moved, logPages)
		}
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// machineBusy is the CPU time the whole machine has spent busy (user,
// nice, system, irq, softirq and steal in /proc/stat), -1 where it cannot
// be read.
func machineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return -1
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return -1
	}
	var ticks int64
	for _, i := range []int{1, 2, 3, 6, 7, 8} { // user nice system irq softirq steal
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return -1
		}
		ticks += n
	}
	// USER_HZ is 100 on every Linux the bot runs on.
	return time.Duration(ticks) * 10 * time.Millisecond
}

// processCPUOrZero is ProcessCPU, 0 when it cannot be read.
func processCPUOrZero() time.Duration {
	d, _ := ProcessCPU()
	return d
}

// runBurst runs reqs from workers chats at once and times each; every
// reply must be an answer (answered).
func runBurst(ctx context.Context, h *commands.Handler, reqs []commands.Request, workers int) ([]time.Duration, error) {
	lat := make([]time.Duration, len(reqs))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed error
	next := 0
	for range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(reqs) {
					return
				}
				t0 := time.Now()
				r := h.Handle(ctx, reqs[i])
				lat[i] = time.Since(t0)
				if err := answered(reqs[i], r); err != nil {
					mu.Lock()
					failed = errors.Join(failed, err)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return lat, failed
}

// PairedRatioInterval is the ratio of big's pooled p99 to small's with a
// 90 % interval from a bootstrap over rounds: the same rounds of both are
// drawn together (round r of both ran in adjacent turns, so noise of those
// seconds is in both), their commands pooled, and the ratio taken,
// resamples times. Rounds rather than commands are resampled because the
// commands of a burst are not independent: one stall slows the eight
// running at once. The interval says how far another run of the same code
// on an equally busy machine may land; it is not a bound on the bot.
func PairedRatioInterval(small, big MixedResult, resamples int, seed uint64) (ratio, low, high float64) {
	sp, bp := small.P99(), big.P99()
	if sp <= 0 || bp <= 0 {
		return 0, 0, 0
	}
	ratio = bp / sp
	sr, br := small.byRound(), big.byRound()
	n := min(len(sr), len(br))
	if n < 2 || resamples < 1 {
		return ratio, ratio, ratio
	}
	rng := rand.New(rand.NewPCG(seed, 99))
	ratios := make([]float64, 0, resamples)
	var sPool, bPool []time.Duration
	for range resamples {
		sPool, bPool = sPool[:0], bPool[:0]
		for range n {
			k := rng.IntN(n)
			sPool = append(sPool, sr[k]...)
			bPool = append(bPool, br[k]...)
		}
		s, b := Percentile(sPool, 99), Percentile(bPool, 99)
		if s > 0 {
			ratios = append(ratios, float64(b)/float64(s))
		}
	}
	sort.Float64s(ratios)
	at := func(q float64) float64 { return ratios[min(len(ratios)-1, int(q*float64(len(ratios))))] }
	return ratio, at(0.05), at(0.95)
}
