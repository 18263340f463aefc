package sqldb_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

type ck = sqldb.ControlKey

func syncControls(t testing.TB, db *sqldb.DB, orgID string, want map[string]map[ck]string) map[string]sqldb.SyncCount {
	t.Helper()
	var out map[string]sqldb.SyncCount
	mustWrite(t, db, func(c *sqldb.Conn) (err error) {
		out, err = c.SyncControls(t.Context(), orgID, want)
		return err
	})
	return out
}

func systemControls(t testing.TB, db *sqldb.DB, orgID, systemID string) map[ck]*caio.Control {
	t.Helper()
	out := map[ck]*caio.Control{}
	mustRead(t, db, func(c *sqldb.Conn) error {
		ks, err := c.SystemControls(t.Context(), orgID, systemID)
		for _, k := range ks {
			out[ck{k.Framework, k.ItemID}] = k
		}
		return err
	})
	return out
}

func findControls(t testing.TB, db *sqldb.DB, orgID string, f caio.ControlFilter, today string) ([]*caio.Control, int) {
	t.Helper()
	if f.Limit == 0 {
		f.Limit = caio.DefaultPageLimit
	}
	var out []*caio.Control
	var total int
	mustRead(t, db, func(c *sqldb.Conn) (err error) {
		out, total, err = c.Controls(t.Context(), orgID, f, today)
		return err
	})
	return out, total
}

func updateControl(t testing.TB, db *sqldb.DB, k *caio.Control) {
	t.Helper()
	mustWrite(t, db, func(c *sqldb.Conn) error { return c.UpdateControl(t.Context(), k) })
}

func TestSyncControls(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		org := seedOrg(t, db, "acme", "Acme")
		s1 := seedSystem(t, db, org.ID, caio.AISystem{Name: "CV screening"})
		s2 := seedSystem(t, db, org.ID, caio.AISystem{Name: "Chatbot"})

		got := syncControls(t, db, org.ID, map[string]map[ck]string{
			s1.ID: {{"eu-ai-act", "art9"}: "2027-12-02", {"eu-ai-act", "art4"}: "2025-02-02", {"nist-ai-rmf", "GV-1.1"}: ""},
			s2.ID: {{"eu-ai-act", "art4"}: "2025-02-02"},
		})
		if got[s1.ID] != (sqldb.SyncCount{Added: 3}) || got[s2.ID] != (sqldb.SyncCount{Added: 1}) {
			t.Fatalf("first sync: %+v", got)
		}
		first := systemControls(t, db, org.ID, s1.ID)
		art9 := first[ck{"eu-ai-act", "art9"}]
		if len(first) != 3 || !art9.Applicable || art9.Deadline != "2027-12-02" || art9.Due != "2027-12-02" || art9.Status != caio.StatusNotStarted ||
			art9.SystemName != "CV screening" || !caio.ValidID("ctl", art9.ID) || art9.Version != 1 {
			t.Fatalf("controls after the first sync: %+v", art9)
		}

		// The same want again changes nothing.
		if got := syncControls(t, db, org.ID, map[string]map[ck]string{s1.ID: {{"eu-ai-act", "art9"}: "2027-12-02", {"eu-ai-act", "art4"}: "2025-02-02", {"nist-ai-rmf", "GV-1.1"}: ""}}); got[s1.ID].Changed() {
			t.Fatalf("a repeated sync changed %+v", got)
		}

		// Work done on a control survives it ceasing to apply.
		gv := first[ck{"nist-ai-rmf", "GV-1.1"}]
		gv.Status, gv.Owner, gv.DueDate = caio.StatusInProgress, "Risk office", "2026-06-30"
		updateControl(t, db, gv)

		// art9 moves, GV-1.1 goes, A.5.2 comes.
		got = syncControls(t, db, org.ID, map[string]map[ck]string{s1.ID: {{"eu-ai-act", "art9"}: "2028-08-02", {"eu-ai-act", "art4"}: "2025-02-02", {"iso-42001", "A.5.2"}: ""}})
		if got[s1.ID] != (sqldb.SyncCount{Added: 1, Removed: 1, Redated: 1}) {
			t.Fatalf("second sync: %+v", got)
		}
		second := systemControls(t, db, org.ID, s1.ID)
		if k := second[ck{"eu-ai-act", "art9"}]; k.Deadline != "2028-08-02" || k.Due != "2028-08-02" || k.ID != art9.ID {
			t.Errorf("art9 was not re-dated in place: %+v", k)
		}
		if k := second[ck{"nist-ai-rmf", "GV-1.1"}]; k.Applicable || k.Status != caio.StatusInProgress || k.Owner != "Risk office" || k.Due != "2026-06-30" {
			t.Errorf("GV-1.1 should be kept, not applicable, with its work: %+v", k)
		}

		// GV-1.1 applies again: the same row, with its work.
		got = syncControls(t, db, org.ID, map[string]map[ck]string{s1.ID: {{"eu-ai-act", "art9"}: "2028-08-02", {"eu-ai-act", "art4"}: "2025-02-02", {"iso-42001", "A.5.2"}: "", {"nist-ai-rmf", "GV-1.1"}: ""}})
		if got[s1.ID] != (sqldb.SyncCount{Added: 1}) {
			t.Fatalf("third sync: %+v", got)
		}
		if k := systemControls(t, db, org.ID, s1.ID)[ck{"nist-ai-rmf", "GV-1.1"}]; !k.Applicable || k.ID != gv.ID || k.Status != caio.StatusInProgress {
			t.Errorf("GV-1.1 should apply again with its work: %+v", k)
		}

		// An empty want makes nothing applicable.
		if got := syncControls(t, db, org.ID, map[string]map[ck]string{s2.ID: {}}); got[s2.ID] != (sqldb.SyncCount{Removed: 1}) {
			t.Fatalf("emptying sync: %+v", got)
		}

		var eu map[string]map[string]string
		mustRead(t, db, func(c *sqldb.Conn) (err error) {
			eu, err = c.ApplicableControls(t.Context(), org.ID, "eu-ai-act")
			return err
		})
		if len(eu) != 1 || eu[s1.ID]["art9"] != "2028-08-02" || eu[s1.ID]["art4"] != "2025-02-02" {
			t.Errorf("applicable EU controls: %v", eu)
		}
	})
}

