package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"tandem/internal/access"
	"tandem/internal/api"
	"tandem/internal/domain"
	"tandem/internal/server"
	"tandem/internal/store"
	"tandem/internal/storetest"
	"tandem/internal/web"
)

// The principals of the matrix, in the order of every expectation row:
// nobody, an instance administrator, the five roles of organization acme,
// and the administrator of another organization (globex).
var principals = []string{"anonymous", "instance", "admin", "manager", "contributor", "auditor", "viewer", "outsider"}

var system = domain.Actor{Kind: "system", Name: "test"}

// contributorName owns the controls the contributor may change.
const contributorName = "Connie Contributor"

// case_ is one request of the matrix. The path and body may hold {own}
// (a fresh control of acme owned by the contributor), {theirs} (a fresh
// control owned by someone else), {member} (the email of a fresh viewer of
// acme), {user} (the id of a fresh user), {annex} (an ISO/IEC 27001 Annex A
// control of acme's SoA not decided yet) and {n} (a unique number).
type case_ struct {
	route  string // API operation id or web route pattern
	method string
	path   string
	body   string // JSON for the API, a form for the UI
	want   string // one outcome per principal: ok, 401, 403 or 404
}

var (
	everyone   = "401 ok ok ok ok ok ok ok"
	members    = "401 ok ok ok ok ok ok 404"
	managers   = "401 ok ok ok 403 403 403 404"
	owners     = "401 ok ok ok ok 403 403 404"
	instanceOK = "401 ok 403 403 403 403 403 403"
	admins     = "401 ok ok 403 403 403 403 404"
	public     = "ok ok ok ok ok ok ok ok"
)

