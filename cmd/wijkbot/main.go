// Command wijkbot runs the WijkBV chat bot on Telegram, Discord or the
// console. Run "wijkbot -help" for its configuration.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // WIJKBOT_TIMEZONE works on machines without a zoneinfo database
)

func main() {
	os.Exit(run())
}

// run is main with an exit code, so deferred cleanup runs before os.Exit.
func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	m := NewMain()
	if err := m.ParseFlags(ctx, os.Args[1:]); errors.Is(err, flag.ErrHelp) {
		return 0
	} else if err != nil {
		fmt.Fprintf(os.Stderr, "wijkbot: %v\nRun wijkbot -help for the configuration.\n", err)
		return 2
	}
	err := m.Run(ctx)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "wijkbot: %v\n", err)
		return 1
	}
	return 0
}