func TestSyncControlsManySystems(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		org := seedOrg(t, db, "acme", "Acme")
		want := map[string]map[ck]string{}
		for i := range 620 { // more than one batch of systems
			s := seedSystem(t, db, org.ID, caio.AISystem{Name: fmt.Sprintf("System %d", i)})
			want[s.ID] = map[ck]string{{"eu-ai-act", "art4"}: "2025-02-02", {"eu-ai-act", "art50_1"}: "2026-08-02"}
		}
		got := syncControls(t, db, org.ID, want)
		added := 0
		for _, n := range got {
			added += n.Added
		}
		if len(got) != 620 || added != 1240 {
			t.Fatalf("synced %d systems, added %d", len(got), added)
		}
		_, total := findControls(t, db, org.ID, caio.ControlFilter{}, "2026-01-01")
		if total != 1240 {
			t.Errorf("total controls %d, want 1240", total)
		}
	})
}

func TestControlList(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		org := seedOrg(t, db, "acme", "Acme")
		other := seedOrg(t, db, "globex", "Globex")
		s1 := seedSystem(t, db, org.ID, caio.AISystem{Name: "CV screening"})
		s2 := seedSystem(t, db, org.ID, caio.AISystem{Name: "Chatbot"})
		x := seedSystem(t, db, other.ID, caio.AISystem{Name: "Globex system"})
		syncControls(t, db, org.ID, map[string]map[ck]string{
			s1.ID: {{"eu-ai-act", "art9"}: "2027-12-02", {"eu-ai-act", "art4"}: "2025-02-02", {"nist-ai-rmf", "GV-1.1"}: "", {"iso-42001", "A.5.2"}: ""},
			s2.ID: {{"eu-ai-act", "art4"}: "2025-02-02", {"eu-ai-act", "art50_1"}: "2026-08-02"},
		})
		syncControls(t, db, other.ID, map[string]map[ck]string{x.ID: {{"eu-ai-act", "art4"}: "2025-02-02"}})
		cs := systemControls(t, db, org.ID, s1.ID)
		gv := cs[ck{"nist-ai-rmf", "GV-1.1"}]
		gv.Owner, gv.DueDate, gv.Status = "Risk office", "2026-01-15", caio.StatusInProgress
		updateControl(t, db, gv)
		if gv.Version != 2 || gv.Due != "2026-01-15" {
			t.Fatalf("after update: version %d due %q", gv.Version, gv.Due)
		}
		art4 := cs[ck{"eu-ai-act", "art4"}]
		art4.Status = caio.StatusImplemented
		updateControl(t, db, art4)
		iso := cs[ck{"iso-42001", "A.5.2"}]
		iso.Status, iso.Reason = caio.StatusNotApplicable, "Covered by the group policy."
		updateControl(t, db, iso)

		str := func(s string) *string { return &s }
		keys := func(ks []*caio.Control) []string {
			var out []string
			for _, k := range ks {
				out = append(out, k.ItemID)
			}
			return out
		}
		today := "2026-03-01"
		for _, tc := range []struct {
			name  string
			f     caio.ControlFilter
			want  []string
			total int
		}{
			{"by due date, undated last", caio.ControlFilter{}, []string{"art4", "art4", "GV-1.1", "art50_1", "art9", "A.5.2"}, 6},
			{"framework", caio.ControlFilter{Framework: str("eu-ai-act"), Sort: "framework"}, nil, 4},
			{"status", caio.ControlFilter{Status: str(caio.StatusInProgress)}, []string{"GV-1.1"}, 1},
			{"system", caio.ControlFilter{SystemID: &s2.ID}, []string{"art4", "art50_1"}, 2},
			{"owner", caio.ControlFilter{Owner: str("Risk office")}, []string{"GV-1.1"}, 1},
			// art4 of the chatbot is open and due in 2025; GV-1.1 in January.
			{"overdue", caio.ControlFilter{Overdue: true}, []string{"art4", "GV-1.1"}, 2},
			{"page", caio.ControlFilter{Page: caio.Page{Limit: 2, Offset: 2}}, []string{"GV-1.1", "art50_1"}, 6},
			{"past the end", caio.ControlFilter{Page: caio.Page{Limit: 2, Offset: 10}}, nil, 6},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, total := findControls(t, db, org.ID, tc.f, today)
				if total != tc.total {
					t.Errorf("total %d, want %d", total, tc.total)
				}
				if tc.want != nil && !slices.Equal(keys(got), tc.want) {
					t.Errorf("got %v, want %v", keys(got), tc.want)
				}
			})
		}
		for _, sort := range caio.ControlSorts {
			if got, total := findControls(t, db, org.ID, caio.ControlFilter{Sort: sort}, today); len(got) != 6 || total != 6 {
				t.Errorf("sort %s: %d rows of %d", sort, len(got), total)
			}
		}

		// Evidence counts come with each control.
		ev := &caio.Evidence{ID: caio.NewID("evd"), OrgID: org.ID, ControlID: gv.ID, Kind: caio.EvidenceLink, Name: "Policy", URL: "https://example.com/p"}
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.CreateEvidence(t.Context(), ev, nil) })
		mustRead(t, db, func(c *sqldb.Conn) error {
			k, err := c.Control(t.Context(), org.ID, gv.ID)
			if err != nil {
				return err
			}
			if k.Evidence != 1 || k.SystemName != "CV screening" || k.Owner != "Risk office" {
				t.Errorf("control: %+v", k)
			}
			_, err = c.Control(t.Context(), other.ID, gv.ID)
			wantCode(t, err, caio.ENOTFOUND)
			return nil
		})
		// Another organisation sees none of these.
		if got, total := findControls(t, db, other.ID, caio.ControlFilter{}, today); total != 1 || got[0].SystemName != "Globex system" || got[0].OrgID != other.ID {
			t.Errorf("globex sees %v (%d)", keys(got), total)
		}

		// Deleting a system deletes its controls and their evidence.
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.DeleteSystem(t.Context(), s1) })
		if _, total := findControls(t, db, org.ID, caio.ControlFilter{All: true}, today); total != 2 {
			t.Errorf("after deleting a system, %d controls remain, want 2", total)
		}
		mustRead(t, db, func(c *sqldb.Conn) error {
			_, err := c.Evidence(t.Context(), org.ID, ev.ID)
			wantCode(t, err, caio.ENOTFOUND)
			return nil
		})
	})
}

