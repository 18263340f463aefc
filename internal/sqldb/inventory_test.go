package sqldb_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// seedSystem stores an AI system in the organisation; empty stage and roles
// get defaults.
func seedSystem(t testing.TB, db *sqldb.DB, orgID string, s caio.AISystem) *caio.AISystem {
	t.Helper()
	s.ID, s.OrgID = caio.NewID("sys"), orgID
	if s.Stage == "" {
		s.Stage = "planned"
	}
	if s.Roles == nil {
		s.Roles = []string{"deployer"}
	}
	if s.Countries == nil {
		s.Countries = []string{}
	}
	mustWrite(t, db, func(c *sqldb.Conn) error { return c.CreateSystem(t.Context(), &s) })
	return &s
}

func findSystems(t testing.TB, db *sqldb.DB, orgID string, f caio.AISystemFilter) ([]*caio.AISystem, int) {
	t.Helper()
	if f.Limit == 0 {
		f.Limit = caio.DefaultPageLimit
	}
	var out []*caio.AISystem
	var total int
	mustRead(t, db, func(c *sqldb.Conn) (err error) {
		out, total, err = c.Systems(t.Context(), orgID, f)
		return err
	})
	return out, total
}

func getSystem(t testing.TB, db *sqldb.DB, orgID, id string) *caio.AISystem {
	t.Helper()
	var s *caio.AISystem
	mustRead(t, db, func(c *sqldb.Conn) (err error) {
		s, err = c.System(t.Context(), orgID, id)
		return err
	})
	return s
}

func systemNames(ss []*caio.AISystem) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name
	}
	return out
}

func TestSystemCreateUpdateDelete(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		clk := useClock(db, t0)
		acme := seedOrg(t, db, "acme", "Acme")
		other := seedOrg(t, db, "other", "Other")
		s := seedSystem(t, db, acme.ID, caio.AISystem{Name: "Claims triage", Purpose: "Route claims", Owner: "Head of Claims",
			BusinessUnit: "Claims", Stage: "production", Countries: []string{"DE", "FR"}, Users: "Claims handlers",
			Affected: "Policy holders", Autonomy: "human_in_the_loop", Oversight: "Every decline is reviewed",
			Roles: []string{"provider", "deployer"}})
		got := getSystem(t, db, acme.ID, s.ID)
		if got.Name != "Claims triage" || !slices.Equal(got.Countries, []string{"DE", "FR"}) || !slices.Equal(got.Roles, []string{"provider", "deployer"}) ||
			got.Version != 1 || got.Class != "" || got.ClassifiedAt != nil || got.Autonomy != "human_in_the_loop" || !got.CreatedAt.Equal(t0) {
			t.Fatalf("stored system = %+v", got)
		}
		mustRead(t, db, func(c *sqldb.Conn) error {
			_, err := c.System(ctx, other.ID, s.ID)
			wantCode(t, err, caio.ENOTFOUND)
			return nil
		})

		// An empty list of countries reads back empty, not nil.
		e := seedSystem(t, db, acme.ID, caio.AISystem{Name: "Empty"})
		if got := getSystem(t, db, acme.ID, e.ID); got.Countries == nil || len(got.Countries) != 0 {
			t.Errorf("countries of a system without any = %#v", got.Countries)
		}

		later := clk.Advance(time.Minute)
		mustWrite(t, db, func(c *sqldb.Conn) error {
			s.Stage, s.Countries = "retired", []string{"NL"}
			return c.UpdateSystem(ctx, s)
		})
		if got := getSystem(t, db, acme.ID, s.ID); got.Version != 2 || got.Stage != "retired" || !slices.Equal(got.Countries, []string{"NL"}) || !got.UpdatedAt.Equal(later) {
			t.Errorf("after update: %+v", got)
		}

		// The classification is written apart from the fields, without a new version.
		clk.Advance(time.Minute)
		mustWrite(t, db, func(c *sqldb.Conn) error {
			return c.SetSystemClassification(ctx, acme.ID, s.ID, "high_risk", "annex_iii:4(a)", "2027-08-02")
		})
		got = getSystem(t, db, acme.ID, s.ID)
		if got.Class != "high_risk" || got.Basis != "annex_iii:4(a)" || got.NextDeadline != "2027-08-02" || got.ClassifiedAt == nil ||
			!got.ClassifiedAt.Equal(clk.Now()) || got.Version != 2 || !got.UpdatedAt.Equal(later) {
			t.Errorf("after classification: %+v", got)
		}
		// An edit keeps the classification.
		mustWrite(t, db, func(c *sqldb.Conn) error {
			got.Name = "Claims triage v2"
			return c.UpdateSystem(ctx, got)
		})
		if got := getSystem(t, db, acme.ID, s.ID); got.Class != "high_risk" || got.Name != "Claims triage v2" {
			t.Errorf("an edit changed the classification: %+v", got)
		}
		for _, tc := range []struct {
			org, id, class, deadline, code string
		}{
			{other.ID, s.ID, "minimal", "", caio.ENOTFOUND},
			{acme.ID, caio.NewID("sys"), "minimal", "", caio.ENOTFOUND},
			{acme.ID, s.ID, "dangerous", "", caio.EINVALID},
			{acme.ID, s.ID, "minimal", "2 August 2027", caio.EINVALID},
		} {
			err := db.Write(ctx, func(c *sqldb.Conn) error {
				return c.SetSystemClassification(ctx, tc.org, tc.id, tc.class, "", tc.deadline)
			})
			wantCode(t, err, tc.code)
		}
		// Clearing it leaves no classification time.
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.SetSystemClassification(ctx, acme.ID, s.ID, "", "", "") })
		if got := getSystem(t, db, acme.ID, s.ID); got.Class != "" || got.ClassifiedAt != nil {
			t.Errorf("after clearing: %+v", got)
		}

		// A stale delete is retried; then the system is gone.
		attempts := 0
		mustWrite(t, db, func(c *sqldb.Conn) error {
			attempts++
			cur, err := c.System(ctx, acme.ID, s.ID)
			if err != nil {
				return err
			}
			if attempts == 1 {
				cur.Version--
			}
			return c.DeleteSystem(ctx, cur)
		})
		if attempts != 2 {
			t.Errorf("stale delete ran %d times, want 2", attempts)
		}
		mustRead(t, db, func(c *sqldb.Conn) error {
			_, err := c.System(ctx, acme.ID, s.ID)
			wantCode(t, err, caio.ENOTFOUND)
			return nil
		})
		if _, total := findSystems(t, db, acme.ID, caio.AISystemFilter{}); total != 1 {
			t.Errorf("total after delete = %d, want 1", total)
		}
	})
}

