package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"tandem/internal/auth"
	"tandem/internal/domain"
	"tandem/internal/store"
)

// stdin is where `user add` reads a password; tests replace it.
var stdin io.Reader = os.Stdin

// cliActor is who the trail names for operator commands.
func cliActor() domain.Actor {
	name := os.Getenv("USER")
	if name == "" {
		name = "operator"
	}
	return domain.Actor{Kind: "system", Name: "cli:" + name}
}

// readPassword takes the password from standard input when something is
// piped in; from a terminal or an empty input it generates one.
func readPassword() (password string, generated bool, err error) {
	if f, ok := stdin.(*os.File); ok {
		if info, err := f.Stat(); err == nil && info.Mode()&os.ModeCharDevice != 0 {
			return auth.GeneratePassword(), true, nil
		}
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, domain.MaxPasswordBytes+2)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", false, err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return auth.GeneratePassword(), true, nil
	}
	return line, false, nil
}

const userUsage = `usage:
  tandem user add --email E --role ROLE [--org SLUG] [--name N]   (password on stdin, or generated)
  tandem user password --email E                                 (new password on stdin, or generated; ends their sessions)
  tandem user deactivate --email E                               (ends their sessions and revokes their tokens)
  tandem user activate --email E
`

func userCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, userUsage)
		return exitError(2)
	}
	switch args[0] {
	case "add":
		return userAdd(args, stdout, stderr)
	case "password", "deactivate", "activate":
		return userChange(args, stdout, stderr)
	}
	fmt.Fprint(stderr, userUsage)
	return exitError(2)
}

// userChange sets a user's password or activation.
func userChange(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("user "+args[0], stderr)
	var d dataFlags
	d.register(fs)
	email := fs.String("email", "", "the user's email")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	ctx := context.Background()
	st, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("user %s: %w", *email, err)
	}
	switch args[0] {
	case "password":
		password, generated, err := readPassword()
		if err != nil {
			return err
		}
		if err := st.SetPassword(ctx, cliActor(), u.ID, password); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed; their sessions have ended\n", u.Email)
		if generated {
			fmt.Fprintf(stdout, "password (shown once): %s\n", password)
		}
	case "deactivate":
		if err := st.SetActive(ctx, cliActor(), u.ID, false); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s deactivated; sessions ended and tokens revoked\n", u.Email)
	case "activate":
		if err := st.SetActive(ctx, cliActor(), u.ID, true); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s activated\n", u.Email)
	}
	return nil
}

func userAdd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("user add", stderr)
	var d dataFlags
	d.register(fs)
	email := fs.String("email", "", "the user's email (sign-in name)")
	name := fs.String("name", "", "the user's display name")
	role := fs.String("role", "", "admin, manager, contributor, auditor or viewer; admin without --org makes an instance administrator")
	org := fs.String("org", "", "the organization the role applies to")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if !auth.ValidRole(*role) {
		return fmt.Errorf("--role must be one of admin, manager, contributor, auditor, viewer")
	}
	if *org == "" && *role != string(auth.RoleAdmin) {
		return fmt.Errorf("--org is required for the role %s (only an instance administrator has no organization)", *role)
	}
	password, generated, err := readPassword()
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	var scope *store.OrgStore
	if *org != "" {
		if scope, err = st.Org(ctx, *org); err != nil {
			return fmt.Errorf("organization %s: %w", *org, err)
		}
	}
	// An existing user given an organization gets the role there (a
	// consultant joining another client); nothing else about them changes.
	u, err := st.UserByEmail(ctx, *email)
	switch {
	case err == nil && scope != nil:
		generated = false
	case err == nil:
		return fmt.Errorf("user %s exists already", u.Email)
	case errors.Is(err, domain.ErrNotFound):
		u, err = st.CreateUser(ctx, cliActor(), domain.UserInput{Email: *email, Name: *name, Password: password, InstanceAdmin: *org == ""})
		if err != nil {
			return err
		}
	default:
		return err
	}
	if scope != nil {
		if err := scope.SetMembership(ctx, cliActor(), u.Email, *role, nil); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added %s as %s of %s\n", u.Email, *role, *org)
	} else {
		fmt.Fprintf(stdout, "added %s as instance administrator\n", u.Email)
	}
	if generated {
		fmt.Fprintf(stdout, "password (shown once): %s\n", password)
	}
	return nil
}

// parseExpiry reads durations such as 90d, 12h or 30m.
func parseExpiry(s string) (time.Duration, error) {
	if strings.HasSuffix(s, "d") {
		n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("--expires %q: use a positive number of days such as 90d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("--expires %q: use a duration such as 90d or 12h", s)
	}
	return d, nil
}

func tokenCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(stderr, "usage: tandem token create --email E --name N [--expires 90d]\n")
		return exitError(2)
	}
	fs := newFlagSet("token create", stderr)
	var d dataFlags
	d.register(fs)
	email := fs.String("email", "", "the user the token acts as")
	name := fs.String("name", "", "what the token is for, e.g. ci-export")
	expires := fs.String("expires", "90d", "lifetime, e.g. 90d or 12h")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	life, err := parseExpiry(*expires)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("user %s: %w", *email, err)
	}
	until := time.Now().UTC().Add(life)
	secret, t, err := st.CreateToken(ctx, cliActor(), u.ID, *name, &until)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "token %q for %s, expires %s; it is shown once:\n", t.Name, u.Email, until.Format("2006-01-02"))
	fmt.Fprintln(stdout, secret)
	return nil
}
