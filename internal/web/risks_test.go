package web

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/store"
	"tandem/internal/storetest"
)

// registerSeed is a risk as the register tests raise it.
type registerSeed struct {
	register, title, owner string
	il, ii, rl, ri         int
	status, review         string
	controls, assets, cia  []string
	sources, parties       []string
}

// registerInAMonth is a date ahead of any test run.
var registerInAMonth = time.Now().UTC().AddDate(0, 1, 0).Format(time.DateOnly)

func seedRegister(t *testing.T, o *store.OrgStore, seeds ...registerSeed) []domain.Risk {
	t.Helper()
	var out []domain.Risk
	for _, s := range seeds {
		status, review, treatment := s.status, s.review, "modify"
		if status == "" {
			status = "open"
		}
		if review == "" {
			review = registerInAMonth
		}
		in := domain.RiskInput{Register: &s.register, Title: &s.title, Owner: &s.owner, InherentL: &s.il, InherentI: &s.ii,
			ResidualL: &s.rl, ResidualI: &s.ri, Treatment: &treatment, Status: &status, NextReview: &review}
		for _, l := range []struct {
			values []string
			into   **[]string
		}{{s.controls, &in.Controls}, {s.assets, &in.Assets}, {s.cia, &in.CIA}, {s.sources, &in.Sources}, {s.parties, &in.Parties}} {
			if l.values != nil {
				v := l.values
				*l.into = &v
			}
		}
		r, err := o.CreateRisk(context.Background(), testActor, in)
		if err != nil {
			t.Fatalf("seed %q: %v", s.title, err)
		}
		out = append(out, r)
	}
	return out
}

func registerPtr[T any](v T) *T { return &v }

// registerRows lists the refs of the register table's rows, in order.
func registerRows(body string) []string {
	var refs []string
	for _, m := range regexp.MustCompile(`<tr id="row-([A-Z]+-\d+)"`).FindAllStringSubmatch(body, -1) {
		refs = append(refs, m[1])
	}
	return refs
}

func wantRows(t *testing.T, path string, s *site, want ...string) string {
	t.Helper()
	path, _, _ = strings.Cut(path, "#") // a browser keeps the fragment to itself
	w := s.get(path)
	if b := w.Body.String(); w.Code != http.StatusOK && strings.Contains(b, "field-error") {
		i := strings.Index(b, `class="field-error"`)
		t.Fatalf("%s: %d, %.300s", path, w.Code, b[i:])
	}
	wantStatus(t, w, http.StatusOK)
	got := registerRows(w.Body.String())
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s lists %v, want %v", path, got, want)
	}
	return html.UnescapeString(w.Body.String())
}

// heatHref is the link of a heat-map cell.
func heatHref(register, score string, l, i int) string {
	return "/orgs/acme/risks?current=1&impact=" + itoa(int64(i)) + "&likelihood=" + itoa(int64(l)) +
		"&register=" + register + "&score=" + score + "#list"
}

