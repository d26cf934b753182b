package telegram

import (
	"net/http"
	"testing"
	"time"
)

// TestCallClient: a call with its own deadline goes without the client's
// Timeout only when that Timeout could never end the call first, so the
// earlier of the two limits still applies; the configured client itself
// is left as it was.
func TestCallClient(t *testing.T) {
	transport := &http.Transport{}
	long := &http.Client{Transport: transport, Timeout: 45 * time.Second}
	direct := callClient(long, 20*time.Second)
	if direct == long || direct.Timeout != 0 || direct.Transport != transport {
		t.Fatalf("SendTimeout 20 s under a 45 s client: %+v", direct)
	}
	if long.Timeout != 45*time.Second {
		t.Fatalf("the configured client was changed: %v", long.Timeout)
	}
	short := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	if got := callClient(short, 20*time.Second); got != short {
		t.Fatalf("a 10 s client must still end a 20 s call: got %+v", got)
	}
	none := &http.Client{Transport: transport}
	if got := callClient(none, 20*time.Second); got != none {
		t.Fatalf("a client without a Timeout: got %+v", got)
	}
}
