package bench

import (
	"context"
	"testing"
)

func TestThroughput(t *testing.T) {
	rate, err := Throughput{Dir: t.TempDir(), Chats: 20, PerChat: 3}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rate <= 0 {
		t.Fatalf("rate=%v, want > 0", rate)
	}
	t.Logf("/voortgang: %.0f/s", rate)
}