func TestPosture(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		org := seedOrg(t, db, "acme", "Acme")
		other := seedOrg(t, db, "globex", "Globex")
		s1 := seedSystem(t, db, org.ID, caio.AISystem{Name: "CV screening"})
		s2 := seedSystem(t, db, org.ID, caio.AISystem{Name: "Chatbot"})
		seedSystem(t, db, org.ID, caio.AISystem{Name: "Unclassified"})
		x := seedSystem(t, db, other.ID, caio.AISystem{Name: "Globex"})
		mustWrite(t, db, func(c *sqldb.Conn) error {
			if err := c.SetSystemClassification(t.Context(), org.ID, s1.ID, "high_risk", "annex_iii:4(a)", "2027-12-02"); err != nil {
				return err
			}
			return c.SetSystemClassification(t.Context(), org.ID, s2.ID, "transparency_only", "art50:1", "2026-08-02")
		})
		want := map[string]map[ck]string{s1.ID: {}, s2.ID: {{"eu-ai-act", "art4"}: "2025-02-02", {"eu-ai-act", "art50_1"}: "2026-08-02"}}
		for i := 1; i <= 12; i++ { // more open dated controls than next deadlines show
			want[s1.ID][ck{"eu-ai-act", fmt.Sprintf("art%d", i+8)}] = fmt.Sprintf("2027-%02d-01", i)
		}
		want[s1.ID][ck{"nist-ai-rmf", "GV-1.1"}] = ""
		want[s1.ID][ck{"nist-ai-600-1", "GAI-1"}] = "" // not enabled below
		syncControls(t, db, org.ID, want)
		syncControls(t, db, other.ID, map[string]map[ck]string{x.ID: {{"eu-ai-act", "art4"}: "2025-02-02"}})
		cs := systemControls(t, db, org.ID, s1.ID)
		set := func(item, status, reason string) {
			for _, k := range cs {
				if k.ItemID == item {
					k.Status, k.Reason = status, reason
					updateControl(t, db, k)
				}
			}
		}
		set("art9", caio.StatusImplemented, "")
		set("art10", caio.StatusImplemented, "")
		set("art11", caio.StatusNotApplicable, "Documented by the vendor.")
		set("art12", caio.StatusInProgress, "")
		set("GV-1.1", caio.StatusImplemented, "")

		frameworks := []string{"eu-ai-act", "nist-ai-rmf", "iso-42001"}
		var p *caio.Posture
		mustRead(t, db, func(c *sqldb.Conn) (err error) {
			p, err = c.Posture(t.Context(), org.ID, "", frameworks, "2027-03-15")
			return err
		})
		eu, nist, iso := p.Frameworks[0], p.Frameworks[1], p.Frameworks[2]
		// EU: 12 of the CV screening (2 implemented, 1 n/a, 1 in progress, 8
		// not started) and 2 of the chatbot (not started).
		if eu.Framework != "eu-ai-act" || eu.Total != 14 || eu.Implemented != 2 || eu.NotApplicable != 1 || eu.InProgress != 1 || eu.NotStarted != 10 {
			t.Errorf("EU posture: %+v", eu.StatusCounts)
		}
		// Overdue on 2027-03-15: art4 and art50_1 of the chatbot; the CV
		// screening's art9..art11, due before, are done or not applicable.
		if eu.Overdue != 2 {
			t.Errorf("EU overdue %d, want 2", eu.Overdue)
		}
		if pct := eu.PercentImplemented; pct == nil || *pct < 15.38 || *pct > 15.39 { // 2 of 13
			t.Errorf("EU percent %v", pct)
		}
		if nist.Total != 1 || nist.Implemented != 1 || *nist.PercentImplemented != 100 {
			t.Errorf("NIST posture: %+v", nist.StatusCounts)
		}
		if iso.Total != 0 || iso.PercentImplemented != nil {
			t.Errorf("ISO posture should be empty: %+v", iso.StatusCounts)
		}
		if p.Total.Total != 15 || p.Total.Overdue != 2 {
			t.Errorf("total %+v", p.Total)
		}
		if p.Systems != 3 || !slices.Equal(p.Classes, []caio.ClassCount{{Class: "", Systems: 1}, {Class: "high_risk", Systems: 1}, {Class: "transparency_only", Systems: 1}}) {
			t.Errorf("classes %+v of %d systems", p.Classes, p.Systems)
		}
		var next []string
		for _, k := range p.NextDeadlines {
			next = append(next, k.ItemID+"@"+k.Due)
		}
		if len(next) != 9 || next[0] != "art12@2027-04-01" || next[8] != "art20@2027-12-01" {
			t.Errorf("next deadlines %v", next)
		}

		// One system.
		mustRead(t, db, func(c *sqldb.Conn) (err error) {
			p, err = c.Posture(t.Context(), org.ID, s2.ID, frameworks, "2027-03-15")
			return err
		})
		if p.SystemID != s2.ID || p.Total.Total != 2 || p.Total.Overdue != 2 || p.Systems != 1 || p.Classes[0].Class != "transparency_only" || len(p.NextDeadlines) != 0 {
			t.Errorf("system posture %+v", p)
		}
		mustRead(t, db, func(c *sqldb.Conn) error {
			_, err := c.Posture(t.Context(), org.ID, x.ID, frameworks, "2027-03-15")
			wantCode(t, err, caio.ENOTFOUND)
			return nil
		})
	})
}