func TestRiskRegisterPages(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		globex := s.org("globex")
		ctx := context.Background()
		ctl := s.control(o, "Offline backups", "implemented", "iso27001-2022/A.8.13")
		asset, err := o.CreateAsset(ctx, testActor, domain.AssetInput{Name: registerPtr("File servers"), Type: registerPtr("hardware"),
			Classification: registerPtr("internal"), Confidentiality: registerPtr(2), Integrity: registerPtr(2), Availability: registerPtr(3)})
		if err != nil {
			t.Fatal(err)
		}
		risks := seedRegister(t, o,
			registerSeed{register: "security", title: "Ransomware on file servers", owner: "Alex Owner", il: 5, ii: 5, rl: 2, ri: 3,
				controls: []string{ctl.Ref}, assets: []string{asset.Ref}, cia: []string{"availability", "integrity"}},
			registerSeed{register: "security", title: "Phishing of finance staff", owner: "Bea Boss", il: 4, ii: 4, rl: 3, ri: 4,
				status: "treating", review: "2020-01-01"},
			registerSeed{register: "security", title: "Lost laptop", owner: "alex owner", il: 3, ii: 3, rl: 1, ri: 2, status: "closed"},
			registerSeed{register: "ai", title: "Biased CV screening", owner: "Bea Boss", il: 4, ii: 4, rl: 2, ri: 3,
				sources: []string{"bias_fairness"}, parties: []string{"individuals", "groups"}},
			registerSeed{register: "ai", title: "Hallucinated advice to customers", owner: "Alex Owner", il: 5, ii: 4, rl: 4, ri: 4,
				sources: []string{"robustness_accuracy", "transparency_explainability"}, parties: []string{"individuals"}},
		)
		s1, s2, s3, a1, a2 := risks[0].Ref, risks[1].Ref, risks[2].Ref, risks[3].Ref, risks[4].Ref
		seedRegister(t, globex, registerSeed{register: "security", title: "Globex secret risk", owner: "Alex Owner",
			il: 5, ii: 5, rl: 2, ri: 3})
		if _, err := o.AddRiskAction(ctx, testActor, s2, domain.ActionInput{Title: registerPtr("Phishing drill for finance"),
			Owner: registerPtr("Bea Boss"), Due: registerPtr("2020-02-01")}); err != nil {
			t.Fatal(err)
		}

		// The security register is the default, and lists only its risks.
		body := wantRows(t, "/orgs/acme/risks", s, s1, s2, s3)
		for _, want := range []string{"Ransomware on file servers", `href="/orgs/acme/assets/` + asset.Ref + `"`,
			`title="` + i18n.T("web.risks.cia.availability") + `"`, `id="tab-security"`, `aria-current="page"`,
			`class="register-tab-count">3<`, `class="register-tab-count">2<`, `id="heat-inherent"`, `id="heat-residual"`,
			i18n.T("web.risks.accept.needed"), `class="badge review-due"`} {
			if !strings.Contains(body, want) {
				t.Errorf("security register lacks %q", want)
			}
		}
		for _, not := range []string{"Biased CV screening", "Hallucinated advice", "Globex secret risk"} {
			if strings.Contains(body, not) {
				t.Errorf("security register shows %q", not)
			}
		}
		body = wantRows(t, "/orgs/acme/risks?register=ai", s, a1, a2)
		for _, want := range []string{i18n.T("web.risks.source.bias_fairness"), i18n.T("web.risks.party.groups"),
			i18n.T("web.risks.title.ai")} {
			if !strings.Contains(body, want) {
				t.Errorf("AI register lacks %q", want)
			}
		}
		if strings.Contains(body, "Ransomware") || strings.Contains(body, "Lost laptop") {
			t.Error("the AI register shows security risks")
		}
		// A register that does not exist is an error, never a mixed list.
		w := s.get("/orgs/acme/risks?register=all")
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="register-error"`)
		wantNoBody(t, w, "Ransomware", "Biased CV", `<tr id="row-`)

		// Each heat map counts its own register's current risks only.
		cell := func(register, score string, l, i, n int, level string) string {
			return `href="` + heatHref(register, score, l, i) + `" aria-label="` +
				i18n.T("web.risks.heat.cell", l, domain.DefaultRiskMethod().Likelihood[l-1].Label, i,
					domain.DefaultRiskMethod().Impact[i-1].Label, level, registerPlural("web.risks.count", n)) + `"`
		}
		w = s.get("/orgs/acme/risks")
		wantBody(t, w, cell("security", "residual", 2, 3, 1, "Medium"), cell("security", "residual", 3, 4, 1, "High"),
			cell("security", "inherent", 5, 5, 1, "Critical"), cell("security", "inherent", 4, 4, 1, "Critical"))
		// The closed risk and the other register's risks have no cell.
		wantNoBody(t, w, heatHref("security", "residual", 1, 2), heatHref("security", "inherent", 3, 3),
			heatHref("security", "residual", 4, 4), heatHref("ai", "residual", 2, 3))
		w = s.get("/orgs/acme/risks?register=ai")
		wantBody(t, w, cell("ai", "residual", 2, 3, 1, "Medium"), cell("ai", "residual", 4, 4, 1, "Critical"),
			cell("ai", "inherent", 4, 4, 1, "Critical"), cell("ai", "inherent", 5, 4, 1, "Critical"))
		wantNoBody(t, w, heatHref("ai", "inherent", 5, 5), heatHref("security", "residual", 2, 3))

		// A cell's link lists exactly the risks of that cell, with a chip
		// that removes the cell filter.
		body = wantRows(t, heatHref("security", "residual", 2, 3), s, s1)
		if !strings.Contains(body, `id="cell-filter"`) || !strings.Contains(body, `class="heat-cell heat-selected"`) {
			t.Error("the cell filter is not shown as a chip and a selected cell")
		}
		chip := regexp.MustCompile(`class="filter-chip" href="([^"]+)"`).FindStringSubmatch(body)
		if chip == nil {
			t.Fatal("no filter chip")
		}
		wantRows(t, html.UnescapeString(chip[1]), s, s1, s2)
		wantRows(t, heatHref("security", "inherent", 4, 4), s, s2)
		wantRows(t, heatHref("ai", "inherent", 4, 4), s, a1)
		wantRows(t, heatHref("ai", "residual", 2, 3), s, a1)

		// Filters.
		for path, want := range map[string][]string{
			"/orgs/acme/risks?status=treating":                     {s2},
			"/orgs/acme/risks?q=LAPTOP":                            {s3},
			"/orgs/acme/risks?owner=ALEX+OWNER":                    {s1, s3},
			"/orgs/acme/risks?level=high":                          {s2},
			"/orgs/acme/risks?score=inherent&level=critical":       {s1, s2},
			"/orgs/acme/risks?review_due=1":                        {s2},
			"/orgs/acme/risks?current=1":                           {s1, s2},
			"/orgs/acme/risks?control=" + strings.ToLower(ctl.Ref): {s1},
			"/orgs/acme/risks?register=ai&owner=bea+boss":          {a1},
			"/orgs/acme/risks?register=ai&rescore=1":               nil,
		} {
			wantRows(t, path, s, want...)
		}
		for _, q := range []string{"status=done", "level=extreme", "score=both", "likelihood=9", "impact=x", "cursor=zzz"} {
			w := s.get("/orgs/acme/risks?" + q)
			wantStatus(t, w, http.StatusUnprocessableEntity)
			wantBody(t, w, `class="field-error"`, i18n.T("web.risks.fix_filters"))
			wantNoBody(t, w, `<tr id="row-`)
		}

		// The numbers and side panels.
		w = s.get("/orgs/acme/risks")
		for id, n := range map[string]string{"kpi-current": "2", "kpi-above": "1", "kpi-acceptance": "1", "kpi-review": "1",
			"kpi-rescore": "0", "kpi-overdue": "1"} {
			if got := kpiValue(t, w.Body.String(), id); got != n {
				t.Errorf("%s shows %s, want %s", id, got, n)
			}
		}
		wantBody(t, w, `id="attention"`, "Phishing drill for finance", `href="/orgs/acme/risks/`+s2+`"`,
			`href="/orgs/acme/actions?overdue=1&register=security"`, `href="/orgs/acme/risks/export?format=csv&register=security"`,
			`href="/orgs/acme/risks/plan?format=pdf&register=security"`, `href="/orgs/acme/risk-method"`)
		// Downloads carry the filters in force.
		wantBody(t, s.get("/orgs/acme/risks?status=treating&q=phish"),
			`href="/orgs/acme/risks/export?format=xlsx&q=phish&register=security&status=treating"`)
		// Accepting the critical AI risk takes it off the waiting list.
		w = s.get("/orgs/acme/risks?register=ai")
		if got := kpiValue(t, w.Body.String(), "kpi-acceptance"); got != "1" {
			t.Errorf("AI acceptance needed %s, want 1", got)
		}
		if _, err := o.AcceptRisk(ctx, testActor, "Ada Admin", "admin", a2, risks[4].Version,
			domain.AcceptInput{Rationale: "Human review of every answer", NextReview: registerInAMonth}); err != nil {
			t.Fatal(err)
		}
		w = s.get("/orgs/acme/risks?register=ai")
		if got := kpiValue(t, w.Body.String(), "kpi-acceptance"); got != "0" {
			t.Errorf("AI acceptance needed %s after the acceptance, want 0", got)
		}
		wantBody(t, w, i18n.T("web.risks.accept.accepted"), i18n.T("web.risks.accept.until", registerInAMonth))

		// A new method version marks every score for re-scoring.
		m := domain.DefaultRiskMethod()
		m.Likelihood[0].Label = "Very rare"
		zero := int64(0)
		if _, err := o.SetRiskMethod(ctx, testActor, &zero, m); err != nil {
			t.Fatal(err)
		}
		w = s.get("/orgs/acme/risks")
		if got := kpiValue(t, w.Body.String(), "kpi-rescore"); got != "2" {
			t.Errorf("to re-score %s, want 2", got)
		}
		wantBody(t, w, `class="rescore-mark"`, i18n.T("web.risks.rescore_hint", 0, 1))
		wantRows(t, "/orgs/acme/risks?rescore=1", s, s1, s2, s3)

		// Paging keeps the register and the filters.
		w = s.get("/orgs/acme/risks?limit=2&owner=")
		wantStatus(t, w, http.StatusOK)
		if got := registerRows(w.Body.String()); len(got) != 2 {
			t.Fatalf("first page %v", got)
		}
		next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(w.Body.String())
		if next == nil {
			t.Fatal("no next page link")
		}
		link := html.UnescapeString(next[1])
		if !strings.Contains(link, "register=security") || !strings.Contains(link, "limit=2") {
			t.Fatalf("next link %q drops the register or page size", link)
		}
		body = wantRows(t, link, s, s3)
		if !strings.Contains(body, i18n.T("web.pager.first")) {
			t.Error("the second page has no link to the first")
		}

		// Who may add risks sees the buttons; a viewer does not.
		for _, who := range []struct {
			email, role string
			buttons     bool
		}{{"vera@example.com", "viewer", false}, {"mo@example.com", "manager", true}, {"cora@example.com", "contributor", false}} {
			as := s.user(who.email, who.role, false)
			if err := o.SetMembership(ctx, testActor, who.email, who.role, nil); err != nil {
				t.Fatal(err)
			}
			s.as = as
			w := s.get("/orgs/acme/risks?register=ai")
			wantStatus(t, w, http.StatusOK)
			if has := strings.Contains(w.Body.String(), `id="risk-new"`) && strings.Contains(w.Body.String(), `id="risk-import"`); has != who.buttons {
				t.Errorf("%s sees the New and Import buttons: %v", who.role, has)
			}
			// Another organization's registers do not exist for them.
			wantStatus(t, s.get("/orgs/globex/risks"), http.StatusNotFound)
			wantStatus(t, s.get("/orgs/globex/actions"), http.StatusNotFound)
			wantNoBody(t, s.get("/orgs/acme/risks?q=globex"), "Globex secret risk")
		}
	})
}

