// Package cli is the `tandem` command: one FlagSet per subcommand, and the
// same --data / --database flags (and defaults) on every subcommand that
// touches data, so commands run in one folder see the same data.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"

	"tandem/internal/access"
	"tandem/internal/catalog"
	"tandem/internal/demo"
	"tandem/internal/server"
	"tandem/internal/store"
)

// Version is set at build time with -ldflags "-X tandem/internal/cli.Version=…".
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

const usage = `Tandem runs ISO/IEC 27001 and ISO/IEC 42001 as one management system.

Usage:
  tandem serve   [--addr :8080] [--data ./data] [--database URL] [--demo]
                 [--oidc-issuer URL --oidc-client-id ID --oidc-redirect-url URL [--oidc-name N] [--oidc-provision]]
  tandem migrate [--data ./data] [--database URL]
  tandem trail verify [--org SLUG] [--data ./data] [--database URL]
  tandem user add --email E --role ROLE [--org SLUG] [--name N]   (password on stdin, or generated)
  tandem user password|deactivate|activate --email E
  tandem token create --email E --name N [--expires 90d]
  tandem version

Data live in SQLite under --data unless --database (or TANDEM_DATABASE_URL)
is a postgres:// URL. Environment: TANDEM_DATA, TANDEM_DATABASE_URL, TANDEM_ADDR.
`

// Run executes the command line and returns the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	return RunContext(context.Background(), args, stdout, stderr)
}

// RunContext is Run that also stops (a server gracefully) when ctx ends.
func RunContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stdout, stderr)
	case "migrate":
		err = migrate(args[1:], stdout, stderr)
	case "trail":
		err = trail(args[1:], stdout, stderr)
	case "user":
		err = userCmd(args[1:], stdout, stderr)
	case "token":
		err = tokenCmd(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "tandem", version())
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "tandem: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	var exit exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &exit):
		return int(exit)
	}
	fmt.Fprintln(stderr, "tandem:", err)
	return 1
}

// exitError ends a command with a code after it has said why.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// dataFlags are the flags of every subcommand that touches data.
type dataFlags struct {
	data     string
	database string
}

func (d *dataFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.data, "data", envOr("TANDEM_DATA", "./data"), "data directory (SQLite database and files)")
	fs.StringVar(&d.database, "database", os.Getenv("TANDEM_DATABASE_URL"), "postgres:// URL; empty for SQLite in --data")
}

