// Package widget is the revision of a tiny API for the apidrift tests: Color, Close and Gauge
// are removed, Size changes type, Weight is added and the interface Store gains a method.
package widget

// Widget lost Color, changed Size and gained Weight.
type Widget struct {
	Name   string
	Size   int64
	Weight float64
}

// Label stays.
func (w *Widget) Label() string { return w.Name }

// Store gained Put.
type Store interface {
	Get(key string) string
	Put(key, value string)
}
