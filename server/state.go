package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sync"
	"time"

	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/auth"
	"github.com/atlasstub/atlasstub/server/clock"
	"github.com/atlasstub/atlasstub/server/store"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// prepareState starts, on another goroutine, what opening a state needs and the store does not:
// the schema of the credentials, and a token signing key for a new state. The stub parses its
// specifications meanwhile, so that on two processors its start takes the longer of the two, not
// their sum. signingKey waits for the key.
func prepareState() (signingKey func() ([]byte, error)) {
	type result struct {
		key []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		_, _ = credentialsSchema() // kept for checkCredentials, error included
		key, err := auth.NewSigningKey()
		done <- result{key, err}
	}()
	return sync.OnceValues(func() ([]byte, error) {
		r := <-done
		return r.key, r.err
	})
}

// openState resumes the state that the store holds, or creates the stub's first one: the
// initial state when there is one, else the bootstrap state of the seed, with signingKey's key.
func (s *Server) openState(seed Bootstrap, initial *stubapi.State, signingKey func() ([]byte, error)) error {
	if initial != nil && seed != (Bootstrap{}) {
		return errors.New("a seed and an initial state both give the bootstrap credentials: give one of them")
	}
	var snapshot store.Snapshot
	if initial != nil {
		var err error
		if snapshot, err = snapshotOf(*initial); err != nil {
			return err
		}
	}
	fresh, err := completeBootstrap(seed, s.clock.Now())
	if err != nil {
		return err
	}
	freshKey, err := signingKey()
	if err != nil {
		return err
	}
	var (
		kept   store.BootstrapCredentials
		offset time.Duration
		key    []byte
	)
	err = s.store.Update(func(tx *store.Tx) (err error) {
		kept, s.resumed, err = tx.Bootstrap()
		switch {
		case err != nil:
			return err
		case s.resumed:
			if err := checkSeedAgrees(seed, bootstrapOf(kept)); err != nil {
				return err
			}
		case initial != nil:
			kept = snapshot.Bootstrap
			if err := tx.Restore(snapshot); err != nil {
				return fmt.Errorf("initial state: %s", describe(err))
			}
		default:
			kept = storedBootstrap(fresh)
			if err := createBootstrapState(tx, fresh, freshKey); err != nil {
				return fmt.Errorf("create the bootstrap state: %w", err)
			}
		}
		if offset, err = tx.ClockOffset(); err != nil {
			return err
		}
		key, _, err = tx.TokenSigningKey()
		return err
	})
	if err != nil {
		return err
	}
	s.clock.SetOffset(offset)
	s.bootstrap = bootstrapOf(kept)
	return s.tokens.SetKey(key)
}

// AdvanceClock moves the stub's clock forward by d, and records its new offset before it moves:
// a 200 means a restarted stub keeps the time. The clock never moves backwards, nor past
// clock.Latest (clock.ErrPastLatest, with the time it stays at).
func (s *Server) AdvanceClock(d time.Duration) (time.Time, error) {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	offset, err := s.clock.OffsetAfter(d)
	if err != nil {
		return s.clock.Now(), err
	}
	if err := s.store.Update(func(tx *store.Tx) error { return tx.SetClockOffset(offset) }); err != nil {
		return time.Time{}, err
	}
	s.clock.SetOffset(offset)
	return s.clock.Now(), nil
}

// State exports the whole state as one document.
func (s *Server) State() (stubapi.State, error) {
	snapshot, err := store.Read(s.store, func(tx *store.Tx) (store.Snapshot, error) { return tx.Snapshot() })
	if err != nil {
		return stubapi.State{}, err
	}
	doc := stubapi.State{
		FormatVersion: store.FormatVersion,
		ClockOffset:   snapshot.ClockOffset.String(),
		Bootstrap:     bootstrapOf(snapshot.Bootstrap),
	}
	doc.Bootstrap.BaseUrl = s.Bootstrap().BaseUrl
	r := snapshot.Records
	out := &doc.Records
	for _, kind := range []struct {
		to      *[]stubapi.StateRecord
		records any
	}{
		{&out.Orgs, r.Orgs}, {&out.Projects, r.Projects}, {&out.DatabaseUsers, r.DatabaseUsers},
		{&out.Certificates, r.Certificates}, {&out.CertificateAuthorities, r.CertificateAuthorities},
		{&out.ApiKeys, r.APIKeys}, {&out.ServiceAccounts, r.ServiceAccounts}, {&out.RevokedTokens, r.RevokedTokens},
	} {
		if *kind.to, err = encodeRecords(kind.records); err != nil {
			return stubapi.State{}, err
		}
	}
	out.TokenSigningKey = r.TokenSigningKey
	return doc, nil
}

// encodeRecords encodes each record of a slice of records.
func encodeRecords(records any) ([]stubapi.StateRecord, error) {
	all := reflect.ValueOf(records)
	encoded := make([]stubapi.StateRecord, all.Len())
	for i := range all.Len() {
		data, err := json.Marshal(all.Index(i).Interface())
		if err != nil {
			return nil, err
		}
		encoded[i] = data
	}
	return encoded, nil
}

