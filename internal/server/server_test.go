package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tandem/internal/access"
	"tandem/internal/domain"
	"tandem/internal/server"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// noRedirect shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func TestHandler(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		srv := httptest.NewServer(server.Handler(st, storetest.Catalog, access.NewGate(st), slog.New(slog.NewTextHandler(io.Discard, nil)), "test"))
		defer srv.Close()
		admin, err := st.CreateUser(t.Context(), domain.Actor{Kind: "system", Name: "test"}, domain.UserInput{Email: "root@example.com", InstanceAdmin: true})
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := st.CreateToken(t.Context(), domain.Actor{Kind: "system", Name: "test"}, admin.ID, "test", nil)
		if err != nil {
			t.Fatal(err)
		}
		bearer := "Bearer " + token
		// no redirects: a page that needs sign-in answers 303 to /login
		tests := []struct {
			name    string
			method  string
			path    string
			body    string
			headers map[string]string
			status  int
			contain string
		}{
			{"health", "GET", "/healthz", "", nil, 200, `"database":"` + string(st.Engine()) + `"`},
			{"api", "GET", "/api/v1/standards", "", map[string]string{"Authorization": bearer}, 200, "iso42001-2023"},
			{"api without token", "GET", "/api/v1/standards", "", nil, 401, "Sign in first"},
			{"api with a wrong token", "GET", "/api/v1/standards", "", map[string]string{"Authorization": "Bearer tdm_nope"}, 401, "Sign in first"},
			{"openapi", "GET", "/api/v1/openapi.json", "", nil, 200, `"openapi":"3.1.0"`},
			{"ui with token", "GET", "/catalog", "", map[string]string{"Authorization": bearer}, 200, "A.5.1"},
			{"ui not signed in", "GET", "/catalog", "", nil, 303, ""},
			{"sign-in page", "GET", "/login", "", nil, 200, "password"},
			{"unknown api path", "GET", "/api/v1/nonexistent", "", nil, 404, `"status":404`},
			{"wrong api method", "PATCH", "/api/v1/orgs", "", nil, 405, "does not accept this method"},
			{"same-origin form post", "POST", "/api/v1/orgs", `{"slug":"acme","name":"Acme"}`,
				map[string]string{"Content-Type": "application/json", "Sec-Fetch-Site": "same-origin", "Authorization": bearer}, 201, "acme"},
			{"cross-site post refused", "POST", "/api/v1/orgs", `{"slug":"evil","name":"Evil"}`,
				map[string]string{"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site", "Authorization": bearer}, 403, ""},
			{"cross-origin post refused", "POST", "/orgs", "slug=evil&name=Evil",
				map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example", "Authorization": bearer}, 403, ""},
			{"body too large", "POST", "/api/v1/orgs", `{"slug":"big","name":"` + strings.Repeat("x", server.MaxBody) + `"}`,
				map[string]string{"Content-Type": "application/json", "Authorization": bearer}, 413, ""},
		}
		for _, tt := range tests {
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.contain) {
				t.Errorf("%s: %d %.200s; want %d containing %q", tt.name, resp.StatusCode, body, tt.status, tt.contain)
			}
			if strings.HasPrefix(tt.path, "/api/") && resp.StatusCode >= 400 && resp.StatusCode != 403 &&
				resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: API error answered as %s", tt.name, resp.Header.Get("Content-Type"))
			}
			if resp.StatusCode == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s: 401 without WWW-Authenticate", tt.name)
			}
			if resp.StatusCode == 303 && !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
				t.Errorf("%s: redirected to %q", tt.name, resp.Header.Get("Location"))
			}
			if resp.StatusCode == 405 && !strings.Contains(resp.Header.Get("Allow"), "POST") {
				t.Errorf("%s: Allow = %q", tt.name, resp.Header.Get("Allow"))
			}
			// Every response carries the security headers.
			csp := resp.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") ||
				resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") == "" {
				t.Errorf("%s: security headers missing: %v", tt.name, resp.Header)
			}
		}
		if page, _ := st.Orgs(t.Context(), 10, ""); len(page.Items) != 1 {
			t.Errorf("refused requests wrote: %d orgs", len(page.Items))
		}
	})
}
