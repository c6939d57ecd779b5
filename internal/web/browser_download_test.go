package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"tandem/internal/domain"
	"tandem/internal/storetest"
)

// TestBrowserDownloadSoA clicks the SoA page's XLSX button in Chromium and
// reads the downloaded workbook: 93 Annex A rows, the exclusion with its
// justification among them.
func TestBrowserDownloadSoA(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, storetest.SQLite(t))
	o := s.org("acme")
	s.control(o, "Policy set", "implemented", "iso27001-2022/A.5.1", "iso42001-2023/A.2.2")
	no := false
	if _, err := o.Decide(context.Background(), testActor, "iso27001-2022", "A.7.4", nil,
		domain.DecisionInput{Applicable: &no, Justification: "Fully remote: no premises to monitor"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
		s.h.ServeHTTP(w, r)
	}))
	defer srv.Close()

	dir := t.TempDir()
	done := make(chan string, 1)
	if err := chromedp.ListenBrowser(b.ctx, func(ev any) {
		if e, ok := ev.(*cdpbrowser.EventDownloadProgress); ok && e.State == cdpbrowser.DownloadProgressStateCompleted {
			select {
			case done <- e.GUID:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := chromedp.CallBrowser(b.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &yes}); err != nil {
		t.Fatal(err)
	}
	b.do("soa", chromedp.Navigate(srv.URL+"/orgs/acme/soa/iso27001-2022"), chromedp.WaitVisible(chromedp.CSS(".downloads")),
		chromedp.Click(chromedp.CSS(`.downloads a[href$="export?format=xlsx"]`)))
	var guid string
	select {
	case guid = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the download did not complete")
	}
	f, err := excelize.OpenFile(filepath.Join(dir, guid))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	annex, excluded := 0, false
	for _, row := range rows {
		if len(row) > 0 && strings.HasPrefix(row[0], "A.") {
			annex++
			if row[0] == "A.7.4" && strings.Contains(strings.Join(row, " "), "Fully remote") {
				excluded = true
			}
		}
	}
	if annex != 93 || !excluded {
		t.Errorf("downloaded workbook: %d Annex A rows, exclusion shown %v", annex, excluded)
	}
}