func TestOrgFrameworks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		org := seedOrg(t, db, "acme", "Acme")
		mustRead(t, db, func(c *sqldb.Conn) error {
			ids, chosen, err := c.OrgFrameworks(t.Context(), org.ID)
			if chosen || len(ids) != 0 {
				t.Errorf("a new organisation has chosen %v", ids)
			}
			return err
		})
		mustWrite(t, db, func(c *sqldb.Conn) error {
			return c.SetOrgFrameworks(t.Context(), org.ID, []string{"omb-m-25-21", "eu-ai-act"})
		})
		mustRead(t, db, func(c *sqldb.Conn) error {
			ids, chosen, err := c.OrgFrameworks(t.Context(), org.ID)
			if !chosen || !slices.Equal(ids, []string{"eu-ai-act", "omb-m-25-21"}) {
				t.Errorf("chosen %v %v", ids, chosen)
			}
			return err
		})
	})
}

func TestEvidenceStore(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		org := seedOrg(t, db, "acme", "Acme")
		other := seedOrg(t, db, "globex", "Globex")
		s := seedSystem(t, db, org.ID, caio.AISystem{Name: "CV screening"})
		syncControls(t, db, org.ID, map[string]map[ck]string{s.ID: {{"eu-ai-act", "art9"}: "2027-12-02"}})
		k := systemControls(t, db, org.ID, s.ID)[ck{"eu-ai-act", "art9"}]

		data := []byte{0x00, 0xff, 0xfe, 'P', 'D', 'F', 0x80, 0x00}
		file := &caio.Evidence{ID: caio.NewID("evd"), OrgID: org.ID, ControlID: k.ID, Kind: caio.EvidenceFile, Name: "risk.pdf",
			SHA256: "abc", Size: int64(len(data)), ContentType: "application/pdf", CreatedBy: "ada@acme.test"}
		link := &caio.Evidence{ID: caio.NewID("evd"), OrgID: org.ID, ControlID: k.ID, Kind: caio.EvidenceLink, Name: "Wiki", URL: "https://wiki.example/risk", CreatedBy: "ada@acme.test"}
		mustWrite(t, db, func(c *sqldb.Conn) error {
			if err := c.CreateEvidence(t.Context(), file, data); err != nil {
				return err
			}
			return c.CreateEvidence(t.Context(), link, nil)
		})
		mustRead(t, db, func(c *sqldb.Conn) error {
			es, err := c.ControlEvidence(t.Context(), org.ID, k.ID)
			if err != nil {
				return err
			}
			if len(es) != 2 {
				t.Fatalf("%d evidence items, want 2", len(es))
			}
			if es[0].Kind == caio.EvidenceLink { // both were made at one time
				es[0], es[1] = es[1], es[0]
			}
			if es[0].ID != file.ID || es[0].Size != 8 || es[0].ContentType != "application/pdf" || es[1].URL != "https://wiki.example/risk" {
				t.Errorf("evidence %+v %+v", es[0], es[1])
			}
			got, err := c.EvidenceData(t.Context(), org.ID, file.ID)
			if err != nil || !bytes.Equal(got, data) {
				t.Errorf("data %x, %v", got, err)
			}
			_, err = c.EvidenceData(t.Context(), other.ID, file.ID)
			wantCode(t, err, caio.ENOTFOUND)
			_, err = c.Evidence(t.Context(), other.ID, file.ID)
			wantCode(t, err, caio.ENOTFOUND)
			n, err := c.CountEvidence(t.Context(), org.ID, k.ID)
			if n != 2 {
				t.Errorf("count %d", n)
			}
			return err
		})

		// A JSON backup holds the bytes exactly, whatever they are, and
		// restores them on either engine.
		var buf bytes.Buffer
		if _, err := db.ExportJSON(t.Context(), &buf); err != nil {
			t.Fatal(err)
		}
		dst := sqldbtest.Open(t, db.Dialect, sqldbtest.Options{})
		if _, err := dst.RestoreJSON(t.Context(), bytes.NewReader(buf.Bytes())); err != nil {
			t.Fatal(err)
		}
		mustRead(t, dst, func(c *sqldb.Conn) error {
			got, err := c.EvidenceData(t.Context(), org.ID, file.ID)
			if !bytes.Equal(got, data) {
				t.Errorf("restored data %x, want %x", got, data)
			}
			return err
		})

		mustWrite(t, db, func(c *sqldb.Conn) error {
			return c.DeleteEvidence(t.Context(), org.ID, file.ID)
		})
		mustRead(t, db, func(c *sqldb.Conn) error {
			_, err := c.EvidenceData(t.Context(), org.ID, file.ID)
			wantCode(t, err, caio.ENOTFOUND)
			return nil
		})
	})
}