var apiCases = []case_{
	{"list-standards", "GET", "/api/v1/standards", "", everyone},
	{"list-requirements", "GET", "/api/v1/standards/iso42001-2023/requirements", "", everyone},
	{"list-crosswalk", "GET", "/api/v1/crosswalk", "", everyone},
	{"list-orgs", "GET", "/api/v1/orgs", "", everyone},
	{"create-org", "POST", "/api/v1/orgs", `{"slug":"new-{n}","name":"New {n}"}`, instanceOK},
	{"get-org", "GET", "/api/v1/orgs/acme", "", members},
	{"list-controls", "GET", "/api/v1/orgs/acme/controls", "", members},
	{"create-control", "POST", "/api/v1/orgs/acme/controls", `{"title":"Made by the matrix"}`, managers},
	{"get-control", "GET", "/api/v1/orgs/acme/controls/{theirs}", "", members},
	{"patch-control", "PATCH", "/api/v1/orgs/acme/controls/{own}", `{"status":"implemented","version":1}`, owners},
	{"patch-control", "PATCH", "/api/v1/orgs/acme/controls/{theirs}", `{"status":"implemented","version":1}`, managers},
	{"put-control", "PUT", "/api/v1/orgs/acme/controls/{own}", `{"title":"Replaced","owner":"` + contributorName + `","version":1}`, owners},
	{"put-control", "PUT", "/api/v1/orgs/acme/controls/{theirs}", `{"title":"Replaced","version":1}`, managers},
	{"delete-control", "DELETE", "/api/v1/orgs/acme/controls/{own}", "", managers},
	{"link-requirement", "POST", "/api/v1/orgs/acme/controls/{own}/requirements", `{"key":"iso42001-2023/A.2.2"}`, owners},
	{"link-requirement", "POST", "/api/v1/orgs/acme/controls/{theirs}/requirements", `{"key":"iso42001-2023/A.2.2"}`, managers},
	{"unlink-requirement", "DELETE", "/api/v1/orgs/acme/controls/{own}/requirements/iso27001-2022/A.5.1", "", owners},
	{"unlink-requirement", "DELETE", "/api/v1/orgs/acme/controls/{theirs}/requirements/iso27001-2022/A.5.1", "", managers},
	{"list-ai-systems", "GET", "/api/v1/orgs/acme/ai-systems?stale=true", "", members},
	{"create-ai-system", "POST", "/api/v1/orgs/acme/ai-systems", `{"name":"Matrix","purpose":"Matrix","owner":"Dana"}`, managers},
	{"get-ai-system", "GET", "/api/v1/orgs/acme/ai-systems/{their_ais}", "", members},
	{"patch-ai-system", "PATCH", "/api/v1/orgs/acme/ai-systems/{own_ais}", `{"model_version":"2","version":1}`, owners},
	{"patch-ai-system", "PATCH", "/api/v1/orgs/acme/ai-systems/{their_ais}", `{"model_version":"2","version":1}`, managers},
	{"delete-ai-system", "DELETE", "/api/v1/orgs/acme/ai-systems/{own_ais}", "", managers},
	{"list-ai-system-events", "GET", "/api/v1/orgs/acme/ai-systems/{their_ais}/events", "", members},
	{"list-datasets", "GET", "/api/v1/orgs/acme/datasets", "", members},
	{"create-dataset", "POST", "/api/v1/orgs/acme/datasets", `{"name":"Matrix","source":"Matrix"}`, managers},
	{"get-dataset", "GET", "/api/v1/orgs/acme/datasets/{their_ds}", "", members},
	{"patch-dataset", "PATCH", "/api/v1/orgs/acme/datasets/{own_ds}", `{"known_bias":"None known","version":1}`, owners},
	{"patch-dataset", "PATCH", "/api/v1/orgs/acme/datasets/{their_ds}", `{"known_bias":"None known","version":1}`, managers},
	{"delete-dataset", "DELETE", "/api/v1/orgs/acme/datasets/{own_ds}", "", managers},
	{"list-suppliers", "GET", "/api/v1/orgs/acme/suppliers?review_due=true", "", members},
	{"create-supplier", "POST", "/api/v1/orgs/acme/suppliers", `{"name":"Matrix","services":"Matrix"}`, managers},
	{"get-supplier", "GET", "/api/v1/orgs/acme/suppliers/{their_sup}", "", members},
	{"patch-supplier", "PATCH", "/api/v1/orgs/acme/suppliers/{own_sup}", `{"criticality":"high","version":1}`, owners},
	{"patch-supplier", "PATCH", "/api/v1/orgs/acme/suppliers/{their_sup}", `{"criticality":"high","version":1}`, managers},
	{"delete-supplier", "DELETE", "/api/v1/orgs/acme/suppliers/{own_sup}", "", managers},
	{"list-supplier-assessments", "GET", "/api/v1/orgs/acme/suppliers/{their_sup}/assessments", "", members},
	{"assess-supplier", "POST", "/api/v1/orgs/acme/suppliers/{own_sup}/assessments", `{"assessed_on":"2026-01-01","result":"satisfactory","summary":"Matrix"}`, owners},
	{"assess-supplier", "POST", "/api/v1/orgs/acme/suppliers/{their_sup}/assessments", `{"assessed_on":"2026-01-01","result":"satisfactory","summary":"Matrix"}`, managers},
	{"list-impact-assessments", "GET", "/api/v1/orgs/acme/impact-assessments?status=stale", "", members},
	{"list-system-impact-assessments", "GET", "/api/v1/orgs/acme/ai-systems/{their_ais}/impact-assessments", "", members},
	{"create-impact-assessment", "POST", "/api/v1/orgs/acme/ai-systems/{own_ais}/impact-assessments", `{"assessor":"Connie"}`, owners},
	{"create-impact-assessment", "POST", "/api/v1/orgs/acme/ai-systems/{their_ais}/impact-assessments", `{"assessor":"Connie"}`, managers},
	{"get-impact-assessment", "GET", "/api/v1/orgs/acme/impact-assessments/{their_aia}", "", members},
	{"patch-impact-assessment", "PATCH", "/api/v1/orgs/acme/impact-assessments/{own_aia}", `{"affected_society":"Matrix","version":1}`, owners},
	{"patch-impact-assessment", "PATCH", "/api/v1/orgs/acme/impact-assessments/{their_aia}", `{"affected_society":"Matrix","version":1}`, managers},
	{"delete-impact-assessment", "DELETE", "/api/v1/orgs/acme/impact-assessments/{own_aia}", "", managers},
	// A draft without impacts is refused (422) for those allowed: the rule is answered first.
	{"approve-impact-assessment", "POST", "/api/v1/orgs/acme/impact-assessments/{own_aia}/approve", "", managers},
	{"revise-impact-assessment", "POST", "/api/v1/orgs/acme/impact-assessments/{their_aia}/revise", "", managers},
	{"raise-risk-from-impact", "POST", "/api/v1/orgs/acme/impact-assessments/{their_aia}/impacts/1/risk", "", managers},
	{"list-ai-tests", "GET", "/api/v1/orgs/acme/ai-systems/{their_ais}/tests", "", members},
	{"record-ai-test", "POST", "/api/v1/orgs/acme/ai-systems/{own_ais}/tests", `{"kind":"performance","metric":"AUC","comparator":">=","threshold":0.8,"result":0.9,"tested_on":"2026-01-01"}`, owners},
	{"record-ai-test", "POST", "/api/v1/orgs/acme/ai-systems/{their_ais}/tests", `{"kind":"performance","metric":"AUC","comparator":">=","threshold":0.8,"result":0.9,"tested_on":"2026-01-01"}`, managers},
	{"delete-ai-test", "DELETE", "/api/v1/orgs/acme/ai-tests/{own_ait}", "", owners},
	{"delete-ai-test", "DELETE", "/api/v1/orgs/acme/ai-tests/{their_ait}", "", managers},
	{"list-ai-trends", "GET", "/api/v1/orgs/acme/ai-systems/{their_ais}/trends", "", members},
	{"list-ai-monitoring", "GET", "/api/v1/orgs/acme/ai-systems/{their_ais}/monitoring", "", members},
	{"record-ai-monitoring", "POST", "/api/v1/orgs/acme/ai-systems/{own_ais}/monitoring", `{"kind":"oversight","checked_on":"2026-01-01","outcome":"ok","summary":"Matrix"}`, owners},
	{"record-ai-monitoring", "POST", "/api/v1/orgs/acme/ai-systems/{their_ais}/monitoring", `{"kind":"oversight","checked_on":"2026-01-01","outcome":"ok","summary":"Matrix"}`, managers},
	{"delete-ai-monitoring", "DELETE", "/api/v1/orgs/acme/monitoring/{own_mon}", "", owners},
	{"delete-ai-monitoring", "DELETE", "/api/v1/orgs/acme/monitoring/{their_mon}", "", managers},
	{"get-ai-summary", "GET", "/api/v1/orgs/acme/ai-summary", "", members},
	{"get-model-card", "GET", "/api/v1/orgs/acme/ai-systems/{their_ais}/model-card?format=md", "", members},
	{"get-impact-assessment-pdf", "GET", "/api/v1/orgs/acme/impact-assessments/{their_aia}/pdf", "", members},
	{"export-ai-inventory", "GET", "/api/v1/orgs/acme/ai-inventory?format=csv", "", members},
	{"export-supplier-register", "GET", "/api/v1/orgs/acme/supplier-register?format=xlsx", "", members},
	{"list-assets", "GET", "/api/v1/orgs/acme/assets", "", members},
	{"create-asset", "POST", "/api/v1/orgs/acme/assets", `{"name":"Matrix asset","type":"other","classification":"public","confidentiality":1,"integrity":1,"availability":1}`, managers},
	{"get-asset", "GET", "/api/v1/orgs/acme/assets/{their_asset}", "", members},
	{"patch-asset", "PATCH", "/api/v1/orgs/acme/assets/{own_asset}", `{"availability":3,"version":1}`, owners},
	{"patch-asset", "PATCH", "/api/v1/orgs/acme/assets/{their_asset}", `{"availability":3,"version":1}`, managers},
	{"put-asset", "PUT", "/api/v1/orgs/acme/assets/{own_asset}", `{"name":"Replaced","type":"other","classification":"public","confidentiality":1,"integrity":1,"availability":1,"owner":"` + contributorName + `","version":1}`, owners},
	{"put-asset", "PUT", "/api/v1/orgs/acme/assets/{their_asset}", `{"name":"Replaced","type":"other","classification":"public","confidentiality":1,"integrity":1,"availability":1,"version":1}`, managers},
	{"delete-asset", "DELETE", "/api/v1/orgs/acme/assets/{own_asset}", "", managers},
	{"import-assets", "POST", "/api/v1/orgs/acme/assets/import?dry_run=true", `{"name":"x"}`, managers},
	{"list-reference-controls", "GET", "/api/v1/orgs/acme/reference-controls", "", members},
	{"adopt-reference-controls", "POST", "/api/v1/orgs/acme/reference-controls/adopt", `{"ids":["REF-GOV-01"]}`, managers},
	// The matrix sends JSON, which is not a register (415): the rule is answered first.
	{"import-controls", "POST", "/api/v1/orgs/acme/controls/import?dry_run=true", `{"title":"x"}`, managers},
	{"list-trail", "GET", "/api/v1/orgs/acme/trail", "", members},
	{"export-soa", "GET", "/api/v1/orgs/acme/soa?format=xlsx", "", members},
	{"get-readiness", "GET", "/api/v1/orgs/acme/readiness", "", members},
	{"get-transfer", "GET", "/api/v1/orgs/acme/transfer", "", members},
	{"preview-control-impact", "POST", "/api/v1/orgs/acme/controls/{theirs}/impact", `{"status":"implemented"}`, members},
	{"list-members", "GET", "/api/v1/orgs/acme/members", "", members},
	{"set-member", "PUT", "/api/v1/orgs/acme/members/{member}", `{"role":"auditor"}`, admins},
	{"remove-member", "DELETE", "/api/v1/orgs/acme/members/{member}", "", admins},
	{"get-soa", "GET", "/api/v1/orgs/acme/soa/iso27001-2022", "", members},
	{"get-soa-row", "GET", "/api/v1/orgs/acme/soa/iso42001-2023/A.2.2", "", members},
	{"put-soa-decision", "PUT", "/api/v1/orgs/acme/soa/iso27001-2022/{annex}", `{"applicable":false,"justification":"Matrix"}`, managers},
	{"patch-soa-decision", "PATCH", "/api/v1/orgs/acme/soa/iso27001-2022/{annex}", `{"applicable":false,"justification":"Matrix","version":0}`, managers},
	{"issue-soa-version", "POST", "/api/v1/orgs/acme/soa/iso27001-2022/versions", `{"note":"Matrix"}`, managers},
	{"list-soa-versions", "GET", "/api/v1/orgs/acme/soa/iso27001-2022/versions", "", members},
	{"get-soa-version", "GET", "/api/v1/orgs/acme/soa/iso27001-2022/versions/1", "", members},
	{"diff-soa", "GET", "/api/v1/orgs/acme/soa/iso27001-2022/diff?from=1", "", members},
	{"get-risk-method", "GET", "/api/v1/orgs/acme/risk-method", "", members},
	{"put-risk-method", "PUT", "/api/v1/orgs/acme/risk-method", `{"version":0,"likelihood":[],"impact":[],"levels":[],"matrix":[],"appetite":"medium"}`, managers},
	{"list-risks", "GET", "/api/v1/orgs/acme/risks?register=ai", "", members},
	{"create-risk", "POST", "/api/v1/orgs/acme/risks", `{"title":"Matrix risk","register":"security","owner":"Dana","inherent_likelihood":2,"inherent_impact":2,"residual_likelihood":1,"residual_impact":1,"treatment":"modify"}`, managers},
	{"get-risk", "GET", "/api/v1/orgs/acme/risks/{their_risk}", "", members},
	{"patch-risk", "PATCH", "/api/v1/orgs/acme/risks/{own_risk}", `{"status":"treating"}`, owners},
	{"patch-risk", "PATCH", "/api/v1/orgs/acme/risks/{their_risk}", `{"status":"treating"}`, managers},
	{"delete-risk", "DELETE", "/api/v1/orgs/acme/risks/{own_risk}", "", managers},
	{"accept-risk", "POST", "/api/v1/orgs/acme/risks/{own_risk}/acceptance", `{"rationale":"Within budget"}`, managers},
	{"risk-heat-map", "GET", "/api/v1/orgs/acme/risk-heat/ai", "", members},
	{"import-risks", "POST", "/api/v1/orgs/acme/risks/import?register=ai&dry_run=true", `{"title":"x"}`, managers},
	{"list-risks", "GET", "/api/v1/orgs/acme/risks?register=security&format=xlsx", "", members},
	{"risk-treatment-plan", "GET", "/api/v1/orgs/acme/risk-treatment-plan?register=ai&format=pdf", "", members},
	{"list-actions", "GET", "/api/v1/orgs/acme/actions?overdue=true", "", members},
	{"create-risk-action", "POST", "/api/v1/orgs/acme/risks/{own_risk}/actions", `{"title":"Matrix action","owner":"Dana","due":"2030-01-01"}`, owners},
	{"create-risk-action", "POST", "/api/v1/orgs/acme/risks/{their_risk}/actions", `{"title":"Matrix action","owner":"Dana","due":"2030-01-01"}`, managers},
	{"get-action", "GET", "/api/v1/orgs/acme/actions/{their_action}", "", members},
	{"patch-action", "PATCH", "/api/v1/orgs/acme/actions/{own_action}", `{"status":"done"}`, owners},
	{"patch-action", "PATCH", "/api/v1/orgs/acme/actions/{their_action}", `{"status":"done"}`, managers},
	{"delete-action", "DELETE", "/api/v1/orgs/acme/actions/{own_action}", "", managers},
}

