package cli

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tandem/internal/catalog"
	"tandem/internal/domain"
	"tandem/internal/store"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsersAndTokens(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := run(t, "migrate", "--data", dir); code != 0 {
		t.Fatal(errs)
	}
	st, err := store.Open(context.Background(), store.Config{DataDir: dir}, catalog.MustLoad())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateOrg(context.Background(), cliActor(), domain.OrgInput{Slug: "acme", Name: "Acme"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	tests := []struct {
		name     string
		input    string
		args     []string
		code     int
		contains string
	}{
		{"instance admin, password piped", "a long enough passphrase\n", []string{"user", "add", "--email", "root@example.com", "--role", "admin"}, 0, "instance administrator"},
		{"member, password generated", "", []string{"user", "add", "--email", "Viewer@Example.com", "--role", "viewer", "--org", "acme"}, 0, "password (shown once): "},
		{"short password", "short\n", []string{"user", "add", "--email", "x@example.com", "--role", "admin"}, 1, ""},
		{"duplicate", "a long enough passphrase\n", []string{"user", "add", "--email", "ROOT@example.com", "--role", "admin"}, 1, ""},
		{"bad role", "", []string{"user", "add", "--email", "y@example.com", "--role", "boss"}, 1, ""},
		{"role needs org", "", []string{"user", "add", "--email", "y@example.com", "--role", "viewer"}, 1, ""},
		{"unknown org", "", []string{"user", "add", "--email", "y@example.com", "--role", "viewer", "--org", "nope"}, 1, ""},
		{"token", "", []string{"token", "create", "--email", "viewer@example.com", "--name", "ci", "--expires", "30d"}, 0, "tdm_"},
		{"token bad expiry", "", []string{"token", "create", "--email", "viewer@example.com", "--name", "ci", "--expires", "-3d"}, 1, ""},
		{"token unknown user", "", []string{"token", "create", "--email", "nobody@example.com", "--name", "ci"}, 1, ""},
		{"verify sees the instance chain", "", []string{"trail", "verify"}, 0, "ok   instance: 3 entries"},
		{"existing user joins another org", "", []string{"user", "add", "--email", "root@example.com", "--role", "auditor", "--org", "acme"}, 0, "added root@example.com as auditor of acme"},
		{"existing user without org", "", []string{"user", "add", "--email", "root@example.com", "--role", "admin"}, 1, ""},
		{"password change", "", []string{"user", "password", "--email", "viewer@example.com"}, 0, "password (shown once): "},
		{"password too short", "short\n", []string{"user", "password", "--email", "viewer@example.com"}, 1, ""},
		{"deactivate", "", []string{"user", "deactivate", "--email", "viewer@example.com"}, 0, "tokens revoked"},
		{"deactivate unknown", "", []string{"user", "deactivate", "--email", "nobody@example.com"}, 1, ""},
		{"user without subcommand", "", []string{"user", "remove"}, 2, ""},
	}
	for _, tt := range tests {
		stdin = strings.NewReader(tt.input)
		code, out, errs := run(t, append(tt.args, "--data", dir)...)
		if code != tt.code || !strings.Contains(out, tt.contains) {
			t.Errorf("%s: exit %d, out %q, err %q; want %d and %q", tt.name, code, out, errs, tt.code, tt.contains)
		}
	}
	stdin = os.Stdin
	st, _ = store.Open(context.Background(), store.Config{DataDir: dir}, catalog.MustLoad())
	defer st.Close()
	if _, err := st.Authenticate(context.Background(), "root@example.com", "a long enough passphrase"); err != nil {
		t.Errorf("piped password does not sign in: %v", err)
	}
	if u, _ := st.UserByEmail(context.Background(), "viewer@example.com"); u.Active {
		t.Error("deactivated user is still active")
	}
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"version"}, 0, "tandem "},
		{[]string{}, 2, ""},
		{[]string{"frobnicate"}, 2, ""},
		{[]string{"migrate", "--data", dir}, 0, "sqlite: 12 migration(s) applied"},
		{[]string{"migrate", "--data", dir}, 0, "sqlite: 0 migration(s) applied"},
		{[]string{"trail", "verify", "--data", dir}, 0, "no organizations yet"},
		{[]string{"trail"}, 2, ""},
		{[]string{"migrate", "--database", "mysql://x"}, 1, ""},
	}
	for _, tt := range tests {
		code, out, _ := run(t, tt.args...)
		if code != tt.code || !strings.Contains(out, tt.contains) {
			t.Errorf("%v: exit %d, out %q; want %d and %q", tt.args, code, out, tt.code, tt.contains)
		}
	}
}

