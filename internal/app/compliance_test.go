package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/catalog"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

func init() {
	read := func(name string, call func(f *fixture, k *caio.Control, ctx context.Context) error) action {
		return action{name, caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			k := f.control(t, "to read")
			return func(ctx context.Context) error { return call(f, k, ctx) }
		}}
	}
	actions = append(actions,
		read("FindControls", func(f *fixture, _ *caio.Control, ctx context.Context) error {
			_, _, err := f.app.FindControls(ctx, caio.ControlFilter{})
			return err
		}),
		read("FindControl", func(f *fixture, k *caio.Control, ctx context.Context) error {
			_, err := f.app.FindControl(ctx, k.ID)
			return err
		}),
		read("Posture", func(f *fixture, _ *caio.Control, ctx context.Context) error {
			_, err := f.app.Posture(ctx, "")
			return err
		}),
		read("SystemPosture", func(f *fixture, k *caio.Control, ctx context.Context) error {
			_, err := f.app.Posture(ctx, k.SystemID)
			return err
		}),
		read("FindSystemControls", func(f *fixture, k *caio.Control, ctx context.Context) error {
			_, err := f.app.FindSystemControls(ctx, k.SystemID)
			return err
		}),
		read("OrgFrameworks", func(f *fixture, _ *caio.Control, ctx context.Context) error {
			_, err := f.app.OrgFrameworks(ctx)
			return err
		}),
		read("ControlEvidence", func(f *fixture, k *caio.Control, ctx context.Context) error {
			_, err := f.app.ControlEvidence(ctx, k.ID)
			return err
		}),
		action{"FindEvidence", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			e := f.evidenceFile(t, "to find")
			return func(ctx context.Context) error {
				_, err := f.app.FindEvidence(ctx, e.ID)
				return err
			}
		}},
		action{"EvidenceContent", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			e := f.evidenceFile(t, "to download")
			return func(ctx context.Context) error {
				_, _, err := f.app.EvidenceContent(ctx, e.ID)
				return err
			}
		}},
		action{"UpdateControl", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			k := f.control(t, "to update")
			return func(ctx context.Context) error {
				_, err := f.app.UpdateControl(ctx, k.ID, 0, caio.ControlInput{Status: caio.StatusInProgress, Owner: "Risk office"})
				return err
			}
		}},
		action{"AddEvidenceLink", caio.PermContribute, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			k := f.control(t, "to link")
			return func(ctx context.Context) error {
				_, err := f.app.AddEvidenceLink(ctx, k.ID, caio.EvidenceLinkInput{URL: "https://wiki.example/risk"})
				return err
			}
		}},
		action{"AddEvidenceFile", caio.PermContribute, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			k := f.control(t, "to upload to")
			return func(ctx context.Context) error {
				_, err := f.app.AddEvidenceFile(ctx, k.ID, caio.EvidenceFileInput{Name: "plan.txt", Size: -1, Data: strings.NewReader("the plan")})
				return err
			}
		}},
		action{"DeleteEvidence", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			e := f.evidenceFile(t, "to delete")
			return func(ctx context.Context) error { return f.app.DeleteEvidence(ctx, e.ID) }
		}},
		action{"SetOrgFrameworks", caio.PermManageOrg, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			if _, err := f.app.SetOrgFrameworks(f.sys, []string{"nist-ai-rmf"}); err != nil {
				t.Fatal(err)
			}
			return func(ctx context.Context) error {
				_, err := f.app.SetOrgFrameworks(ctx, []string{"iso-42001"})
				return err
			}
		}},
	)
}

// applies returns obligations that apply, each with its application date.
func applies(idDates ...string) []euaiact.Obligation {
	var out []euaiact.Obligation
	for i := 0; i+1 < len(idDates); i += 2 {
		out = append(out, euaiact.Obligation{ID: idDates[i], Status: "applies", Dates: euaiact.Dates{Applies: idDates[i+1]}})
	}
	return out
}

// control creates a system whose art4 (AI literacy) control applies, and returns that control.
func (f *fixture) control(t *testing.T, name string) *caio.Control {
	t.Helper()
	s := f.system(t, name)
	if err := f.app.SyncRequirements(f.sys, s.ID, applies("art4", "2025-02-02")); err != nil {
		t.Fatal(err)
	}
	ks, _, err := f.app.FindControls(f.sys, caio.ControlFilter{SystemID: &s.ID, Framework: ptr("eu-ai-act")})
	if err != nil || len(ks) != 1 {
		t.Fatalf("controls of %s: %v %v", name, ks, err)
	}
	return ks[0]
}