// kpiValue is the number a register's KPI tile shows.
func kpiValue(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + id + `"[^>]*>\s*<span class="kpi-value">(\d+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no KPI %s", id)
	}
	return m[1]
}

func TestActionListPage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		ctx := context.Background()
		risks := seedRegister(t, o,
			registerSeed{register: "security", title: "Phishing", owner: "Bea Boss", il: 4, ii: 4, rl: 3, ri: 4},
			registerSeed{register: "ai", title: "Biased screening", owner: "Bea Boss", il: 4, ii: 4, rl: 2, ri: 3})
		add := func(risk, title, owner, due string) domain.Action {
			a, err := o.AddRiskAction(ctx, testActor, risk, domain.ActionInput{Title: &title, Owner: &owner, Due: &due})
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		late := add(risks[0].Ref, "Phishing drill", "Bea Boss", "2020-02-01")
		soon := add(risks[1].Ref, "Bias test of the screening model", "Alex Owner", registerInAMonth)
		done := add(risks[0].Ref, "Mail filter rules", "alex owner", "2020-03-01")
		if _, err := o.UpdateAction(ctx, testActor, done.Ref, done.Version, domain.ActionInput{Status: registerPtr("done")}); err != nil {
			t.Fatal(err)
		}

		w := s.get("/orgs/acme/actions")
		wantStatus(t, w, http.StatusOK)
		if got := strings.Join(registerRows(w.Body.String()), " "); got != late.Ref+" "+done.Ref+" "+soon.Ref {
			t.Errorf("actions listed %s, want soonest due first", got)
		}
		wantBody(t, w, `href="/orgs/acme/risks/`+risks[0].Ref+`"`, `href="/orgs/acme/risks/`+risks[1].Ref+`"`,
			`class="row-overdue"`, `id="overdue-count"`, i18n.T("web.actions.status.done"))
		for path, want := range map[string][]string{
			"/orgs/acme/actions?overdue=1":        {late.Ref},
			"/orgs/acme/actions?status=done":      {done.Ref},
			"/orgs/acme/actions?owner=ALEX+OWNER": {done.Ref, soon.Ref},
		} {
			wantRows(t, path, s, want...)
		}
		for _, q := range []string{"status=late", "cursor=zzz"} {
			w := s.get("/orgs/acme/actions?" + q)
			wantStatus(t, w, http.StatusUnprocessableEntity)
			wantBody(t, w, `class="field-error"`)
		}
		w = s.get("/orgs/acme/actions?limit=2&status=open")
		next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(w.Body.String())
		if got := registerRows(w.Body.String()); len(got) != 2 || next != nil {
			t.Fatalf("open actions: %v, next %v", got, next)
		}
		w = s.get("/orgs/acme/actions?limit=2")
		next = regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(w.Body.String())
		if next == nil {
			t.Fatal("no next page link")
		}
		wantRows(t, html.UnescapeString(next[1]), s, soon.Ref)
	})
}

// The heat map keeps its size for any method (3 to 5 steps a scale):
// every cell inside the picture, highest likelihood at the top, counts and
// links only where there are risks.
func TestRiskHeatMapGeometry(t *testing.T) {
	for _, shape := range [][2]int{{3, 3}, {4, 5}, {5, 5}, {5, 3}} {
		nl, ni := shape[0], shape[1]
		labels := func(n int) []string {
			out := make([]string, n)
			for k := range out {
				out[k] = "Step with a rather long label " + itoa(int64(k+1))
			}
			return out
		}
		hm := makeRiskHeatMap(riskHeatInput{Score: "residual", Likelihood: labels(nl), Impact: labels(ni),
			SelLikelihood: 1, SelImpact: ni,
			Cell: func(l, i int) riskHeatCellInput {
				c := riskHeatCellInput{Colour: "#2e7d32", Count: (l + i) % 3, Href: "/x", Above: l+i > nl}
				if c.Above {
					c.Colour = "#c62828"
				}
				return c
			}})
		if len(hm.Cells) != nl*ni || len(hm.Rows) != nl || len(hm.Cols) != ni {
			t.Fatalf("%d×%d: %d cells, %d rows, %d columns", nl, ni, len(hm.Cells), len(hm.Rows), len(hm.Cols))
		}
		if hm.Rows[0].Step != nl || hm.Rows[0].Y >= hm.Rows[nl-1].Y {
			t.Errorf("%d×%d: likelihood does not rise upwards", nl, ni)
		}
		for _, c := range hm.Cells {
			if c.X < 0 || c.Y < 0 || c.X+c.W > hm.Width || c.Y+c.H > hm.Height || c.W < 50 || c.H < 40 {
				t.Errorf("%d×%d: cell %+v outside %dx%d or too small", nl, ni, c, hm.Width, hm.Height)
			}
			if (c.Count == 0) != (c.Href == "") {
				t.Errorf("%d×%d: cell with %d risks has link %q", nl, ni, c.Count, c.Href)
			}
		}
		if hm.AppetiteLine == "" {
			t.Errorf("%d×%d: no appetite line", nl, ni)
		}
		if sel := hm.Cells[(nl-1)*ni+ni-1]; !sel.Selected {
			t.Errorf("%d×%d: the bottom right cell (likelihood 1, impact %d) is not the selected one: %+v", nl, ni, ni, sel)
		}
		for _, tick := range append(hm.Rows, hm.Cols...) {
			if len(tick.Lines) == 0 || len(tick.Lines) > 2 {
				t.Errorf("label %q on %d lines", tick.Label, len(tick.Lines))
			}
		}
	}
	for colour, ink := range map[string]string{"#c62828": "#ffffff", "#2e7d32": "#ffffff", "#f9a825": "#1b2330",
		"#ef6c00": "#1b2330", "#ffffff": "#1b2330", "#000000": "#ffffff", "bad": "#1b2330"} {
		if got := heatTextColour(colour); got != ink {
			t.Errorf("text on %s is %s, want %s", colour, got, ink)
		}
	}
	if got := wrapLabel("Almost certain", 10); len(got) != 2 || got[0] != "Almost" || got[1] != "certain" {
		t.Errorf("wrapLabel: %q", got)
	}
}

// The acceptance state of a row follows the derived fields of the risk.
func TestRegisterAcceptState(t *testing.T) {
	lv := registerLevelsOf(domain.DefaultRiskMethod())
	for _, c := range []struct {
		r    domain.Risk
		want string
	}{
		{domain.Risk{Status: "open"}, ""},
		{domain.Risk{Status: "open", AboveAppetite: true}, "needed"},
		{domain.Risk{Status: "treating", AboveAppetite: true, Accepted: true}, "accepted"},
		{domain.Risk{Status: "accepted", AboveAppetite: true, Accepted: true}, "accepted"},
		{domain.Risk{Status: "accepted", AboveAppetite: true}, "lapsed"},
		{domain.Risk{Status: "closed", AboveAppetite: true}, "lapsed"},
		{domain.Risk{Status: "closed"}, ""},
	} {
		if got := lv.row(c.r).AcceptState; got != c.want {
			t.Errorf("%s above=%v accepted=%v: %q, want %q", c.r.Status, c.r.AboveAppetite, c.r.Accepted, got, c.want)
		}
	}
	chip := lv.chip(domain.RiskScore{Likelihood: 9, Impact: 9, Level: "gone"})
	if chip.Label != "gone" || chip.Colour != registerUnknownColour {
		t.Errorf("a level the method no longer has: %+v", chip)
	}
}

// Every label the register pages derive from a value exists, and the
// pages need no inline code.
func TestRegisterMessagesAndCSP(t *testing.T) {
	var ids []string
	for _, r := range domain.Registers {
		ids = append(ids, "web.risks.title."+r, "web.risks.subtitle."+r, "web.risks.tab."+r, "web.risks.col."+r)
	}
	for _, group := range []struct {
		prefix string
		values []string
	}{{"web.risks.status.", domain.RiskStatuses}, {"web.risks.treatment.", domain.Treatments},
		{"web.risks.cia.", domain.CIAProperties}, {"web.risks.cia_short.", domain.CIAProperties},
		{"web.risks.source.", domain.AIRiskSources}, {"web.risks.party.", domain.AffectedParties},
		{"web.actions.status.", domain.ActionStatuses}, {"web.role.", domain.AcceptorRoles},
		{"web.risks.heat.", []string{"inherent", "residual", "inherent_note", "residual_note"}}} {
		for _, v := range group.values {
			ids = append(ids, group.prefix+v)
		}
	}
	for _, id := range ids {
		if !i18n.Has(id) {
			t.Errorf("message %s is missing", id)
		}
	}

	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	seedRegister(t, o, registerSeed{register: "ai", title: "Drift", owner: "Bea", il: 3, ii: 3, rl: 2, ri: 2,
		sources: []string{"safety"}, parties: []string{"society"}})
	inline := regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]|<script>|\son[a-z]+=|\sstyle=|<style`)
	for _, p := range []string{"/orgs/acme/risks", "/orgs/acme/risks?register=ai&likelihood=2&impact=2&current=1", "/orgs/acme/actions"} {
		w := s.get(p)
		wantStatus(t, w, http.StatusOK)
		if m := inline.FindString(w.Body.String()); m != "" {
			t.Errorf("%s has inline code: %q", p, m)
		}
	}
}