var webCases = []case_{
	{"GET /static/", "GET", "/static/app.css", "", public},
	{"GET /login", "GET", "/login", "", public},
	{"POST /login", "POST", "/login", "email=nobody%40example.com&password=wrong", public},
	{"POST /logout", "POST", "/logout", "", public},
	// Single sign-on is public but not configured here: the pages do not exist.
	{"GET /login/sso", "GET", "/login/sso", "", "404 404 404 404 404 404 404 404"},
	{"GET /login/sso/callback", "GET", "/login/sso/callback?state=x&code=y", "", "404 404 404 404 404 404 404 404"},
	{"GET /{$}", "GET", "/", "", everyone},
	{"GET /orgs", "GET", "/orgs", "", everyone},
	{"POST /orgs", "POST", "/orgs", "slug=web-{n}&name=Web+{n}&time_zone=UTC", instanceOK},
	{"GET /orgs/{org}", "GET", "/orgs/acme", "", members},
	{"GET /orgs/{org}/{$}", "GET", "/orgs/acme/", "", members},
	{"GET /orgs/{org}/ai-systems", "GET", "/orgs/acme/ai-systems?stale=1", "", members},
	{"GET /orgs/{org}/ai-systems.csv", "GET", "/orgs/acme/ai-systems.csv", "", members},
	{"GET /orgs/{org}/ai-systems.xlsx", "GET", "/orgs/acme/ai-systems.xlsx?stage=idea", "", members},
	{"POST /orgs/{org}/ai-systems", "POST", "/orgs/acme/ai-systems", "name=Matrix&purpose=Matrix&owner=Dana&stage=idea&role=deployer&sourcing=in_house&autonomy=advisory&eu_ai_act_class=unclassified&status=proposed", managers},
	{"GET /orgs/{org}/ai-systems/new", "GET", "/orgs/acme/ai-systems/new", "", managers},
	{"GET /orgs/{org}/ai-systems/{ref}", "GET", "/orgs/acme/ai-systems/{their_ais}", "", members},
	{"POST /orgs/{org}/ai-systems/{ref}", "POST", "/orgs/acme/ai-systems/{own_ais}", "name=Changed&purpose=Matrix&owner=" + url.QueryEscape(contributorName) + "&stage=idea&role=deployer&sourcing=in_house&autonomy=advisory&eu_ai_act_class=unclassified&status=proposed&version=1", owners},
	{"POST /orgs/{org}/ai-systems/{ref}", "POST", "/orgs/acme/ai-systems/{their_ais}", "name=Changed&purpose=Matrix&owner=Someone+Else&stage=idea&role=deployer&sourcing=in_house&autonomy=advisory&eu_ai_act_class=unclassified&status=proposed&version=1", managers},
	{"GET /orgs/{org}/ai-systems/{ref}/edit", "GET", "/orgs/acme/ai-systems/{own_ais}/edit", "", owners},
	{"GET /orgs/{org}/ai-systems/{ref}/edit", "GET", "/orgs/acme/ai-systems/{their_ais}/edit", "", managers},
	{"POST /orgs/{org}/ai-systems/{ref}/delete", "POST", "/orgs/acme/ai-systems/{own_ais}/delete", "version=1", managers},
	{"POST /orgs/{org}/ai-systems/{ref}/tests", "POST", "/orgs/acme/ai-systems/{own_ais}/tests", "kind=performance&metric=AUC&comparator=%3E%3D&threshold=0.8&result=0.9&tested_on=2026-01-01", owners},
	{"POST /orgs/{org}/ai-systems/{ref}/tests", "POST", "/orgs/acme/ai-systems/{their_ais}/tests", "kind=performance&metric=AUC&comparator=%3E%3D&threshold=0.8&result=0.9&tested_on=2026-01-01", managers},
	{"POST /orgs/{org}/ai-systems/{ref}/monitoring", "POST", "/orgs/acme/ai-systems/{own_ais}/monitoring", "kind=oversight&checked_on=2026-01-01&outcome=ok&summary=Matrix", owners},
	{"POST /orgs/{org}/ai-systems/{ref}/monitoring", "POST", "/orgs/acme/ai-systems/{their_ais}/monitoring", "kind=oversight&checked_on=2026-01-01&outcome=ok&summary=Matrix", managers},
	{"GET /orgs/{org}/ai-systems/{ref}/model-card.md", "GET", "/orgs/acme/ai-systems/{their_ais}/model-card.md", "", members},
	{"GET /orgs/{org}/ai-systems/{ref}/model-card.pdf", "GET", "/orgs/acme/ai-systems/{their_ais}/model-card.pdf", "", members},
	{"GET /orgs/{org}/datasets", "GET", "/orgs/acme/datasets", "", members},
	{"POST /orgs/{org}/datasets", "POST", "/orgs/acme/datasets", "name=Matrix&source=Matrix&quality_result=not_checked", managers},
	{"GET /orgs/{org}/datasets/new", "GET", "/orgs/acme/datasets/new", "", managers},
	{"GET /orgs/{org}/datasets/{ref}", "GET", "/orgs/acme/datasets/{their_ds}", "", members},
	{"POST /orgs/{org}/datasets/{ref}", "POST", "/orgs/acme/datasets/{own_ds}", "name=Changed&source=Matrix&quality_result=not_checked&owner=" + url.QueryEscape(contributorName) + "&version=1", owners},
	{"POST /orgs/{org}/datasets/{ref}", "POST", "/orgs/acme/datasets/{their_ds}", "name=Changed&source=Matrix&quality_result=not_checked&owner=Someone+Else&version=1", managers},
	{"GET /orgs/{org}/datasets/{ref}/edit", "GET", "/orgs/acme/datasets/{own_ds}/edit", "", owners},
	{"GET /orgs/{org}/datasets/{ref}/edit", "GET", "/orgs/acme/datasets/{their_ds}/edit", "", managers},
	{"GET /orgs/{org}/suppliers", "GET", "/orgs/acme/suppliers?review_due=1", "", members},
	{"GET /orgs/{org}/suppliers.xlsx", "GET", "/orgs/acme/suppliers.xlsx", "", members},
	{"GET /orgs/{org}/suppliers.csv", "GET", "/orgs/acme/suppliers.csv?criticality=high", "", members},
	{"POST /orgs/{org}/suppliers", "POST", "/orgs/acme/suppliers", "name=Matrix&services=Matrix&criticality=low&status=active", managers},
	{"GET /orgs/{org}/suppliers/new", "GET", "/orgs/acme/suppliers/new", "", managers},
	{"GET /orgs/{org}/suppliers/{ref}", "GET", "/orgs/acme/suppliers/{their_sup}", "", members},
	{"POST /orgs/{org}/suppliers/{ref}", "POST", "/orgs/acme/suppliers/{own_sup}", "name=Changed&services=Matrix&criticality=low&status=active&owner=" + url.QueryEscape(contributorName) + "&version=1", owners},
	{"POST /orgs/{org}/suppliers/{ref}", "POST", "/orgs/acme/suppliers/{their_sup}", "name=Changed&services=Matrix&criticality=low&status=active&owner=Someone+Else&version=1", managers},
	{"GET /orgs/{org}/suppliers/{ref}/edit", "GET", "/orgs/acme/suppliers/{own_sup}/edit", "", owners},
	{"GET /orgs/{org}/suppliers/{ref}/edit", "GET", "/orgs/acme/suppliers/{their_sup}/edit", "", managers},
	{"POST /orgs/{org}/suppliers/{ref}/assessments", "POST", "/orgs/acme/suppliers/{own_sup}/assessments", "assessed_on=2026-01-01&result=satisfactory&summary=Matrix", owners},
	{"POST /orgs/{org}/suppliers/{ref}/assessments", "POST", "/orgs/acme/suppliers/{their_sup}/assessments", "assessed_on=2026-01-01&result=satisfactory&summary=Matrix", managers},
	{"GET /orgs/{org}/impact-assessments", "GET", "/orgs/acme/impact-assessments?status=stale", "", members},
	{"POST /orgs/{org}/ai-systems/{ref}/impact-assessments", "POST", "/orgs/acme/ai-systems/{own_ais}/impact-assessments", "", owners},
	{"POST /orgs/{org}/ai-systems/{ref}/impact-assessments", "POST", "/orgs/acme/ai-systems/{their_ais}/impact-assessments", "", managers},
	{"GET /orgs/{org}/impact-assessments/{ref}", "GET", "/orgs/acme/impact-assessments/{their_aia}", "", members},
	{"GET /orgs/{org}/impact-assessments/{ref}/pdf", "GET", "/orgs/acme/impact-assessments/{their_aia}/pdf", "", members},
	{"GET /orgs/{org}/impact-assessments/{ref}/edit", "GET", "/orgs/acme/impact-assessments/{own_aia}/edit", "", owners},
	{"GET /orgs/{org}/impact-assessments/{ref}/edit", "GET", "/orgs/acme/impact-assessments/{their_aia}/edit", "", managers},
	{"POST /orgs/{org}/impact-assessments/{ref}", "POST", "/orgs/acme/impact-assessments/{own_aia}", "rows=0&assessor=Connie&version=1", owners},
	{"POST /orgs/{org}/impact-assessments/{ref}", "POST", "/orgs/acme/impact-assessments/{their_aia}", "rows=0&assessor=Connie&version=1", managers},
	{"POST /orgs/{org}/impact-assessments/{ref}/approve", "POST", "/orgs/acme/impact-assessments/{own_aia}/approve", "version=1", managers},
	{"POST /orgs/{org}/impact-assessments/{ref}/revise", "POST", "/orgs/acme/impact-assessments/{their_aia}/revise", "", managers},
	{"POST /orgs/{org}/impact-assessments/{ref}/impacts/{n}/risk", "POST", "/orgs/acme/impact-assessments/{their_aia}/impacts/1/risk", "", managers},
	{"GET /orgs/{org}/assets", "GET", "/orgs/acme/assets", "", members},
	{"POST /orgs/{org}/assets", "POST", "/orgs/acme/assets", "name=Matrix+asset&type=other&classification=public&confidentiality=1&integrity=1&availability=1", managers},
	{"GET /orgs/{org}/assets/new", "GET", "/orgs/acme/assets/new", "", managers},
	{"GET /orgs/{org}/assets/{ref}", "GET", "/orgs/acme/assets/{their_asset}", "", members},
	{"POST /orgs/{org}/assets/{ref}", "POST", "/orgs/acme/assets/{own_asset}", "name=Changed&type=other&classification=public&confidentiality=1&integrity=1&availability=2&owner=" + contributorName + "&version=1", owners},
	{"POST /orgs/{org}/assets/{ref}", "POST", "/orgs/acme/assets/{their_asset}", "name=Changed&type=other&classification=public&confidentiality=1&integrity=1&availability=2&version=1", managers},
	{"GET /orgs/{org}/assets/{ref}/edit", "GET", "/orgs/acme/assets/{own_asset}/edit", "", owners},
	{"GET /orgs/{org}/assets/{ref}/edit", "GET", "/orgs/acme/assets/{their_asset}/edit", "", managers},
	{"POST /orgs/{org}/assets/{ref}/delete", "POST", "/orgs/acme/assets/{own_asset}/delete", "version=1", managers},
	{"GET /orgs/{org}/risks", "GET", "/orgs/acme/risks?register=ai", "", members},
	{"GET /orgs/{org}/actions", "GET", "/orgs/acme/actions?overdue=1", "", members},
	{"GET /orgs/{org}/risks/new", "GET", "/orgs/acme/risks/new?register=ai", "", managers},
	{"POST /orgs/{org}/risks", "POST", "/orgs/acme/risks", "register=security&title=Matrix+risk&owner=Dana&inherent_likelihood=2&inherent_impact=2&residual_likelihood=1&residual_impact=1&treatment=modify&status=open", managers},
	{"GET /orgs/{org}/risks/{ref}", "GET", "/orgs/acme/risks/{their_risk}", "", members},
	{"GET /orgs/{org}/risks/{ref}/edit", "GET", "/orgs/acme/risks/{own_risk}/edit", "", owners},
	{"GET /orgs/{org}/risks/{ref}/edit", "GET", "/orgs/acme/risks/{their_risk}/edit", "", managers},
	{"POST /orgs/{org}/risks/{ref}", "POST", "/orgs/acme/risks/{own_risk}", "title=Changed&owner=" + url.QueryEscape(contributorName) + "&inherent_likelihood=1&inherent_impact=1&residual_likelihood=1&residual_impact=1&treatment=modify&status=treating&version=1", owners},
	{"POST /orgs/{org}/risks/{ref}", "POST", "/orgs/acme/risks/{their_risk}", "title=Changed&owner=Someone+Else&inherent_likelihood=1&inherent_impact=1&residual_likelihood=1&residual_impact=1&treatment=modify&status=treating&version=1", managers},
	{"POST /orgs/{org}/risks/{ref}/delete", "POST", "/orgs/acme/risks/{own_risk}/delete", "version=1", managers},
	// Owning a risk is not the authority to accept it.
	{"POST /orgs/{org}/risks/{ref}/accept", "POST", "/orgs/acme/risks/{own_risk}/accept", "rationale=Within+budget&next_review=2030-01-01&version=1", managers},
	{"POST /orgs/{org}/risks/{ref}/actions", "POST", "/orgs/acme/risks/{own_risk}/actions", "title=Matrix+action&owner=Dana&due=2030-01-01", owners},
	{"POST /orgs/{org}/risks/{ref}/actions", "POST", "/orgs/acme/risks/{their_risk}/actions", "title=Matrix+action&owner=Dana&due=2030-01-01", managers},
	{"POST /orgs/{org}/actions/{ref}", "POST", "/orgs/acme/actions/{own_action}", "status=done&version=1", owners},
	{"POST /orgs/{org}/actions/{ref}", "POST", "/orgs/acme/actions/{their_action}", "status=done&version=1", managers},
	{"POST /orgs/{org}/actions/{ref}/delete", "POST", "/orgs/acme/actions/{own_action}/delete", "version=1", managers},
	{"GET /orgs/{org}/risk-method", "GET", "/orgs/acme/risk-method", "", members},
	{"GET /orgs/{org}/risk-method/edit", "GET", "/orgs/acme/risk-method/edit", "", managers},
	// An empty method is refused (422) for those allowed: the rule is answered first.
	{"POST /orgs/{org}/risk-method", "POST", "/orgs/acme/risk-method", "version=0&appetite=medium", managers},
	{"GET /orgs/{org}/assets/import", "GET", "/orgs/acme/assets/import", "", managers},
	{"POST /orgs/{org}/assets/import", "POST", "/orgs/acme/assets/import", "file=not+multipart", managers},
	{"POST /orgs/{org}/assets/import/preview", "POST", "/orgs/acme/assets/import/preview", "import=unknown", managers},
	{"POST /orgs/{org}/assets/import/commit", "POST", "/orgs/acme/assets/import/commit", "import=unknown&col_name=0", managers},
	{"GET /orgs/{org}/risks/import", "GET", "/orgs/acme/risks/import?register=ai", "", managers},
	{"POST /orgs/{org}/risks/import", "POST", "/orgs/acme/risks/import?register=security", "file=not+multipart", managers},
	{"POST /orgs/{org}/risks/import/preview", "POST", "/orgs/acme/risks/import/preview?register=ai", "import=unknown", managers},
	{"POST /orgs/{org}/risks/import/commit", "POST", "/orgs/acme/risks/import/commit?register=security", "import=unknown&col_title=0", managers},
	{"GET /orgs/{org}/risks/export", "GET", "/orgs/acme/risks/export?register=security&format=csv", "", members},
	{"GET /orgs/{org}/risks/plan", "GET", "/orgs/acme/risks/plan?register=security&format=xlsx", "", members},
	{"GET /orgs/{org}/controls", "GET", "/orgs/acme/controls", "", members},
	{"GET /orgs/{org}/controls.xlsx", "GET", "/orgs/acme/controls.xlsx", "", members},
	{"GET /orgs/{org}/controls.csv", "GET", "/orgs/acme/controls.csv", "", members},
	{"POST /orgs/{org}/controls", "POST", "/orgs/acme/controls", "title=Made+by+the+matrix&status=planned", managers},
	{"GET /orgs/{org}/controls/new", "GET", "/orgs/acme/controls/new", "", managers},
	{"GET /orgs/{org}/controls/reference", "GET", "/orgs/acme/controls/reference", "", members},
	{"POST /orgs/{org}/controls/reference", "POST", "/orgs/acme/controls/reference", "ids=REF-GOV-01", managers},
	{"GET /orgs/{org}/controls/import", "GET", "/orgs/acme/controls/import", "", managers},
	{"POST /orgs/{org}/controls/import", "POST", "/orgs/acme/controls/import", "file=not+multipart", managers},
	{"POST /orgs/{org}/controls/import/preview", "POST", "/orgs/acme/controls/import/preview", "import=unknown", managers},
	{"POST /orgs/{org}/controls/import/commit", "POST", "/orgs/acme/controls/import/commit", "import=unknown&col_title=0", managers},
	{"GET /orgs/{org}/controls/{ref}", "GET", "/orgs/acme/controls/{theirs}", "", members},
	{"POST /orgs/{org}/controls/{ref}", "POST", "/orgs/acme/controls/{own}", "title=Changed&owner=" + contributorName + "&status=planned&version=1", owners},
	{"POST /orgs/{org}/controls/{ref}", "POST", "/orgs/acme/controls/{theirs}", "title=Changed&status=planned&version=1", managers},
	{"GET /orgs/{org}/controls/{ref}/edit", "GET", "/orgs/acme/controls/{own}/edit", "", owners},
	{"GET /orgs/{org}/controls/{ref}/edit", "GET", "/orgs/acme/controls/{theirs}/edit", "", managers},
	{"POST /orgs/{org}/controls/{ref}/delete", "POST", "/orgs/acme/controls/{own}/delete", "version=1", managers},
	{"POST /orgs/{org}/controls/{ref}/link", "POST", "/orgs/acme/controls/{own}/link", "key=iso42001-2023/A.2.2&version=1", owners},
	{"POST /orgs/{org}/controls/{ref}/link", "POST", "/orgs/acme/controls/{theirs}/link", "key=iso42001-2023/A.2.2&version=1", managers},
	{"POST /orgs/{org}/controls/{ref}/unlink", "POST", "/orgs/acme/controls/{own}/unlink", "key=iso27001-2022/A.5.1&version=1", owners},
	{"POST /orgs/{org}/controls/{ref}/unlink", "POST", "/orgs/acme/controls/{theirs}/unlink", "key=iso27001-2022/A.5.1&version=1", managers},
	{"GET /orgs/{org}/trail", "GET", "/orgs/acme/trail?resource_type=control", "", members},
	{"GET /orgs/{org}/trail.csv", "GET", "/orgs/acme/trail.csv", "", members},
	{"GET /orgs/{org}/soa/{standard}/export", "GET", "/orgs/acme/soa/iso42001-2023/export?format=pdf", "", members},
	{"GET /orgs/{org}/soa.xlsx", "GET", "/orgs/acme/soa.xlsx", "", members},
	{"GET /orgs/{org}/readiness", "GET", "/orgs/acme/readiness", "", members},
	{"GET /orgs/{org}/readiness/{standard}", "GET", "/orgs/acme/readiness/iso42001-2023?section=A.6", "", members},
	{"GET /orgs/{org}/transfer", "GET", "/orgs/acme/transfer", "", members},
	{"POST /orgs/{org}/transfer/link", "POST", "/orgs/acme/transfer/link", "control={own}&key=iso42001-2023/A.2.2", owners},
	{"POST /orgs/{org}/transfer/link", "POST", "/orgs/acme/transfer/link", "control={theirs}&key=iso42001-2023/A.2.2", managers},
	{"GET /orgs/{org}/members", "GET", "/orgs/acme/members", "", members},
	{"POST /orgs/{org}/members", "POST", "/orgs/acme/members", "email={member}&role=auditor", admins},
	{"POST /orgs/{org}/members/remove", "POST", "/orgs/acme/members/remove", "email={member}", admins},
	{"GET /orgs/{org}/soa/{standard}", "GET", "/orgs/acme/soa/iso42001-2023", "", members},
	{"POST /orgs/{org}/soa/{standard}/{ref}", "POST", "/orgs/acme/soa/iso27001-2022/{annex}", "applicable=no&justification=Matrix&version=0", managers},
	{"POST /orgs/{org}/soa/{standard}/versions", "POST", "/orgs/acme/soa/iso27001-2022/versions", "note=Matrix", managers},
	{"GET /orgs/{org}/soa/{standard}/versions", "GET", "/orgs/acme/soa/iso27001-2022/versions", "", members},
	{"GET /orgs/{org}/soa/{standard}/diff", "GET", "/orgs/acme/soa/iso27001-2022/diff?from=1", "", members},
	{"GET /account", "GET", "/account", "", everyone},
	{"POST /account/password", "POST", "/account/password", "current_password=wrong&new_password=x&confirm_password=x", everyone},
	{"POST /account/tokens", "POST", "/account/tokens", "name=matrix&days=30", everyone},
	{"POST /account/tokens/{id}/revoke", "POST", "/account/tokens/999999/revoke", "", "401 404 404 404 404 404 404 404"},
	{"GET /admin/users", "GET", "/admin/users", "", instanceOK},
	{"POST /admin/users/{id}/active", "POST", "/admin/users/{user}/active", "active=false", instanceOK},
	{"GET /catalog", "GET", "/catalog", "", everyone},
	{"GET /catalog/{std}/{ref}", "GET", "/catalog/iso27001-2022/A.5.1", "", everyone},
	{"/", "GET", "/no/such/page", "", "404 404 404 404 404 404 404 404"},
}

