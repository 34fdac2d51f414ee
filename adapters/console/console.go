// Package console is peerbot's terminal adapter: one group whose members are
// whoever the person at the keyboard (or a script) says they are. It is the
// default when no platform is configured and the harness for scripted
// end-to-end tests. See parseInput for the input lines and Deliver for the
// output lines; both are a contract that scripts rely on.
package console

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/peerbot/peerbot/bot"
)

// The console's one group, its channel, and the prefix of its member ids.
const (
	Group        bot.GroupID   = "console:group"
	Channel      bot.ChannelID = "console:group"
	memberPrefix               = "console:"
	groupName                  = "console"
)

// MemberID returns the member id of the console member called name.
func MemberID(name string) bot.MemberID { return bot.MemberID(memberPrefix + name) }

// memberName returns the name inside a console member id ("" if it is not one).
func memberName(id bot.MemberID) string {
	name, ok := strings.CutPrefix(string(id), memberPrefix)
	if !ok {
		return ""
	}
	return name
}

// Options configure an Adapter.
type Options struct {
	// Facilitators are the members who are facilitators from the start
	// (/facilitator adds more). The set lasts for the session only.
	Facilitators []string
	// Interactive: a person is typing. Run prints a short welcome banner and
	// notes on stdout. Otherwise stdout carries bot output only.
	Interactive bool
	// RealTime: the clock follows the machine's clock (plus what /clock
	// adds) and Run ticks the core every second. Otherwise the clock is
	// manual: it starts at Start and moves only with /clock.
	RealTime bool
	// Start is where a manual clock starts (default: the machine's time).
	Start time.Time
	// Errors receives one-line hints about input lines that were not
	// understood (default: discarded).
	Errors io.Writer
	// Log receives operational logs; never message content.
	Log *zerolog.Logger
}

// Adapter is the console platform. Create it with New, build the core with
// bot.Router{"console": adapter} and adapter.Clock(), then call Run. Deliver
// is safe for concurrent use.
type Adapter struct {
	clock       clock
	realTime    bool
	interactive bool
	errOut      io.Writer
	log         zerolog.Logger
	session     string

	mu           sync.Mutex
	out          io.Writer // set while Run runs
	msgs         int
	facilitators map[string]bool
}

var _ bot.Platform = (*Adapter)(nil)

// New returns a console adapter.
func New(o Options) *Adapter {
	a := &Adapter{
		realTime:     o.RealTime,
		interactive:  o.Interactive,
		errOut:       o.Errors,
		log:          zerolog.Nop(),
		session:      newSession(),
		facilitators: map[string]bool{},
	}
	if a.errOut == nil {
		a.errOut = io.Discard
	}
	if o.Log != nil {
		a.log = *o.Log
	}
	if o.RealTime {
		a.clock = newOffsetClock()
	} else {
		start := o.Start
		if start.IsZero() {
			start = time.Now()
		}
		a.clock = bot.NewManualClock(start)
	}
	for _, name := range o.Facilitators {
		if name = strings.TrimSpace(name); name != "" {
			a.facilitators[name] = true
		}
	}
	return a
}

// newSession returns a random name for this run, part of the automatic
// event ids, so that a later session's line 1 is not taken for this one's.
func newSession() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}

// Clock returns the clock the core must be built with, so that /clock moves
// the core's time.
func (a *Adapter) Clock() bot.Clock { return a.clock }

// core is what Run needs of *bot.Bot.
type core interface {
	Handle(ctx context.Context, ev bot.Event) error
	Tick(ctx context.Context) error
	Prefix() string
}

// Run reads input lines from in until it ends or ctx is cancelled, turning
// each into an event for core, and prints the bot's output on out. It ticks
// the core once at start (to close rounds that became due while peerbot was
// not running), after each /clock line and, in real-time mode, every second.
// A line that is being handled when ctx is cancelled is finished first. Run
// returns an error when in cannot be read or when handling some lines failed
// (each failure is logged as it happens).
func (a *Adapter) Run(ctx context.Context, core *bot.Bot, in io.Reader, out io.Writer) error {
	return a.run(ctx, core, in, out)
}

