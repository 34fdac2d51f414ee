package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
)

// metrics are peerbot's Prometheus metrics, on a registry of their own.
// Every label value comes from a fixed set (command names from the table,
// outcomes, visibilities, results, condition kinds, store method names):
// no member, group, channel, name or words, ever.
type metrics struct {
	reg        *prometheus.Registry
	commands   *prometheus.CounterVec
	handling   *prometheus.HistogramVec
	deliveries *prometheus.CounterVec
	conditions *prometheus.CounterVec
	database   *prometheus.HistogramVec
}

var _ bot.Observer = (*metrics)(nil)

// newMetrics registers the metrics; counts reads the gauges (groups, open
// rounds) on each scrape.
func newMetrics(counts func(context.Context) (store.Stats, error)) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "peerbot_commands_handled_total",
			Help: "Events handled, by command name (from the command table; unknown for anything else; join, leave, roles, message for other events) and outcome (done, refused, invalid, duplicate, failed).",
		}, []string{"command", "outcome"}),
		handling: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "peerbot_command_handling_seconds",
			Help:    "How long handling an event took, delivery of its replies included, by command name.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"command"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "peerbot_deliveries_total",
			Help: "Replies handed to a platform, by visibility (public, private, facilitators) and result (ok, failed, or the condition met: unreachable, rate_limited, interaction_expired, ...).",
		}, []string{"visibility", "result"}),
		conditions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "peerbot_conditions_total",
			Help: "Conditions adapters met, by kind; rate_limit_waited counts the waits a platform's rate limit imposed (Discord 429s), rate_limited the replies that could not wait.",
		}, []string{"kind"}),
		database: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "peerbot_database_seconds",
			Help:    "How long each call into the store took, by method (InTx is a whole transaction).",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"method"}),
	}
	for _, k := range []bot.ConditionKind{bot.RateLimitWaited, bot.RateLimited, bot.Unreachable} {
		m.conditions.WithLabelValues(k.String()) // shown as 0 before the first
	}
	info := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "peerbot_build_info",
		Help:        "Always 1; the version label is peerbot's version.",
		ConstLabels: prometheus.Labels{"version": version},
	})
	info.Set(1)
	m.reg.MustRegister(m.commands, m.handling, m.deliveries, m.conditions, m.database, info,
		&countsCollector{counts: counts},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

func (m *metrics) Handled(command string, o bot.Outcome, took time.Duration) {
	m.commands.WithLabelValues(command, o.String()).Inc()
	m.handling.WithLabelValues(command).Observe(took.Seconds())
}

func (m *metrics) Delivered(v bot.Visibility, result string) {
	m.deliveries.WithLabelValues(v.String(), result).Inc()
}

func (m *metrics) Condition(k bot.ConditionKind) {
	m.conditions.WithLabelValues(k.String()).Inc()
}

// countsCollector reads the groups and open rounds from the store on each
// scrape.
type countsCollector struct {
	counts func(context.Context) (store.Stats, error)
}

var (
	groupsDesc     = prometheus.NewDesc("peerbot_groups", "Groups the database knows.", nil, nil)
	openRoundsDesc = prometheus.NewDesc("peerbot_open_rounds", "Check-in rounds open now.", nil, nil)
)

func (c *countsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- groupsDesc
	ch <- openRoundsDesc
}

func (c *countsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := c.counts(ctx)
	if err != nil {
		// Not the error's text: it may name the database.
		ch <- prometheus.NewInvalidMetric(groupsDesc, errors.New("counting groups and open rounds failed"))
		return
	}
	ch <- prometheus.MustNewConstMetric(groupsDesc, prometheus.GaugeValue, float64(s.Groups))
	ch <- prometheus.MustNewConstMetric(openRoundsDesc, prometheus.GaugeValue, float64(s.OpenRounds))
}