// registered lists every API operation and UI route with its rule, from
// the same registration code the server runs.
func registered(t *testing.T, st *store.Store) (apiRules, webRules map[string]access.Rule) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	gate := access.NewGate(st)
	h := api.Register(http.NewServeMux(), st, storetest.Catalog, gate, log, "test")
	apiRules = map[string]access.Rule{}
	for _, item := range h.OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete, item.Head, item.Options} {
			if op == nil {
				continue
			}
			rule, _ := api.Rule(op)
			apiRules[op.OperationID] = rule
		}
	}
	webRules = map[string]access.Rule{}
	for _, r := range web.New(st, storetest.Catalog, gate, log).Routes() {
		webRules[r.Pattern] = r.Rule
	}
	return apiRules, webRules
}

// TestEveryRouteHasAPolicy walks every registered API operation and UI
// route: each must declare a rule, and each must be in the role matrix
// below (and the matrix must not name routes that no longer exist).
func TestEveryRouteHasAPolicy(t *testing.T) {
	apiRules, webRules := registered(t, storetest.SQLite(t))
	for _, set := range []struct {
		name  string
		rules map[string]access.Rule
		cases []case_
	}{{"API", apiRules, apiCases}, {"UI", webRules, webCases}} {
		covered := map[string]bool{}
		for _, c := range set.cases {
			covered[c.route] = true
			if _, ok := set.rules[c.route]; !ok {
				t.Errorf("%s matrix names %q, which is not registered", set.name, c.route)
			}
		}
		for route, rule := range set.rules {
			if !rule.Valid() {
				t.Errorf("%s route %q has no access rule", set.name, route)
			}
			if !covered[route] {
				t.Errorf("%s route %q (%s) is missing from the role matrix", set.name, route, rule)
			}
		}
		if len(set.rules) < 10 {
			t.Errorf("only %d %s routes found: the walk is broken", len(set.rules), set.name)
		}
	}
}