func TestSystemFilters(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		clk := useClock(db, t0)
		acme := seedOrg(t, db, "acme", "Acme")
		other := seedOrg(t, db, "other", "Other")
		type spec struct {
			name, purpose, owner, stage, class, deadline string
		}
		byName := map[string]*caio.AISystem{}
		for _, sp := range []spec{
			{"Claims triage", "route motor claims", "Head of Claims", "production", "high_risk", "2026-08-02"},
			{"Fraud scoring", "flag suspicious claims", "Head of SIU", "production", "not_high_risk", "2027-08-02"},
			{"Chatbot", "answer customers", "Head of Service", "testing", "transparency_only", "2026-08-02"},
			{"CV screening", "rank applicants", "Chief People Officer", "planned", "high_risk", "2026-08-02"},
			{"Spam filter", "filter 100% of spam_mail", "Head of IT", "retired", "minimal", ""},
			{"New idea", "", "Head of Claims", "planned", "", ""},
		} {
			clk.Advance(time.Second)
			s := seedSystem(t, db, acme.ID, caio.AISystem{Name: sp.name, Purpose: sp.purpose, Owner: sp.owner, Stage: sp.stage})
			if sp.class != "" {
				mustWrite(t, db, func(c *sqldb.Conn) error {
					return c.SetSystemClassification(ctx, acme.ID, s.ID, sp.class, "basis", sp.deadline)
				})
			}
			byName[sp.name] = s
		}
		seedSystem(t, db, other.ID, caio.AISystem{Name: "Claims triage of another org", Owner: "Head of Claims"})

		vendor := &caio.Vendor{ID: caio.NewID("vnd"), OrgID: acme.ID, Name: "TalentSoft"}
		model := &caio.AIModel{ID: caio.NewID("mdl"), OrgID: acme.ID, Name: "Gradient boosting", Kind: "classical_ml"}
		mustWrite(t, db, func(c *sqldb.Conn) error {
			if err := c.CreateVendor(ctx, vendor); err != nil {
				return err
			}
			if err := c.CreateModel(ctx, model); err != nil {
				return err
			}
			for _, l := range []caio.SystemLink{
				{SystemID: byName["CV screening"].ID, Kind: "vendor", TargetID: vendor.ID},
				{SystemID: byName["Chatbot"].ID, Kind: "vendor", TargetID: vendor.ID},
				{SystemID: byName["Fraud scoring"].ID, Kind: "model", TargetID: model.ID},
			} {
				if err := c.CreateSystemLink(ctx, acme.ID, &l); err != nil {
					return err
				}
			}
			return nil
		})

		for _, tc := range []struct {
			name string
			f    caio.AISystemFilter
			want []string // in name order
		}{
			{"all", caio.AISystemFilter{}, []string{"Chatbot", "Claims triage", "CV screening", "Fraud scoring", "New idea", "Spam filter"}},
			{"query in name, any case", caio.AISystemFilter{Query: ptr("TRIAGE")}, []string{"Claims triage"}},
			{"query in purpose", caio.AISystemFilter{Query: ptr("suspicious")}, []string{"Fraud scoring"}},
			{"query in any", caio.AISystemFilter{Query: ptr("claims")}, []string{"Claims triage", "Fraud scoring", "New idea"}},
			{"query in owner", caio.AISystemFilter{Query: ptr("people")}, []string{"CV screening"}},
			{"query with LIKE characters", caio.AISystemFilter{Query: ptr("100%")}, []string{"Spam filter"}},
			{"query with underscore", caio.AISystemFilter{Query: ptr("m_m")}, []string{"Spam filter"}},
			{"query _ is literal", caio.AISystemFilter{Query: ptr("_")}, []string{"Spam filter"}},
			{"class", caio.AISystemFilter{Class: ptr("high_risk")}, []string{"Claims triage", "CV screening"}},
			{"unclassified", caio.AISystemFilter{Class: ptr(caio.Unclassified)}, []string{"New idea"}},
			{"stage", caio.AISystemFilter{Stage: ptr("production")}, []string{"Claims triage", "Fraud scoring"}},
			{"owner exactly", caio.AISystemFilter{Owner: ptr("Head of Claims")}, []string{"Claims triage", "New idea"}},
			{"vendor", caio.AISystemFilter{Vendor: &vendor.ID}, []string{"Chatbot", "CV screening"}},
			{"model", caio.AISystemFilter{Model: &model.ID}, []string{"Fraud scoring"}},
			{"unknown vendor", caio.AISystemFilter{Vendor: ptr(caio.NewID("vnd"))}, nil},
			{"deadline before, inclusive", caio.AISystemFilter{DeadlineBefore: ptr("2026-08-02")}, []string{"Chatbot", "Claims triage", "CV screening"}},
			{"deadline before, none", caio.AISystemFilter{DeadlineBefore: ptr("2026-08-01")}, nil},
			{"deadline before, later", caio.AISystemFilter{DeadlineBefore: ptr("2030-01-01")}, []string{"Chatbot", "Claims triage", "CV screening", "Fraud scoring"}},
			{"filters combine", caio.AISystemFilter{Class: ptr("high_risk"), Vendor: &vendor.ID, Stage: ptr("planned")}, []string{"CV screening"}},
		} {
			tc.f.Sort = "name"
			got, total := findSystems(t, db, acme.ID, tc.f)
			if names := systemNames(got); !slices.Equal(names, tc.want) && !(len(names) == 0 && tc.want == nil) || total != len(tc.want) {
				t.Errorf("%s: %q (total %d), want %q", tc.name, systemNames(got), total, tc.want)
			}
		}
		// Another organisation sees none of them.
		if got, total := findSystems(t, db, other.ID, caio.AISystemFilter{Vendor: &vendor.ID}); len(got) != 0 || total != 0 {
			t.Errorf("another organisation filtering by acme's vendor finds %q", systemNames(got))
		}
	})
}