// BenchmarkPosture recomputes the posture of an organisation with 10,000
// AI systems and their controls (about 150,000, from the mix of classes
// that Generate's Compliance option gives). The budget is 1 s on SQLite.
func BenchmarkPosture(b *testing.B) {
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			if d == sqldb.Postgres && os.Getenv(sqldbtest.EnvPostgresURL) == "" {
				b.Skip("set CAIO_TEST_POSTGRES_URL to benchmark PostgreSQL")
			}
			db := sqldbtest.Open(b, d, sqldbtest.Options{})
			ctx := context.Background()
			st, err := db.Generate(ctx, sqldb.GenerateOptions{Scale: 1000, Systems: 10000, Compliance: true, PasswordHash: "x"})
			if err != nil {
				b.Fatal(err)
			}
			// Settle the tables as a running database would have: PostgreSQL's
			// autovacuum keeps statistics and the visibility map current.
			settle := "ANALYZE"
			if d == sqldb.Postgres {
				settle = "VACUUM ANALYZE"
			}
			if err := db.ExecRaw(ctx, settle); err != nil {
				b.Fatal(err)
			}
			var org *caio.Organization
			mustRead(b, db, func(c *sqldb.Conn) (err error) {
				org, err = c.OrgBySlug(ctx, st.FirstSlug)
				return err
			})
			frameworks := []string{"eu-ai-act", "nist-ai-rmf", "iso-42001"}
			var p *caio.Posture
			b.ResetTimer()
			for b.Loop() {
				mustRead(b, db, func(c *sqldb.Conn) (err error) {
					p, err = c.Posture(ctx, org.ID, "", frameworks, "2026-06-01")
					return err
				})
			}
			b.StopTimer()
			if p.Systems != 10000 || p.Total.Total != st.Controls {
				b.Fatalf("posture of %d systems and %d controls, generated %d", p.Systems, p.Total.Total, st.Controls)
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/posture")
			b.ReportMetric(float64(st.Controls), "controls")
		})
	}
}

