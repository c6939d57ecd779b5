package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

func TestAssetPages(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		ctx := context.Background()
		ctl := s.control(o, "Access control", "implemented")

		wantStatus(t, s.get("/orgs/acme/assets"), http.StatusOK)
		wantStatus(t, s.get("/orgs/acme/assets/new"), http.StatusOK)

		form := url.Values{"name": {" "}, "type": {"information"}, "classification": {"confidential"},
			"confidentiality": {"3"}, "integrity": {"2"}, "availability": {"1"}, "controls": {"CTL-404"}}
		w := s.post("/orgs/acme/assets", form)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="name-error"`, `id="controls-error"`, i18n.T("error.required"))
		if _, total, _ := o.ListAssets(ctx, domain.AssetFilter{}); total != 0 {
			t.Fatalf("invalid form wrote %d assets", total)
		}

		form.Set("name", "Customer database")
		form.Set("controls", ctl.Ref)
		w = s.post("/orgs/acme/assets", form)
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/orgs/acme/assets/AST-001?notice=saved" {
			t.Fatalf("create redirects to %q", loc)
		}
		w = s.get("/orgs/acme/assets/AST-001")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Customer database", `href="/orgs/acme/controls/`+ctl.Ref+`"`, "badge cia-3", "badge cls-confidential")
		w = s.get("/orgs/acme/assets?classification=confidential")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "AST-001", "badge cia-1")
		wantStatus(t, s.get("/orgs/acme/assets?type=car"), http.StatusUnprocessableEntity)
		wantStatus(t, s.get("/orgs/acme/assets/AST-001/edit"), http.StatusOK)

		form.Set("version", "1")
		form.Set("availability", "3")
		wantStatus(t, s.post("/orgs/acme/assets/AST-001", form), http.StatusSeeOther)
		// The same page sent again is stale: 409 with the saved values.
		w = s.post("/orgs/acme/assets/AST-001", form)
		wantStatus(t, w, http.StatusConflict)
		wantBody(t, w, `name="version" value="2"`)

		wantStatus(t, s.post("/orgs/acme/assets/AST-001/delete", url.Values{"version": {"1"}}), http.StatusConflict)
		wantStatus(t, s.post("/orgs/acme/assets/AST-001/delete", url.Values{"version": {"2"}}), http.StatusSeeOther)
		wantStatus(t, s.get("/orgs/acme/assets/AST-001"), http.StatusNotFound)
	})
}