func TestSystemSortsAndPaging(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		clk := useClock(db, t0)
		acme := seedOrg(t, db, "acme", "Acme")
		var all []*caio.AISystem
		for i, sp := range []struct{ name, deadline string }{
			{"delta", "2027-08-02"}, {"Alpha", ""}, {"charlie", "2026-08-02"}, {"Bravo", "2028-08-02"},
			{"alpha", "2026-08-02"}, {"echo", ""}, {"foxtrot", "2027-02-02"},
		} {
			clk.Advance(time.Duration(i*i*377+1) * time.Millisecond)
			s := seedSystem(t, db, acme.ID, caio.AISystem{Name: sp.name})
			if sp.deadline != "" {
				mustWrite(t, db, func(c *sqldb.Conn) error {
					return c.SetSystemClassification(ctx, acme.ID, s.ID, "high_risk", "", sp.deadline)
				})
				s.NextDeadline = sp.deadline
			}
			all = append(all, s)
		}
		for _, i := range []int{3, 0, 5, 1, 6, 4, 2} {
			clk.Advance(time.Duration(i*97+3) * time.Millisecond)
			s := all[i]
			mustWrite(t, db, func(c *sqldb.Conn) error { return c.UpdateSystem(ctx, s) })
		}
		asc := map[string]func(a, b *caio.AISystem) int{
			"created": func(a, b *caio.AISystem) int { return a.CreatedAt.Compare(b.CreatedAt) },
			"updated": func(a, b *caio.AISystem) int { return a.UpdatedAt.Compare(b.UpdatedAt) },
			"name": func(a, b *caio.AISystem) int {
				return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
			},
			"next_deadline": func(a, b *caio.AISystem) int { return strings.Compare(a.NextDeadline, b.NextDeadline) },
		}
		for _, sort := range append([]string{""}, caio.SystemSorts...) {
			key, desc := strings.CutPrefix(sort, "-")
			if sort == "" {
				key, desc = "created", true
			}
			cmp, ok := asc[key]
			if !ok {
				t.Fatalf("no expectation for sort %q; add one to this test", sort)
			}
			want := slices.Clone(all)
			slices.SortFunc(want, func(a, b *caio.AISystem) int {
				// Systems without a deadline come last in both deadline orders.
				if key == "next_deadline" && (a.NextDeadline == "") != (b.NextDeadline == "") {
					if a.NextDeadline == "" {
						return 1
					}
					return -1
				}
				c := cmp(a, b)
				if c == 0 {
					c = strings.Compare(a.ID, b.ID)
				}
				if desc {
					c = -c
				}
				return c
			})
			got, total := findSystems(t, db, acme.ID, caio.AISystemFilter{Sort: sort})
			if total != len(all) || !slices.EqualFunc(got, want, func(a, b *caio.AISystem) bool { return a.ID == b.ID }) {
				t.Errorf("sort %q = %q, want %q", sort, systemNames(got), systemNames(want))
			}
			// Pages of 3 add up to the whole list.
			var pages []*caio.AISystem
			for off := 0; off < len(all); off += 3 {
				p, total := findSystems(t, db, acme.ID, caio.AISystemFilter{Sort: sort, Page: caio.Page{Offset: off, Limit: 3}})
				if total != len(all) {
					t.Errorf("sort %q, offset %d: total %d", sort, off, total)
				}
				pages = append(pages, p...)
			}
			if !slices.EqualFunc(pages, want, func(a, b *caio.AISystem) bool { return a.ID == b.ID }) {
				t.Errorf("sort %q in pages = %q, want %q", sort, systemNames(pages), systemNames(want))
			}
		}
		// Past the end, the total is still known, filtered or not.
		for _, tc := range []struct {
			f    caio.AISystemFilter
			want int
		}{
			{caio.AISystemFilter{Page: caio.Page{Offset: 7, Limit: 3}}, 7},
			{caio.AISystemFilter{Query: ptr("a"), Page: caio.Page{Offset: 100, Limit: 3}}, 5},
			{caio.AISystemFilter{Class: ptr(caio.Unclassified), Page: caio.Page{Offset: 100, Limit: 3}}, 2},
		} {
			got, total := findSystems(t, db, acme.ID, tc.f)
			if len(got) != 0 || total != tc.want {
				t.Errorf("past the end (%+v): %d rows, total %d, want total %d", tc.f, len(got), total, tc.want)
			}
		}
	})
}

