package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// tracer is a reverse proxy between a bot and Dendrite that counts the
// requests by method and endpoint (room, event, user and transaction ids
// replaced by placeholders) and adds up their time. It records no bodies
// and no query strings: nothing members write.
type tracer struct {
	URL   string
	srv   *http.Server
	mu    sync.Mutex
	calls map[string]*endpointStat
	log   []call // every call since the last take, in order of ending
}

// call is one request through the tracer.
type call struct {
	key        string
	start, end time.Time
}

type endpointStat struct {
	n     int
	total time.Duration
}

func startTracer(target string) (*tracer, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	t := &tracer{URL: "http://" + l.Addr().String(), calls: map[string]*endpointStat{}}
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.FlushInterval = -1
	// A bot stopped mid-long-poll cancels its request; that is expected.
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	t.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Method + " " + endpoint(r.URL.EscapedPath())
		start := time.Now()
		proxy.ServeHTTP(w, r)
		end := time.Now()
		d := end.Sub(start)
		t.mu.Lock()
		t.log = append(t.log, call{key, start, end})
		s := t.calls[key]
		if s == nil {
			s = &endpointStat{}
			t.calls[key] = s
		}
		s.n++
		s.total += d
		t.mu.Unlock()
	})}
	go func() { _ = t.srv.Serve(l) }()
	return t, nil
}

// take returns what was counted since the last take, and starts over.
func (t *tracer) take() (map[string]endpointStat, []call) {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := map[string]endpointStat{}
	for k, v := range t.calls {
		out[k] = *v
	}
	calls := t.log
	t.calls, t.log = map[string]*endpointStat{}, nil
	return out, calls
}

func (t *tracer) close() { _ = t.srv.Close() }

// endpoint replaces the ids in a Matrix client API path with placeholders.
func endpoint(escaped string) string {
	parts := strings.Split(escaped, "/")
	for i, p := range parts {
		s, err := url.PathUnescape(p)
		if err != nil {
			s = p
		}
		switch {
		case strings.HasPrefix(s, "!"):
			parts[i] = "{room}"
		case strings.HasPrefix(s, "$"):
			parts[i] = "{event}"
		case strings.HasPrefix(s, "@"):
			parts[i] = "{user}"
		case i >= 2 && (parts[i-2] == "send" || parts[i-2] == "sendToDevice"):
			parts[i] = "{txn}"
		case i >= 2 && parts[i-2] == "redact":
			parts[i] = "{txn}"
		case i >= 1 && parts[i-1] == "filter":
			parts[i] = "{filter}"
		}
	}
	return strings.Join(parts, "/")
}

// traceTable writes counts divided by n (per command; n = 1: in all) and
// mean times by endpoint.
func traceTable(w io.Writer, per map[string]endpointStat, n int) {
	what := "calls per command"
	if n == 1 {
		what = "calls"
	}
	keys := make([]string, 0, len(per))
	for k := range per {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return per[b].n - per[a].n })
	fmt.Fprintf(w, "| endpoint | %s | mean time per call |\n|---|---|---|\n", what)
	total := 0
	for _, k := range keys {
		s := per[k]
		total += s.n
		fmt.Fprintf(w, "| `%s` | %.2f | %.1f ms |\n", k, float64(s.n)/float64(n), float64(s.total.Microseconds())/1000/float64(s.n))
	}
	fmt.Fprintf(w, "| all | %.2f | |\n", float64(total)/float64(n))
}
