package server

import (
	"fmt"
	"time"

	"github.com/atlasstub/atlasstub/server/auth"
	"github.com/atlasstub/atlasstub/server/store"
)

// openState resumes the state that the store holds, or creates the stub's first one, the
// bootstrap state of the seed.
func (s *Server) openState(seed Bootstrap) error {
	fresh, err := completeBootstrap(seed, s.clock.Now())
	if err != nil {
		return err
	}
	freshKey, err := auth.NewSigningKey()
	if err != nil {
		return err
	}
	var (
		kept       store.BootstrapCredentials
		offset     time.Duration
		signingKey []byte
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
		default:
			kept = storedBootstrap(fresh)
			if err := createBootstrapState(tx, fresh, freshKey); err != nil {
				return fmt.Errorf("create the bootstrap state: %w", err)
			}
		}
		if offset, err = tx.ClockOffset(); err != nil {
			return err
		}
		signingKey, _, err = tx.TokenSigningKey()
		return err
	})
	if err != nil {
		return err
	}
	s.clock.SetOffset(offset)
	s.bootstrap = bootstrapOf(kept)
	return s.tokens.SetKey(signingKey)
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