// The acceptance filter lists the risks each tile and panel counts, and
// the action list narrows to one register.
func TestRiskRegisterAcceptanceFilter(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		o := s.org("acme")
		ctx := context.Background()
		rs := seedRegister(t, o,
			registerSeed{register: "security", title: "Needs a decision", owner: "Bea Boss", il: 5, ii: 5, rl: 3, ri: 4},
			registerSeed{register: "security", title: "Accepted by the board", owner: "Bea Boss", il: 5, ii: 5, rl: 3, ri: 3},
			registerSeed{register: "security", title: "Within appetite", owner: "Bea Boss", il: 5, ii: 5, rl: 1, ri: 1},
			registerSeed{register: "ai", title: "AI risk above appetite", owner: "Hana HR", il: 5, ii: 5, rl: 4, ri: 4})
		if _, err := o.AcceptRisk(ctx, testActor, "Ada Admin", "admin", rs[1].Ref, rs[1].Version, domain.AcceptInput{Rationale: "Insured"}); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			path string
			want []string
		}{
			{"/orgs/acme/risks?acceptance=uncovered", []string{rs[0].Ref}},
			{"/orgs/acme/risks?acceptance=needed", []string{rs[0].Ref}},
			{"/orgs/acme/risks?acceptance=accepted", []string{rs[1].Ref}},
			{"/orgs/acme/risks?acceptance=lapsed", nil},
			{"/orgs/acme/risks?register=ai&acceptance=uncovered", []string{rs[3].Ref}},
		} {
			wantRows(t, tt.path, s, tt.want...)
		}
		w := s.get("/orgs/acme/risks?acceptance=maybe")
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="f-acceptance-error"`)
		if got := kpiValue(t, s.get("/orgs/acme/risks").Body.String(), "kpi-acceptance"); got != "1" {
			t.Errorf("waiting for acceptance shows %s, want 1", got)
		}

		for _, r := range []domain.Risk{rs[0], rs[3]} {
			title, owner, due := "Late for "+r.Ref, "Ops", "2026-01-01"
			if _, err := o.AddRiskAction(ctx, testActor, r.Ref, domain.ActionInput{Title: &title, Owner: &owner, Due: &due}); err != nil {
				t.Fatal(err)
			}
		}
		w = s.get("/orgs/acme/actions?overdue=1&register=ai")
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Late for "+rs[3].Ref)
		wantNoBody(t, w, "Late for "+rs[0].Ref)
		w = s.get("/orgs/acme/actions?register=both")
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBody(t, w, `id="f-register-error"`)
	})
}