func (d *dataFlags) open(ctx context.Context) (*store.Store, error) {
	cat, err := catalog.Load()
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, store.Config{DatabaseURL: d.database, DataDir: d.data}, cat)
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("tandem "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", stderr)
	var d dataFlags
	d.register(fs)
	addr := fs.String("addr", envOr("TANDEM_ADDR", ":8080"), "listen address")
	withDemo := fs.Bool("demo", false, "create the demo organization (Northwind Analytics) if it is missing, with one user per role")
	var sso access.OIDCConfig
	fs.StringVar(&sso.Issuer, "oidc-issuer", os.Getenv("TANDEM_OIDC_ISSUER"), "OpenID Connect issuer URL; set to turn single sign-on on")
	fs.StringVar(&sso.ClientID, "oidc-client-id", os.Getenv("TANDEM_OIDC_CLIENT_ID"), "client id registered at the provider")
	fs.StringVar(&sso.ClientSecret, "oidc-client-secret", os.Getenv("TANDEM_OIDC_CLIENT_SECRET"), "client secret (prefer TANDEM_OIDC_CLIENT_SECRET: flags show in process lists)")
	fs.StringVar(&sso.RedirectURL, "oidc-redirect-url", os.Getenv("TANDEM_OIDC_REDIRECT_URL"), "<public url>/login/sso/callback, as registered at the provider")
	fs.StringVar(&sso.Name, "oidc-name", envOr("TANDEM_OIDC_NAME", "SSO"), `label of the sign-in button ("Sign in with <name>")`)
	provisionDefault := false
	if v := os.Getenv("TANDEM_OIDC_PROVISION"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("TANDEM_OIDC_PROVISION=%q: want true or false", v)
		}
		provisionDefault = b
	}
	fs.BoolVar(&sso.Provision, "oidc-provision", provisionDefault, "create an account (without organization) at the first sign-in of an unknown verified email")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	// The catalog is validated before anything else: a broken data file
	// stops the program with a message naming the file and entry.
	cat, err := catalog.Load()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := store.Open(ctx, store.Config{DatabaseURL: d.database, DataDir: d.data}, cat)
	if err != nil {
		return err
	}
	defer st.Close()
	var demoUsers []demo.Credential
	if *withDemo {
		created, err := demo.Seed(ctx, st)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if created {
			log.Info("demo organization created", "org", demo.Slug)
		}
		if demoUsers, err = demo.SeedUsers(ctx, st); err != nil {
			return fmt.Errorf("demo users: %w", err)
		}
	}
	where := d.data
	if st.Engine() == store.Postgres {
		where = "PostgreSQL"
	}
	gate := access.NewGate(st)
	gate.Log = log
	if sso.Issuer != "" {
		if gate.OIDC, err = access.NewOIDC(ctx, sso); err != nil {
			return err
		}
		log.Info("single sign-on on", "issuer", sso.Issuer, "provision", sso.Provision)
	}
	return server.Run(ctx, *addr, server.Handler(st, cat, gate, log, version()), log, func(url string) {
		log.Info("tandem started", "version", version(), "database", st.Engine(), "data", where, "url", url)
		if *withDemo {
			fmt.Fprintf(stdout, "Tandem demo is ready: open %sorgs/%s/\n", url, demo.Slug)
			fmt.Fprintln(stdout, "Sign in as any of these demo users (passwords are new at every start):")
			for _, c := range demoUsers {
				fmt.Fprintf(stdout, "  %-12s %-26s %s\n", c.Role, c.Email, c.Password)
			}
		} else {
			fmt.Fprintf(stdout, "Tandem is ready: open %s\n", url)
		}
	})
}

func migrate(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate", stderr)
	var d dataFlags
	d.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	cat, err := catalog.Load()
	if err != nil {
		return err
	}
	st, err := store.Connect(ctx, store.Config{DatabaseURL: d.database, DataDir: d.data}, cat)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d migration(s) applied, schema is current\n", st.Engine(), n)
	return nil
}

func trail(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprint(stderr, "usage: tandem trail verify [--org SLUG] [--data ./data] [--database URL]\n")
		return exitError(2)
	}
	fs := newFlagSet("trail verify", stderr)
	var d dataFlags
	d.register(fs)
	only := fs.String("org", "", "verify only this organization")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	ctx := context.Background()
	st, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	var slugs []string
	if *only != "" {
		slugs = []string{*only}
	} else {
		cursor := ""
		for {
			page, err := st.Orgs(ctx, store.MaxLimit, cursor)
			if err != nil {
				return err
			}
			for _, o := range page.Items {
				slugs = append(slugs, o.Slug)
			}
			if page.Next == nil {
				break
			}
			cursor = *page.Next
		}
	}
	broken := 0
	if *only == "" {
		n, brk, err := st.VerifyInstanceTrail(ctx)
		if err != nil {
			return err
		}
		if brk != nil {
			broken++
			fmt.Fprintf(stdout, "FAIL instance: %s (%d entries intact before it)\n", brk, n)
		} else {
			fmt.Fprintf(stdout, "ok   instance: %d entries, chain intact\n", n)
		}
	}
	for _, slug := range slugs {
		o, err := st.Org(ctx, slug)
		if err != nil {
			return fmt.Errorf("organization %s: %w", slug, err)
		}
		n, brk, err := o.VerifyTrail(ctx)
		if err != nil {
			return err
		}
		if brk != nil {
			broken++
			fmt.Fprintf(stdout, "FAIL %s: %s (%d entries intact before it)\n", slug, brk, n)
			continue
		}
		fmt.Fprintf(stdout, "ok   %s: %d entries, chain intact\n", slug, n)
	}
	if broken > 0 {
		fmt.Fprintf(stdout, "%d broken trail chain(s)\n", broken)
		return exitError(1)
	}
	if len(slugs) == 0 {
		fmt.Fprintln(stdout, "no organizations yet")
	}
	return nil
}
