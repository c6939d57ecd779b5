package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tandem/internal/domain"
	"tandem/internal/i18n"
	"tandem/internal/storetest"
)

// registerMethod is a method of nl likelihood and ni impact steps with
// three levels and the middle one as appetite.
func registerMethod(nl, ni int) domain.RiskMethod {
	words := []string{"Very low", "Low", "Medium", "High", "Very high"}
	m := domain.RiskMethod{Appetite: "tolerable", Levels: []domain.RiskLevel{
		{ID: "acceptable", Label: "Acceptable", Colour: "#4caf50", Acceptor: "manager"},
		{ID: "tolerable", Label: "Tolerable", Colour: "#ffd54f", Acceptor: "manager"},
		{ID: "intolerable", Label: "Intolerable", Colour: "#b71c1c", Acceptor: "admin"}}}
	for l := range nl {
		m.Likelihood = append(m.Likelihood, domain.ScaleStep{Label: words[l+5-nl]})
		row := make([]string, ni)
		for i := range ni {
			switch score := float64((l+1)*(i+1)) / float64(nl*ni); {
			case score > .45:
				row[i] = "intolerable"
			case score > .2:
				row[i] = "tolerable"
			default:
				row[i] = "acceptable"
			}
		}
		m.Matrix = append(m.Matrix, row)
	}
	for i := range ni {
		m.Impact = append(m.Impact, domain.ScaleStep{Label: words[i+5-ni] + " impact"})
	}
	return m
}