// matrix is the world the role matrix runs in.
type matrix struct {
	t      *testing.T
	st     *store.Store
	srv    *httptest.Server
	acme   *store.OrgStore
	users  map[string]domain.User
	tokens map[string]string
	n      int
	annex  int // Annex A controls handed out for {annex}
}

func newMatrix(t *testing.T, st *store.Store) *matrix {
	ctx := context.Background()
	m := &matrix{t: t, st: st, users: map[string]domain.User{}, tokens: map[string]string{}}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	m.srv = httptest.NewServer(server.Handler(st, storetest.Catalog, access.NewGate(st), log, "test"))
	t.Cleanup(m.srv.Close)
	for _, slug := range []string{"acme", "globex"} {
		if _, err := st.CreateOrg(ctx, system, domain.OrgInput{Slug: slug, Name: slug}); err != nil {
			t.Fatal(err)
		}
	}
	m.acme, _ = st.Org(ctx, "acme")
	globex, _ := st.Org(ctx, "globex")
	for _, who := range principals[1:] {
		name := who
		if who == "contributor" {
			name = contributorName
		}
		u, err := st.CreateUser(ctx, system, domain.UserInput{Email: who + "@example.com", Name: name, InstanceAdmin: who == "instance"})
		if err != nil {
			t.Fatal(err)
		}
		switch who {
		case "instance":
		case "outsider":
			err = globex.SetMembership(ctx, system, u.Email, "admin", nil)
		default:
			err = m.acme.SetMembership(ctx, system, u.Email, who, nil)
		}
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := st.CreateToken(ctx, system, u.ID, "matrix", nil)
		if err != nil {
			t.Fatal(err)
		}
		m.users[who], m.tokens[who] = u, token
	}
	// globex has a control with the same ref as acme's, which the outsider
	// may read in globex but must never reach through acme.
	title := "Globex only"
	if _, err := globex.CreateControl(ctx, system, domain.ControlInput{Title: &title}); err != nil {
		t.Fatal(err)
	}
	return m
}

