package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// The risk services join the role matrix of app_test.go.
func init() {
	risk := func(t *testing.T, f *fixture) *caio.Risk {
		r, err := f.app.CreateRisk(f.sys, caio.RiskInput{Title: "risk " + randomHex(), Likelihood: 2, Impact: 2})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	actions = append(actions,
		action{"FindRisks", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error { _, _, err := f.app.FindRisks(ctx, caio.RiskFilter{}); return err }
		}},
		action{"FindRisk", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			r := risk(t, f)
			return func(ctx context.Context) error { _, err := f.app.FindRisk(ctx, r.ID); return err }
		}},
		action{"RiskHeatMap", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error { _, err := f.app.RiskHeatMap(ctx); return err }
		}},
		action{"CreateRisk", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.CreateRisk(ctx, caio.RiskInput{Title: "new", Likelihood: 1, Impact: 1})
				return err
			}
		}},
		action{"UpdateRisk", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			r := risk(t, f)
			return func(ctx context.Context) error {
				_, err := f.app.UpdateRisk(ctx, r.ID, 0, caio.RiskInput{Title: "changed", Likelihood: 3, Impact: 3})
				return err
			}
		}},
		action{"DeleteRisk", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			r := risk(t, f)
			return func(ctx context.Context) error { return f.app.DeleteRisk(ctx, r.ID) }
		}},
		action{"AddTreatment", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			r := risk(t, f)
			return func(ctx context.Context) error {
				_, err := f.app.AddTreatment(ctx, r.ID, caio.TreatmentInput{Description: "filter prompts"})
				return err
			}
		}},
		action{"SetRiskAppetite", caio.PermManageOrg, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.SetRiskAppetite(ctx, caio.RiskAppetite{Scale: 5, Appetite: 10})
				return err
			}
		}},
	)
}