// syncBuffer lets the test read what serve prints while it runs.
type syncBuffer struct {
	lines chan string
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	sc := bufio.NewScanner(bytes.NewReader(p))
	for sc.Scan() {
		select {
		case s.lines <- sc.Text():
		default:
		}
	}
	return len(p), nil
}

// TestServeDemo starts the real server with --demo on a free port, reads the
// URL it prints, checks the health check, the API and a page, then verifies
// the trail of the data it created and that tampering is reported.
func TestServeDemo(t *testing.T) {
	dir := t.TempDir()
	out := &syncBuffer{lines: make(chan string, 10)}
	done := make(chan int, 1)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go func() {
		done <- RunContext(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--data", dir}, out, io.Discard)
	}()
	var url string
	select {
	case line := <-out.lines:
		i := strings.Index(line, "http://")
		if i < 0 {
			t.Fatalf("serve printed %q", line)
		}
		url = strings.Fields(line[i:])[0]
	case code := <-done:
		t.Fatalf("serve exited with %d", code)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	base := url[:strings.Index(url, "/orgs/")]
	// The demo users follow, one line each: role, email, password.
	passwords := map[string]string{}
	for len(passwords) < 5 {
		select {
		case line := <-out.lines:
			if f := strings.Fields(line); len(f) == 3 && strings.Contains(f[1], "@") {
				passwords[f[0]] = f[2]
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("demo users not printed: %v", passwords)
		}
	}
	request := func(client *http.Client, method, path, token, body string) (int, string) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := request(http.DefaultClient, "GET", "/healthz", "", ""); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Fatalf("healthz %d %s", code, body)
	}
	// No token: 401. A token made with the CLI (while the server runs) reads.
	if code, _ := request(http.DefaultClient, "GET", "/api/v1/orgs/northwind/controls", "", ""); code != 401 {
		t.Fatalf("no token: %d", code)
	}
	token := func(email string) string {
		code, out, errs := run(t, "token", "create", "--email", email, "--name", "test", "--data", dir)
		if code != 0 {
			t.Fatalf("token create: %s", errs)
		}
		return strings.TrimSpace(out)
	}
	manager := token("sofia@northwind.example")
	code, body := request(http.DefaultClient, "GET", "/api/v1/orgs/northwind/controls?scope=shared", manager, "")
	var page struct {
		Total int `json:"total"`
	}
	json.Unmarshal([]byte(body), &page)
	if code != 200 || page.Total == 0 {
		t.Fatalf("demo controls %d %s", code, body)
	}
	// A viewer's write is refused.
	if code, body := request(http.DefaultClient, "POST", "/api/v1/orgs/northwind/controls", token("board@northwind.example"), `{"title":"x"}`); code != 403 {
		t.Fatalf("viewer write: %d %s", code, body)
	}
	// The printed password signs in to the UI.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	form := "email=daniel%40northwind.example&password=" + neturl.QueryEscape(passwords["contributor"])
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := browser.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code, body := request(browser, "GET", "/orgs/northwind/controls", "", ""); code != 200 || !strings.Contains(body, "CTL-001") || !strings.Contains(body, "Daniel Okafor") {
		t.Fatalf("control library page after sign-in %d", code)
	}

	// Graceful shutdown: the server drains and serve returns 0.
	stop()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited with %d", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}
	if code, out, _ := run(t, "trail", "verify", "--data", dir); code != 0 || !strings.Contains(out, "ok   northwind") {
		t.Fatalf("verify: %d %s", code, out)
	}
	// Change a trail row behind the program's back, straight in the file.
	db, err := sql.Open("sqlite", filepath.Join(dir, "tandem.db"))
	if err != nil {
		t.Fatal(err)
	}
	tamper(t, db)
	db.Close()
	if code, out, _ := run(t, "trail", "verify", "--data", dir, "--org", "northwind"); code != 1 || !strings.Contains(out, "breaks at entry 5") {
		t.Fatalf("verify after tampering: %d %s", code, out)
	}
}

func tamper(t *testing.T, db *sql.DB) {
	t.Helper()
	if _, err := db.Exec(`UPDATE trail_entries SET actor = 'user:mallory' WHERE seq = 5`); err != nil {
		t.Fatal(err)
	}
}