// control makes a fresh acme control linked to A.5.1 and returns its ref.
func (m *matrix) control(owner string) string {
	m.t.Helper()
	title, reqs := "Matrix control", []string{"iso27001-2022/A.5.1"}
	c, err := m.acme.CreateControl(context.Background(), system, domain.ControlInput{Title: &title, Owner: &owner, Requirements: &reqs})
	if err != nil {
		m.t.Fatal(err)
	}
	return c.Ref
}

// asset creates a fresh asset of acme owned by owner and returns its ref.
func (m *matrix) asset(owner string) string {
	m.t.Helper()
	name, typ, class, one := "Matrix asset", "other", "public", 1
	a, err := m.acme.CreateAsset(context.Background(), system, domain.AssetInput{Name: &name, Type: &typ, Owner: &owner,
		Classification: &class, Confidentiality: &one, Integrity: &one, Availability: &one})
	if err != nil {
		m.t.Fatal(err)
	}
	return a.Ref
}

// risk creates a fresh security risk of acme owned by owner and returns its ref.
func (m *matrix) risk(owner string) string {
	m.t.Helper()
	title, register, treatment, one := "Matrix risk", "security", "modify", 1
	r, err := m.acme.CreateRisk(context.Background(), system, domain.RiskInput{Title: &title, Register: &register,
		Owner: &owner, Treatment: &treatment, InherentL: &one, InherentI: &one, ResidualL: &one, ResidualI: &one})
	if err != nil {
		m.t.Fatal(err)
	}
	return r.Ref
}

