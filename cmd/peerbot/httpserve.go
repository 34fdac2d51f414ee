package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// The HTTP endpoints for supervisors and monitoring (http.listen):
//
//	/healthz  200 "ok" while the process is alive
//	/readyz   200 "ready" when the database answers and every enabled
//	          platform is connected; 503 with one short line per failing
//	          part otherwise
//	/metrics  Prometheus text format (metrics.go)
//
// Nothing they answer names a member, a group or a secret.

// healthChecker is an adapter that can say whether it is connected.
type healthChecker interface {
	Health() error
}

// readiness is one part /readyz checks: its name and its check.
type readiness struct {
	name  string
	check func(context.Context) error
}

// validateHTTP checks http.listen.
func (c *Config) validateHTTP() []string {
	if c.HTTP.Listen == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(c.HTTP.Listen)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 || strings.ContainsAny(host, "/ ") {
		return []string{fmt.Sprintf("http.listen: %q is not an address such as 127.0.0.1:9464", c.HTTP.Listen)}
	}
	return nil
}

// readyChecks returns what /readyz checks: the database, then each adapter
// that can say whether it is connected, by name.
func readyChecks(ping func(context.Context) error, runners map[string]runner) []readiness {
	checks := []readiness{{name: "database", check: func(ctx context.Context) error {
		if ping(ctx) != nil {
			// Not the error's text: it may name the database.
			return errors.New("not answering")
		}
		return nil
	}}}
	names := make([]string, 0, len(runners))
	for name := range runners {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if h, ok := runners[name].(healthChecker); ok {
			checks = append(checks, readiness{name: name, check: func(context.Context) error { return h.Health() }})
		}
	}
	return checks
}

// httpHandler serves /healthz, /readyz and /metrics.
func httpHandler(checks []readiness, metrics http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		var failing []string
		for _, c := range checks {
			if err := c.check(ctx); err != nil {
				failing = append(failing, c.name+": "+strings.TrimPrefix(err.Error(), c.name+": "))
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if len(failing) > 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "not ready\n%s\n", strings.Join(failing, "\n"))
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("GET /metrics", metrics)
	return mux
}

// serveHTTP listens on addr at once (so a bad or busy address stops the
// start) and serves h until the returned stop is called.
func serveHTTP(addr string, h http.Handler, log zerolog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("http.listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error().Err(err).Msg("Serving health and metrics stopped")
		}
	}()
	log.Info().Str("address", ln.Addr().String()).Msg("Serving /healthz, /readyz and /metrics")
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}, nil
}

const healthcheckUsage = `peerbot healthcheck asks a running peerbot's health endpoint (http.listen)
and exits 0 when it answers 200, 1 otherwise: for a container's HEALTHCHECK,
where there is no shell or curl.

Usage:
  peerbot healthcheck [-url URL]
`

// runHealthcheck GETs the URL and turns its status into the exit status.
func (m *Main) runHealthcheck(ctx context.Context, args []string) error {
	fs := m.flags("healthcheck", healthcheckUsage)
	url := fs.String("url", "http://127.0.0.1:9464/readyz", "the endpoint to ask: /healthz (alive) or /readyz (connected)")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{"healthcheck takes no arguments, only -url"}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return &usageError{"healthcheck: -url: " + err.Error()}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	_, err = m.Stdout.Write(body)
	return err
}
