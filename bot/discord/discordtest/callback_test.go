package discordtest

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"
)

// dispatched records an interaction as sent a moment ago, without a
// gateway: the callback checks below need no bot.
func dispatched(s *Server, typ int) *Interaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.id()
	in := &Interaction{ID: id, Token: "itoken-" + id, Type: typ, ChannelID: "1200000000000000001", payload: map[string]any{}, dispatched: time.Now()}
	s.interactions[id] = in
	return in
}

// answer posts a callback body (JSON, or multipart when files are given)
// and returns the status.
func answer(t *testing.T, s *Server, in *Interaction, body string, files ...File) int {
	t.Helper()
	url := fmt.Sprintf("%s/api/v10/interactions/%s/%s/callback", s.URL, in.ID, in.Token)
	ct, payload := "application/json", []byte(body)
	if len(files) > 0 {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("payload_json", body)
		for i, f := range files {
			w, _ := mw.CreateFormFile(fmt.Sprintf("files[%d]", i), f.Name)
			w.Write(f.Data)
		}
		mw.Close()
		ct, payload = mw.FormDataContentType(), buf.Bytes()
	}
	resp, err := http.Post(url, ct, bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestCallbacks: the fake reads each kind of callback as Discord does,
// the body decoded once before it takes its lock, and refuses what
// Discord refuses: a second answer, a type that does not fit the
// interaction, a late answer.
func TestCallbacks(t *testing.T) {
	s := NewServer(t)
	last := func(in *Interaction) Interaction { return s.Interaction(in.ID) }

	t.Run("a message with a button", func(t *testing.T) {
		in := dispatched(s, TypeCommand)
		body := `{"type":4,"data":{"content":"Genoteerd","flags":64,"components":[{"type":1,"components":[{"type":2,"style":1,"label":"Oppakken","custom_id":"claim:1"}]}]}}`
		if got := answer(t, s, in, body); got != http.StatusNoContent {
			t.Fatalf("status %d, want 204", got)
		}
		got := last(in)
		if len(got.Callbacks) != 1 || got.Callbacks[0].Type != CallbackMessage || got.Original == nil {
			t.Fatalf("callbacks %+v, original %v", got.Callbacks, got.Original)
		}
		m := got.Original
		if m.Content != "Genoteerd" || m.Flags != 64 || len(m.Buttons) != 1 || m.Buttons[0].CustomID != "claim:1" || m.ChannelID != in.ChannelID {
			t.Fatalf("message %+v", m)
		}
		if status := answer(t, s, in, `{"type":4,"data":{"content":"nog eens"}}`); status != http.StatusBadRequest {
			t.Fatalf("second answer: status %d, want 400", status)
		}
		if got := last(in); got.Rejected != 1 || got.Original.Content != "Genoteerd" {
			t.Fatalf("after a second answer: rejected %d, content %q", got.Rejected, got.Original.Content)
		}
	})

	t.Run("a message with a file", func(t *testing.T) {
		in := dispatched(s, TypeCommand)
		png := File{Name: "mengpaneel.png", Data: []byte("\x89PNG\r\n\x1a\n")}
		if got := answer(t, s, in, `{"type":4,"data":{"content":"Jullie mengpaneel","attachments":[{"id":"0","filename":"mengpaneel.png"}]}}`, png); got != http.StatusNoContent {
			t.Fatalf("status %d, want 204", got)
		}
		m := last(in).Original
		if m == nil || m.Content != "Jullie mengpaneel" || len(m.Files) != 1 || m.Files[0].Name != png.Name || !bytes.Equal(m.Files[0].Data, png.Data) {
			t.Fatalf("message %+v", m)
		}
	})

	t.Run("a modal", func(t *testing.T) {
		in := dispatched(s, TypeCommand)
		body := `{"type":9,"data":{"custom_id":"vraag","title":"Hulpvraag","components":[{"type":1,"components":[{"type":4,"custom_id":"tekst","label":"Je vraag","style":2,"required":true,"max_length":1000}]}]}}`
		if got := answer(t, s, in, body); got != http.StatusNoContent {
			t.Fatalf("status %d, want 204", got)
		}
		cb := last(in).Callbacks
		if len(cb) != 1 || cb[0].Modal == nil || cb[0].Modal.Title != "Hulpvraag" || len(cb[0].Modal.Inputs) != 1 || cb[0].Modal.Inputs[0].MaxLength != 1000 || !cb[0].Modal.Inputs[0].Required {
			t.Fatalf("callbacks %+v", cb)
		}
	})

	t.Run("a deferral", func(t *testing.T) {
		in := dispatched(s, TypeCommand)
		if got := answer(t, s, in, `{"type":5}`); got != http.StatusNoContent {
			t.Fatalf("status %d, want 204", got)
		}
		if got := last(in); len(got.Callbacks) != 1 || got.Callbacks[0].Type != CallbackDeferred || got.Original != nil {
			t.Fatalf("callbacks %+v, original %v", got.Callbacks, got.Original)
		}
	})

	refused := []struct {
		name string
		typ  int
		body string
	}{
		{"suggestions to a command", TypeCommand, `{"type":8,"data":{"choices":[]}}`},
		{"an update to a command", TypeCommand, `{"type":7,"data":{"content":"x"}}`},
		{"a message to an autocomplete", TypeAutocomplete, `{"type":4,"data":{"content":"x"}}`},
		{"a modal to an autocomplete", TypeAutocomplete, `{"type":9,"data":{"custom_id":"x","title":"t","components":[{"type":1,"components":[{"type":4,"custom_id":"t","label":"l","style":1}]}]}}`},
		{"six rows of buttons", TypeCommand, `{"type":4,"data":{"content":"x","components":[` + strings.Repeat(`{"type":1,"components":[{"type":2,"style":1,"label":"a","custom_id":"a"}]},`, 5) + `{"type":1,"components":[{"type":2,"style":1,"label":"a","custom_id":"a"}]}]}}`},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			in := dispatched(s, c.typ)
			if got := answer(t, s, in, c.body); got != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", got)
			}
			if got := last(in); got.Rejected != 1 || len(got.Callbacks) != 0 {
				t.Fatalf("rejected %d, callbacks %d; want 1 and 0", got.Rejected, len(got.Callbacks))
			}
		})
	}

	t.Run("too late", func(t *testing.T) {
		in := dispatched(s, TypeCommand)
		s.mu.Lock()
		in.dispatched = time.Now().Add(-s.Deadline - time.Second)
		s.mu.Unlock()
		if got := answer(t, s, in, `{"type":4,"data":{"content":"x"}}`); got != http.StatusNotFound {
			t.Fatalf("status %d, want 404", got)
		}
	})
}