// action adds an action owned by owner to a fresh risk of someone else.
func (m *matrix) action(owner string) string {
	m.t.Helper()
	title, due := "Matrix action", "2030-01-01"
	a, err := m.acme.AddRiskAction(context.Background(), system, m.risk("Someone Else"), domain.ActionInput{Title: &title, Owner: &owner, Due: &due})
	if err != nil {
		m.t.Fatal(err)
	}
	return a.Ref
}

// undecided hands out the next ISO/IEC 27001 Annex A ref, so that every
// allowed decision is a first one (which needs no version).
func (m *matrix) undecided() string {
	var refs []string
	for _, r := range storetest.Catalog.Standard(domain.ISO27001).Requirements {
		if r.Kind == "annex" {
			refs = append(refs, r.Ref)
		}
	}
	m.annex++
	if m.annex > len(refs) {
		m.t.Fatal("the matrix decided every Annex A control: add another standard's")
	}
	return refs[m.annex-1]
}

// aiSystem creates a fresh idea-stage AI system of acme owned by owner and returns its ref.
func (m *matrix) aiSystem(owner string) string {
	m.t.Helper()
	name, purpose := "Matrix AI system", "Matrix"
	a, err := m.acme.CreateAISystem(context.Background(), system, domain.AISystemInput{Name: &name, Purpose: &purpose, Owner: &owner})
	if err != nil {
		m.t.Fatal(err)
	}
	return a.Ref
}

// draft starts an impact assessment draft of a fresh AI system owned by owner.
func (m *matrix) draft(owner string) string {
	m.t.Helper()
	assessor := "Matrix Assessor"
	impacts := []domain.ImpactInput{{Category: "privacy", Description: "Matrix impact", Severity: 2, Likelihood: 2}}
	a, err := m.acme.CreateImpactAssessment(context.Background(), system, m.aiSystem(owner),
		domain.ImpactAssessmentInput{Assessor: &assessor, Impacts: &impacts})
	if err != nil {
		m.t.Fatal(err)
	}
	return a.Ref
}

// dataset creates a fresh dataset of acme owned by owner.
func (m *matrix) dataset(owner string) string {
	m.t.Helper()
	name, source := "Matrix dataset", "Matrix"
	d, err := m.acme.CreateDataset(context.Background(), system, domain.DatasetInput{Name: &name, Source: &source, Owner: &owner})
	if err != nil {
		m.t.Fatal(err)
	}
	return d.Ref
}

// supplier creates a fresh supplier of acme managed by owner.
func (m *matrix) supplier(owner string) string {
	m.t.Helper()
	name, services := "Matrix supplier", "Matrix"
	p, err := m.acme.CreateSupplier(context.Background(), system, domain.SupplierInput{Name: &name, Services: &services, Owner: &owner})
	if err != nil {
		m.t.Fatal(err)
	}
	return p.Ref
}

// aiTest and monitoring record a test or a monitoring check of a fresh system owned by owner.
func (m *matrix) aiTest(owner string) string {
	m.t.Helper()
	t, err := m.acme.RecordAITest(context.Background(), system, "Matrix", m.aiSystem(owner), domain.AITestInput{Kind: "performance",
		Metric: "Accuracy", Comparator: ">=", Threshold: 0.9, Result: 0.95, TestedOn: "2026-01-01"})
	if err != nil {
		m.t.Fatal(err)
	}
	return t.Ref
}

