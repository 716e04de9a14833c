// Package widget is the base version of a tiny API for the apidrift tests.
package widget

// Widget has a field, a method and a field that changes type.
type Widget struct {
	Name  string
	Size  int
	Color string
}

// Close is removed in the revision.
func (w *Widget) Close() error { return nil }

// Label stays.
func (w *Widget) Label() string { return w.Name }

// Gauge is removed in the revision.
type Gauge struct{}

// Store is an interface that the revision extends.
type Store interface {
	Get(key string) string
}