func (a *Adapter) run(ctx context.Context, c core, in io.Reader, out io.Writer) error {
	a.mu.Lock()
	a.out = out
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		a.out = nil
		a.mu.Unlock()
	}()
	if a.interactive {
		a.say(banner(c.Prefix(), a.facilitatorNames()))
	}
	a.tick(ctx, c)

	done := make(chan struct{})
	defer close(done)
	lines, readErr := readLines(in, done, func() { a.hint("skipped a line longer than 64 KiB") })

	// Events are handled with a context that is not cancelled, so that
	// the one in flight when ctx ends is finished, not torn halfway.
	hctx := context.WithoutCancel(ctx)
	var tick <-chan time.Time
	if a.realTime {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		tick = t.C
	}
	failed, n := 0, 0
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick:
			a.tick(hctx, c)
		case line, ok := <-lines:
			if !ok {
				if err := <-readErr; err != nil {
					return fmt.Errorf("console: read input: %w", err)
				}
				if failed > 0 {
					return fmt.Errorf("console: %d input lines failed", failed)
				}
				return nil
			}
			n++
			quit, err := a.handleLine(hctx, c, line, n)
			if err != nil {
				failed++
				a.log.Error().Err(err).Int("line", n).Msg("Handling console input failed")
			}
			if quit {
				return nil
			}
		}
	}
}

// readLines sends in's lines on the returned channel, joining a line that
// ends in a backslash with the next one (with a line break between them, for
// multi-line agreement texts). It closes the channel at the end of in and
// then sends the read error (or nil).
func readLines(in io.Reader, done <-chan struct{}, skipped func()) (<-chan string, <-chan error) {
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		defer close(errc)
		defer close(lines)
		r := bufio.NewReaderSize(in, 64*1024)
		var pending strings.Builder
		for {
			line, tooLong, err := readCapped(r, maxLine)
			if err != nil && line == "" && !tooLong {
				if err == io.EOF {
					err = nil
				}
				if pending.Len() > 0 {
					select {
					case lines <- strings.TrimSuffix(pending.String(), "\n"):
					case <-done:
						return
					}
				}
				errc <- err
				return
			}
			if tooLong || pending.Len()+len(line) > maxLine {
				skipped() // one line is lost, not the session
				pending.Reset()
				continue
			}
			line = strings.TrimRight(line, "\r")
			if rest, ok := strings.CutSuffix(line, `\`); ok {
				pending.WriteString(rest + "\n")
				continue
			}
			pending.WriteString(line)
			select {
			case lines <- pending.String():
			case <-done:
				return
			}
			pending.Reset()
		}
	}()
	return lines, errc
}

// maxLine bounds one input line (with its continuations).
const maxLine = 64 * 1024

// readCapped reads one line without its line break. A line longer than max
// is read to its end and dropped: tooLong is then true and line empty.
func readCapped(r *bufio.Reader, max int) (line string, tooLong bool, err error) {
	var b []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			if len(b)+len(chunk) > max+1 {
				tooLong, b = true, nil
			} else {
				b = append(b, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if tooLong {
			return "", true, err
		}
		return strings.TrimSuffix(string(b), "\n"), false, err
	}
}

// tick asks the core to do what became due, logging a failure.
func (a *Adapter) tick(ctx context.Context, c core) {
	if err := c.Tick(ctx); err != nil {
		a.log.Error().Err(err).Msg("Console tick failed")
	}
}

// say prints a console note (not bot output) on stdout; only used when a
// person is typing.
func (a *Adapter) say(s string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.out != nil {
		_, _ = io.WriteString(a.out, s)
	}
}

// hint prints a one-line hint about the input on the error output.
func (a *Adapter) hint(s string) { _, _ = fmt.Fprintln(a.errOut, "console: "+s) }

func (a *Adapter) facilitatorNames() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	names := make([]string, 0, len(a.facilitators))
	for n := range a.facilitators {
		names = append(names, n)
	}
	return names
}
