package store

import (
	"reflect"
	"sync"
)

// clone returns a deep copy of a record: its slices, maps, pointers and interfaces are copied,
// down to their values, so that a caller that changes the copy changes nothing stored. What
// unexported fields refer to is shared (a time.Time's location, a netip.Addr's zone), as those
// types never change it. It is what isolates the store's records from its callers, in place of
// the JSON round trip that each read once cost.
func clone[T any](v T) T {
	src := reflect.ValueOf(&v).Elem()
	if !refers(src.Type()) {
		return v
	}
	var out T
	copyDeep(reflect.ValueOf(&out).Elem(), src)
	return out
}

// copyDeep sets dst, which is settable, to a deep copy of src, of the same type.
func copyDeep(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		dst.Set(reflect.MakeSlice(src.Type(), src.Len(), src.Len()))
		if !refers(src.Type().Elem()) {
			reflect.Copy(dst, src)
			return
		}
		for i := range src.Len() {
			copyDeep(dst.Index(i), src.Index(i))
		}
	case reflect.Map:
		if src.IsNil() {
			return
		}
		dst.Set(reflect.MakeMapWithSize(src.Type(), src.Len()))
		value := reflect.New(src.Type().Elem()).Elem()
		for it := src.MapRange(); it.Next(); {
			value.SetZero()
			copyDeep(value, it.Value())
			dst.SetMapIndex(it.Key(), value)
		}
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		dst.Set(reflect.New(src.Type().Elem()))
		copyDeep(dst.Elem(), src.Elem())
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		inner := reflect.New(src.Elem().Type()).Elem()
		copyDeep(inner, src.Elem())
		dst.Set(inner)
	case reflect.Struct:
		dst.Set(src)
		for i := range src.NumField() {
			if f := src.Type().Field(i); f.IsExported() && refers(f.Type) {
				copyDeep(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Array:
		dst.Set(src)
		if refers(src.Type().Elem()) {
			for i := range src.Len() {
				copyDeep(dst.Index(i), src.Index(i))
			}
		}
	default:
		dst.Set(src)
	}
}

// refersTo caches refers by type.
var refersTo sync.Map // reflect.Type -> bool

// refers reports whether a value of type t can refer to memory that a copy of it would share:
// a slice, map, pointer or interface, in it or in an exported field of it.
func refers(t reflect.Type) bool {
	if known, ok := refersTo.Load(t); ok {
		return known.(bool)
	}
	var r bool
	switch t.Kind() {
	case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface:
		r = true
	case reflect.Array:
		r = refers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && refers(f.Type) {
				r = true
				break
			}
		}
	}
	refersTo.Store(t, r)
	return r
}
