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

	"github.com/wijkbv/wijkbot/internal/gcpercent"

	_ "time/tzdata" // WIJKBOT_TIMEZONE works on machines without a zoneinfo database
)

func main() {
	gcpercent.Apply(os.Getenv) // GOGC=200 unless set: see internal/gcpercent
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, NewMain(), os.Args[1:])
	stop()
	os.Exit(code)
}

// run is the whole program with an exit status: 2 for a configuration
// error, 1 for a failure while running, 0 otherwise (also after -help, at
// the end of the console's input, and after SIGINT/SIGTERM).
func run(ctx context.Context, m *Main, args []string) int {
	// The database subcommands have flags of their own and run instead of the bot.
	switch {
	case isDBCommand(args):
		return runDBCommand(ctx, args, m.getenv, m.out(), m.errOut())
	case isExportCommand(args):
		return runExportCommand(ctx, args[1:], m.getenv, m.out(), m.errOut())
	}
	if err := m.ParseFlags(ctx, args); errors.Is(err, flag.ErrHelp) {
		return 0
	} else if err != nil {
		fmt.Fprintf(m.errOut(), "wijkbot: %v\nRun wijkbot -help for the configuration.\n", err)
		return 2
	}
	err := m.Run(ctx)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(m.errOut(), "wijkbot: %v\n", err)
		return 1
	}
	return 0
}
