// Package store keeps Tandem's records in SQLite (embedded, the default) or
// PostgreSQL, with the same migrations and the same SQL text for both: the
// SQLite driver accepts PostgreSQL's $N placeholders, and the few differences
// live in the migrations folders.
//
// Every organization-scoped query goes through OrgStore, obtained from
// Store.Org: its methods take the organization from the scope, never from
// the caller, so a row of another organization cannot be reached.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"tandem/internal/catalog"
)

//go:embed migrations
var migrations embed.FS

// Engine names the database engine behind a Store.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Store is the database of one Tandem instance.
type Store struct {
	db      *sql.DB
	engine  Engine
	catalog *catalog.Catalog
	now     func() time.Time
}

// Config says where the data live.
type Config struct {
	// DatabaseURL selects PostgreSQL when it is a postgres:// (or
	// postgresql://) URL; empty means SQLite in DataDir.
	DatabaseURL string
	// DataDir holds the SQLite database (and, later, stored files).
	DataDir string
}

// Open connects, applies pending migrations and returns the store.
func Open(ctx context.Context, cfg Config, cat *catalog.Catalog) (*Store, error) {
	s, err := Connect(ctx, cfg, cat)
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Connect opens the database without migrating it.
func Connect(ctx context.Context, cfg Config, cat *catalog.Catalog) (*Store, error) {
	s := &Store{catalog: cat, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
	var err error
	switch url := cfg.DatabaseURL; {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		s.engine = Postgres
		s.db, err = sql.Open("pgx", url)
		if err != nil {
			return nil, err
		}
		s.db.SetMaxOpenConns(20)
		s.db.SetMaxIdleConns(20) // keep connections instead of reconnecting under load
		s.db.SetConnMaxIdleTime(5 * time.Minute)
	case url == "":
		s.engine = SQLite
		dir := cfg.DataDir
		if dir == "" {
			dir = "data"
		}
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("data directory: %w", err)
		}
		s.db, err = sql.Open("sqlite", sqliteDSN(filepath.Join(dir, "tandem.db")))
		if err != nil {
			return nil, err
		}
		// One writer at a time is SQLite's model; readers run in parallel
		// under WAL. BEGIN IMMEDIATE (via _txlock) makes writers queue on
		// busy_timeout instead of failing on lock upgrade.
		s.db.SetMaxOpenConns(8)
	default:
		return nil, fmt.Errorf("database URL must start with postgres:// (or be empty for SQLite), got %q", redact(url))
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("connect to %s: %w", s.engine, err)
	}
	return s, nil
}

func sqliteDSN(path string) string {
	return "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate" +
		// Times as SQLite's own format, so its date functions can read them.
		"&_time_format=sqlite"
}

// redact hides a password in a URL before it reaches a message.
func redact(url string) string {
	if at := strings.LastIndex(url, "@"); at > 0 {
		if scheme := strings.Index(url, "://"); scheme > 0 && scheme < at {
			return url[:scheme+3] + "…" + url[at:]
		}
	}
	return url
}

// Migrate applies pending migrations and returns how many ran.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	p, err := s.migrations()
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	return len(res), nil
}

// migrations is the goose provider over the engine's embedded migrations.
func (s *Store) migrations() (*goose.Provider, error) {
	dir, dialect := "migrations/sqlite", goose.DialectSQLite3
	if s.engine == Postgres {
		dir, dialect = "migrations/postgres", goose.DialectPostgres
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, err
	}
	var opts []goose.ProviderOption
	if s.engine == Postgres {
		// Nodes starting together take turns: a session advisory lock.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, s.db, sub, opts...)
}

// Close releases the database. On SQLite it first lets the engine refresh
// the planner statistics it finds stale (PRAGMA optimize), as SQLite advises
// for long-lived connections.
func (s *Store) Close() error {
	if s.engine == SQLite {
		s.db.Exec(`PRAGMA optimize`)
	}
	return s.db.Close()
}

// Engine tells which database engine is in use.
func (s *Store) Engine() Engine { return s.engine }

// Ping checks the database (for /healthz).
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// inTx runs fn in one transaction: committed when fn returns nil, rolled
// back otherwise. Every write goes through here so that the record and its
// trail entry land together or not at all.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// isUniqueViolation recognizes a unique-constraint failure on either engine.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// isSerializationFailure recognizes PostgreSQL's answer to a transaction
// that could not be serialized with a concurrent one; trying again is safe.
func isSerializationFailure(err error) bool {
	return err != nil && strings.Contains(err.Error(), "SQLSTATE 40001")
}

var errNoRows = sql.ErrNoRows

func notFound(err error) bool { return errors.Is(err, errNoRows) }
