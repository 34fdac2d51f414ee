//go:build peerbotpprof

package main

// This file is only in binaries built with -tags peerbotpprof, which only
// the benchmark harness (cmd/peerbot-bench) does: it lets the harness
// profile a running peerbot from outside. A normal build has none of it.

import (
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	runpprof "runtime/pprof"
	"sync"
)

// With PEERBOT_PPROF_ADDR=127.0.0.1:PORT the process serves net/http/pprof
// there, plus POST /bench/cpu/start?file=PATH and POST /bench/cpu/stop, so
// that a CPU profile covers exactly one batch of commands.
func init() {
	addr := os.Getenv("PEERBOT_PPROF_ADDR")
	if addr == "" {
		return
	}
	runtime.MemProfileRate = 4096 // finer allocation samples than the default 512 KiB
	var mu sync.Mutex
	var cpuFile *os.File
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("POST /bench/cpu/start", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		f, err := os.Create(r.URL.Query().Get("file"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if err := runpprof.StartCPUProfile(f); err != nil {
			_ = f.Close()
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		cpuFile = f
	})
	mux.HandleFunc("POST /bench/cpu/stop", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if cpuFile == nil {
			http.Error(w, "no CPU profile running", http.StatusConflict)
			return
		}
		runpprof.StopCPUProfile()
		_ = cpuFile.Close()
		cpuFile = nil
	})
	l, err := net.Listen("tcp", addr)
	if err != nil {
		panic("PEERBOT_PPROF_ADDR: " + err.Error())
	}
	go func() { _ = http.Serve(l, mux) }()
}
