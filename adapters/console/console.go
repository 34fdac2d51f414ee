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
	// adds), so rounds close by themselves as the core's loop ticks.
	// Otherwise the clock is manual: it starts at Start and moves only
	// with /clock.
	RealTime bool
	// Start is where a manual clock starts (default: the machine's time).
	Start time.Time
	// Out receives the bot's output and, when Interactive, the console's
	// notes (default: discarded). It is written from the moment the core
	// can deliver, which is before Run: the core's loop closes rounds that
	// became due while peerbot was not running as it starts.
	Out io.Writer
	// Errors receives one-line hints about input lines that were not
	// understood (default: discarded).
	Errors io.Writer
}

// Adapter is the console platform. Create it with New, build the core with
// bot.Router{"console": adapter} and adapter.Clock(), start the core's loop
// (bot.Bot.Start), then call Run. Deliver is safe for concurrent use.
type Adapter struct {
	clock       clock
	interactive bool
	errOut      io.Writer
	session     string

	mu           sync.Mutex // serialises output and guards what follows
	out          io.Writer
	msgs         int
	facilitators map[string]bool

	posts posts // members' recent chat lines, for !cw (posts.go)
}

var _ bot.Platform = (*Adapter)(nil)

// New returns a console adapter.
func New(o Options) *Adapter {
	a := &Adapter{
		interactive:  o.Interactive,
		errOut:       o.Errors,
		out:          o.Out,
		session:      newSession(),
		facilitators: map[string]bool{},
	}
	if a.errOut == nil {
		a.errOut = io.Discard
	}
	if a.out == nil {
		a.out = io.Discard
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
// the core's time. It is a bot.MovableClock: once the core's loop runs,
// moving it makes the core do what became due before the move returns.
func (a *Adapter) Clock() bot.Clock { return a.clock }

// Run reads input lines from in until it ends or ctx is cancelled, turning
// each into an event for core; the bot's output goes to Options.Out. The
// core's loop must already run (bot.Bot.Start): it closes the rounds that
// became due while peerbot was not running before Run reads a line, closes
// rounds on time in real-time mode, and after a /clock line has done what
// became due before the next line is read. A line that is being handled
// when ctx is cancelled is finished first. Run returns an error when in
// cannot be read or when the core failed on some lines (it logged each).
func (a *Adapter) Run(ctx context.Context, core bot.Core, in io.Reader) error {
	if a.interactive {
		a.say(banner(core.Prefix(), a.facilitatorNames()))
	}

	done := make(chan struct{})
	defer close(done)
	lines, readErr := readLines(in, done, func() { a.hint("skipped a line longer than 64 KiB") })

	// Events are handled with a context that is not cancelled, so that
	// the one in flight when ctx ends is finished, not torn halfway.
	hctx := context.WithoutCancel(ctx)
	failed, n := 0, 0
	for {
		select {
		case <-ctx.Done():
			return nil
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
			quit, lineFailed := a.handleLine(hctx, core, line, n)
			if lineFailed {
				failed++
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

// say prints a console note (not bot output) on stdout; only used when a
// person is typing.
func (a *Adapter) say(s string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	_, _ = io.WriteString(a.out, s)
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
