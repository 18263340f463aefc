package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// The inventory services join the role matrix of app_test.go, so every
// role is tried on each of them.
func init() {
	actions = append(actions,
		action{"FindSystems", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, _, err := f.app.FindSystems(ctx, caio.AISystemFilter{})
				return err
			}
		}},
		action{"FindSystem", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			s := f.system(t, "to find")
			return func(ctx context.Context) error {
				_, err := f.app.FindSystem(ctx, s.ID)
				return err
			}
		}},
		action{"CreateSystem", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.CreateSystem(ctx, caio.AISystemInput{Name: "new", Roles: []string{"deployer"}})
				return err
			}
		}},
		action{"UpdateSystem", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			s := f.system(t, "to update")
			return func(ctx context.Context) error {
				_, err := f.app.UpdateSystem(ctx, s.ID, s.Version, caio.AISystemInput{Name: "updated", Roles: []string{"provider"}})
				return err
			}
		}},
		action{"DeleteSystem", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			s := f.system(t, "to delete")
			return func(ctx context.Context) error { return f.app.DeleteSystem(ctx, s.ID) }
		}},
		action{"BulkUpdateSystems", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			s := f.system(t, "to bulk edit")
			return func(ctx context.Context) error {
				_, err := f.app.BulkUpdateSystems(ctx, []string{s.ID}, caio.SystemBulkSet{Stage: ptr("retired")})
				return err
			}
		}},
		action{"FindSystemLinks", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			s := f.system(t, "with links")
			return func(ctx context.Context) error {
				_, err := f.app.FindSystemLinks(ctx, s.ID)
				return err
			}
		}},
		action{"LinkSystem", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			s, o := f.system(t, "to link"), f.objective(t, "to link to")
			return func(ctx context.Context) error {
				_, err := f.app.LinkSystem(ctx, s.ID, "objective", o.ID)
				return err
			}
		}},
		action{"UnlinkSystem", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			s, o := f.system(t, "to unlink"), f.objective(t, "to unlink from")
			if _, err := f.app.LinkSystem(f.sys, s.ID, "objective", o.ID); err != nil {
				t.Fatal(err)
			}
			return func(ctx context.Context) error { return f.app.UnlinkSystem(ctx, s.ID, "objective", o.ID) }
		}},
		action{"FindModels", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, _, err := f.app.FindModels(ctx, caio.InventoryFilter{})
				return err
			}
		}},
		action{"CreateModel", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.CreateModel(ctx, caio.AIModelInput{Name: "new", Kind: "llm"})
				return err
			}
		}},
		action{"UpdateDataset", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			d, err := f.app.CreateDataset(f.sys, caio.DatasetInput{Name: "to update " + randomHex()})
			if err != nil {
				t.Fatal(err)
			}
			return func(ctx context.Context) error {
				_, err := f.app.UpdateDataset(ctx, d.ID, 0, caio.DatasetInput{Name: "updated", PersonalData: true})
				return err
			}
		}},
		action{"DeleteVendor", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			v, err := f.app.CreateVendor(f.sys, caio.VendorInput{Name: "to delete " + randomHex()})
			if err != nil {
				t.Fatal(err)
			}
			return func(ctx context.Context) error { return f.app.DeleteVendor(ctx, v.ID) }
		}},
	)
}