// TestRiskRegister walks a risk through its life on both engines: create
// with links and a category, breach of the appetite, treatment, residual
// assessment, heat map, filters and deletion, with one audit event per write.
func TestRiskRegister(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		day, _ := time.Parse(time.DateOnly, "2026-11-27")
		db.Now = func() time.Time { return day.Add(9 * time.Hour) }
		f := newFixture(t, db)
		ed := f.as(caio.RoleEditor)
		sys := f.system(t, "Customer chatbot")
		ctl := f.control(t, "CV screening")
		events := auditTotal(t, f.app, f.sys)

		r, err := f.app.CreateRisk(ed, caio.RiskInput{Title: "  Prompt injection in the chatbot ", Category: "owasp-llm:LLM01",
			Likelihood: 4, Impact: 4, Owner: "CISO", ReviewDate: "2026-10-01", Systems: []string{sys.ID, sys.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if r.Title != "Prompt injection in the chatbot" || r.Status != "open" || r.Score != 16 || r.InherentScore != 16 || r.ResidualScore != 0 || r.Version != 1 {
			t.Errorf("created %+v", r)
		}
		if !r.Breach || !r.Overdue {
			t.Errorf("score 16 above appetite 8 with a review due 2026-10-01: breach %v, overdue %v", r.Breach, r.Overdue)
		}
		if len(r.Links) != 1 || r.Links[0].TargetName != "Customer chatbot" {
			t.Errorf("links %+v", r.Links)
		}
		if got := auditTotal(t, f.app, f.sys); got != events+1 {
			t.Errorf("create wrote %d audit events, want 1", got-events)
		}
		if e := lastEvent(t, f.app, f.sys); e.Action != "risk.create" || e.ObjectID != r.ID || !strings.Contains(string(e.Diff), sys.ID) {
			t.Errorf("audit event %+v", e)
		}

		low, err := f.app.CreateRisk(ed, caio.RiskInput{Title: "Confabulated policy answers", Category: "nist-600-1:GAI-2", Likelihood: 2, Impact: 3, Status: "accepted"})
		if err != nil {
			t.Fatal(err)
		}
		if low.Breach || low.Overdue {
			t.Errorf("score 6 breaches or is overdue: %+v", low)
		}

		// A treatment linked to a control, then a residual assessment within the appetite.
		tr, err := f.app.AddTreatment(ed, r.ID, caio.TreatmentInput{Description: "Filter prompts and outputs", ControlID: ctl.ID, Due: "2027-01-31"})
		if err != nil {
			t.Fatal(err)
		}
		if tr.Status != "planned" || tr.ControlID != ctl.ID {
			t.Errorf("treatment %+v", tr)
		}
		in := r.Input()
		in.ResidualLikelihood, in.ResidualImpact, in.Status, in.ReviewDate = 2, 3, "treating", "2027-03-01"
		r2, err := f.app.UpdateRisk(ed, r.ID, 2, in) // the treatment moved the version on
		if err != nil {
			t.Fatal(err)
		}
		if r2.Score != 6 || r2.Breach || r2.Overdue || len(r2.Treatments) != 1 || !strings.Contains(r2.Treatments[0].ControlLabel, "CV screening") {
			t.Errorf("after treatment %+v, treatments %+v", r2, r2.Treatments)
		}
		_, err = f.app.UpdateRisk(ed, r.ID, 1, in)
		wantCode(t, err, caio.ECONFLICT)

		// The heat map counts both risks inherently, one residually.
		h, err := f.app.RiskHeatMap(ed)
		if err != nil {
			t.Fatal(err)
		}
		if h.Scale != 5 || h.Appetite != 8 || h.Inherent[3][3] != 1 || h.Inherent[1][2] != 1 || h.Residual[1][2] != 1 || h.Total != 2 || h.Assessed != 1 || h.Breaches != 0 {
			t.Errorf("heat map %+v", h)
		}

		// Lowering the appetite makes both breach; filters find them.
		if _, err := f.app.SetRiskAppetite(f.as(caio.RoleOwner), caio.RiskAppetite{Scale: 5, Appetite: 4}); err != nil {
			t.Fatal(err)
		}
		find := func(filter caio.RiskFilter) []string {
			t.Helper()
			rs, total, err := f.app.FindRisks(ed, filter)
			if err != nil {
				t.Fatal(err)
			}
			if total != len(rs) {
				t.Errorf("total %d, page %d", total, len(rs))
			}
			var titles []string
			for _, x := range rs {
				titles = append(titles, x.Title)
			}
			return titles
		}
		yes, no := true, false
		four, three := 4, 3
		for name, c := range map[string]struct {
			f    caio.RiskFilter
			want []string
		}{
			// Both score 6 now: the newer comes first.
			"all by score":    {caio.RiskFilter{}, []string{"Confabulated policy answers", "Prompt injection in the chatbot"}},
			"breach":          {caio.RiskFilter{Breach: &yes}, []string{"Confabulated policy answers", "Prompt injection in the chatbot"}},
			"within":          {caio.RiskFilter{Breach: &no}, nil},
			"library":         {caio.RiskFilter{Library: ptr("owasp-llm")}, []string{"Prompt injection in the chatbot"}},
			"system":          {caio.RiskFilter{System: &sys.ID}, []string{"Prompt injection in the chatbot"}},
			"status":          {caio.RiskFilter{Status: ptr("accepted")}, []string{"Confabulated policy answers"}},
			"owner":           {caio.RiskFilter{Owner: ptr("CISO")}, []string{"Prompt injection in the chatbot"}},
			"search":          {caio.RiskFilter{Query: ptr("CONFAB")}, []string{"Confabulated policy answers"}},
			"inherent cell":   {caio.RiskFilter{Likelihood: &four, Impact: &four}, []string{"Prompt injection in the chatbot"}},
			"residual cell":   {caio.RiskFilter{Likelihood: ptr(2), Impact: &three, Residual: true}, []string{"Prompt injection in the chatbot"}},
			"title order":     {caio.RiskFilter{Sort: "title"}, []string{"Confabulated policy answers", "Prompt injection in the chatbot"}},
			"review order":    {caio.RiskFilter{Sort: "review"}, []string{"Prompt injection in the chatbot", "Confabulated policy answers"}},
			"no overdue left": {caio.RiskFilter{Overdue: &yes}, nil},
		} {
			if got := find(c.f); !slices.Equal(got, c.want) {
				t.Errorf("%s: %q, want %q", name, got, c.want)
			}
		}

		// A scale below a value in use is refused, naming the field.
		_, err = f.app.SetRiskAppetite(f.as(caio.RoleOwner), caio.RiskAppetite{Scale: 3, Appetite: 4})
		wantField(t, err, caio.ECONFLICT, "scale")

		// Deleting the linked system removes the link; deleting the control keeps the treatment.
		if err := f.app.DeleteSystem(f.sys, sys.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.app.FindRisk(ed, r.ID); len(got.Links) != 0 || len(got.Treatments) != 1 {
			t.Errorf("after deleting the system: links %+v, treatments %+v", got.Links, got.Treatments)
		}

		events = auditTotal(t, f.app, f.sys)
		if err := f.app.DeleteTreatment(ed, r.ID, tr.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.app.DeleteRisk(ed, r.ID); err != nil {
			t.Fatal(err)
		}
		if got := auditTotal(t, f.app, f.sys); got != events+2 {
			t.Errorf("two deletes wrote %d audit events", got-events)
		}
		_, err = f.app.FindRisk(ed, r.ID)
		wantCode(t, err, caio.ENOTFOUND)
		if v := verify(t, f.app, f.sys); !v.Intact {
			t.Errorf("audit chain broken: %+v", v)
		}
	})
}

// wantField fails unless err has the code and names the field.
func wantField(t *testing.T, err error, code, field string) {
	t.Helper()
	wantCode(t, err, code)
	for _, p := range caio.ErrorFields(err) {
		if p.Field == field {
			return
		}
	}
	t.Errorf("error %v does not name %s", err, field)
}

// TestRiskValidation checks that every bad input is refused naming its field.
func TestRiskValidation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		other := newFixture2(t, f)
		foreignSys, err := f.app.CreateSystem(other, caio.AISystemInput{Name: "Globex system", Roles: []string{"deployer"}})
		if err != nil {
			t.Fatal(err)
		}
		foreignVendor, err := f.app.CreateVendor(other, caio.VendorInput{Name: "Globex vendor"})
		if err != nil {
			t.Fatal(err)
		}
		ed := f.as(caio.RoleEditor)
		ok := caio.RiskInput{Title: "Leak", Likelihood: 3, Impact: 3}
		cases := map[string]struct {
			change func(in *caio.RiskInput)
			field  string
		}{
			"no title":             {func(in *caio.RiskInput) { in.Title = " " }, "title"},
			"likelihood 0":         {func(in *caio.RiskInput) { in.Likelihood = 0 }, "likelihood"},
			"likelihood 6":         {func(in *caio.RiskInput) { in.Likelihood = 6 }, "likelihood"},
			"impact -1":            {func(in *caio.RiskInput) { in.Impact = -1 }, "impact"},
			"half a residual":      {func(in *caio.RiskInput) { in.ResidualLikelihood = 2 }, "residual_impact"},
			"unknown category":     {func(in *caio.RiskInput) { in.Category = "owasp-llm:LLM99" }, "category"},
			"category without lib": {func(in *caio.RiskInput) { in.Category = "LLM01" }, "category"},
			"bad status":           {func(in *caio.RiskInput) { in.Status = "ignored" }, "status"},
			"bad review date":      {func(in *caio.RiskInput) { in.ReviewDate = "31/12/2027" }, "review_date"},
			"malformed system id":  {func(in *caio.RiskInput) { in.Systems = []string{"nope"} }, "systems"},
			"other org's system":   {func(in *caio.RiskInput) { in.Systems = []string{foreignSys.ID} }, "systems"},
			"other org's vendor":   {func(in *caio.RiskInput) { in.Vendors = []string{foreignVendor.ID} }, "vendors"},
			"missing use case":     {func(in *caio.RiskInput) { in.UseCases = []string{caio.NewID("uc")} }, "use_cases"},
		}
		for name, c := range cases {
			in := ok
			c.change(&in)
			_, err := f.app.CreateRisk(ed, in)
			wantField(t, err, caio.EINVALID, c.field)
			if t.Failed() {
				t.Logf("case %s", name)
			}
		}
		if _, _, err := f.app.FindRisks(ed, caio.RiskFilter{}); err != nil {
			t.Fatal(err)
		}
		// A treatment naming another organisation's control is refused.
		r, err := f.app.CreateRisk(ed, ok)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.app.AddTreatment(ed, r.ID, caio.TreatmentInput{Description: "x", ControlID: caio.NewID("ctl")})
		wantField(t, err, caio.EINVALID, "control_id")
		_, err = f.app.AddTreatment(ed, r.ID, caio.TreatmentInput{})
		wantField(t, err, caio.EINVALID, "description")
		// Another organisation's risk is not found.
		_, err = f.app.FindRisk(other, r.ID)
		wantCode(t, err, caio.ENOTFOUND)
		_, err = f.app.UpdateRisk(other, r.ID, 0, ok)
		wantCode(t, err, caio.ENOTFOUND)
		// The appetite is checked against the scale.
		_, err = f.app.SetRiskAppetite(f.as(caio.RoleOwner), caio.RiskAppetite{Scale: 5, Appetite: 26})
		wantField(t, err, caio.EINVALID, "appetite")
		_, err = f.app.SetRiskAppetite(f.as(caio.RoleOwner), caio.RiskAppetite{Scale: 11, Appetite: 8})
		wantField(t, err, caio.EINVALID, "scale")
		// A larger scale admits larger values.
		if _, err := f.app.SetRiskAppetite(f.as(caio.RoleOwner), caio.RiskAppetite{Scale: 10, Appetite: 30}); err != nil {
			t.Fatal(err)
		}
		big := ok
		big.Likelihood, big.Impact = 10, 7
		if r, err := f.app.CreateRisk(ed, big); err != nil || r.Breach != true {
			t.Fatalf("score 70 on scale 10: %+v, %v", r, err)
		}
	})
}

// newFixture2 makes a second organisation on the fixture's database and
// returns a system context in it.
func newFixture2(t *testing.T, f *fixture) context.Context {
	_, ctx := newOrg(t, f.app, "globex", "owner@globex.test")
	return ctx
}