func (m *matrix) monitoring(owner string) string {
	m.t.Helper()
	r, err := m.acme.RecordMonitoring(context.Background(), system, "Matrix", m.aiSystem(owner), domain.MonitoringInput{Kind: "oversight",
		CheckedOn: "2026-01-01", Outcome: "ok", Summary: "Matrix"})
	if err != nil {
		m.t.Fatal(err)
	}
	return r.Ref
}

// fill replaces the placeholders of a case.
func (m *matrix) fill(s string) string {
	for _, p := range []struct {
		key  string
		make func(string) string
	}{{"ais", m.aiSystem}, {"aia", m.draft}, {"ds", m.dataset}, {"sup", m.supplier}, {"ait", m.aiTest}, {"mon", m.monitoring}} {
		if strings.Contains(s, "{own_"+p.key+"}") {
			s = strings.ReplaceAll(s, "{own_"+p.key+"}", p.make(contributorName))
		}
		if strings.Contains(s, "{their_"+p.key+"}") {
			s = strings.ReplaceAll(s, "{their_"+p.key+"}", p.make("Someone Else"))
		}
	}
	if strings.Contains(s, "{own_asset}") {
		s = strings.ReplaceAll(s, "{own_asset}", m.asset(contributorName))
	}
	if strings.Contains(s, "{their_asset}") {
		s = strings.ReplaceAll(s, "{their_asset}", m.asset("Someone Else"))
	}
	if strings.Contains(s, "{own_action}") {
		s = strings.ReplaceAll(s, "{own_action}", m.action(contributorName))
	}
	if strings.Contains(s, "{their_action}") {
		s = strings.ReplaceAll(s, "{their_action}", m.action("Someone Else"))
	}
	if strings.Contains(s, "{own_risk}") {
		s = strings.ReplaceAll(s, "{own_risk}", m.risk(contributorName))
	}
	if strings.Contains(s, "{their_risk}") {
		s = strings.ReplaceAll(s, "{their_risk}", m.risk("Someone Else"))
	}
	if strings.Contains(s, "{own}") {
		s = strings.ReplaceAll(s, "{own}", m.control(contributorName))
	}
	if strings.Contains(s, "{theirs}") {
		s = strings.ReplaceAll(s, "{theirs}", m.control("Someone Else"))
	}
	m.n++
	if strings.Contains(s, "{annex}") {
		s = strings.ReplaceAll(s, "{annex}", m.undecided())
	}
	if strings.Contains(s, "{member}") {
		email := fmt.Sprintf("member-%d@example.com", m.n)
		if _, err := m.st.CreateUser(context.Background(), system, domain.UserInput{Email: email}); err != nil {
			m.t.Fatal(err)
		}
		if err := m.acme.SetMembership(context.Background(), system, email, "viewer", nil); err != nil {
			m.t.Fatal(err)
		}
		s = strings.ReplaceAll(s, "{member}", url.QueryEscape(email))
	}
	if strings.Contains(s, "{user}") {
		u, err := m.st.CreateUser(context.Background(), system, domain.UserInput{Email: fmt.Sprintf("user-%d@example.com", m.n)})
		if err != nil {
			m.t.Fatal(err)
		}
		s = strings.ReplaceAll(s, "{user}", fmt.Sprint(u.ID))
	}
	return strings.ReplaceAll(s, "{n}", fmt.Sprint(m.n))
}

// outcome sends one request as who and classifies the answer.
func (m *matrix) outcome(c case_, who string, viaAPI bool) (string, int, string) {
	m.t.Helper()
	path, body := m.fill(c.path), m.fill(c.body)
	req, _ := http.NewRequest(c.method, m.srv.URL+path, strings.NewReader(body))
	if viaAPI {
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if c.method == "DELETE" {
			req.Header.Set("If-Match", `"1"`)
		}
		if who != "anonymous" {
			req.Header.Set("Authorization", "Bearer "+m.tokens[who])
		}
	} else {
		if body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if who != "anonymous" {
			// A browser session per request: POST /logout ends the one it is sent with.
			secret, err := m.st.CreateSession(context.Background(), m.users[who], "password", store.DefaultSessions)
			if err != nil {
				m.t.Fatal(err)
			}
			req.AddCookie(&http.Cookie{Name: access.SessionCookie, Value: secret})
		}
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	switch {
	case resp.StatusCode >= 500:
		return "500", resp.StatusCode, string(raw)
	case !viaAPI && resp.StatusCode == http.StatusSeeOther && (loc == "/login" || strings.HasPrefix(loc, "/login?next=")):
		return "401", resp.StatusCode, loc
	case viaAPI && resp.StatusCode == http.StatusUnauthorized:
		return "401", resp.StatusCode, string(raw)
	case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound:
		return fmt.Sprint(resp.StatusCode), resp.StatusCode, string(raw)
	}
	return "ok", resp.StatusCode, string(raw)
}

// TestRoleMatrix runs every route as every principal and asserts the
// answer: 401 without credentials, 403 for a known but forbidden action,
// 404 for anything of an organization the principal does not belong to.
func TestRoleMatrix(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		m := newMatrix(t, st)
		for _, set := range []struct {
			viaAPI bool
			cases  []case_
		}{{true, apiCases}, {false, webCases}} {
			for _, c := range set.cases {
				want := strings.Fields(c.want)
				if len(want) != len(principals) {
					t.Fatalf("%s %s: %d outcomes for %d principals", c.method, c.path, len(want), len(principals))
				}
				for i, who := range principals {
					got, status, detail := m.outcome(c, who, set.viaAPI)
					if got != want[i] {
						t.Errorf("%s %s as %s: %s (%d), want %s\n%.300s", c.method, c.path, who, got, status, want[i], detail)
					}
				}
			}
		}
		// The writes that were allowed name their principal in the trail.
		actors := m.trailActors()
		for _, want := range []string{"token:contributor@example.com/", "user:manager@example.com", "token:instance@example.com/"} {
			if !slices.ContainsFunc(actors, func(a string) bool { return strings.HasPrefix(a, want) }) {
				t.Errorf("no trail entry by %s", want)
			}
		}
		for _, a := range actors {
			if strings.Contains(a, "viewer@") || strings.Contains(a, "auditor@") || strings.Contains(a, "outsider@") || strings.HasPrefix(a, "anonymous") {
				t.Errorf("a refused principal wrote: %s", a)
			}
		}
	})
}

// trailActors reads acme's whole trail through the API, page by page.
func (m *matrix) trailActors() []string {
	var actors []string
	path := "/api/v1/orgs/acme/trail?limit=500"
	for path != "" {
		req, _ := http.NewRequest("GET", m.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+m.tokens["instance"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			m.t.Fatal(err)
		}
		var page domain.Page[domain.TrailEntry]
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			m.t.Fatalf("trail: %d %v", resp.StatusCode, err)
		}
		for _, e := range page.Items {
			actors = append(actors, e.Actor)
		}
		path = ""
		if page.Next != nil {
			path = "/api/v1/orgs/acme/trail?limit=500&cursor=" + *page.Next
		}
	}
	return actors
}