// evidenceFile uploads a small file as evidence of a new control.
func (f *fixture) evidenceFile(t *testing.T, name string) *caio.Evidence {
	t.Helper()
	k := f.control(t, name)
	e, err := f.app.AddEvidenceFile(f.sys, k.ID, caio.EvidenceFileInput{Name: name + ".txt", Size: -1, Data: strings.NewReader("evidence " + name)})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// controlKeys returns the applicable controls of a system as framework/item.
func controlKeys(t *testing.T, f *fixture, systemID string) []string {
	t.Helper()
	ks, _, err := f.app.FindControls(f.sys, caio.ControlFilter{SystemID: &systemID, Sort: "framework", Page: caio.Page{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range ks {
		out = append(out, k.Framework+"/"+k.ItemID)
	}
	return out
}

// syncDiff decodes the diff of the newest controls.sync event of a system.
func syncDiff(t *testing.T, f *fixture, systemID string) map[string][2]any {
	t.Helper()
	typ, act := "system", "controls.sync"
	es, _, err := f.app.FindAuditEvents(f.sys, caio.AuditFilter{ObjectType: &typ, ObjectID: &systemID, Action: &act, Page: caio.Page{Limit: 1}})
	if err != nil || len(es) != 1 {
		t.Fatalf("no controls.sync event for %s: %v", systemID, err)
	}
	var d map[string][2]any
	if err := json.Unmarshal(es[0].Diff, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSyncRequirements(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		s := f.system(t, "CV screening")
		cat := catalog.Default()

		// High-risk: art4, art9 and art14 apply; art50_1 only may apply.
		obs := append(applies("art4", "2025-02-02", "art9", "2027-12-02", "art14", "2027-12-02"),
			euaiact.Obligation{ID: "art50_1", Status: "may_apply", Dates: euaiact.Dates{Applies: "2026-08-02"}})
		before := auditTotal(t, f.app, f.sys)
		if err := f.app.SyncRequirements(f.sys, s.ID, obs); err != nil {
			t.Fatal(err)
		}
		if n := auditTotal(t, f.app, f.sys) - before; n != 1 {
			t.Errorf("sync wrote %d audit events, want 1", n)
		}
		got := controlKeys(t, f, s.ID)
		want := map[string]bool{"eu-ai-act/art4": true, "eu-ai-act/art9": true, "eu-ai-act/art14": true}
		for _, id := range []string{"art4", "art9", "art14"} {
			for _, ref := range cat.Crosswalk("eu-ai-act", id) {
				if slices.Contains(caio.DefaultFrameworks, ref.Framework) || ref.Framework == "omb-m-25-21" {
					want[ref.Framework+"/"+ref.ID] = true
				}
			}
		}
		for _, k := range got {
			if !want[k] {
				t.Errorf("control %s should not apply", k)
			}
			delete(want, k)
		}
		for k := range want {
			if !strings.HasPrefix(k, "omb-m-25-21/") {
				t.Errorf("control %s is missing", k)
			}
		}
		for _, k := range []string{"eu-ai-act/art4", "nist-ai-rmf/GV-2.2", "iso-42001/A.4.6", "nist-ai-rmf/MG-1.2"} {
			if !slices.Contains(got, k) {
				t.Errorf("control %s is missing from %v", k, got)
			}
		}
		// OMB M-25-21 is not enabled by default, NIST AI 600-1 neither;
		// art50_1 may only apply.
		for _, k := range got {
			if strings.HasPrefix(k, "omb-m-25-21/") || strings.HasPrefix(k, "nist-ai-600-1/") || k == "eu-ai-act/art50_1" {
				t.Errorf("control %s should not apply", k)
			}
		}
		d := syncDiff(t, f, s.ID)
		if d["controls_added"][1] != float64(len(got)) || d["controls_removed"][1] != float64(0) {
			t.Errorf("sync event diff %v, want %d added", d, len(got))
		}
		ks, _, _ := f.app.FindControls(f.sys, caio.ControlFilter{SystemID: &s.ID, Framework: ptr("eu-ai-act")})
		for _, k := range ks {
			if k.ItemID == "art9" && (k.Deadline != "2027-12-02" || k.ItemLabel == "" || k.ItemTitle == "") {
				t.Errorf("art9 control: %+v", k)
			}
		}

		// With OMB M-25-21 enabled, its practices follow the high-risk
		// obligations (and, through art4, operator training).
		if _, err := f.app.SetOrgFrameworks(f.sys, []string{"nist-ai-rmf", "iso-42001", "omb-m-25-21"}); err != nil {
			t.Fatal(err)
		}
		got = controlKeys(t, f, s.ID)
		for _, k := range []string{"omb-m-25-21/M-25-21-2", "omb-m-25-21/M-25-21-4", "omb-m-25-21/M-25-21-5"} {
			if !slices.Contains(got, k) {
				t.Errorf("with OMB enabled, %s is missing from %v", k, got)
			}
		}

		// Re-classified as minimal risk: only AI literacy applies, and OMB's
		// operator training goes with the high-risk duties. The work done
		// on art9 is kept.
		art9 := findControl(t, f, s.ID, "eu-ai-act", "art9")
		if _, err := f.app.UpdateControl(f.sys, art9.ID, 0, caio.ControlInput{Status: caio.StatusInProgress, Owner: "Risk office"}); err != nil {
			t.Fatal(err)
		}
		if err := f.app.SyncRequirements(f.sys, s.ID, applies("art4", "2025-02-02")); err != nil {
			t.Fatal(err)
		}
		after := controlKeys(t, f, s.ID)
		if slices.Contains(after, "omb-m-25-21/M-25-21-4") || slices.Contains(after, "eu-ai-act/art9") || !slices.Contains(after, "nist-ai-rmf/GV-2.2") {
			t.Errorf("after re-classifying as minimal: %v", after)
		}
		d = syncDiff(t, f, s.ID)
		if d["controls_removed"][1] != float64(len(got)-len(after)) || d["controls_added"][1] != float64(0) {
			t.Errorf("second sync diff %v, want %d removed", d, len(got)-len(after))
		}
		k, err := f.app.FindControl(f.sys, art9.ID)
		if err != nil || k.Applicable || k.Status != caio.StatusInProgress || k.Owner != "Risk office" {
			t.Errorf("art9 after it stopped applying: %+v, %v", k, err)
		}

		// Nothing changed: no event.
		before = auditTotal(t, f.app, f.sys)
		if err := f.app.SyncRequirements(f.sys, s.ID, applies("art4", "2025-02-02")); err != nil {
			t.Fatal(err)
		}
		if n := auditTotal(t, f.app, f.sys) - before; n != 0 {
			t.Errorf("a sync that changed nothing wrote %d events", n)
		}
	})
}

func findControl(t *testing.T, f *fixture, systemID, framework, item string) *caio.Control {
	t.Helper()
	ks, _, err := f.app.FindControls(f.sys, caio.ControlFilter{SystemID: &systemID, Framework: &framework, All: true, Page: caio.Page{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range ks {
		if k.ItemID == item {
			return k
		}
	}
	t.Fatalf("no control %s/%s", framework, item)
	return nil
}

// TestCatalogCoversObligations checks that every obligation the EU AI Act
// engine can give is an item of the catalogue, so each control it creates
// has a title and crosswalk.
func TestCatalogCoversObligations(t *testing.T) {
	content, err := euaiact.DefaultContent()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range content.Obligations {
		it := catalog.Default().Item("eu-ai-act", o.ID)
		if it == nil {
			t.Errorf("obligation %s is not in the catalogue's eu-ai-act framework", o.ID)
		} else if it.Title != o.Title {
			// One duty has one name, on the classification and on its control.
			t.Errorf("obligation %s is %q in the engine but %q in the catalogue", o.ID, o.Title, it.Title)
		}
	}
}

func TestOrgFrameworks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		enabled := func(fs []caio.FrameworkInfo) []string {
			var out []string
			for _, x := range fs {
				if x.Enabled {
					out = append(out, x.ID)
				}
			}
			return out
		}
		fs, err := f.app.OrgFrameworks(f.as(caio.RoleViewer))
		if err != nil {
			t.Fatal(err)
		}
		if got := enabled(fs); !slices.Equal(got, []string{"eu-ai-act", "nist-ai-rmf", "iso-42001"}) || len(fs) != 5 || !fs[0].AlwaysOn {
			t.Errorf("default frameworks %v of %+v", got, fs)
		}
		k := f.control(t, "CV screening")
		if got := controlKeys(t, f, k.SystemID); !slices.Contains(got, "nist-ai-rmf/GV-2.2") {
			t.Fatalf("controls %v", got)
		}

		_, err = f.app.SetOrgFrameworks(f.as(caio.RoleEditor), []string{"nist-ai-600-1"})
		wantCode(t, err, caio.EFORBIDDEN)
		_, err = f.app.SetOrgFrameworks(f.as(caio.RoleAdmin), []string{"nist-ai-600-1", "cobit"})
		wantCode(t, err, caio.EINVALID)
		if fields := fieldNames(err); !slices.Equal(fields, []string{"frameworks"}) || !strings.Contains(caio.ErrorMessage(err), "cobit") {
			t.Errorf("unknown framework: %v", err)
		}

		// Choosing only ISO/IEC 42001 keeps the EU AI Act, drops the NIST
		// controls from what applies and records the change.
		fs, err = f.app.SetOrgFrameworks(f.as(caio.RoleAdmin), []string{"iso-42001"})
		if err != nil {
			t.Fatal(err)
		}
		if got := enabled(fs); !slices.Equal(got, []string{"eu-ai-act", "iso-42001"}) {
			t.Errorf("enabled %v", got)
		}
		got := controlKeys(t, f, k.SystemID)
		if !slices.Equal(got, []string{"eu-ai-act/art4", "iso-42001/A.4.6"}) {
			t.Errorf("controls after choosing ISO only: %v", got)
		}
		e := lastEvent(t, f.app, f.sys)
		if e.Action != "org.frameworks" || !strings.Contains(string(e.Diff), "eu-ai-act,iso-42001") || !strings.Contains(string(e.Diff), `"controls_removed":[null,2]`) {
			t.Errorf("event %s %s", e.Action, e.Diff)
		}
		// The same choice again changes and records nothing.
		before := auditTotal(t, f.app, f.sys)
		if _, err := f.app.SetOrgFrameworks(f.as(caio.RoleAdmin), []string{"iso-42001", "eu-ai-act"}); err != nil {
			t.Fatal(err)
		}
		if auditTotal(t, f.app, f.sys) != before {
			t.Error("setting the same frameworks wrote an event")
		}
		// And new syncs follow the choice.
		s := f.system(t, "Chatbot")
		if err := f.app.SyncRequirements(f.sys, s.ID, applies("art4", "2025-02-02")); err != nil {
			t.Fatal(err)
		}
		if got := controlKeys(t, f, s.ID); !slices.Equal(got, []string{"eu-ai-act/art4", "iso-42001/A.4.6"}) {
			t.Errorf("controls of a new system: %v", got)
		}
	})
}

func TestUpdateControl(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		k := f.control(t, "CV screening")
		editor := f.as(caio.RoleEditor)

		_, err := f.app.UpdateControl(f.as(caio.RoleContributor), k.ID, 0, caio.ControlInput{Status: caio.StatusImplemented})
		wantCode(t, err, caio.EFORBIDDEN)

		// Not applicable needs a reason; dates must be dates.
		_, err = f.app.UpdateControl(editor, k.ID, 0, caio.ControlInput{Status: caio.StatusNotApplicable, DueDate: "soon", ReviewDate: "2026-13-01"})
		wantCode(t, err, caio.EINVALID)
		if got := fieldNames(err); !slices.Equal(got, []string{"reason", "due_date", "review_date"}) {
			t.Errorf("fields %v", got)
		}
		_, err = f.app.UpdateControl(editor, k.ID, 0, caio.ControlInput{Status: "done"})
		wantCode(t, err, caio.EINVALID)

		u, err := f.app.UpdateControl(editor, k.ID, 1, caio.ControlInput{Status: caio.StatusNotApplicable, Reason: " Staff use no AI tools yet. ",
			Owner: " HR ", DueDate: "2026-09-30", ReviewDate: "2027-01-31", Notes: "Revisit with the chatbot."})
		if err != nil {
			t.Fatal(err)
		}
		if u.Version != 2 || u.Reason != "Staff use no AI tools yet." || u.Owner != "HR" || u.Due != "2026-09-30" || u.Deadline != "2025-02-02" || u.ItemLabel == "" {
			t.Errorf("updated control %+v", u)
		}
		e := lastEvent(t, f.app, f.sys)
		if e.Action != "control.update" || e.ObjectID != k.ID || !strings.Contains(string(e.Diff), `"status":["not_started","not_applicable"]`) {
			t.Errorf("event %s %s %s", e.Action, e.ObjectID, e.Diff)
		}
		_, err = f.app.UpdateControl(editor, k.ID, 1, caio.ControlInput{Status: caio.StatusImplemented})
		wantCode(t, err, caio.ECONFLICT)

		// Filters are checked.
		for _, bad := range []caio.ControlFilter{{Framework: ptr("cobit")}, {Status: ptr("done")}, {SystemID: ptr("nope")}, {Sort: "owner"}, {Page: caio.Page{Limit: 501}}} {
			_, _, err := f.app.FindControls(editor, bad)
			wantCode(t, err, caio.EINVALID)
		}
		// Malformed and unknown IDs are not found.
		for _, id := range []string{"", "ctl_", "nope", caio.NewID("ctl"), caio.NewID("obj")} {
			_, err := f.app.FindControl(editor, id)
			wantCode(t, err, caio.ENOTFOUND)
			_, err = f.app.UpdateControl(editor, id, 0, caio.ControlInput{})
			wantCode(t, err, caio.ENOTFOUND)
		}
	})
}

func TestEvidence(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		k := f.control(t, "CV screening")
		editor := f.as(caio.RoleEditor)

		// A link, named after its URL, with an optional SHA-256.
		l, err := f.app.AddEvidenceLink(editor, k.ID, caio.EvidenceLinkInput{URL: " https://wiki.example/ai-literacy ", SHA256: strings.Repeat("AB", 32)})
		if err != nil {
			t.Fatal(err)
		}
		if l.Kind != caio.EvidenceLink || l.Name != "https://wiki.example/ai-literacy" || l.SHA256 != strings.Repeat("ab", 32) || l.CreatedBy != f.members[caio.RoleEditor].Email {
			t.Errorf("link %+v", l)
		}
		_, err = f.app.AddEvidenceLink(editor, k.ID, caio.EvidenceLinkInput{URL: "javascript:alert(1)", SHA256: "xyz"})
		wantCode(t, err, caio.EINVALID)
		if got := fieldNames(err); !slices.Equal(got, []string{"url", "sha256"}) {
			t.Errorf("fields %v", got)
		}

		// A file: its SHA-256 is computed, its type detected.
		data := []byte("%PDF-1.7\nrisk management plan\n")
		sum := sha256.Sum256(data)
		fe, err := f.app.AddEvidenceFile(editor, k.ID, caio.EvidenceFileInput{Name: `C:\Users\ada\risk plan.pdf`, Size: -1, Data: bytes.NewReader(data)})
		if err != nil {
			t.Fatal(err)
		}
		if fe.Kind != caio.EvidenceFile || fe.Name != "risk plan.pdf" || fe.SHA256 != hex.EncodeToString(sum[:]) || fe.Size != int64(len(data)) || fe.ContentType != "application/pdf" {
			t.Errorf("file %+v", fe)
		}
		e := lastEvent(t, f.app, f.sys)
		if e.Action != "evidence.add" || e.ObjectType != "control" || e.ObjectID != k.ID || !strings.Contains(string(e.Diff), fe.SHA256) {
			t.Errorf("event %s %s/%s %s", e.Action, e.ObjectType, e.ObjectID, e.Diff)
		}
		got, content, err := f.app.EvidenceContent(f.as(caio.RoleViewer), fe.ID)
		if err != nil || !bytes.Equal(content, data) || got.Name != "risk plan.pdf" {
			t.Errorf("content %q, %v", content, err)
		}
		_, _, err = f.app.EvidenceContent(editor, l.ID)
		wantCode(t, err, caio.ENOTFOUND)
		es, err := f.app.ControlEvidence(f.as(caio.RoleViewer), k.ID)
		if err != nil || len(es) != 2 {
			t.Errorf("evidence %v, %v", es, err)
		}
		if k, _ := f.app.FindControl(editor, k.ID); k.Evidence != 2 {
			t.Errorf("control shows %d evidence items", k.Evidence)
		}

		// Too large, declared or found by reading, and empty files are
		// refused with the size and the limit, and nothing is stored.
		before := auditTotal(t, f.app, f.sys)
		big := io.LimitReader(zeros{}, caio.MaxEvidenceBytes+5<<20)
		_, err = f.app.AddEvidenceFile(editor, k.ID, caio.EvidenceFileInput{Name: "scan.tif", Size: -1, Data: big})
		wantCode(t, err, caio.EINVALID)
		if msg := caio.ErrorMessage(err); !strings.Contains(msg, "15.0 MiB") || !strings.Contains(msg, "10.0 MiB") || !slices.Equal(fieldNames(err), []string{"file"}) {
			t.Errorf("too large: %v", err)
		}
		_, err = f.app.AddEvidenceFile(editor, k.ID, caio.EvidenceFileInput{Name: "scan.tif", Size: 40 << 20, Data: failReader{t}})
		if msg := caio.ErrorMessage(err); !strings.Contains(msg, "40.0 MiB") {
			t.Errorf("declared too large: %v", err)
		}
		_, err = f.app.AddEvidenceFile(editor, k.ID, caio.EvidenceFileInput{Name: "empty.txt", Size: -1, Data: strings.NewReader("")})
		wantCode(t, err, caio.EINVALID)
		// Exactly the limit is fine.
		if _, err := f.app.AddEvidenceFile(editor, k.ID, caio.EvidenceFileInput{Name: "max.bin", Size: -1, Data: io.LimitReader(zeros{}, caio.MaxEvidenceBytes)}); err != nil {
			t.Errorf("a file of exactly the limit: %v", err)
		}
		if es, _ := f.app.ControlEvidence(editor, k.ID); len(es) != 3 {
			t.Errorf("%d evidence items, want 3", len(es))
		}
		if n := auditTotal(t, f.app, f.sys) - before; n != 1 {
			t.Errorf("%d events, want 1 (the upload of exactly the limit)", n)
		}

		// Roles: a contributor may add but not delete; a viewer only reads.
		if _, err = f.app.AddEvidenceLink(f.as(caio.RoleContributor), k.ID, caio.EvidenceLinkInput{URL: "https://x.example"}); err != nil {
			t.Errorf("a contributor cannot add evidence: %v", err)
		}
		_, err = f.app.AddEvidenceLink(f.as(caio.RoleViewer), k.ID, caio.EvidenceLinkInput{URL: "https://y.example"})
		wantCode(t, err, caio.EFORBIDDEN)
		wantCode(t, f.app.DeleteEvidence(f.as(caio.RoleContributor), fe.ID), caio.EFORBIDDEN)
		wantCode(t, f.app.DeleteEvidence(f.as(caio.RoleViewer), fe.ID), caio.EFORBIDDEN)

		// Deleting is audited, with what was deleted.
		if err := f.app.DeleteEvidence(editor, fe.ID); err != nil {
			t.Fatal(err)
		}
		e = lastEvent(t, f.app, f.sys)
		if e.Action != "evidence.delete" || e.ObjectID != k.ID || !strings.Contains(string(e.Diff), "risk plan.pdf") {
			t.Errorf("event %s %s", e.Action, e.Diff)
		}
		_, err = f.app.FindEvidence(editor, fe.ID)
		wantCode(t, err, caio.ENOTFOUND)
		wantCode(t, f.app.DeleteEvidence(editor, fe.ID), caio.ENOTFOUND)
	})
}

