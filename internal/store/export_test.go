package store

import "database/sql"

// DB lets this package's tests look behind the store (tamper with the trail,
// count rows, bulk-load benchmarks). Other packages cannot reach it.
func (s *Store) DB() *sql.DB { return s.db }