// SetState replaces the whole state with a document's, in one transaction: its records, its
// bootstrap credentials, its clock offset and its token signing key. A document that does not
// hold together is a 400 that names what is wrong, and changes nothing.
func (s *Server) SetState(doc stubapi.State) error {
	snapshot, err := snapshotOf(doc)
	if err != nil {
		return err
	}
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	if err := s.store.Update(func(tx *store.Tx) error { return tx.Restore(snapshot) }); err != nil {
		return err
	}
	s.clock.SetOffset(snapshot.ClockOffset)
	s.mu.Lock()
	s.bootstrap = bootstrapOf(snapshot.Bootstrap)
	s.mu.Unlock()
	return s.tokens.SetKey(snapshot.Records.TokenSigningKey)
}

// snapshotOf reads a state document into the store's snapshot, checking what the store cannot:
// the format version, the clock's offset, that each record decodes into its kind without
// unknown fields, that each CA can sign, and the token signing key.
func snapshotOf(doc stubapi.State) (store.Snapshot, error) {
	if doc.FormatVersion < 1 {
		return store.Snapshot{}, apierror.MissingAttribute.ForField("formatVersion", "the format version of the records is required")
	}
	if doc.FormatVersion > store.FormatVersion {
		return store.Snapshot{}, apierror.InvalidAttribute.ForField("formatVersion", fmt.Sprintf(
			"the document has format version %d, and this atlasstub reads version %d at most: import it into the newer atlasstub that exported it", doc.FormatVersion, store.FormatVersion))
	}
	offset, err := time.ParseDuration(doc.ClockOffset)
	if err != nil || offset < 0 {
		return store.Snapshot{}, apierror.InvalidAttribute.ForField("clockOffset", "must be a non-negative Go duration such as 0s or 61m")
	}
	if time.Now().Add(offset).After(clock.Latest) {
		return store.Snapshot{}, apierror.InvalidAttribute.ForField("clockOffset", clock.ErrPastLatest.Error())
	}
	if err := checkCredentials(doc.Bootstrap); err != nil {
		var ce *credentialsError
		if !errors.As(err, &ce) {
			return store.Snapshot{}, err
		}
		return store.Snapshot{}, apierror.InvalidAttribute.ForField("bootstrap."+ce.Field, fmt.Sprintf("%q: %s", ce.Value, ce.Reason))
	}
	snapshot := store.Snapshot{Bootstrap: storedBootstrap(doc.Bootstrap), ClockOffset: offset}
	in, r := doc.Records, &snapshot.Records
	for _, err := range []error{
		decodeRecords("orgs", in.Orgs, &r.Orgs),
		decodeRecords("projects", in.Projects, &r.Projects),
		decodeRecords("databaseUsers", in.DatabaseUsers, &r.DatabaseUsers),
		decodeRecords("certificates", in.Certificates, &r.Certificates),
		decodeRecords("certificateAuthorities", in.CertificateAuthorities, &r.CertificateAuthorities),
		decodeRecords("apiKeys", in.ApiKeys, &r.APIKeys),
		decodeRecords("serviceAccounts", in.ServiceAccounts, &r.ServiceAccounts),
		decodeRecords("revokedTokens", in.RevokedTokens, &r.RevokedTokens),
	} {
		if err != nil {
			return store.Snapshot{}, err
		}
	}
	for i, ca := range r.CertificateAuthorities {
		if err := x509ca.CheckAuthority(ca); err != nil {
			return store.Snapshot{}, apierror.InvalidAttribute.ForField(fmt.Sprintf("records.certificateAuthorities.%d", i), err.Error())
		}
	}
	if _, err := auth.ParseSigningKey(in.TokenSigningKey); err != nil {
		return store.Snapshot{}, apierror.InvalidAttribute.ForField("records.tokenSigningKey", err.Error())
	}
	r.TokenSigningKey = in.TokenSigningKey
	return snapshot, nil
}

// decodeRecords decodes each record of a kind, refusing fields the store's record does not have,
// so that a misspelt field in a hand-edited document is not silently dropped.
func decodeRecords[T any](kind string, records []stubapi.StateRecord, into *[]T) error {
	*into = make([]T, len(records))
	for i, data := range records {
		decoder := json.NewDecoder(bytes.NewReader(data))
		decoder.DisallowUnknownFields()
		if err := decoder.Decode(&(*into)[i]); err != nil {
			return apierror.InvalidAttribute.ForField(fmt.Sprintf("records.%s.%d", kind, i), err.Error())
		}
	}
	return nil
}

// ReadState reads a state document from a file, as GET /_stub/state exported it, and checks it
// as PUT /_stub/state would.
func ReadState(path string) (stubapi.State, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return stubapi.State{}, err
	}
	var doc stubapi.State
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&doc); err != nil {
		return stubapi.State{}, fmt.Errorf("state %s: %w", path, err)
	}
	if _, err := snapshotOf(doc); err != nil {
		return stubapi.State{}, fmt.Errorf("state %s: %s", path, describe(err))
	}
	return doc, nil
}

// describe says what an error about a field of a document says, on one line.
func describe(err error) string {
	var e *apierror.Error
	if errors.As(err, &e) && e.BadRequestDetail != nil {
		f := e.BadRequestDetail.Fields[0]
		return f.Field + ": " + f.Description
	}
	return err.Error()
}