func TestSystemLinks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		acme := seedOrg(t, db, "acme", "Acme")
		other := seedOrg(t, db, "other", "Other")
		sys := seedSystem(t, db, acme.ID, caio.AISystem{Name: "CV screening"})
		sys2 := seedSystem(t, db, acme.ID, caio.AISystem{Name: "Chatbot"})
		obj := seedObjective(t, db, acme.ID, caio.Objective{Title: "Hire faster"})
		m := &caio.AIModel{ID: caio.NewID("mdl"), OrgID: acme.ID, Name: "Ranker", Kind: "deep_learning"}
		d := &caio.Dataset{ID: caio.NewID("ds"), OrgID: acme.ID, Name: "Applications 2024", PersonalData: true, SpecialCategories: []string{"health"}}
		v := &caio.Vendor{ID: caio.NewID("vnd"), OrgID: acme.ID, Name: "TalentSoft"}
		foreign := &caio.Vendor{ID: caio.NewID("vnd"), OrgID: other.ID, Name: "TalentSoft"}
		mustWrite(t, db, func(c *sqldb.Conn) error {
			for _, err := range []error{c.CreateModel(ctx, m), c.CreateDataset(ctx, d), c.CreateVendor(ctx, v), c.CreateVendor(ctx, foreign)} {
				if err != nil {
					return err
				}
			}
			return nil
		})
		mustRead(t, db, func(c *sqldb.Conn) error {
			for kind, id := range map[string]string{"model": m.ID, "dataset": d.ID, "vendor": v.ID, "objective": obj.ID} {
				if _, err := c.LinkTargetName(ctx, acme.ID, kind, id); err != nil {
					t.Errorf("target %s %s: %v", kind, id, err)
				}
			}
			_, err := c.LinkTargetName(ctx, acme.ID, "vendor", foreign.ID)
			wantCode(t, err, caio.ENOTFOUND)
			_, err = c.LinkTargetName(ctx, acme.ID, "model", v.ID)
			wantCode(t, err, caio.ENOTFOUND)
			_, err = c.LinkTargetName(ctx, acme.ID, "usecase", v.ID)
			wantCode(t, err, caio.EINVALID)
			return nil
		})
		link := func(s *caio.AISystem, kind, id string) error {
			return db.Write(ctx, func(c *sqldb.Conn) error {
				return c.CreateSystemLink(ctx, acme.ID, &caio.SystemLink{SystemID: s.ID, Kind: kind, TargetID: id})
			})
		}
		for _, l := range []struct{ kind, id string }{{"vendor", v.ID}, {"model", m.ID}, {"dataset", d.ID}, {"objective", obj.ID}} {
			if err := link(sys, l.kind, l.id); err != nil {
				t.Fatal(err)
			}
		}
		if err := link(sys2, "vendor", v.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, link(sys, "vendor", v.ID), caio.ECONFLICT)

		var links []*caio.SystemLink
		mustRead(t, db, func(c *sqldb.Conn) (err error) {
			links, err = c.SystemLinks(ctx, acme.ID, sys.ID)
			return err
		})
		var got []string
		for _, l := range links {
			got = append(got, l.Kind+":"+l.TargetName)
		}
		if want := []string{"dataset:Applications 2024", "model:Ranker", "objective:Hire faster", "vendor:TalentSoft"}; !slices.Equal(got, want) {
			t.Errorf("links = %q, want %q", got, want)
		}
		mustRead(t, db, func(c *sqldb.Conn) error {
			if n, err := c.CountSystemLinks(ctx, acme.ID, sys.ID); err != nil || n != 4 {
				t.Errorf("count = %d, %v", n, err)
			}
			if links, err := c.SystemLinks(ctx, other.ID, sys.ID); err != nil || len(links) != 0 {
				t.Errorf("another organisation reads %d links (%v)", len(links), err)
			}
			return nil
		})

		// Removing links: one by one, and all links to a target.
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.DeleteSystemLink(ctx, acme.ID, sys.ID, "model", m.ID) })
		err := db.Write(ctx, func(c *sqldb.Conn) error { return c.DeleteSystemLink(ctx, acme.ID, sys.ID, "model", m.ID) })
		wantCode(t, err, caio.ENOTFOUND)
		err = db.Write(ctx, func(c *sqldb.Conn) error { return c.DeleteSystemLink(ctx, other.ID, sys.ID, "vendor", v.ID) })
		wantCode(t, err, caio.ENOTFOUND)
		var ids []string
		mustWrite(t, db, func(c *sqldb.Conn) (err error) {
			ids, err = c.DeleteLinksTo(ctx, acme.ID, "vendor", v.ID)
			return err
		})
		want := []string{sys.ID, sys2.ID}
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Errorf("DeleteLinksTo = %v, want %v", ids, want)
		}
		// Deleting a system removes its links.
		mustWrite(t, db, func(c *sqldb.Conn) error {
			cur, err := c.System(ctx, acme.ID, sys.ID)
			if err != nil {
				return err
			}
			return c.DeleteSystem(ctx, cur)
		})
		mustRead(t, db, func(c *sqldb.Conn) error {
			n, err := c.CountSystemLinks(ctx, acme.ID, sys.ID)
			if err != nil || n != 0 {
				t.Errorf("links of a deleted system: %d, %v", n, err)
			}
			return nil
		})
	})
}

