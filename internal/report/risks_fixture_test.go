package report

import (
	"fmt"
	"strings"
	"time"

	"tandem/internal/domain"
)

// The risk fixtures: a register of made-up risks that exercises what the
// exports must show (every level and status, long texts, overdue actions,
// valid, expired and missing acceptances, a formula-like title).

var riskGenerated = time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC)

func testMethod() domain.RiskMethod {
	m := domain.DefaultRiskMethod()
	at := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	m.Version, m.UpdatedAt, m.UpdatedBy = 2, &at, "Ingrid Müller"
	return m
}

var (
	riskOwners    = []string{"Ingrid Müller", "Søren Ølgaard", "Dana Whitfield", "Łukasz Nowak", "Priya Raman"}
	securityTitle = []string{
		"Ransomware encrypts the file servers and the backups reachable from them",
		"Phishing leads to stolen credentials of a cloud administrator",
		"Laptop with unencrypted customer data is lost while travelling",
		"Supplier of the payroll service suffers a breach",
		"Misconfigured storage bucket exposes invoices",
		"Former employee keeps access to the CRM",
		"Patch backlog on internet-facing VPN appliances",
		"Data centre power outage longer than the UPS runtime",
	}
	aiTitle = []string{
		"Credit scoring model treats applicants from some postcodes unfairly",
		"Customer-service assistant invents refund policies",
		"Training data contains personal data without a lawful basis",
		"Model drift lowers fraud detection after a product change",
		"Prompt injection through uploaded documents leaks internal notes",
		"Decisions cannot be explained to a rejected applicant",
	}
	longText = "The attacker gains a foothold through a remote desktop gateway that was left exposed after a migration, " +
		"moves laterally using a service account with domain-wide rights, disables the endpoint agent and encrypts " +
		"the file servers over a weekend. The backups on the NAS are mounted as a share and are encrypted as well; " +
		"the offline copy is four weeks old.\n\nRestoring from it means re-keying a month of orders, and customers " +
		"are told late because the incident procedure names a mailbox that no longer exists."
)

