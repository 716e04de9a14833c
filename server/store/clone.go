package store

import (
	"reflect"
	"sync"
)

// clone returns a deep copy of a record: its slices, maps, pointers and interfaces are copied,
// down to their values, so that a caller that changes the copy changes nothing stored. What
// unexported fields refer to is shared (a time.Time's location, a netip.Addr's zone), as those
// types never change it. It is what isolates the store's records from their callers, in place of
// the JSON round trip that each read once cost.
func clone[T any](v T) T {
	// The type first: a record that shares nothing (a certificate) is copied as it is, without
	// the allocation of reflecting on it.
	deep := copierOf(reflect.TypeFor[T]())
	if deep == nil {
		return v
	}
	return deepCopy(v, deep)
}

// deepCopy is clone's copy through reflection. It is a function of its own because a value
// whose address reflection takes moves to the heap where it is declared: in clone, that was on
// every call, also for the records copied as they are.
func deepCopy[T any](v T, deep copier) T {
	var out T
	deep(reflect.ValueOf(&out).Elem(), reflect.ValueOf(&v).Elem())
	return out
}

// A copier sets dst, settable, to a deep copy of src, a value of its type. A type whose plain
// copy shares nothing has none (nil).
type copier func(dst, src reflect.Value)

// copiers holds the copier of each type met, built once.
var copiers sync.Map // reflect.Type -> copier

func copierOf(t reflect.Type) copier {
	if c, ok := copiers.Load(t); ok {
		return c.(copier)
	}
	c := buildCopier(t, map[reflect.Type]bool{})
	copiers.Store(t, c)
	return c
}

// buildCopier builds the copier of t. building holds the types whose copier is being built
// further up, so that a type that contains itself gets one that looks its copier up when it
// runs.
func buildCopier(t reflect.Type, building map[reflect.Type]bool) copier {
	if building[t] {
		return func(dst, src reflect.Value) { copierOf(t)(dst, src) }
	}
	building[t] = true
	defer delete(building, t)
	switch t.Kind() {
	case reflect.Slice:
		return sliceCopier(buildCopier(t.Elem(), building))
	case reflect.Map:
		return mapCopier(buildCopier(t.Elem(), building))
	case reflect.Pointer:
		elem := buildCopier(t.Elem(), building)
		return func(dst, src reflect.Value) {
			if src.IsNil() {
				return
			}
			dst.Set(reflect.New(src.Type().Elem()))
			if elem == nil {
				dst.Elem().Set(src.Elem())
			} else {
				elem(dst.Elem(), src.Elem())
			}
		}
	case reflect.Interface:
		return interfaceCopy
	case reflect.Struct:
		return structCopier(t, building)
	case reflect.Array:
		elem := buildCopier(t.Elem(), building)
		if elem == nil {
			return nil
		}
		return func(dst, src reflect.Value) {
			for i := range src.Len() {
				elem(dst.Index(i), src.Index(i))
			}
		}
	default:
		return nil
	}
}

func sliceCopier(elem copier) copier {
	return func(dst, src reflect.Value) {
		if src.IsNil() {
			return
		}
		dst.Set(reflect.MakeSlice(src.Type(), src.Len(), src.Len()))
		if elem == nil {
			reflect.Copy(dst, src)
			return
		}
		for i := range src.Len() {
			elem(dst.Index(i), src.Index(i))
		}
	}
}

func mapCopier(elem copier) copier {
	return func(dst, src reflect.Value) {
		if src.IsNil() {
			return
		}
		dst.Set(reflect.MakeMapWithSize(src.Type(), src.Len()))
		if elem == nil {
			for it := src.MapRange(); it.Next(); {
				dst.SetMapIndex(it.Key(), it.Value())
			}
			return
		}
		value := reflect.New(src.Type().Elem()).Elem()
		for it := src.MapRange(); it.Next(); {
			value.SetZero()
			elem(value, it.Value())
			dst.SetMapIndex(it.Key(), value)
		}
	}
}

// interfaceCopy copies the value an interface holds, by the copier of its dynamic type.
func interfaceCopy(dst, src reflect.Value) {
	if src.IsNil() {
		return
	}
	inner := src.Elem()
	deep := copierOf(inner.Type())
	if deep == nil {
		dst.Set(inner)
		return
	}
	c := reflect.New(inner.Type()).Elem()
	deep(c, inner)
	dst.Set(c)
}

// structCopier copies a struct as a whole, then deeply the exported fields that need it.
func structCopier(t reflect.Type, building map[reflect.Type]bool) copier {
	type field struct {
		index int
		deep  copier
	}
	var fields []field
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() {
			if deep := buildCopier(f.Type, building); deep != nil {
				fields = append(fields, field{i, deep})
			}
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return func(dst, src reflect.Value) {
		dst.Set(src)
		for _, f := range fields {
			f.deep(dst.Field(f.index), src.Field(f.index))
		}
	}
}