func TestModelsDatasetsVendors(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		clk := useClock(db, t0)
		acme := seedOrg(t, db, "acme", "Acme")
		other := seedOrg(t, db, "other", "Other")
		for i, name := range []string{"gpt-4.1", "Claims GBM", "bert-base", "Fraud net"} {
			clk.Advance(time.Second)
			mustWrite(t, db, func(c *sqldb.Conn) error {
				m := &caio.AIModel{ID: caio.NewID("mdl"), OrgID: acme.ID, Name: name, Provider: []string{"OpenAI", "in-house"}[i%2],
					ModelVersion: "1." + fmt.Sprint(i), Kind: caio.ModelKinds[i%len(caio.ModelKinds)], Licence: "proprietary"}
				if err := c.CreateModel(ctx, m); err != nil {
					return err
				}
				d := &caio.Dataset{ID: caio.NewID("ds"), OrgID: acme.ID, Name: "Dataset " + name, Source: "Source " + fmt.Sprint(i),
					PersonalData: i%2 == 0, SpecialCategories: []string{}}
				if i == 0 {
					d.SpecialCategories = []string{"health", "biometric"}
				}
				if err := c.CreateDataset(ctx, d); err != nil {
					return err
				}
				return c.CreateVendor(ctx, &caio.Vendor{ID: caio.NewID("vnd"), OrgID: acme.ID, Name: "Vendor " + name, Country: "DE"})
			})
		}
		mustWrite(t, db, func(c *sqldb.Conn) error {
			return c.CreateModel(ctx, &caio.AIModel{ID: caio.NewID("mdl"), OrgID: other.ID, Name: "other's model", Kind: "llm"})
		})
		mustRead(t, db, func(c *sqldb.Conn) error {
			ms, total, err := c.Models(ctx, acme.ID, caio.InventoryFilter{Sort: "name", Page: caio.Page{Limit: 10}})
			if err != nil {
				return err
			}
			var names []string
			for _, m := range ms {
				names = append(names, m.Name)
			}
			if want := []string{"bert-base", "Claims GBM", "Fraud net", "gpt-4.1"}; total != 4 || !slices.Equal(names, want) {
				t.Errorf("models = %q (total %d), want %q", names, total, want)
			}
			ms, total, err = c.Models(ctx, acme.ID, caio.InventoryFilter{Query: ptr("OPENAI"), Kind: ptr("classical_ml"), Page: caio.Page{Limit: 10}})
			if err != nil || total != 1 || ms[0].Name != "gpt-4.1" || ms[0].ModelVersion != "1.0" {
				t.Errorf("models by provider and kind: %+v, total %d, %v", ms, total, err)
			}
			ds, total, err := c.Datasets(ctx, acme.ID, caio.InventoryFilter{PersonalData: ptr(true), Sort: "-created", Page: caio.Page{Limit: 1}})
			if err != nil || total != 2 || len(ds) != 1 || ds[0].Name != "Dataset bert-base" {
				t.Errorf("datasets with personal data: %+v, total %d, %v", ds, total, err)
			}
			ds, _, err = c.Datasets(ctx, acme.ID, caio.InventoryFilter{Query: ptr("source 0"), Page: caio.Page{Limit: 10}})
			if err != nil || len(ds) != 1 || !ds[0].PersonalData || !slices.Equal(ds[0].SpecialCategories, []string{"health", "biometric"}) {
				t.Errorf("dataset by source: %+v, %v", ds, err)
			}
			vs, total, err := c.Vendors(ctx, acme.ID, caio.InventoryFilter{Sort: "-name", Page: caio.Page{Limit: 2, Offset: 1}})
			if err != nil || total != 4 || len(vs) != 2 || vs[0].Name != "Vendor Fraud net" || vs[1].Name != "Vendor Claims GBM" {
				t.Errorf("vendors page: %+v, total %d, %v", vs, total, err)
			}
			if _, total, err := c.Models(ctx, other.ID, caio.InventoryFilter{Page: caio.Page{Limit: 10}}); err != nil || total != 1 {
				t.Errorf("other's models: total %d, %v", total, err)
			}
			return nil
		})

		// Vendor names are unique per organisation, ignoring case, on create and update.
		err := db.Write(ctx, func(c *sqldb.Conn) error {
			return c.CreateVendor(ctx, &caio.Vendor{ID: caio.NewID("vnd"), OrgID: acme.ID, Name: "VENDOR GPT-4.1"})
		})
		wantCode(t, err, caio.ECONFLICT)
		if fs := caio.ErrorFields(err); len(fs) != 1 || fs[0].Field != "name" {
			t.Errorf("conflict names %+v, want the field name", fs)
		}
		mustWrite(t, db, func(c *sqldb.Conn) error {
			return c.CreateVendor(ctx, &caio.Vendor{ID: caio.NewID("vnd"), OrgID: other.ID, Name: "Vendor gpt-4.1"})
		})
		err = db.Write(ctx, func(c *sqldb.Conn) error {
			vs, _, err := c.Vendors(ctx, acme.ID, caio.InventoryFilter{Sort: "name", Page: caio.Page{Limit: 1}})
			if err != nil {
				return err
			}
			vs[0].Name = "vendor fraud NET"
			return c.UpdateVendor(ctx, vs[0])
		})
		wantCode(t, err, caio.ECONFLICT)

		// Updates bump the version; deletes keep the counts.
		mustWrite(t, db, func(c *sqldb.Conn) error {
			ms, _, err := c.Models(ctx, acme.ID, caio.InventoryFilter{Page: caio.Page{Limit: 1}})
			if err != nil {
				return err
			}
			ms[0].Licence = "Apache-2.0"
			if err := c.UpdateModel(ctx, ms[0]); err != nil {
				return err
			}
			if ms[0].Version != 2 {
				t.Errorf("model version after update = %d", ms[0].Version)
			}
			if err := c.DeleteModel(ctx, ms[0]); err != nil {
				return err
			}
			ds, _, err := c.Datasets(ctx, acme.ID, caio.InventoryFilter{Page: caio.Page{Limit: 1}})
			if err != nil {
				return err
			}
			ds[0].PersonalData = true
			if err := c.UpdateDataset(ctx, ds[0]); err != nil {
				return err
			}
			if err := c.DeleteDataset(ctx, ds[0]); err != nil {
				return err
			}
			vs, _, err := c.Vendors(ctx, acme.ID, caio.InventoryFilter{Page: caio.Page{Limit: 1}})
			if err != nil {
				return err
			}
			return c.DeleteVendor(ctx, vs[0])
		})
		check := func(when string) {
			t.Helper()
			mustRead(t, db, func(c *sqldb.Conn) error {
				_, mt, err1 := c.Models(ctx, acme.ID, caio.InventoryFilter{Page: caio.Page{Limit: 1}})
				_, dt, err2 := c.Datasets(ctx, acme.ID, caio.InventoryFilter{Page: caio.Page{Limit: 1}})
				_, vt, err3 := c.Vendors(ctx, acme.ID, caio.InventoryFilter{Page: caio.Page{Limit: 1}})
				if mt != 3 || dt != 3 || vt != 3 || err1 != nil || err2 != nil || err3 != nil {
					t.Errorf("%s: totals %d models, %d datasets, %d vendors (%v %v %v), want 3 each", when, mt, dt, vt, err1, err2, err3)
				}
				return nil
			})
		}
		check("after deletes")
		if err := db.ExecRaw(ctx, `DELETE FROM org_counters`); err != nil {
			t.Fatal(err)
		}
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.Recount(ctx) })
		check("after a recount")
	})
}

