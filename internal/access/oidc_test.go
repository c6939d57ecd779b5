package access_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tandem/internal/access"
)

// TestNewOIDC: a configuration that cannot work stops start-up with a
// message that says what to fix; the full sign-in flow is tested end to end
// in internal/web (sso_test.go).
func TestNewOIDC(t *testing.T) {
	issuerURL := ""
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"issuer": issuerURL, "authorization_endpoint": issuerURL + "/authorize",
			"token_endpoint": issuerURL + "/token", "jwks_uri": issuerURL + "/jwks",
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	}))
	defer srv.Close()
	issuerURL = srv.URL
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()

	good := access.OIDCConfig{Issuer: srv.URL, ClientID: "tandem", ClientSecret: "s", RedirectURL: "https://tandem.example/login/sso/callback"}
	tests := []struct {
		name string
		edit func(c *access.OIDCConfig)
		want string // part of the error; empty: no error
	}{
		{"valid", func(c *access.OIDCConfig) {}, ""},
		{"public client", func(c *access.OIDCConfig) { c.ClientSecret = "" }, ""},
		{"no client id", func(c *access.OIDCConfig) { c.ClientID = " " }, "client id is required"},
		{"no issuer", func(c *access.OIDCConfig) { c.Issuer = "" }, "issuer URL is required"},
		{"no redirect URL", func(c *access.OIDCConfig) { c.RedirectURL = "" }, "redirect URL"},
		{"relative redirect URL", func(c *access.OIDCConfig) { c.RedirectURL = "/login/sso/callback" }, "redirect URL"},
		{"redirect URL elsewhere", func(c *access.OIDCConfig) { c.RedirectURL = "https://tandem.example/callback" }, "redirect URL"},
		{"issuer unreachable", func(c *access.OIDCConfig) { c.Issuer = down.URL }, "discovery at " + down.URL + " failed"},
		{"issuer without discovery", func(c *access.OIDCConfig) { c.Issuer = srv.URL + "/realms/x" }, "discovery at " + srv.URL + "/realms/x failed"},
		{"issuer mismatch", func(c *access.OIDCConfig) { c.Issuer = strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) }, "failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.edit(&cfg)
			o, err := access.NewOIDC(context.Background(), cfg)
			switch {
			case tt.want == "" && err != nil:
				t.Fatal(err)
			case tt.want == "":
				if o.Name() != "SSO" || o.Provision() {
					t.Errorf("defaults: name %q, provision %v", o.Name(), o.Provision())
				}
			case err == nil || !strings.Contains(err.Error(), tt.want):
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
}
