// Package storetest opens real stores for tests: SQLite always, PostgreSQL
// when TANDEM_TEST_POSTGRES_URL is set (and required in CI).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"tandem/internal/catalog"
	"tandem/internal/store"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// Engines runs fn once on a fresh SQLite store and, when
// TANDEM_TEST_POSTGRES_URL is set, once on a fresh PostgreSQL schema. In CI
// the PostgreSQL URL is required.
func Engines(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	EnginesWith(t, Catalog, fn)
}

// EnginesWith is Engines over another catalog (say, with a third standard).
func EnginesWith(t *testing.T, cat *catalog.Catalog, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, open(t, store.Config{DataDir: t.TempDir()}, cat)) })
	t.Run("postgres", func(t *testing.T) { fn(t, open(t, store.Config{DatabaseURL: postgresSchema(t)}, cat)) })
}

// Configs runs fn once with the configuration of a fresh, empty SQLite
// database and, as Engines does, of a fresh PostgreSQL schema; nothing is
// migrated (for tests of the migrations themselves).
func Configs(t *testing.T, fn func(t *testing.T, cfg store.Config)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, store.Config{DataDir: t.TempDir()}) })
	t.Run("postgres", func(t *testing.T) { fn(t, store.Config{DatabaseURL: postgresSchema(t)}) })
}

func open(t testing.TB, cfg store.Config, cat *catalog.Catalog) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), cfg, cat)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Catalog is the embedded catalog, loaded once for all tests.
var Catalog = catalog.MustLoad()

// SQLite opens a migrated store in a temporary directory.
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	return open(t, store.Config{DataDir: t.TempDir()}, Catalog)
}

// PostgresURL returns the test server's URL, skipping the test when none is
// configured outside CI and failing it inside CI.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("TANDEM_TEST_POSTGRES_URL")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI needs TANDEM_TEST_POSTGRES_URL: the store suite must run on PostgreSQL")
		}
		t.Skip("TANDEM_TEST_POSTGRES_URL not set")
	}
	return u
}

// Postgres gives each test its own schema, dropped afterwards, so
// tests never see each other's rows.
func Postgres(t testing.TB) *store.Store {
	t.Helper()
	return open(t, store.Config{DatabaseURL: postgresSchema(t)}, Catalog)
}

// postgresSchema makes a fresh schema and returns the URL that uses it.
func postgresSchema(t testing.TB) string {
	t.Helper()
	base := PostgresURL(t)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema (is PostgreSQL reachable at TANDEM_TEST_POSTGRES_URL?): %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err == nil {
			a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