// system creates an AI system through the system actor.
func (f *fixture) system(t *testing.T, name string) *caio.AISystem {
	t.Helper()
	s, err := f.app.CreateSystem(f.sys, caio.AISystemInput{Name: name, Purpose: "purpose of " + name, Roles: []string{"deployer"}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func fieldNames(err error) []string {
	var out []string
	for _, p := range caio.ErrorFields(err) {
		out = append(out, p.Field)
	}
	return out
}

func TestSystems(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := f.as(caio.RoleEditor)

		s, err := f.app.CreateSystem(ctx, caio.AISystemInput{Name: "  Claims triage ", Purpose: " Route claims ", Countries: []string{"fr", " DE", "FR"},
			Roles: []string{"Deployer", "provider", "deployer"}, Autonomy: "Human_In_The_Loop"})
		if err != nil {
			t.Fatal(err)
		}
		if s.Name != "Claims triage" || s.Purpose != "Route claims" || s.Stage != "planned" || !slices.Equal(s.Countries, []string{"DE", "FR"}) ||
			!slices.Equal(s.Roles, []string{"provider", "deployer"}) || s.Autonomy != "human_in_the_loop" || s.Version != 1 || !caio.ValidID("sys", s.ID) {
			t.Errorf("CreateSystem = %+v, want normalised input at version 1", s)
		}
		ev := lastEvent(t, f.app, f.sys)
		if ev.Action != "system.create" || ev.ObjectID != s.ID || !strings.Contains(string(ev.Diff), `"countries":[null,"DE,FR"]`) {
			t.Errorf("audit event %s %s %s", ev.Action, ev.ObjectID, ev.Diff)
		}
		if got, err := f.app.FindSystem(f.as(caio.RoleViewer), s.ID); err != nil || got.Name != s.Name {
			t.Errorf("FindSystem as viewer = %+v, %v", got, err)
		}

		// Every bad field is named at once.
		_, err = f.app.CreateSystem(ctx, caio.AISystemInput{Name: "", Purpose: strings.Repeat("p", 2001), Stage: "live",
			Countries: []string{"DE", "UK", "XX"}, Autonomy: "total", Roles: []string{"owner"}, Owner: strings.Repeat("o", 201)})
		wantCode(t, err, caio.EINVALID)
		if got, want := fieldNames(err), []string{"name", "purpose", "owner", "stage", "autonomy", "countries", "countries", "roles"}; !slices.Equal(got, want) {
			t.Errorf("invalid fields = %v, want %v", got, want)
		}
		if msg := caio.ErrorMessage(err); !strings.Contains(msg, "United Kingdom is GB") || !strings.Contains(msg, `"XX"`) {
			t.Errorf("message %q does not explain the country codes", msg)
		}
		_, err = f.app.CreateSystem(ctx, caio.AISystemInput{Name: "No role"})
		if got := fieldNames(err); !slices.Equal(got, []string{"roles"}) {
			t.Errorf("a system without a role: fields %v", got)
		}

		// Updates check the version.
		in := s.Input()
		in.Stage = "production"
		u, err := f.app.UpdateSystem(ctx, s.ID, 1, in)
		if err != nil || u.Version != 2 || u.Stage != "production" {
			t.Fatalf("update = %+v, %v", u, err)
		}
		ev = lastEvent(t, f.app, f.sys)
		if ev.Action != "system.update" || string(ev.Diff) != `{"stage":["planned","production"]}` {
			t.Errorf("update event %s %s", ev.Action, ev.Diff)
		}
		_, err = f.app.UpdateSystem(ctx, s.ID, 1, in)
		wantCode(t, err, caio.ECONFLICT)

		// Viewers read but do not write.
		viewer := f.as(caio.RoleViewer)
		before := auditTotal(t, f.app, f.sys)
		_, err = f.app.CreateSystem(viewer, caio.AISystemInput{Name: "x", Roles: []string{"deployer"}})
		wantCode(t, err, caio.EFORBIDDEN)
		_, err = f.app.UpdateSystem(viewer, s.ID, 0, in)
		wantCode(t, err, caio.EFORBIDDEN)
		wantCode(t, f.app.DeleteSystem(viewer, s.ID), caio.EFORBIDDEN)
		_, err = f.app.BulkUpdateSystems(viewer, []string{s.ID}, caio.SystemBulkSet{Owner: ptr("me")})
		wantCode(t, err, caio.EFORBIDDEN)
		if after := auditTotal(t, f.app, f.sys); after != before {
			t.Errorf("refused calls wrote %d audit events", after-before)
		}

		// Malformed and unknown IDs are not found.
		for _, id := range []string{"", "sys_", "nonsense", "obj_" + s.ID[4:], caio.NewID("sys")} {
			_, err := f.app.FindSystem(ctx, id)
			wantCode(t, err, caio.ENOTFOUND)
			_, err = f.app.UpdateSystem(ctx, id, 0, in)
			wantCode(t, err, caio.ENOTFOUND)
			wantCode(t, f.app.DeleteSystem(ctx, id), caio.ENOTFOUND)
			_, err = f.app.FindSystemLinks(ctx, id)
			wantCode(t, err, caio.ENOTFOUND)
		}

		// Lists check their filters.
		for _, tc := range []struct {
			f     caio.AISystemFilter
			field string
		}{
			{caio.AISystemFilter{Sort: "owner"}, "sort"},
			{caio.AISystemFilter{Class: ptr("scary")}, "class"},
			{caio.AISystemFilter{Stage: ptr("live")}, "stage"},
			{caio.AISystemFilter{DeadlineBefore: ptr("soon")}, "deadline_before"},
			{caio.AISystemFilter{Page: caio.Page{Limit: 501}}, "limit"},
		} {
			_, _, err := f.app.FindSystems(ctx, tc.f)
			if got := fieldNames(err); !slices.Equal(got, []string{tc.field}) {
				t.Errorf("filter %+v: fields %v, want %s", tc.f, got, tc.field)
			}
		}
		for _, sort := range caio.SystemSorts {
			if ss, total, err := f.app.FindSystems(ctx, caio.AISystemFilter{Sort: sort, Class: ptr(caio.Unclassified)}); err != nil || total != 1 || len(ss) != 1 {
				t.Errorf("sort %s: %d rows, total %d, %v", sort, len(ss), total, err)
			}
		}

		if err := f.app.DeleteSystem(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
		if ev := lastEvent(t, f.app, f.sys); ev.Action != "system.delete" || !strings.Contains(string(ev.Diff), `"name":["Claims triage",null]`) {
			t.Errorf("delete event %s %s", ev.Action, ev.Diff)
		}
		_, err = f.app.FindSystem(ctx, s.ID)
		wantCode(t, err, caio.ENOTFOUND)
		if v := verify(t, f.app, f.sys); !v.Intact {
			t.Errorf("audit chain broken: %+v", v.Break)
		}
	})
}

func TestSystemLinksAndBulkEdit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := f.as(caio.RoleEditor)
		cv, bot := f.system(t, "CV screening"), f.system(t, "Chatbot")
		obj := f.objective(t, "Hire faster")
		m, err := f.app.CreateModel(ctx, caio.AIModelInput{Name: "Ranker", Kind: "deep_learning"})
		if err != nil {
			t.Fatal(err)
		}
		d, err := f.app.CreateDataset(ctx, caio.DatasetInput{Name: "Applications", PersonalData: true, SpecialCategories: []string{"health"}})
		if err != nil {
			t.Fatal(err)
		}
		v, err := f.app.CreateVendor(ctx, caio.VendorInput{Name: "TalentSoft", Website: "https://talentsoft.example", Country: "nl"})
		if err != nil || v.Country != "NL" {
			t.Fatalf("vendor %+v, %v", v, err)
		}
		for _, l := range []struct{ kind, id string }{{"model", m.ID}, {"dataset", d.ID}, {"vendor", v.ID}, {"objective", obj.ID}} {
			if _, err := f.app.LinkSystem(ctx, cv.ID, l.kind, l.id); err != nil {
				t.Fatalf("link %s: %v", l.kind, err)
			}
		}
		if _, err := f.app.LinkSystem(ctx, bot.ID, "vendor", v.ID); err != nil {
			t.Fatal(err)
		}
		ev := lastEvent(t, f.app, f.sys)
		if ev.Action != "system.link" || ev.ObjectID != bot.ID || !strings.Contains(string(ev.Diff), `"target":[null,"TalentSoft"]`) {
			t.Errorf("link event %s %s %s", ev.Action, ev.ObjectID, ev.Diff)
		}

		// Bad links.
		for _, tc := range []struct {
			name, sys, kind, target, code string
		}{
			{"twice", cv.ID, "vendor", v.ID, caio.ECONFLICT},
			{"unknown kind", cv.ID, "usecase", v.ID, caio.EINVALID},
			{"kind and id disagree", cv.ID, "model", v.ID, caio.ENOTFOUND},
			{"missing target", cv.ID, "model", caio.NewID("mdl"), caio.ENOTFOUND},
			{"missing system", caio.NewID("sys"), "model", m.ID, caio.ENOTFOUND},
		} {
			_, err := f.app.LinkSystem(ctx, tc.sys, tc.kind, tc.target)
			if caio.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
		links, err := f.app.FindSystemLinks(f.as(caio.RoleViewer), cv.ID)
		if err != nil || len(links) != 4 || links[0].Kind != "dataset" || links[0].TargetName != "Applications" {
			t.Fatalf("links = %+v, %v", links, err)
		}
		// Systems using a vendor, model or objective.
		if ss, total, err := f.app.FindSystems(ctx, caio.AISystemFilter{Vendor: &v.ID, Sort: "name"}); err != nil || total != 2 || ss[0].Name != "Chatbot" {
			t.Errorf("systems of the vendor: %d, %v", total, err)
		}
		if _, total, _ := f.app.FindSystems(ctx, caio.AISystemFilter{Objective: &obj.ID}); total != 1 {
			t.Errorf("systems serving the objective: %d", total)
		}

		// Unlinking, and deleting targets, removes links and says so in each system's history.
		if err := f.app.UnlinkSystem(ctx, cv.ID, "model", m.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.app.UnlinkSystem(ctx, cv.ID, "model", m.ID), caio.ENOTFOUND)
		wantCode(t, f.app.UnlinkSystem(ctx, cv.ID, "model", "nonsense"), caio.ENOTFOUND)
		before := auditTotal(t, f.app, f.sys)
		if err := f.app.DeleteVendor(ctx, v.ID); err != nil {
			t.Fatal(err)
		}
		if after := auditTotal(t, f.app, f.sys); after-before != 3 {
			t.Errorf("deleting a vendor of two systems wrote %d events, want 3 (two unlinks and the delete)", after-before)
		}
		if err := f.app.DeleteObjective(ctx, obj.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.app.DeleteDataset(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		if links, _ := f.app.FindSystemLinks(ctx, cv.ID); len(links) != 0 {
			t.Errorf("links left after their targets were deleted: %+v", links)
		}
		typ := "system"
		es, _, err := f.app.FindAuditEvents(f.sys, caio.AuditFilter{ObjectType: &typ, ObjectID: &cv.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range es {
			actions = append(actions, e.Action)
		}
		if want := []string{"system.unlink", "system.unlink", "system.unlink", "system.unlink", "system.link", "system.link", "system.link", "system.link", "system.create"}; !slices.Equal(actions, want) {
			t.Errorf("history of the system = %v, want %v", actions, want)
		}

		// Bulk edit: all or nothing, one event per system that changed.
		third := f.system(t, "Pricing model")
		before = auditTotal(t, f.app, f.sys)
		n, err := f.app.BulkUpdateSystems(ctx, []string{cv.ID, bot.ID, cv.ID}, caio.SystemBulkSet{Stage: ptr(" Production "), Owner: ptr("Head of People")})
		if err != nil || n != 2 {
			t.Fatalf("bulk = %d, %v", n, err)
		}
		if after := auditTotal(t, f.app, f.sys); after-before != 2 {
			t.Errorf("bulk edit of two wrote %d events", after-before)
		}
		got, _ := f.app.FindSystem(ctx, bot.ID)
		if got.Stage != "production" || got.Owner != "Head of People" || got.Version != 2 {
			t.Errorf("after bulk: %+v", got)
		}
		// The same again changes nothing.
		if n, err := f.app.BulkUpdateSystems(ctx, []string{cv.ID, bot.ID}, caio.SystemBulkSet{Stage: ptr("production")}); err != nil || n != 0 {
			t.Errorf("repeated bulk = %d, %v", n, err)
		}
		unknown := caio.NewID("sys")
		before = auditTotal(t, f.app, f.sys)
		_, err = f.app.BulkUpdateSystems(ctx, []string{third.ID, unknown}, caio.SystemBulkSet{BusinessUnit: ptr("Actuarial")})
		wantCode(t, err, caio.ENOTFOUND)
		if !strings.Contains(caio.ErrorMessage(err), unknown) {
			t.Errorf("the error %q does not name the unknown id", caio.ErrorMessage(err))
		}
		if got, _ := f.app.FindSystem(ctx, third.ID); got.BusinessUnit != "" || auditTotal(t, f.app, f.sys) != before {
			t.Errorf("a failed bulk edit changed %+v", got)
		}
		for _, tc := range []struct {
			ids   []string
			set   caio.SystemBulkSet
			field string
		}{
			{nil, caio.SystemBulkSet{Stage: ptr("testing")}, "ids"},
			{[]string{third.ID}, caio.SystemBulkSet{}, "stage"},
			{[]string{third.ID}, caio.SystemBulkSet{Stage: ptr("live")}, "stage"},
			{[]string{third.ID}, caio.SystemBulkSet{Owner: ptr(strings.Repeat("x", 201))}, "owner"},
			{make([]string, 0, 501), caio.SystemBulkSet{Stage: ptr("testing")}, "ids"},
		} {
			if cap(tc.ids) == 501 {
				for i := range 501 {
					tc.ids = append(tc.ids, fmt.Sprintf("sys_%026d", i))
				}
			}
			_, err := f.app.BulkUpdateSystems(ctx, tc.ids, tc.set)
			wantCode(t, err, caio.EINVALID)
			if got := fieldNames(err); !slices.Equal(got, []string{tc.field}) {
				t.Errorf("bulk %d ids %+v: fields %v, want %s", len(tc.ids), tc.set, got, tc.field)
			}
		}
		if v := verify(t, f.app, f.sys); !v.Intact {
			t.Errorf("audit chain broken: %+v", v.Break)
		}
	})
}

func TestModelsDatasetsVendors(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := f.as(caio.RoleEditor)

		m, err := f.app.CreateModel(ctx, caio.AIModelInput{Name: " GPT-4.1 ", Provider: "OpenAI", ModelVersion: "2025-04-14", Kind: "LLM", Licence: "proprietary"})
		if err != nil || m.Name != "GPT-4.1" || m.Kind != "llm" || m.ModelVersion != "2025-04-14" {
			t.Fatalf("model %+v, %v", m, err)
		}
		_, err = f.app.CreateModel(ctx, caio.AIModelInput{Kind: "expert_system", ModelVersion: strings.Repeat("1", 101)})
		if got, want := fieldNames(err), []string{"name", "model_version", "kind"}; !slices.Equal(got, want) {
			t.Errorf("model fields %v, want %v", got, want)
		}
		m2, err := f.app.UpdateModel(ctx, m.ID, 1, caio.AIModelInput{Name: "GPT-4.1", Kind: "general_purpose"})
		if err != nil || m2.Version != 2 || m2.Provider != "" {
			t.Errorf("update model %+v, %v", m2, err)
		}
		_, err = f.app.UpdateModel(ctx, m.ID, 1, caio.AIModelInput{Name: "stale", Kind: "llm"})
		wantCode(t, err, caio.ECONFLICT)

		// Special categories of data are personal data: saying otherwise names both fields.
		_, err = f.app.CreateDataset(ctx, caio.DatasetInput{Name: "Claims photos", SpecialCategories: []string{"biometric"}})
		wantCode(t, err, caio.EINVALID)
		if got, want := fieldNames(err), []string{"personal_data", "special_categories"}; !slices.Equal(got, want) {
			t.Errorf("contradiction names %v, want %v", got, want)
		}
		_, err = f.app.CreateDataset(ctx, caio.DatasetInput{Name: "x", PersonalData: true, SpecialCategories: []string{"shoe_size"}})
		if got := fieldNames(err); !slices.Equal(got, []string{"special_categories"}) {
			t.Errorf("unknown category names %v", got)
		}
		d, err := f.app.CreateDataset(ctx, caio.DatasetInput{Name: "Health claims", PersonalData: true, SpecialCategories: []string{"health", "genetic", "HEALTH"}})
		if err != nil || !slices.Equal(d.SpecialCategories, []string{"genetic", "health"}) {
			t.Fatalf("dataset %+v, %v", d, err)
		}
		ev := lastEvent(t, f.app, f.sys)
		var diff map[string][2]any
		if err := json.Unmarshal(ev.Diff, &diff); err != nil || diff["personal_data"][1] != true || diff["special_categories"][1] != "genetic,health" {
			t.Errorf("dataset event %s", ev.Diff)
		}
		ds, total, err := f.app.FindDatasets(ctx, caio.InventoryFilter{PersonalData: ptr(true)})
		if err != nil || total != 1 || ds[0].ID != d.ID {
			t.Errorf("datasets with personal data: %d, %v", total, err)
		}

		// Vendor names are unique, ignoring case; the conflict names the field.
		v, err := f.app.CreateVendor(ctx, caio.VendorInput{Name: "TalentSoft", Website: "https://talentsoft.example/", Country: "de"})
		if err != nil || v.Country != "DE" {
			t.Fatalf("vendor %+v, %v", v, err)
		}
		_, err = f.app.CreateVendor(ctx, caio.VendorInput{Name: "talentsoft"})
		wantCode(t, err, caio.ECONFLICT)
		if got := fieldNames(err); !slices.Equal(got, []string{"name"}) {
			t.Errorf("conflict names %v", got)
		}
		_, err = f.app.CreateVendor(ctx, caio.VendorInput{Name: "x", Website: "javascript:alert(1)", Country: "Germany"})
		if got, want := fieldNames(err), []string{"website", "country"}; !slices.Equal(got, want) {
			t.Errorf("vendor fields %v, want %v", got, want)
		}
		for _, s := range []string{"-name", "created", "-updated"} {
			if _, total, err := f.app.FindVendors(ctx, caio.InventoryFilter{Sort: s}); err != nil || total != 1 {
				t.Errorf("vendors by %s: %d, %v", s, total, err)
			}
		}
		_, _, err = f.app.FindModels(ctx, caio.InventoryFilter{Sort: "provider"})
		wantCode(t, err, caio.EINVALID)
		_, _, err = f.app.FindModels(ctx, caio.InventoryFilter{Kind: ptr("robot")})
		wantCode(t, err, caio.EINVALID)

		// Viewers cannot change any of them.
		viewer := f.as(caio.RoleViewer)
		_, err = f.app.CreateModel(viewer, caio.AIModelInput{Name: "x", Kind: "llm"})
		wantCode(t, err, caio.EFORBIDDEN)
		wantCode(t, f.app.DeleteDataset(viewer, d.ID), caio.EFORBIDDEN)
		_, err = f.app.UpdateVendor(viewer, v.ID, 0, caio.VendorInput{Name: "x"})
		wantCode(t, err, caio.EFORBIDDEN)

		for _, err := range []error{f.app.DeleteModel(ctx, m.ID), f.app.DeleteDataset(ctx, d.ID), f.app.DeleteVendor(ctx, v.ID)} {
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, err := range []error{f.app.DeleteModel(ctx, m.ID), f.app.DeleteDataset(ctx, d.ID), f.app.DeleteVendor(ctx, v.ID)} {
			wantCode(t, err, caio.ENOTFOUND)
		}
	})
}

// TestInventoryTenantIsolation checks that a member of one organisation can
// neither see nor change another organisation's inventory, even knowing its
// IDs, nor link to it.
func TestInventoryTenantIsolation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		secret := f.system(t, "acme secret system")
		m, err := f.app.CreateModel(f.sys, caio.AIModelInput{Name: "acme model", Kind: "llm"})
		if err != nil {
			t.Fatal(err)
		}
		d, err := f.app.CreateDataset(f.sys, caio.DatasetInput{Name: "acme data"})
		if err != nil {
			t.Fatal(err)
		}
		v, err := f.app.CreateVendor(f.sys, caio.VendorInput{Name: "acme vendor"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.LinkSystem(f.sys, secret.ID, "vendor", v.ID); err != nil {
			t.Fatal(err)
		}
		_, beta := newOrg(t, f.app, "beta", "owner@beta.test")
		ms, _, err := f.app.FindMembers(beta, caio.Page{})
		if err != nil {
			t.Fatal(err)
		}
		intruder := f.asMember(ms[0])
		own, err := f.app.CreateSystem(intruder, caio.AISystemInput{Name: "beta system", Roles: []string{"deployer"}})
		if err != nil {
			t.Fatal(err)
		}
		before := auditTotal(t, f.app, f.sys)

		_, err = f.app.FindSystem(intruder, secret.ID)
		wantCode(t, err, caio.ENOTFOUND)
		_, err = f.app.UpdateSystem(intruder, secret.ID, 0, caio.AISystemInput{Name: "pwned", Roles: []string{"provider"}})
		wantCode(t, err, caio.ENOTFOUND)
		wantCode(t, f.app.DeleteSystem(intruder, secret.ID), caio.ENOTFOUND)
		_, err = f.app.BulkUpdateSystems(intruder, []string{own.ID, secret.ID}, caio.SystemBulkSet{Owner: ptr("pwned")})
		wantCode(t, err, caio.ENOTFOUND)
		_, err = f.app.FindSystemLinks(intruder, secret.ID)
		wantCode(t, err, caio.ENOTFOUND)
		wantCode(t, f.app.UnlinkSystem(intruder, secret.ID, "vendor", v.ID), caio.ENOTFOUND)
		for kind, id := range map[string]string{"model": m.ID, "dataset": d.ID, "vendor": v.ID, "objective": f.objective(t, "acme goal").ID} {
			_, err := f.app.LinkSystem(intruder, own.ID, kind, id)
			wantCode(t, err, caio.ENOTFOUND)
		}
		before++ // the objective just made
		_, err = f.app.FindModel(intruder, m.ID)
		wantCode(t, err, caio.ENOTFOUND)
		_, err = f.app.FindDataset(intruder, d.ID)
		wantCode(t, err, caio.ENOTFOUND)
		_, err = f.app.FindVendor(intruder, v.ID)
		wantCode(t, err, caio.ENOTFOUND)
		wantCode(t, f.app.DeleteModel(intruder, m.ID), caio.ENOTFOUND)
		_, err = f.app.UpdateDataset(intruder, d.ID, 0, caio.DatasetInput{Name: "pwned"})
		wantCode(t, err, caio.ENOTFOUND)
		wantCode(t, f.app.DeleteVendor(intruder, v.ID), caio.ENOTFOUND)
		if ss, total, err := f.app.FindSystems(intruder, caio.AISystemFilter{Vendor: &v.ID}); err != nil || total != 0 || len(ss) != 0 {
			t.Errorf("the intruder finds %d systems of acme's vendor (%v)", total, err)
		}
		if ss, total, _ := f.app.FindSystems(intruder, caio.AISystemFilter{}); total != 1 || ss[0].ID != own.ID {
			t.Errorf("the intruder lists %d systems", total)
		}
		// A vendor of the same name is fine in another organisation.
		if _, err := f.app.CreateVendor(intruder, caio.VendorInput{Name: "ACME VENDOR"}); err != nil {
			t.Errorf("beta cannot name a vendor as acme did: %v", err)
		}
		if got, err := f.app.FindSystem(f.sys, secret.ID); err != nil || got.Version != 1 || got.Name != "acme secret system" {
			t.Errorf("acme's system after the intrusion = %+v, %v", got, err)
		}
		if after := auditTotal(t, f.app, f.sys); after != before {
			t.Errorf("acme's audit trail grew by %d", after-before)
		}
	})
}
