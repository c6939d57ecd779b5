package store

import (
	"context"
	"database/sql"
	"time"
)

// DB lets this package's tests look behind the store (tamper with the trail,
// count rows, bulk-load benchmarks). Other packages cannot reach it.
func (s *Store) DB() *sql.DB { return s.db }

// MigrateTo applies the migrations up to version, so that a test can load
// data in an older schema and check what a later migration does with it.
func (s *Store) MigrateTo(ctx context.Context, version int64) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// SetClock makes the store read the time from now (tests that let an
// acceptance expire or an action fall due).
func (s *Store) SetClock(now func() time.Time) { s.now = now }