// BenchmarkSyncControls re-syncs one system's controls between 73 (about
// what a high-risk system needs under three frameworks) and 1, so each
// sync marks 72 controls applicable or not, as re-classifying does.
func BenchmarkSyncControls(b *testing.B) {
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			if d == sqldb.Postgres && os.Getenv(sqldbtest.EnvPostgresURL) == "" {
				b.Skip("set CAIO_TEST_POSTGRES_URL to benchmark PostgreSQL")
			}
			db := sqldbtest.Open(b, d, sqldbtest.Options{})
			org := seedOrg(b, db, "acme", "Acme")
			s := seedSystem(b, db, org.ID, caio.AISystem{Name: "CV screening"})
			high, low := map[ck]string{}, map[ck]string{{"eu-ai-act", "art4"}: "2025-02-02"}
			for i := 0; i < 72; i++ {
				high[ck{"nist-ai-rmf", fmt.Sprintf("X-%d", i)}] = ""
			}
			for k := range low {
				high[k] = low[k]
			}
			for i := 0; b.Loop(); i++ {
				want := high
				if i%2 == 1 {
					want = low
				}
				mustWrite(b, db, func(c *sqldb.Conn) error {
					_, err := c.SyncControls(context.Background(), org.ID, map[string]map[ck]string{s.ID: want})
					return err
				})
			}
		})
	}
}