// TestSystemListUsesIndexes lists a page of systems in an organisation with
// 10,000 of them, in every order, and checks that each order is read from an
// index rather than sorted, so a page costs the same however many systems
// there are (the budget of the inventory list is 20 ms at p99 over HTTP).
func TestSystemListUsesIndexes(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 10,000 systems")
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		st, err := db.Generate(ctx, sqldb.GenerateOptions{Scale: 10, Systems: 10000, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if st.Systems != 10000 {
			t.Fatalf("generated %d systems", st.Systems)
		}
		if err := db.ExecRaw(ctx, "ANALYZE"); err != nil {
			t.Fatal(err)
		}
		var org *caio.Organization
		mustRead(t, db, func(c *sqldb.Conn) (err error) {
			org, err = c.OrgBySlug(ctx, st.FirstSlug)
			return err
		})
		for _, sort := range caio.SystemSorts {
			f := caio.AISystemFilter{Sort: sort, Page: caio.Page{Offset: 100, Limit: 50}}
			var plan string
			mustRead(t, db, func(c *sqldb.Conn) (err error) {
				plan, err = c.ExplainSystems(ctx, org.ID, f)
				return err
			})
			if strings.Contains(plan, "TEMP B-TREE FOR ORDER BY") || strings.Contains(plan, "Sort  (") || !strings.Contains(strings.ToLower(plan), "index") {
				t.Errorf("sort %s is not read from an index:\n%s", sort, plan)
			}
			start := time.Now()
			got, total := findSystems(t, db, org.ID, f)
			if len(got) != 50 || total != 10000 {
				t.Fatalf("sort %s: %d rows, total %d", sort, len(got), total)
			}
			t.Logf("sort %s: a page in %v", sort, time.Since(start))
		}
	})
}