// zeros reads zero bytes forever.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// failReader fails the test if anything reads it.
type failReader struct{ t *testing.T }

func (r failReader) Read([]byte) (int, error) {
	r.t.Error("the upload was read, though its declared size is over the limit")
	return 0, io.EOF
}

func TestComplianceIsolation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		k := f.control(t, "CV screening")
		e, err := f.app.AddEvidenceLink(f.sys, k.ID, caio.EvidenceLinkInput{URL: "https://wiki.example/x"})
		if err != nil {
			t.Fatal(err)
		}
		_, globex := newOrg(t, f.app, "globex", "owner@globex.test")

		_, err = f.app.FindControl(globex, k.ID)
		wantCode(t, err, caio.ENOTFOUND)
		_, err = f.app.UpdateControl(globex, k.ID, 0, caio.ControlInput{Status: caio.StatusImplemented})
		wantCode(t, err, caio.ENOTFOUND)
		_, err = f.app.ControlEvidence(globex, k.ID)
		wantCode(t, err, caio.ENOTFOUND)
		_, err = f.app.AddEvidenceLink(globex, k.ID, caio.EvidenceLinkInput{URL: "https://evil.example"})
		wantCode(t, err, caio.ENOTFOUND)
		_, err = f.app.AddEvidenceFile(globex, k.ID, caio.EvidenceFileInput{Name: "x.txt", Size: -1, Data: strings.NewReader("x")})
		wantCode(t, err, caio.ENOTFOUND)
		_, err = f.app.FindEvidence(globex, e.ID)
		wantCode(t, err, caio.ENOTFOUND)
		_, _, err = f.app.EvidenceContent(globex, e.ID)
		wantCode(t, err, caio.ENOTFOUND)
		wantCode(t, f.app.DeleteEvidence(globex, e.ID), caio.ENOTFOUND)
		_, err = f.app.Posture(globex, k.SystemID)
		wantCode(t, err, caio.ENOTFOUND)
		_, err = f.app.FindSystemControls(globex, k.SystemID)
		wantCode(t, err, caio.ENOTFOUND)
		if _, total, _ := f.app.FindControls(globex, caio.ControlFilter{}); total != 0 {
			t.Errorf("globex sees %d controls", total)
		}
		p, err := f.app.Posture(globex, "")
		if err != nil || p.Total.Total != 0 || p.Systems != 0 {
			t.Errorf("globex posture %+v, %v", p, err)
		}
	})
}