// testRisks makes n risks of a register, derived under the test method on
// the fixture's day.
func testRisks(register string, n int) []domain.Risk {
	m := testMethod()
	today := riskGenerated.In(orgLocation(testOrg)).Format(time.DateOnly)
	statuses := []string{"open", "treating", "treating", "accepted", "closed", "open"}
	var out []domain.Risk
	for i := 1; i <= n; i++ {
		l, im := 1+(i*3)%5, 1+(i*2+1)%5
		rl, ri := max(1, l-1-i%2), max(1, im-(i%3+1)/2)
		r := domain.Risk{
			Ref: fmt.Sprintf("RSK-%03d", i), Register: register, Owner: riskOwners[i%len(riskOwners)],
			Inherent:  domain.RiskScore{Likelihood: l, Impact: im, Level: m.Level(l, im), MethodVersion: m.Version},
			Residual:  domain.RiskScore{Likelihood: rl, Impact: ri, Level: m.Level(rl, ri), MethodVersion: m.Version},
			Treatment: domain.Treatments[i%len(domain.Treatments)], Status: statuses[i%len(statuses)],
			NextReview: time.Date(2026+i%3%2, time.Month(1+i%12), 1+i%27, 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
			Controls:   []string{}, Actions: []domain.Action{},
			UpdatedAt: riskGenerated.Add(-time.Duration(i) * 36 * time.Hour),
		}
		r.CreatedAt = r.UpdatedAt.Add(-90 * 24 * time.Hour)
		if register == domain.RegisterAI {
			r.Title = aiTitle[i%len(aiTitle)]
			r.AISystems = []string{"Loan decision engine (AIS-001)", "Support assistant (AIS-002)", "Fraud model v3"}[i%3]
			r.Sources = domain.AIRiskSources[i%len(domain.AIRiskSources) : i%len(domain.AIRiskSources)+1]
			if extra := domain.AIRiskSources[(i+3)%len(domain.AIRiskSources)]; i%2 == 0 && extra != r.Sources[0] {
				r.Sources = append(r.Sources, extra)
			}
			r.Parties = domain.AffectedParties[:1+i%3]
		} else {
			r.Title = securityTitle[i%len(securityTitle)]
			r.Assets = []string{"AST-001", "AST-004", "AST-007"}[:1+i%3]
			r.Threat = "Organized criminals"
			r.Vulnerability = "Flat network and shared local administrator passwords"
			r.CIA = domain.CIAProperties[i%3 : min(3, i%3+2)]
		}
		r.Description = "What could happen, and why it matters to " + r.Owner + "."
		if i == 3 {
			r.Description = longText
			r.Threat = longText
			r.AISystems = strings.Repeat("Recommendation engine, ", 6) + "and the nightly retraining pipeline"
		}
		if i == 7 {
			r.Title = "=cmd|' /C calc'!A0"
		}
		for c := 0; c < i%4; c++ {
			r.Controls = append(r.Controls, fmt.Sprintf("CTL-%03d", 1+(i+c*5)%12))
		}
		if i == 9 {
			r.Controls = append(r.Controls, "CTL-099") // no longer in the library
		}
		for a := 0; a < (i+1)%4; a++ {
			due := time.Date(2026+(i*7+a)%3%2, time.Month(1+(i+a*4)%12), 10+a, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
			act := domain.Action{Ref: fmt.Sprintf("ACT-%03d", i*3+a), Risk: r.Ref, Owner: riskOwners[(i+a)%len(riskOwners)], Due: due,
				Title:  []string{"Move backups to immutable storage", "Enforce phishing-resistant MFA for administrators", "Review access rights quarterly"}[a%3],
				Status: []string{domain.ActionOpen, domain.ActionOpen, domain.ActionDone}[(i+a)%3]}
			act.Derive(today)
			r.Actions = append(r.Actions, act)
		}
		if r.Closing() && m.LevelRank(r.Residual.Level) > m.LevelRank(m.Appetite) || i%10 == 4 {
			r.Acceptance = &domain.RiskAcceptance{By: "Dana Whitfield", Role: "admin", Level: r.Residual.Level,
				Date: "2026-02-01", Rationale: "Insurance covers the remaining loss; the board reviewed it.", Expires: "2027-02-01"}
			if i%12 == 10 {
				r.Acceptance.Expires = "2026-06-30" // lapsed
			}
		}
		r.Derive(m, today)
		out = append(out, r)
	}
	return out
}

// testControls are the controls the fixture's plans name.
func testControls() map[string]domain.Control {
	titles := []string{"Information security policy", "Access reviews", "Immutable backups", "Endpoint detection and response",
		"Supplier assessments", "Security awareness training", "Multi-factor authentication", "Patch management",
		"Encryption of portable devices", "Incident response procedure", "Bias testing before release", "Human review of declined applications"}
	out := map[string]domain.Control{}
	for i, t := range titles {
		ref := fmt.Sprintf("CTL-%03d", i+1)
		out[ref] = domain.Control{Ref: ref, Title: t, Status: domain.Statuses[i%len(domain.Statuses)]}
	}
	return out
}

func testRegister(register string) RiskRegister {
	return RiskRegister{Org: testOrg, Register: register, Method: testMethod(), GeneratedAt: riskGenerated}
}

func testPlan(register string, n int) TreatmentPlan {
	return TreatmentPlan{RiskRegister: testRegister(register), Risks: testRisks(register, n), Controls: testControls()}
}

// pagesOf hands out risks in pages of size, counting the calls.
type riskPageServer struct {
	risks       []domain.Risk
	size, calls int
}

func (s *riskPageServer) next() ([]domain.Risk, bool, error) {
	s.calls++
	n := min(s.size, len(s.risks))
	page := s.risks[:n]
	s.risks = s.risks[n:]
	return page, len(s.risks) > 0, nil
}

func pagesOf(risks []domain.Risk, size int) *riskPageServer {
	return &riskPageServer{risks: risks, size: size}
}
