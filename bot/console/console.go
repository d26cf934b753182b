// Package console connects the bot to a terminal: lines typed (or piped) on
// standard input are commands in a console chat, and every console chat's
// messages are printed on one output, so a newcomer can play a pioneer group
// and the staff chat side by side without any chat platform.
package console

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/commands"
)

// The console's fixed names.
const (
	// StaffChat is the id of the console's staff chat; it exists from the start.
	StaffChat = "staf"
	// FirstUser is the user the console starts as; it is a bot admin.
	FirstUser = "anna"
	// BotName is the bot's name in "/command@wijkbot".
	BotName = "wijkbot"
)

// maxLine is the longest input line read; longer ones fail the run rather
// than being split into two commands.
const maxLine = 1 << 20

// Console is the terminal adapter. Fill in the exported fields, then call Run.
type Console struct {
	In  io.Reader
	Out io.Writer
	// Runtime runs the commands; Run registers the console with it.
	Runtime *bot.Runtime
	// Clock is the clock the handler and scheduler read; :klok moves it.
	// Nil means a clock of the console's own (then :klok only moves that).
	Clock *bot.Clock
	// Tick runs whatever the scheduler has due; :klok calls it after moving
	// the clock. May be nil.
	Tick func(ctx context.Context) error
	// ImageDir is where images and files sent to console chats are written;
	// "" means a new temporary directory, made at the first file.
	ImageDir string
	// Location is the programme time zone: :klok dates are read in it and
	// the clock is shown in it. Nil means UTC.
	Location *time.Location
	// Lang is the language of the console's own messages ("" is Dutch).
	Lang commands.Lang
	// Interactive shows a prompt before each line is read (a terminal).
	// Otherwise each line is echoed after its prompt, so piped output reads
	// as a transcript.
	Interactive bool
	Logger      *slog.Logger

	// mu guards the fields below and serialises writes to Out: deliveries
	// from the runtime's outbox and the scheduler run on other goroutines.
	mu     sync.Mutex
	chat   string // id of the current chat
	user   string // id of the current user
	runID  string
	events int
	sent   int
}

var (
	_ bot.Sender       = (*Console)(nil)
	_ bot.ImageSender  = (*Console)(nil)
	_ bot.FileSender   = (*Console)(nil)
	_ bot.ButtonSender = (*Console)(nil)
	_ bot.TextAsker    = (*Console)(nil)
	_ bot.Adapter      = (*Console)(nil)
)

// Health is always nil: the terminal is there while the console runs.
func (c *Console) Health() error { return nil }

// Platform returns commands.Console.
func (c *Console) Platform() string { return commands.Console }

func (c *Console) logger() *slog.Logger {
	if c.Logger == nil {
		return slog.Default()
	}
	return c.Logger
}

func (c *Console) loc() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// Run registers the console with the runtime, makes sure the staff chat
// exists, and processes input until its end, :quit, or ctx is cancelled.
// Reaching the end of the input is not an error.
func (c *Console) Run(ctx context.Context) error {
	if c.Runtime == nil || c.In == nil || c.Out == nil {
		return fmt.Errorf("console: In, Out and Runtime are required")
	}
	if c.Clock == nil {
		c.Clock = &bot.Clock{}
	}
	var id [6]byte
	if _, err := rand.Read(id[:]); err != nil {
		return fmt.Errorf("console: run id: %w", err)
	}
	c.mu.Lock()
	c.chat, c.user, c.runID = StaffChat, FirstUser, hex.EncodeToString(id[:])
	c.mu.Unlock()

	c.Runtime.Register(c)
	if err := c.ensureStaffChat(ctx); err != nil {
		return err
	}
	if c.Interactive {
		c.printf("%s\n", c.Lang.Msg(commands.MsgConsoleWelcome))
	}

	lines := make(chan string)
	readErr := make(chan error, 1)
	go func() {
		// A terminal read cannot be interrupted; on cancellation this
		// goroutine is left blocked until the process exits.
		sc := bufio.NewScanner(c.In)
		sc.Buffer(make([]byte, 0, 64*1024), maxLine)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		readErr <- sc.Err()
	}()

	for {
		if c.Interactive {
			c.printf("%s", c.prompt())
		}
		var line string
		select {
		case <-ctx.Done():
			return nil
		case err := <-readErr:
			if c.Interactive {
				c.printf("\n")
			}
			if err != nil {
				return fmt.Errorf("console: read input: %w", err)
			}
			return nil
		case line = <-lines:
		}
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if !c.Interactive && line != "" && !strings.HasPrefix(line, "#") {
			c.printf("%s%s\n", c.prompt(), line)
		}
		if quit := c.handleLine(ctx, line); quit {
			return nil
		}
		// Outbox deliveries run in the background; wait so their output
		// comes before the next prompt, in order.
		c.Runtime.Wait()
	}
}

