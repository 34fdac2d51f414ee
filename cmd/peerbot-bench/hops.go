package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// hops splits each command's round trip into its hops, from the driver's
// times and the bot's requests seen by the tracer, as times after the
// driver's send request started, and writes the median and p90 of each.
func hops(w io.Writer, name string, sends []sendLog, calls []call) {
	const sync, send = "GET /_matrix/client/v3/sync", "PUT /_matrix/client/v3/rooms/{room}/send/m.room.message/"
	var sent, toBot, putStart, putEnd, reply, free, work, blocked []time.Duration
	for _, s := range sends {
		var put *call // the bot's reply
		for i := range calls {
			if strings.HasPrefix(calls[i].key, send) && calls[i].start.After(s.start) {
				put = &calls[i]
				break
			}
		}
		if put == nil || put.start.After(s.reply) {
			continue
		}
		var got *call // the bot's /sync that brought the command
		for i := range calls {
			c := &calls[i]
			if c.key == sync && c.end.After(s.start) && c.end.Before(put.start) && (got == nil || c.end.After(got.end)) {
				got = c
			}
		}
		if got == nil {
			continue
		}
		var next *call // the bot's next /sync: its handler has returned
		for i := range calls {
			c := &calls[i]
			if c.key == sync && c.start.After(got.end) && (next == nil || c.start.Before(next.start)) {
				next = c
			}
		}
		sent = append(sent, s.sent.Sub(s.start))
		toBot = append(toBot, got.end.Sub(s.start))
		putStart = append(putStart, put.start.Sub(s.start))
		putEnd = append(putEnd, put.end.Sub(s.start))
		reply = append(reply, s.reply.Sub(s.start))
		work = append(work, put.start.Sub(got.end))
		if next != nil {
			free = append(free, next.start.Sub(s.start))
			blocked = append(blocked, next.start.Sub(got.end))
		}
	}
	fmt.Fprintf(w, "\n%s, hop by hop: time after the driver's send request started (medians over %d of %d commands; through the proxy)\n\n", name, len(sent), len(sends))
	fmt.Fprintf(w, "| step | median | p90 |\n|---|---|---|\n")
	for _, h := range []struct {
		name string
		d    []time.Duration
	}{
		{"the driver's send request is answered", sent},
		{"the bot's /sync returns with the command", toBot},
		{"the bot starts its reply's send request", putStart},
		{"the driver's /sync returns with the reply (the latency)", reply},
		{"the bot's reply send request is answered", putEnd},
		{"the bot starts its next /sync (its handler returned)", free},
		{"— the bot's own work before replying (/sync returned → reply sent)", work},
		{"— the bot's sync loop held by the command (/sync returned → next /sync)", blocked},
	} {
		fmt.Fprintf(w, "| %s | %s | %s |\n", h.name, ms(pct(h.d, 50)), ms(pct(h.d, 90)))
	}
}
