package console

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/commands"
)

// SendText prints text. A message for a chat other than the current one is
// printed with the chat's name before every line ("[staf] ..."), so one
// terminal shows what happens in every chat.
func (c *Console) SendText(ctx context.Context, chatID, text string) (string, error) {
	return c.show(chatID, text), nil
}

// SendButtons prints text with the buttons as the commands they would run.
// A button that leaves out a text is printed as a hint with the option to
// type after it ("/antwoord 3 <tekst>").
func (c *Console) SendButtons(ctx context.Context, chatID, text string, buttons []commands.Button) (string, error) {
	return c.show(chatID, text+bot.ButtonHints(c.Runtime.Commands(), buttons)), nil
}

// AsksForText tells the runtime to pass buttons that leave out a text:
// the console shows them as hints (SendButtons).
func (c *Console) AsksForText() bool { return true }

// SendImage writes the image into ImageDir and prints the caption and its path.
func (c *Console) SendImage(ctx context.Context, chatID, caption string, img commands.File) (string, error) {
	return c.sendFile(chatID, caption, img, c.Lang.Msg(commands.MsgConsoleImage))
}

// SendFile writes the file into ImageDir and prints the caption and its path.
func (c *Console) SendFile(ctx context.Context, chatID, caption string, f commands.File) (string, error) {
	return c.sendFile(chatID, caption, f, c.Lang.Msg(commands.MsgConsoleFile))
}

func (c *Console) sendFile(chatID, caption string, f commands.File, kind string) (string, error) {
	path, err := c.writeFile(f)
	if err != nil {
		return "", err
	}
	text := fmt.Sprintf("(%s: %s)", kind, path)
	if caption != "" {
		text = caption + "\n" + text
	}
	return c.show(chatID, text), nil
}

// writeFile stores f under a fresh name in ImageDir, keeping its name and
// extension recognisable ("mengpaneel-123456.png").
func (c *Console) writeFile(f commands.File) (string, error) {
	dir, err := c.fileDir()
	if err != nil {
		return "", err
	}
	name := filepath.Base(f.Name)
	if name == "." || name == string(filepath.Separator) || name == "" {
		name = "bestand"
	}
	ext := filepath.Ext(name)
	pattern := strings.ReplaceAll(strings.TrimSuffix(name, ext), "*", "_") + "-*" + ext
	out, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", fmt.Errorf("console: create file: %w", err)
	}
	if _, err := out.Write(f.Data); err != nil {
		out.Close()
		return "", fmt.Errorf("console: write file: %w", err)
	}
	if err := out.Close(); err != nil {
		return "", fmt.Errorf("console: write file: %w", err)
	}
	return out.Name(), nil
}

// fileDir returns ImageDir, created if needed, or else a fresh temporary
// directory for this run (a fixed name in /tmp could be taken by anything).
func (c *Console) fileDir() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ImageDir == "" {
		dir, err := os.MkdirTemp("", "wijkbot-")
		if err != nil {
			return "", fmt.Errorf("console: file directory: %w", err)
		}
		c.ImageDir = dir
	}
	if err := os.MkdirAll(c.ImageDir, 0o755); err != nil {
		return "", fmt.Errorf("console: file directory: %w", err)
	}
	return c.ImageDir, nil
}

// show prints text as a message in the chat and returns its message id.
func (c *Console) show(chatID, text string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent++
	id := strconv.Itoa(c.sent)
	// Message texts carry what users typed: no control sequence reaches
	// the terminal (visible), and a chat's prefix comes before every line.
	text = visible(strings.TrimRight(text, "\n"))
	if chatID == c.chat {
		fmt.Fprintln(c.Out, text)
		return id
	}
	prefix := "[" + visible(chatID) + "] "
	fmt.Fprintln(c.Out, prefix+strings.ReplaceAll(text, "\n", "\n"+prefix))
	return id
}