func TestPostureAndSystemControls(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-03-01")
		f := newFixture(t, db)
		s := f.system(t, "CV screening")
		if err := f.app.SyncRequirements(f.sys, s.ID, applies("art4", "2025-02-02", "art9", "2027-12-02")); err != nil {
			t.Fatal(err)
		}
		art4 := findControl(t, f, s.ID, "eu-ai-act", "art4")
		if _, err := f.app.UpdateControl(f.sys, art4.ID, 0, caio.ControlInput{Status: caio.StatusImplemented}); err != nil {
			t.Fatal(err)
		}
		p, err := f.app.Posture(f.as(caio.RoleViewer), "")
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Frameworks) != 3 || p.Frameworks[0].Name == "" || p.Frameworks[0].Total != 2 || p.Frameworks[0].Implemented != 1 || p.Today != "2026-03-01" {
			t.Errorf("posture %+v", p.Frameworks)
		}
		if len(p.NextDeadlines) != 1 || p.NextDeadlines[0].ItemID != "art9" || p.NextDeadlines[0].ItemTitle == "" || p.NextDeadlines[0].SystemName != "CV screening" {
			t.Errorf("next deadlines %+v", p.NextDeadlines)
		}
		sp, err := f.app.Posture(f.as(caio.RoleViewer), s.ID)
		if err != nil || sp.Total.Total != p.Total.Total || sp.SystemID != s.ID {
			t.Errorf("system posture %+v, %v", sp, err)
		}
		_, err = f.app.Posture(f.sys, "nope")
		wantCode(t, err, caio.ENOTFOUND)

		sc, err := f.app.FindSystemControls(f.as(caio.RoleViewer), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(sc.Groups) != 3 || sc.Groups[0].Framework != "eu-ai-act" || len(sc.Groups[0].Controls) != 2 || sc.Groups[0].Counts.Implemented != 1 || sc.Counts.Total != p.Total.Total {
			t.Errorf("system controls %+v", sc)
		}
		// Items come in the publisher's order: art4 before art9.
		if g := sc.Groups[0]; g.Controls[0].ItemID != "art4" || g.Controls[1].ItemID != "art9" {
			t.Errorf("EU controls in order %s, %s", g.Controls[0].ItemID, g.Controls[1].ItemID)
		}
	})
}

func TestDemoCompliance(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		k := f.control(t, "Customer chatbot")
		if err := f.app.LoadDemoCompliance(f.sys); err != nil {
			t.Fatal(err)
		}
		got, err := f.app.FindControl(f.sys, k.ID)
		if err != nil || got.Status != caio.StatusImplemented || got.Evidence != 1 || got.Owner == "" {
			t.Errorf("demo AI literacy control %+v, %v", got, err)
		}
		gv := findControl(t, f, k.SystemID, "nist-ai-rmf", "GV-2.2")
		if gv.Status != caio.StatusImplemented {
			t.Errorf("GV-2.2 %+v", gv)
		}
	})
}