// ensureStaffChat designates the console chat "staf" as a staff chat, once.
func (c *Console) ensureStaffChat(ctx context.Context) error {
	ref := commands.ChatRef{Platform: commands.Console, ID: StaffChat}
	chat, err := c.Runtime.Store.Chat(ctx, ref)
	if err != nil {
		return fmt.Errorf("console: staff chat: %w", err)
	}
	if chat.Kind == commands.ChatStaff {
		return nil
	}
	err = c.Runtime.Store.AddStaffChat(ctx, "", ref, StaffChat, c.userRef(FirstUser))
	if err != nil {
		return fmt.Errorf("console: make chat %q the staff chat: %w", StaffChat, err)
	}
	return nil
}

// handleLine runs one input line; it reports whether the console should stop.
func (c *Console) handleLine(ctx context.Context, line string) (quit bool) {
	switch {
	case line == "" || strings.HasPrefix(line, "#"):
		// Blank lines and #comments make scripts readable.
		return false
	case strings.HasPrefix(line, ":"):
		return c.directive(ctx, line)
	case strings.HasPrefix(line, "/"):
		c.command(ctx, line)
		return false
	default:
		c.printf("%s\n", c.Lang.Msg(commands.MsgConsolePlainText))
		return false
	}
}

// command runs a command line in the current chat as the current user.
func (c *Console) command(ctx context.Context, line string) {
	c.mu.Lock()
	chat, user := c.chat, c.user
	c.events++
	ev := "console:" + c.runID + ":" + strconv.Itoa(c.events)
	c.mu.Unlock()

	req := commands.Request{
		EventID:     ev,
		Chat:        commands.ChatRef{Platform: commands.Console, ID: chat},
		ChatTitle:   chat,
		User:        c.userRef(user),
		IsChatAdmin: true, // every console user is an admin of every console chat
		IsBotAdmin:  user == FirstUser,
		Private:     true, // one person at one terminal
		PrivateChat: isPrivate(chat),
	}
	reply, ok := c.Runtime.HandleText(ctx, req, line, BotName)
	if !ok {
		c.printf("%s\n", c.Lang.Msg(commands.MsgConsoleNotForUs))
		return
	}
	if reply.Duplicate {
		return
	}
	msg := commands.Message{Chat: req.Chat, Text: reply.Text, Image: reply.Image, Files: reply.Files, Buttons: reply.Buttons, Kind: "reply"}
	if _, err := c.Runtime.Deliver(ctx, msg); err != nil {
		c.logger().Error("console reply failed", "chat", req.Chat.String(), "err", err)
		c.printf("%s\n", c.Lang.Msg(commands.MsgConsoleReplyFailed))
	}
}

func (c *Console) userRef(id string) commands.UserRef {
	return commands.UserRef{Platform: commands.Console, ID: id, Name: id}
}

// prompt is "chat/user> ".
func (c *Console) prompt() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.chat + "/" + c.user + "> "
}

// printf writes to Out, one writer at a time, with control characters made
// visible (the arguments echo input). A failing Out (a closed pipe) is not
// worth stopping for; the input's end will stop the console.
func (c *Console) printf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	io.WriteString(c.Out, visible(fmt.Sprintf(format, args...)))
}
