package bot

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/wijkbv/wijkbot/commands"
)

// Rate is a token bucket: PerMinute commands a minute on average, with
// bursts of up to Burst at once.
type Rate struct {
	PerMinute float64
	Burst     int
}

func (r Rate) limit() rate.Limit { return rate.Limit(r.PerMinute / 60) }

// fullAfter is how long an unused bucket takes to fill up again; a bucket
// idle that long is the same as a new one, so it can be forgotten.
func (r Rate) fullAfter() time.Duration {
	if r.PerMinute <= 0 {
		return 0
	}
	return time.Duration(float64(r.Burst) / r.PerMinute * float64(time.Minute))
}

// Limits protects the bot and its chats from floods and link codes from
// guessing. Bot admins are not limited. A nil *Limits limits nothing.
//
// Memory stays bounded: a bucket is kept only while it is not full again and
// a link-code record only for its window, so what is kept is proportional to
// the people active in the last minutes, whatever the number ever seen.
type Limits struct {
	// User and Chat bound commands per person and per chat (a zero Rate
	// means unlimited).
	User, Chat Rate
	// LinkFailures wrong link codes (/koppel) within LinkWindow from one
	// chat or one person block further /koppel from them for LinkBlock.
	LinkFailures int
	LinkWindow   time.Duration
	LinkBlock    time.Duration
	// Now is the clock (tests inject one); nil means time.Now.
	Now func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	links     map[string]*linkRecord
	lastSweep time.Time
}

type bucket struct {
	lim      *rate.Limiter
	lastUsed time.Time
	full     time.Duration
}

type linkRecord struct {
	failures     []time.Time // within the window, oldest first
	blockedUntil time.Time
}

// DefaultLimits are generous for a group of residents typing commands and
// tight enough that a stuck script or a flood cannot flood a chat or the
// staff: 20 commands a minute per person (bursts of 10); per chat 8 a
// minute with bursts of 12, so no minute holds more than 20, what Telegram
// lets a bot send in a group (a chat's commands beyond what the platform
// lets the bot answer would only queue replies nobody waits for); and 5
// wrong link codes in 10 minutes block /koppel for 10.
func DefaultLimits() *Limits {
	return &Limits{
		User:         Rate{PerMinute: 20, Burst: 10},
		Chat:         Rate{PerMinute: 8, Burst: 12},
		LinkFailures: 5,
		LinkWindow:   10 * time.Minute,
		LinkBlock:    10 * time.Minute,
	}
}

// sweepEvery is how often idle buckets and expired link records are dropped.
const sweepEvery = time.Minute

func (l *Limits) now() time.Time {
	if l.Now == nil {
		return time.Now()
	}
	return l.Now()
}

// Allow takes one command from the person's and the chat's bucket. When
// either is empty it takes nothing and returns how long until one command
// is allowed again.
func (l *Limits) Allow(chat commands.ChatRef, user commands.UserRef) (ok bool, wait time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	var lims []*rate.Limiter
	if b := l.bucket("user:"+user.String(), l.User, now); b != nil {
		lims = append(lims, b)
	}
	if b := l.bucket("chat:"+chat.String(), l.Chat, now); b != nil {
		lims = append(lims, b)
	}
	// Check all before taking from any, so a refused command costs the
	// person nothing and the chat nothing.
	for _, lim := range lims {
		if tokens := lim.TokensAt(now); tokens < 1 {
			if w := time.Duration((1 - tokens) / float64(lim.Limit()) * float64(time.Second)); w > wait {
				wait = w
			}
		}
	}
	if wait > 0 {
		return false, wait
	}
	for _, lim := range lims {
		lim.AllowN(now, 1)
	}
	return true, 0
}

func (l *Limits) bucket(key string, r Rate, now time.Time) *rate.Limiter {
	if r.PerMinute <= 0 {
		return nil
	}
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(r.limit(), max(r.Burst, 1)), full: r.fullAfter()}
		l.buckets[key] = b
	}
	b.lastUsed = now
	return b.lim
}

// LinkBlocked reports whether /koppel is refused for the chat or the person,
// and for how long still.
func (l *Limits) LinkBlocked(chat commands.ChatRef, user commands.UserRef) (blocked bool, wait time.Duration) {
	if l == nil || l.LinkFailures <= 0 {
		return false, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, key := range linkKeys(chat, user) {
		if r := l.links[key]; r != nil && now.Before(r.blockedUntil) {
			if w := r.blockedUntil.Sub(now); w > wait {
				wait = w
			}
		}
	}
	return wait > 0, wait
}

// LinkFailed records a wrong link code from the chat and the person.
func (l *Limits) LinkFailed(chat commands.ChatRef, user commands.UserRef) {
	if l == nil || l.LinkFailures <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	if l.links == nil {
		l.links = map[string]*linkRecord{}
	}
	for _, key := range linkKeys(chat, user) {
		r := l.links[key]
		if r == nil {
			r = &linkRecord{}
			l.links[key] = r
		}
		r.failures = append(r.failures, now)
		r.failures = dropBefore(r.failures, now.Add(-l.LinkWindow))
		if len(r.failures) >= l.LinkFailures {
			r.blockedUntil = now.Add(l.LinkBlock)
			r.failures = nil
		}
	}
}

func linkKeys(chat commands.ChatRef, user commands.UserRef) []string {
	return []string{"chat:" + chat.String(), "user:" + user.String()}
}

// dropBefore removes the times before cutoff from a sorted list.
func dropBefore(ts []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(ts) && ts[i].Before(cutoff) {
		i++
	}
	return ts[i:]
}

// sweep forgets full buckets and expired link records; the caller holds mu.
func (l *Limits) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < sweepEvery {
		return
	}
	l.lastSweep = now
	for k, b := range l.buckets {
		if now.Sub(b.lastUsed) >= b.full {
			delete(l.buckets, k)
		}
	}
	for k, r := range l.links {
		r.failures = dropBefore(r.failures, now.Add(-l.LinkWindow))
		if len(r.failures) == 0 && !now.Before(r.blockedUntil) {
			delete(l.links, k)
		}
	}
}

// size is the number of records kept (tests check that memory is bounded).
func (l *Limits) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets) + len(l.links)
}

// slowDown is the polite refusal of a rate-limited command.
func slowDown(lang commands.Lang, wait time.Duration) string {
	s := seconds(wait)
	return lang.Msg(commands.MsgRateLimited, s)
}

// linkRefused is the refusal of /koppel after too many wrong codes.
func linkRefused(lang commands.Lang, wait time.Duration) string {
	m := int(math.Ceil(wait.Minutes()))
	return lang.Msg(commands.MsgLinkCodeLimited, m)
}

func seconds(d time.Duration) int {
	return max(int(math.Ceil(d.Seconds())), 1)
}