// TestBrowserRiskRegisters opens both registers as a manager does: reads
// the heat maps, selects a cell and gets exactly its risks, switches to
// the AI register and does the same for an inherent cell, then reads the
// treatment actions.
func TestBrowserRiskRegisters(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	ctx := context.Background()
	s.as = s.user("maria@example.com", "Maria Manager", false)
	if err := o.SetMembership(ctx, testActor, "maria@example.com", "manager", nil); err != nil {
		t.Fatal(err)
	}
	backup := s.control(o, "Offline backups, tested quarterly", "implemented", "iso27001-2022/A.8.13")
	var assets []string
	for _, name := range []string{"Customer database", "File servers", "Finance mailboxes"} {
		a, err := o.CreateAsset(ctx, testActor, domain.AssetInput{Name: &name, Type: registerPtr("information"),
			Classification: registerPtr("confidential"), Confidentiality: registerPtr(3), Integrity: registerPtr(2), Availability: registerPtr(2)})
		if err != nil {
			t.Fatal(err)
		}
		assets = append(assets, a.Ref)
	}
	sec := seedRegister(t, o,
		registerSeed{register: "security", title: "Ransomware encrypts the file servers", owner: "Alex Owner", il: 4, ii: 5, rl: 2, ri: 4,
			controls: []string{backup.Ref}, assets: assets[1:2], cia: []string{"availability", "integrity"}, status: "treating"},
		registerSeed{register: "security", title: "Phishing of finance staff leads to payment fraud", owner: "Bea Boss", il: 4, ii: 4, rl: 3, ri: 4,
			assets: assets[2:3], cia: []string{"confidentiality", "integrity"}, review: "2020-01-01"},
		registerSeed{register: "security", title: "Customer data leaked through a misconfigured bucket", owner: "Alex Owner", il: 3, ii: 5, rl: 3, ri: 4,
			assets: assets[0:1], cia: []string{"confidentiality"}},
		registerSeed{register: "security", title: "Laptop lost on the train", owner: "Chris IT", il: 4, ii: 2, rl: 2, ri: 1,
			cia: []string{"confidentiality"}},
		registerSeed{register: "security", title: "Cloud provider outage", owner: "Chris IT", il: 2, ii: 4, rl: 2, ri: 3,
			cia: []string{"availability"}, status: "treating"},
		registerSeed{register: "security", title: "Insider copies the customer list", owner: "Bea Boss", il: 2, ii: 5, rl: 1, ri: 4,
			assets: assets[0:1], cia: []string{"confidentiality"}},
		registerSeed{register: "security", title: "Weak passwords on admin accounts", owner: "Chris IT", il: 5, ii: 4, rl: 1, ri: 2,
			cia: []string{"confidentiality", "integrity"}, status: "closed"},
	)
	ai := seedRegister(t, o,
		registerSeed{register: "ai", title: "CV screening model disadvantages older applicants", owner: "Hana HR", il: 4, ii: 4, rl: 3, ri: 3,
			sources: []string{"bias_fairness"}, parties: []string{"individuals", "groups"}, status: "treating"},
		registerSeed{register: "ai", title: "Support chatbot gives wrong contract advice", owner: "Alex Owner", il: 4, ii: 4, rl: 3, ri: 4,
			sources: []string{"robustness_accuracy", "transparency_explainability"}, parties: []string{"individuals"}},
		registerSeed{register: "ai", title: "Training data holds personal data without a basis", owner: "Dana DPO", il: 3, ii: 4, rl: 2, ri: 2,
			sources: []string{"privacy"}, parties: []string{"individuals"}},
		registerSeed{register: "ai", title: "Nobody can explain a credit decision", owner: "Dana DPO", il: 3, ii: 3, rl: 2, ri: 3,
			sources: []string{"transparency_explainability", "accountability"}, parties: []string{"individuals", "society"}},
	)
	for _, a := range []struct{ risk, title, owner, due string }{
		{sec[1].Ref, "Phishing drill for the finance team", "Bea Boss", "2020-02-01"},
		{sec[0].Ref, "Segment the file server network", "Chris IT", registerInAMonth},
		{ai[0].Ref, "Bias test of the screening model per age group", "Hana HR", "2020-03-15"},
	} {
		if _, err := o.AddRiskAction(ctx, testActor, a.risk, domain.ActionInput{Title: &a.title, Owner: &a.owner, Due: &a.due}); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
		s.h.ServeHTTP(w, r)
	}))
	defer srv.Close()

	b.do("security register", chromedp.Navigate(srv.URL+"/orgs/acme/risks"), chromedp.WaitVisible(chromedp.ID("heat-residual")))
	b.wantText("h1", i18n.T("web.risks.title.security"))
	b.wantText("#kpi-current", "6")
	b.wantText("#attention", sec[1].Ref, sec[2].Ref)
	b.wantText("#overdue", "Phishing drill for the finance team")
	viewShot(b, "40-risks-security")
	b.shot("41-risks-security-full")

	// The residual cell likelihood 3 × impact 4 holds two security risks
	// (and an AI risk, which is not counted here).
	cell := `#heat-residual a.heat-cell[href*="impact=4&likelihood=3&"]`
	b.do("cell", chromedp.Click(chromedp.CSS(cell)), chromedp.WaitVisible(chromedp.ID("cell-filter")))
	b.wantText("#cell-filter", i18n.T("web.risks.filter.cell_likelihood", "3 · Possible"), i18n.T("web.risks.filter.cell_impact", "4 · Major"))
	b.wantText("#risk-count", i18n.T("web.risks.list.matching.other", 2))
	rows := b.text("#risks tbody")
	for _, r := range sec {
		want := r.Residual.Likelihood == 3 && r.Residual.Impact == 4
		if strings.Contains(rows, r.Ref) != want {
			t.Errorf("the cell's list shows %s: %v, want %v", r.Ref, !want, want)
		}
	}
	if top, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`document.getElementById('list').getBoundingClientRect().top`)); err != nil || top < -10 || top > 400 {
		t.Errorf("the filtered list is not in view: top %v (%v)", top, err)
	}
	viewShot(b, "42-risks-cell")

	// Removing the chip shows the whole register again.
	b.do("chip", chromedp.Click(chromedp.CSS("#cell-filter a")), chromedp.WaitVisible(chromedp.ID("risks")))
	if got := b.text("#risk-count"); !strings.Contains(got, i18n.T("web.risks.list.matching.other", 6)) {
		t.Errorf("after removing the chip: %q", got)
	}

	// The AI register, and an inherent cell.
	b.do("ai tab", chromedp.Click(chromedp.ID("tab-ai")), chromedp.WaitVisible(chromedp.ID("heat-inherent")))
	b.wantText("h1", i18n.T("web.risks.title.ai"))
	b.wantText("#kpi-current", "4")
	b.wantText("#risks", i18n.T("web.risks.source.bias_fairness"), ai[0].Title)
	b.wantText("#overdue", "Bias test of the screening model")
	if body := b.text("#risks"); strings.Contains(body, "Ransomware") {
		t.Error("the AI register lists a security risk")
	}
	b.shot("43-risks-ai-full")
	b.do("inherent cell", chromedp.Click(chromedp.CSS(`#heat-inherent a.heat-cell[href*="impact=4&likelihood=4&"]`)),
		chromedp.WaitVisible(chromedp.ID("cell-filter")))
	b.wantText("#cell-filter", strings.ToUpper(i18n.T("web.risks.score.inherent")), i18n.T("web.risks.filter.cell_likelihood", "4 · Likely"))
	rows = b.text("#risks tbody")
	if !strings.Contains(rows, ai[0].Ref) || !strings.Contains(rows, ai[1].Ref) || strings.Contains(rows, ai[2].Ref) || strings.Contains(rows, sec[1].Ref) {
		t.Errorf("inherent 4×4 lists:\n%s", rows)
	}
	viewShot(b, "44-risks-ai-cell")

	b.do("actions", chromedp.Navigate(srv.URL+"/orgs/acme/actions"), chromedp.WaitVisible(chromedp.ID("actions")))
	b.wantText("#actions", "Phishing drill for the finance team", sec[1].Ref, i18n.T("web.actions.overdue"))
	b.shot("45-actions")

	// Other shapes of the method draw the same way; scores the new
	// matrix does not have are counted apart, to be re-scored.
	for _, shape := range []struct {
		name   string
		nl, ni int
	}{{"47-risks-method-3x3", 3, 3}, {"48-risks-method-4x5", 4, 5}} {
		m := registerMethod(shape.nl, shape.ni)
		cur, err := o.RiskMethod(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.SetRiskMethod(ctx, testActor, &cur.Version, m); err != nil {
			t.Fatal(err)
		}
		b.do(shape.name, chromedp.Navigate(srv.URL+"/orgs/acme/risks"), chromedp.WaitVisible(chromedp.ID("heat-residual")))
		if n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#heat-residual .heat-cell').length`)); err != nil || n != shape.nl*shape.ni {
			t.Errorf("%s: %d cells (%v)", shape.name, n, err)
		}
		if shape.nl == 3 {
			b.wantText("#heat-off", i18n.T("web.risks.heat.off_matrix_link"))
		}
		b.do("scroll", chromedp.ScrollIntoView(chromedp.ID("heat")))
		viewShot(b, shape.name)
	}

	// A phone-sized screen: nothing overflows sideways except inside the table's scroller.
	b.do("phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(srv.URL+"/orgs/acme/risks"),
		chromedp.WaitVisible(chromedp.ID("heat-residual")))
	if wide, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); err != nil || wide {
		t.Errorf("the register overflows a phone screen (%v)", err)
	}
	b.shot("46-risks-phone")
}
