package journal

import (
	"fmt"
	"strconv"
	"time"
)

// Filter selects entries; its zero value selects every one.
type Filter struct {
	// OperationID, when set, is the operation of the entries.
	OperationID string
	// Status, when set, is the status of the entries.
	Status StatusFilter
	// Since, when set, is the earliest time of the entries.
	Since time.Time
	// After, when set, is an entry id: the entries are newer.
	After int64
}

// Passes reports whether e is one of the entries the filter selects.
func (f Filter) Passes(e *Entry) bool {
	return (f.OperationID == "" || e.OperationID == f.OperationID) &&
		f.Status.Passes(e.Status) &&
		(f.Since.IsZero() || !e.Time.Before(f.Since)) &&
		e.ID > f.After
}

// StatusFilter selects statuses: one (404) or a class (4xx). Its zero value selects every one.
type StatusFilter struct {
	status int // 100 to 599; 1 to 5 for a class
}

// ParseStatus reads a status filter: a status from 100 to 599, or a class from 1xx to 5xx.
func ParseStatus(s string) (StatusFilter, error) {
	if len(s) == 3 && s[1:] == "xx" && s[0] >= '1' && s[0] <= '5' {
		return StatusFilter{int(s[0] - '0')}, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || len(s) != 3 || n < 100 || n > 599 {
		return StatusFilter{}, fmt.Errorf("%q is neither a status from 100 to 599 nor a class from 1xx to 5xx", s)
	}
	return StatusFilter{n}, nil
}

// Passes reports whether the filter selects status.
func (f StatusFilter) Passes(status int) bool {
	switch {
	case f.status == 0:
		return true
	case f.status < 10:
		return status/100 == f.status
	}
	return status == f.status
}

// String is the filter as ParseStatus reads it; empty for the zero filter.
func (f StatusFilter) String() string {
	switch {
	case f.status == 0:
		return ""
	case f.status < 10:
		return strconv.Itoa(f.status) + "xx"
	}
	return strconv.Itoa(f.status)
}