// TestInventoryBackupRoundTrip exports an inventory from each engine and
// restores it into each engine: the same rows come back, and the kept
// counts of the lists are rebuilt.
func TestInventoryBackupRoundTrip(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, src *sqldb.DB) {
		ctx := context.Background()
		acme := seedOrg(t, src, "acme", "Acme")
		sys := seedSystem(t, src, acme.ID, caio.AISystem{Name: "Claims triage — ünïcode", Countries: []string{"DE", "FR"}, Roles: []string{"provider", "deployer"}})
		seedSystem(t, src, acme.ID, caio.AISystem{Name: "Chatbot"})
		m := &caio.AIModel{ID: caio.NewID("mdl"), OrgID: acme.ID, Name: "Ranker", Kind: "llm"}
		d := &caio.Dataset{ID: caio.NewID("ds"), OrgID: acme.ID, Name: "Claims", PersonalData: true, SpecialCategories: []string{"health", "genetic"}}
		v := &caio.Vendor{ID: caio.NewID("vnd"), OrgID: acme.ID, Name: "TalentSoft", Country: "NL"}
		mustWrite(t, src, func(c *sqldb.Conn) error {
			for _, err := range []error{c.CreateModel(ctx, m), c.CreateDataset(ctx, d), c.CreateVendor(ctx, v),
				c.CreateSystemLink(ctx, acme.ID, &caio.SystemLink{SystemID: sys.ID, Kind: "vendor", TargetID: v.ID}),
				c.CreateSystemLink(ctx, acme.ID, &caio.SystemLink{SystemID: sys.ID, Kind: "model", TargetID: m.ID}),
				c.SetSystemClassification(ctx, acme.ID, sys.ID, "high_risk", "annex_iii:5(c)", "2027-08-02")} {
				if err != nil {
					return err
				}
			}
			return nil
		})
		backup := bkExport(t, src)
		_, want := bkTables(t, backup)
		for table, rows := range map[string]int{"ai_systems": 2, "ai_models": 1, "datasets": 1, "vendors": 1, "system_links": 2} {
			if n := strings.Count(want[table], "\n"); n != rows {
				t.Fatalf("the backup holds %d rows of %s, want %d", n, table, rows)
			}
		}
		sqldbtest.Each(t, func(t *testing.T, dst *sqldb.DB) {
			if _, err := dst.RestoreJSON(ctx, bytes.NewReader(backup)); err != nil {
				t.Fatal(err)
			}
			if _, got := bkTables(t, bkExport(t, dst)); !reflect.DeepEqual(got, want) {
				t.Fatalf("restored rows differ:\n%v\nwant:\n%v", got, want)
			}
			got := getSystem(t, dst, acme.ID, sys.ID)
			if got.Class != "high_risk" || got.ClassifiedAt == nil || !slices.Equal(got.Countries, []string{"DE", "FR"}) {
				t.Errorf("restored system %+v", got)
			}
			if _, total := findSystems(t, dst, acme.ID, caio.AISystemFilter{}); total != 2 {
				t.Errorf("restored systems total %d, want 2", total)
			}
			// The search index is derived: a restore rebuilds it.
			q := "ÜNÏCODE"
			if found, _ := findSystems(t, dst, acme.ID, caio.AISystemFilter{Query: &q}); len(found) != 1 || found[0].ID != sys.ID {
				t.Errorf("restored search for %q found %v", q, systemNames(found))
			}
			mustRead(t, dst, func(c *sqldb.Conn) error {
				ds, total, err := c.Datasets(ctx, acme.ID, caio.InventoryFilter{Page: caio.Page{Limit: 10}})
				if err != nil || total != 1 || !ds[0].PersonalData || !slices.Equal(ds[0].SpecialCategories, []string{"health", "genetic"}) {
					t.Errorf("restored datasets %+v, total %d, %v", ds, total, err)
				}
				return nil
			})
		})
	})
}

