// Command peerbot runs peer-support group meetings on Matrix, on Discord,
// or in a terminal (the console). See Main for the commands and the README
// for everything a member or operator needs.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones work on machines without zoneinfo
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal peerbot finishes what it is doing and
		// closes the database; a second signal ends it at once.
		<-ctx.Done()
		stop()
	}()
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	os.Exit(m.Exit(err))
}
