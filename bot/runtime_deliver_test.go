package bot

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// textSender is an adapter that can only send text; it records every call.
type textSender struct {
	calls []string
	fail  string // a call kind ("buttons", ...) that fails
}

func (s *textSender) Platform() string { return commands.Console }

func (s *textSender) call(kind, text string) (string, error) {
	if kind == s.fail {
		return "", errors.New("platform refused")
	}
	s.calls = append(s.calls, kind+":"+text)
	return kind, nil
}

func (s *textSender) SendText(ctx context.Context, chatID, text string) (string, error) {
	return s.call("text", text)
}

// richSender adds buttons, images and files to textSender.
type richSender struct{ textSender }

func (s *richSender) SendButtons(ctx context.Context, chatID, text string, b []commands.Button) (string, error) {
	return s.call("buttons", text+"|"+b[0].Line())
}

func (s *richSender) SendImage(ctx context.Context, chatID, caption string, img commands.File) (string, error) {
	return s.call("image", caption+"|"+img.Name)
}

func (s *richSender) SendFile(ctx context.Context, chatID, caption string, f commands.File) (string, error) {
	return s.call("file", caption+"|"+f.Name)
}

// TestDeliverFallbacks: every part of a message arrives, through the
// adapter's abilities where it has them and as text where it has not, and
// the text is never lost.
func TestDeliverFallbacks(t *testing.T) {
	chat := commands.ChatRef{Platform: commands.Console, ID: "noord"}
	img := &commands.File{Name: "mengpaneel.png"}
	csv := []commands.File{{Name: "export.csv"}}
	btns := []commands.Button{{Label: "Oppakken", Command: commands.CmdClaim, Args: []commands.Arg{{Option: "nummer", Value: "1"}}}}
	for _, tt := range []struct {
		name string
		rich bool
		fail string
		msg  commands.Message
		want []string
		err  bool
	}{
		{"all abilities, everything", true, "", commands.Message{Text: "Hoi", Buttons: btns, Image: img, Files: csv},
			[]string{"buttons:Hoi|/oppakken 1", "image:|mengpaneel.png", "file:|export.csv"}, false},
		{"image with text is captioned", true, "", commands.Message{Text: "Hoi", Image: img},
			[]string{"image:Hoi|mengpaneel.png"}, false},
		{"text only, everything", false, "", commands.Message{Text: "Hoi", Buttons: btns, Image: img, Files: csv},
			[]string{"text:Hoi\n  [Oppakken] /oppakken 1", "text:(mengpaneel.png)", "text:(export.csv)"}, false},
		{"text only, image without text", false, "", commands.Message{Image: img},
			[]string{"text:(mengpaneel.png)"}, false},
		{"failing buttons stop the rest", true, "buttons", commands.Message{Text: "Hoi", Buttons: btns, Image: img},
			nil, true},
		{"failing image after buttons keeps what was sent", true, "image", commands.Message{Text: "Hoi", Buttons: btns, Image: img},
			[]string{"buttons:Hoi|/oppakken 1"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var rec *textSender
			r := &Runtime{}
			if tt.rich {
				s := &richSender{textSender{fail: tt.fail}}
				rec = &s.textSender
				r.Register(s)
			} else {
				rec = &textSender{fail: tt.fail}
				r.Register(rec)
			}
			tt.msg.Chat = chat
			sent, err := r.Deliver(context.Background(), tt.msg)
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error %v", err, tt.err)
			}
			if !reflect.DeepEqual(rec.calls, tt.want) {
				t.Errorf("calls %q, want %q", rec.calls, tt.want)
			}
			if len(sent) != len(tt.want) {
				t.Errorf("Deliver reported %d sent, the adapter got %d", len(sent), len(tt.want))
			}
		})
	}
	t.Run("no adapter for the platform", func(t *testing.T) {
		if _, err := (&Runtime{}).Deliver(context.Background(), commands.Message{Chat: chat, Text: "Hoi"}); err == nil {
			t.Fatal("delivered to a platform without adapter")
		}
	})
}