// TestSystemSearchFollowsChanges checks that a search finds a system by a
// substring of its name, purpose or owner in any case, after each change,
// and never another organisation's — through SQLite's trigram index and
// PostgreSQL's text match alike.
func TestSystemSearchFollowsChanges(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		acme, other := seedOrg(t, db, "acme", "Acme"), seedOrg(t, db, "other", "Other")
		s := seedSystem(t, db, acme.ID, caio.AISystem{Name: "Claims triage", Purpose: "Routes \"simple\" motor claims", Owner: "Head of Claims"})
		seedSystem(t, db, other.ID, caio.AISystem{Name: "Claims triage of Other"})
		search := func(q string) []string {
			found, total := findSystems(t, db, acme.ID, caio.AISystemFilter{Query: &q})
			if total != len(found) {
				t.Errorf("search %q: total %d for %d found", q, total, len(found))
			}
			return systemNames(found)
		}
		for q, want := range map[string]int{"triage": 1, "TRIAGE": 1, "motor cl": 1, "head of": 1, `"simple"`: 1, "ri": 1, "missing": 0, "of Other": 0} {
			if got := search(q); len(got) != want {
				t.Errorf("search %q found %v, want %d", q, got, want)
			}
		}
		mustWrite(t, db, func(c *sqldb.Conn) error {
			s.Name, s.Purpose = "Fraud scoring", "Flags suspicious claims"
			return c.UpdateSystem(ctx, s)
		})
		if got := search("triage"); len(got) != 0 {
			t.Errorf("after renaming, the old name is still found: %v", got)
		}
		if got := search("suspicious"); len(got) != 1 {
			t.Errorf("after the change, the new purpose is not found: %v", got)
		}
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.DeleteSystem(ctx, getSystem(t, db, acme.ID, s.ID)) })
		if got := search("fraud"); len(got) != 0 {
			t.Errorf("a deleted system is found: %v", got)
		}
	})
}
