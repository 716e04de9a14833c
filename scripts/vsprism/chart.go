package main

import (
	"fmt"
	"html"
	"math"
	"strings"
	"time"
)

// percentiles are the latencies that the chart draws for each measurement.
var percentiles = []struct {
	label string
	p     float64
}{{"p50", 0.50}, {"p90", 0.90}, {"p99", 0.99}, {"p99.9", 0.999}}

// colors tell the servers apart, in the order they were measured.
var colors = []string{"#d1495b", "#2e86ab", "#66a182", "#edae49"}

const (
	chartWidth, chartHeight = 960, 440
	top, bottom             = 90, 360 // of the plots
)

// drawChart draws a run: on the left the requests served per second, one bar per server and
// operation; on the right the latency percentiles of every server and operation on one
// logarithmic axis, so that a gap of ten times looks the same wherever it is.
func drawChart(run []measurement, connections, rounds int, duration time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", chartWidth, chartHeight, chartWidth, chartHeight)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="20" y="24" font-size="16" font-weight="bold">atlasstub and Prism: %d connections, %d rounds of %s, only 2xx answers counted</text>`+"\n", connections, rounds, duration)
	servers, index := serverOrder(run)
	for i, s := range servers {
		x := 20 + i*170
		fmt.Fprintf(&b, `<rect x="%d" y="38" width="12" height="12" fill="%s"/><text x="%d" y="48">%s</text>`+"\n", x, colors[index[s]%len(colors)], x+18, html.EscapeString(s))
	}
	throughput(&b, run, index)
	latencies(&b, run, index)
	b.WriteString("</svg>\n")
	return b.String()
}

func serverOrder(run []measurement) ([]string, map[string]int) {
	index := map[string]int{}
	var servers []string
	for _, m := range run {
		if _, ok := index[m.server]; !ok {
			index[m.server] = len(servers)
			servers = append(servers, m.server)
		}
	}
	return servers, index
}

// throughput draws the bars, grouped by operation, on a linear axis from 0.
func throughput(b *strings.Builder, run []measurement, index map[string]int) {
	const left, right = 70, 440
	highest := 1.0
	for _, m := range run {
		highest = math.Max(highest, m.PerSecond())
	}
	step := niceStep(highest / 5)
	scale := float64(bottom-top) / (math.Ceil(highest/step) * step)
	fmt.Fprintf(b, `<text x="%d" y="%d" font-weight="bold">requests served per second (median of the rounds)</text>`+"\n", left, top-14)
	for v := 0.0; v <= highest+step/2; v += step {
		y := float64(bottom) - v*scale
		fmt.Fprintf(b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">%.0f</text>`+"\n", left, right, y, y, left-4, y+4, v)
	}
	operations := operationOrder(run)
	groupWidth := float64(right-left) / float64(len(operations))
	barWidth := groupWidth * 0.8 / float64(len(index))
	for g, op := range operations {
		x := float64(left) + float64(g)*groupWidth + groupWidth*0.1
		fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", float64(left)+(float64(g)+0.5)*groupWidth, bottom+16, html.EscapeString(op))
		for _, m := range run {
			if m.operation != op {
				continue
			}
			h := m.PerSecond() * scale
			bx := x + float64(index[m.server])*barWidth
			fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/><text x="%.1f" y="%.1f" text-anchor="middle" font-size="10">%.0f</text>`+"\n",
				bx, float64(bottom)-h, barWidth-2, h, colors[index[m.server]%len(colors)], bx+barWidth/2, float64(bottom)-h-3, m.PerSecond())
		}
	}
}

// latencies draws, for every server and operation, its percentiles joined by a line, on a
// logarithmic axis in milliseconds; a solid line for the first operation, dashed for the others.
func latencies(b *strings.Builder, run []measurement, index map[string]int) {
	const left, right = 560, 930
	low, high := math.Inf(1), math.Inf(-1)
	for _, m := range run {
		for _, p := range percentiles {
			if v := ms(m.Percentile(p.p)); v > 0 {
				low, high = math.Min(low, v), math.Max(high, v)
			}
		}
	}
	if math.IsInf(low, 0) {
		low, high = 1, 10
	}
	from, to := math.Floor(math.Log10(low)), math.Ceil(math.Log10(high))
	if to == from {
		to++
	}
	y := func(v float64) float64 {
		return float64(bottom) - (math.Log10(math.Max(v, math.Pow(10, from)))-from)/(to-from)*float64(bottom-top)
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" font-weight="bold">latency percentiles, ms (log scale)</text>`+"\n", left, top-14)
	for e := from; e <= to; e++ {
		v := math.Pow(10, e)
		fmt.Fprintf(b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", left, right, y(v), y(v), left-4, y(v)+4, trim(v))
	}
	x := func(i int) float64 {
		return float64(left) + (float64(i)+0.5)*float64(right-left)/float64(len(percentiles))
	}
	for i, p := range percentiles {
		fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x(i), bottom+16, p.label)
	}
	operations := operationOrder(run)
	for _, m := range run {
		var points []string
		for i, p := range percentiles {
			points = append(points, fmt.Sprintf("%.1f,%.1f", x(i), y(ms(m.Percentile(p.p)))))
		}
		dash := ""
		if m.operation != operations[0] {
			dash = ` stroke-dasharray="6,4"`
		}
		fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s><title>%s, %s</title></polyline>`+"\n",
			strings.Join(points, " "), colors[index[m.server]%len(colors)], dash, html.EscapeString(m.server), html.EscapeString(m.operation))
	}
	fmt.Fprintf(b, `<text x="%d" y="%d">solid: %s; dashed: the other operation</text>`+"\n", left, bottom+40, html.EscapeString(operations[0]))
}

func operationOrder(run []measurement) []string {
	var ops []string
	for _, m := range run {
		if len(ops) == 0 || ops[len(ops)-1] != m.operation {
			ops = append(ops, m.operation)
		}
	}
	return ops
}

// niceStep rounds a step of an axis up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

func trim(v float64) string {
	if v < 1 {
		return fmt.Sprintf("%g", v)
	}
	return fmt.Sprintf("%.0f", v)
}
