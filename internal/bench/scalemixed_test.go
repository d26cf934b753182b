package bench

import (
	"context"
	"database/sql"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/internal/scalecache"
	"github.com/wijkbv/wijkbot/storage"
)

// TestMixedLoad: every point gets Rounds × Requests answered commands,
// each round the mix's exact counts, the same commands in the same order
// at every point, and the points' rounds alternate (A B B A).
func TestMixedLoad(t *testing.T) {
	ctx := context.Background()
	cache := t.TempDir()
	points := []ScalePoint{{Collectives: 2, Years: 1}, {Collectives: 5, Years: 1}, {Collectives: 3, Years: 1}}
	var dbs []string
	for _, p := range points {
		src, err := ScaleDB(ctx, cache, p)
		if err != nil {
			t.Fatal(err)
		}
		db := filepath.Join(t.TempDir(), "run.db")
		if err := scalecache.CopyFile(db, src); err != nil {
			t.Fatal(err)
		}
		dbs = append(dbs, db)
	}
	const requests, rounds = 23, 4
	res, err := MixedLoad{Points: points, DBs: dbs, Requests: requests, Rounds: rounds, Workers: 3, Settle: time.Millisecond}.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(points) {
		t.Fatalf("%d results for %d points", len(res), len(points))
	}
	want := map[string]int{}
	for i, n := range mixedCounts(requests) {
		want[MixedCommands[i].Command] = n * rounds
	}
	for i, r := range res {
		if r.Point != points[i] {
			t.Errorf("result %d is of %s, want %s", i, r.Point, points[i])
		}
		if got := len(r.Samples); got != requests*rounds {
			t.Errorf("%s: %d samples, want %d", r.Point, got, requests*rounds)
		}
		for c, n := range want {
			if got := r.Counts()[c]; got != n {
				t.Errorf("%s: %d × /%s, want %d", r.Point, got, c, n)
			}
		}
		if got := len(r.LogFrames); got != rounds || r.FramesPerCommand() <= 0 {
			t.Errorf("%s: log frames %v, want a positive count for each of %d rounds", r.Point, r.LogFrames, rounds)
		}
		if runtime.GOOS == "linux" && (len(r.OtherCores) != rounds || r.MeanOtherCores() < 0) {
			t.Errorf("%s: other processes' cores %v, want one figure for each of %d rounds", r.Point, r.OtherCores, rounds)
		}
		if got := len(r.RoundP99s()); got != rounds {
			t.Errorf("%s: %d rounds, want %d", r.Point, got, rounds)
		}
		for k, s := range r.Samples {
			if s.Latency <= 0 || s.Round != k/requests {
				t.Fatalf("%s: sample %d = %+v", r.Point, k, s)
			}
			// The same command at the same place at every point.
			if c := res[0].Samples[k].Command; s.Command != c {
				t.Fatalf("%s: command %d is /%s, at %s /%s", r.Point, k, s.Command, res[0].Point, c)
			}
		}
	}
	// Round r of every point before round r+1 of any; forward in even
	// rounds, backward in odd ones.
	for r := range rounds {
		for i := range points {
			want := r*len(points) + i
			if r%2 == 1 {
				want = r*len(points) + len(points) - 1 - i
			}
			if got := res[i].Turns[r]; got != want {
				t.Errorf("round %d of %s ran at turn %d, want %d", r, points[i], got, want)
			}
		}
	}
	// Every write was stored: the load is not a loop of apologies.
	sdb, err := sql.Open("sqlite", storage.DSN(dbs[1]))
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var n int
	if err := sdb.QueryRow(`SELECT count(*) FROM processed_events WHERE id LIKE 'bench:scale:mixed:%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if writes := want["voortgang"] + want["schuif"]; n != writes {
		t.Errorf("%d mixed-load events stored, want %d writes", n, writes)
	}
	// The clock ran on: every entry of the load has a time of its own
	// after the history, so each moved its collective's last activity on
	// as a running bot's writes do.
	scaleNow := timeText(ScaleNow)
	var entries, times int
	if err := sdb.QueryRow(`SELECT count(*), count(DISTINCT created_at) FROM entries WHERE created_at > ?`, scaleNow).Scan(&entries, &times); err != nil {
		t.Fatal(err)
	}
	if entries != want["voortgang"] || times != entries {
		t.Errorf("%d entries after ScaleNow at %d distinct times, want %d at as many", entries, times, want["voortgang"])
	}
	var latest, activity string
	if err := sdb.QueryRow(`SELECT MAX(created_at) FROM (SELECT created_at FROM entries UNION ALL SELECT created_at FROM slider_changes)`).Scan(&latest); err != nil {
		t.Fatal(err)
	}
	if err := sdb.QueryRow(`SELECT MAX(last_activity_at) FROM collectives`).Scan(&activity); err != nil {
		t.Fatal(err)
	}
	if activity != latest {
		t.Errorf("last activity %s, want the load's last write %s", activity, latest)
	}
	// The senders were known members: the load stored nobody new, and
	// each collective's member wrote.
	var members, newPeople, authors int
	if err := sdb.QueryRow(`SELECT count(*) FROM people WHERE user_id >= '20000' AND name = 'Lid'`).Scan(&members); err != nil {
		t.Fatal(err)
	}
	if err := sdb.QueryRow(`SELECT count(*) FROM people WHERE created_at > ?`, scaleNow).Scan(&newPeople); err != nil {
		t.Fatal(err)
	}
	if err := sdb.QueryRow(`SELECT count(*) FROM entries e JOIN people p ON p.id = e.author_id WHERE e.created_at > ? AND p.user_id >= '20000'`, scaleNow).Scan(&authors); err != nil {
		t.Fatal(err)
	}
	if members != points[1].Collectives || newPeople != 0 || authors != entries {
		t.Errorf("%d members (want %d), %d people stored by the load (want 0), %d of %d entries by members", members, points[1].Collectives, newPeople, authors, entries)
	}
}

// TestMixedCounts: a round holds the mix's exact counts.
func TestMixedCounts(t *testing.T) {
	if got, want := mixedCounts(400), []int{200, 120, 80}; !slices.Equal(got, want) {
		t.Errorf("mixedCounts(400) = %v, want %v", got, want)
	}
	for _, n := range []int{1, 7, 23, 401} {
		sum := 0
		for _, k := range mixedCounts(n) {
			sum += k
		}
		if sum != n {
			t.Errorf("mixedCounts(%d) sums to %d", n, sum)
		}
	}
	a, b := mixedRound(3, 40), mixedRound(3, 40)
	for i := range a {
		if a[i].command != b[i].command || a[i].args["element"] != b[i].args["element"] || a[i].args["waarde"] != b[i].args["waarde"] {
			t.Fatalf("round 3 drawn twice differs at %d: %+v, %+v", i, a[i], b[i])
		}
	}
}

// TestMixedP99PoolsEveryCommand: the figure is the p99 of all commands, so
// one round whose 2 % of the commands were slow sets it, where the median
// of the rounds' p99s (the old figure) would have outvoted that round.
func TestMixedP99PoolsEveryCommand(t *testing.T) {
	var r MixedResult
	for round := range 10 {
		for i := range 100 {
			d := time.Millisecond
			if round == 4 && i < 20 {
				d = 9 * time.Millisecond
			}
			r.Samples = append(r.Samples, MixedSample{Command: "voortgang", Round: round, Latency: d})
		}
	}
	if got := r.P99(); got != 9 {
		t.Errorf("P99 = %v ms, want 9 (the slow round's commands are 2 %% of all)", got)
	}
	if med := Median(r.RoundP99s()); med != 1 {
		t.Errorf("median of the round p99s = %v ms, want 1", med)
	}
}

// TestPairedRatioInterval: rounds are resampled in pairs, so noise that
// slowed both points' round r alike leaves the ratio alone (an unpaired
// resample would spread it), and a ratio that differs between rounds
// gives an interval around it.
func TestPairedRatioInterval(t *testing.T) {
	small, big := MixedResult{}, MixedResult{}
	for round := range 12 {
		noise := time.Duration(1+round%5) * time.Millisecond // the machine's, per round
		for i := range 100 {
			d := noise + time.Duration(i)*time.Microsecond
			small.Samples = append(small.Samples, MixedSample{Round: round, Latency: d})
			big.Samples = append(big.Samples, MixedSample{Round: round, Latency: 2 * d})
		}
	}
	ratio, low, high := PairedRatioInterval(small, big, 500, 1)
	if ratio != 2 || low != 2 || high != 2 {
		t.Errorf("ratio %v in [%v, %v], want exactly 2", ratio, low, high)
	}
	// Now the big point is 1.5× in half the rounds and 2.5× in the others.
	big.Samples = nil
	for _, s := range small.Samples {
		f := 1.5
		if s.Round%2 == 1 {
			f = 2.5
		}
		big.Samples = append(big.Samples, MixedSample{Round: s.Round, Latency: time.Duration(f * float64(s.Latency))})
	}
	ratio, low, high = PairedRatioInterval(small, big, 500, 1)
	if !(low < ratio && ratio < high) || low < 1.5 || high > 2.5 || math.IsNaN(ratio) {
		t.Errorf("ratio %v in [%v, %v], want it inside an interval within [1.5, 2.5]", ratio, low, high)
	}
}

// TestSettleLogCopiesTheLog: after settleLog the database file itself
// holds what was written, the log copied into it, so no checkpoint is left
// to fall into the next point's timed commands.
func TestSettleLogCopiesTheLog(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "s.db")
	w, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.SetMaxOpenConns(1)
	for _, q := range []string{`PRAGMA wal_autocheckpoint=0`, `CREATE TABLE t (x)`, `INSERT INTO t VALUES (1), (2), (3)`} {
		if _, err := w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	fileOnly := func() int {
		// A copy of the database file without its log: what the file
		// itself holds.
		cp := filepath.Join(t.TempDir(), "c.db")
		if err := scalecache.CopyFile(cp, path); err != nil {
			t.Fatal(err)
		}
		c, err := sql.Open("sqlite", "file:"+cp+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var n int
		if err := c.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 't'`).Scan(&n); err != nil || n == 0 {
			return 0
		}
		if err := c.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := fileOnly(); n != 0 {
		t.Fatalf("the file holds %d rows before settling; the test needs them in the log", n)
	}
	raw, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	frames, err := settleLog(ctx, raw, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if frames < 2 {
		t.Errorf("settleLog saw %d frames in the log, want the table's and its row's pages", frames)
	}
	if n := fileOnly(); n != 3 {
		t.Fatalf("the file holds %d rows after settling, want 3", n)
	}
}
