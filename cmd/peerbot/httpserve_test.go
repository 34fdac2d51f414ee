package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/rs/zerolog"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
)

// sickAdapter is a runner that says it is not connected.
type sickAdapter struct{ err error }

func (a sickAdapter) Run(ctx context.Context, _ bot.Core) error { <-ctx.Done(); return nil }
func (a sickAdapter) Health() error                             { return a.err }

// TestReadyz ensures /readyz names every failing part in one short line,
// without the database's error text (it may name the file), and is 200
// with all parts well.
func TestReadyz(t *testing.T) {
	dbErr := errors.New("unable to open database file /srv/secret/peerbot.db")
	runners := map[string]runner{
		"matrix":  sickAdapter{errors.New("matrix: no successful sync for 3m0s")},
		"discord": sickAdapter{errors.New("discord: gateway disconnected")},
	}
	h := httpHandler(readyChecks(func(context.Context) error { return dbErr }, runners), http.NotFoundHandler())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	want := "not ready\ndatabase: not answering\ndiscord: gateway disconnected\nmatrix: no successful sync for 3m0s\n"
	if rec.Code != http.StatusServiceUnavailable || rec.Body.String() != want {
		t.Errorf("/readyz = %d %q, want 503 %q", rec.Code, rec.Body.String(), want)
	}

	runners = map[string]runner{"discord": sickAdapter{}}
	h = httpHandler(readyChecks(func(context.Context) error { return nil }, runners), http.NotFoundHandler())
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "ready\n" {
		t.Errorf("/readyz = %d %q, want 200 ready", rec.Code, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/healthz", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz = %d, want 405", rec.Code)
	}
}

// TestHTTPListenConfig ensures http.listen takes host:port addresses and
// names itself when it cannot.
func TestHTTPListenConfig(t *testing.T) {
	for _, ok := range []string{"", "127.0.0.1:9464", "[::1]:9464", ":9464", "0.0.0.0:9464", "localhost:0"} {
		if _, err := ParseConfig([]byte("http:\n  listen: \""+ok+"\"\n"), nil); err != nil {
			t.Errorf("http.listen %q: %v", ok, err)
		}
	}
	for _, bad := range []string{"9464", "127.0.0.1", "127.0.0.1:http", "127.0.0.1:70000", "http://127.0.0.1:9464"} {
		_, err := ParseConfig([]byte("http:\n  listen: \""+bad+"\"\n"), nil)
		if err == nil || !strings.Contains(err.Error(), "http.listen:") {
			t.Errorf("http.listen %q: %v, want a problem naming http.listen", bad, err)
		}
	}
	if _, err := serveHTTP("127.0.0.1:-1", http.NotFoundHandler(), zerolog.Nop()); err == nil {
		t.Error("serveHTTP on a bad address started")
	}
}

// TestTimedStoreTimesEveryMethod calls every bot.Store method through
// timedStore on a real database and checks each was timed under its own
// name: a method added to bot.Store later must be timed too.
func TestTimedStoreTimesEveryMethod(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "p.db"), store.WithKey(store.GenerateKey()))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "t"}, []string{"method"})
	ts := reflect.ValueOf(timedStore{Store: st, h: h})
	iface := reflect.TypeOf((*bot.Store)(nil)).Elem()
	for i := 0; i < iface.NumMethod(); i++ {
		name := iface.Method(i).Name
		m := ts.MethodByName(name)
		args := []reflect.Value{reflect.ValueOf(context.Background())}
		for j := 1; j < m.Type().NumIn(); j++ {
			args = append(args, reflect.Zero(m.Type().In(j)))
		}
		if name == "InTx" {
			args[1] = reflect.ValueOf(func(bot.Store) error { return nil })
		}
		m.Call(args)
		var out dto.Metric
		if err := h.WithLabelValues(name).(prometheus.Histogram).Write(&out); err != nil {
			t.Fatal(err)
		}
		if out.Histogram.GetSampleCount() != 1 {
			t.Errorf("%s was timed %d times, want 1 (add it to timedstore.go)", name, out.Histogram.GetSampleCount())
		}
	}
}
