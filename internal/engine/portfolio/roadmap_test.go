package portfolio_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/portfolio"
)

func TestParseQuarter(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when it must fail
	}{
		{"2027Q1", "2027Q1"},
		{"2027-Q4", "2027Q4"},
		{" 2027q2 ", "2027Q2"},
		{"2027-q3", "2027Q3"},
		{"1900Q1", "1900Q1"},
		{"2999Q4", "2999Q4"},
		{"2027Q0", ""},
		{"2027Q5", ""},
		{"2027", ""},
		{"27Q1", ""},
		{"2027 Q1", ""},
		{"2027--Q1", ""},
		{"Q1 2027", ""},
		{"1899Q4", ""},
		{"3000Q1", ""},
		{"２027Q1", ""},
		{"", ""},
	}
	for _, tt := range tests {
		q, err := portfolio.ParseQuarter(tt.in)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("ParseQuarter(%q) = %v, want an error", tt.in, q)
		case tt.want == "" && caio.ErrorCode(err) != caio.EINVALID:
			t.Errorf("ParseQuarter(%q): %v, want EINVALID", tt.in, err)
		case tt.want != "" && (err != nil || q.String() != tt.want):
			t.Errorf("ParseQuarter(%q) = %v, %v; want %s", tt.in, q, err, tt.want)
		}
	}
	_, err := portfolio.ParseQuarter("next spring")
	if !strings.Contains(caio.ErrorMessage(err), "write it like 2027Q1") {
		t.Errorf("message %q should say how to write a quarter", caio.ErrorMessage(err))
	}
}

func TestQuarterArithmetic(t *testing.T) {
	q, _ := portfolio.ParseQuarter("2027Q4")
	if n := q.Next(); n.String() != "2028Q1" || !q.Less(n) || n.Less(q) || n.Prev() != q {
		t.Errorf("2027Q4.Next() = %v", n)
	}
	if p := q.Prev(); p.String() != "2027Q3" {
		t.Errorf("2027Q4.Prev() = %v", p)
	}
	if q.Less(q) {
		t.Error("a quarter is not before itself")
	}
}

func FuzzParseQuarter(f *testing.F) {
	for _, s := range []string{"2027Q1", "2027-Q4", " 2030q2", "1900Q1", "2999Q4", "2027Q5", "", "x", "2027-Q", "99999Q1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := portfolio.ParseQuarter(s)
		if err != nil {
			if caio.ErrorCode(err) != caio.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if q.Q < 1 || q.Q > 4 {
			t.Fatalf("%q parsed to quarter %d", s, q.Q)
		}
		again, err := portfolio.ParseQuarter(q.String())
		if err != nil || again != q {
			t.Fatalf("%q → %v does not round-trip: %v %v", s, q, again, err)
		}
		if n := q.Next(); !q.Less(n) || n.Prev() != q {
			t.Fatalf("%v.Next() = %v", q, n)
		}
	})
}

func TestBuildPlanLoad(t *testing.T) {
	items := []portfolio.Item{
		{ID: "uc_a", Title: "Claims triage", Start: "2027Q1", End: "2027Q2", People: 2, Budget: 50000},
		{ID: "uc_b", Title: "Chatbot", Start: "2027-Q2", End: "2027Q3", People: 1.5, Budget: 20000},
		{ID: "uc_c", Title: "Fraud model", Start: "2027Q4", End: "2027Q4", People: 0.1, Budget: 0.1},
		{ID: "uc_d", Title: "Someday", People: 3},
		{ID: "uc_e", Title: "Tiny", Start: "2027Q4", End: "2027Q4", People: 0.2, Budget: 0.2},
	}
	capacity := []portfolio.Capacity{
		{Quarter: "2027Q1", People: 3, Budget: 100000},
		{Quarter: "2027Q2", People: 3, Budget: 60000},
		// 2027Q3 has no row: unknown, never flagged.
		{Quarter: "2027Q4", People: 0.3, Budget: 0.3},
		{Quarter: "2031Q1", People: 9, Budget: 9}, // outside the plan: ignored
	}
	p, err := portfolio.BuildPlan(items, capacity)
	if err != nil {
		t.Fatal(err)
	}
	want := []portfolio.QuarterLoad{
		{Quarter: "2027Q1", People: 2, Budget: 50000, PeopleCapacity: 3, BudgetCapacity: 100000, HasCapacity: true, Items: []string{"uc_a"}},
		{Quarter: "2027Q2", People: 3.5, Budget: 70000, PeopleCapacity: 3, BudgetCapacity: 60000, HasCapacity: true,
			OverPeople: true, OverBudget: true, Items: []string{"uc_a", "uc_b"}},
		{Quarter: "2027Q3", People: 1.5, Budget: 20000, Items: []string{"uc_b"}},
		// 0.1 + 0.2 is 0.30000000000000004 in floating point; it must not
		// count as over a capacity of 0.3.
		{Quarter: "2027Q4", People: 0.3, Budget: 0.3, PeopleCapacity: 0.3, BudgetCapacity: 0.3, HasCapacity: true, Items: []string{"uc_c", "uc_e"}},
	}
	if len(p.Quarters) != len(want) {
		t.Fatalf("got %d quarters, want %d: %+v", len(p.Quarters), len(want), p.Quarters)
	}
	for i, w := range want {
		g := p.Quarters[i]
		if g.Quarter != w.Quarter || g.People != w.People || g.Budget != w.Budget || g.PeopleCapacity != w.PeopleCapacity ||
			g.BudgetCapacity != w.BudgetCapacity || g.HasCapacity != w.HasCapacity || g.OverPeople != w.OverPeople ||
			g.OverBudget != w.OverBudget || !slices.Equal(g.Items, w.Items) {
			t.Errorf("quarter %d = %+v\nwant %+v", i, g, w)
		}
	}
	if !slices.Equal(p.Unscheduled, []string{"uc_d"}) || len(p.Conflicts) != 0 {
		t.Errorf("unscheduled %v conflicts %v", p.Unscheduled, p.Conflicts)
	}
}

func TestBuildPlanEmpty(t *testing.T) {
	p, err := portfolio.BuildPlan(nil, nil)
	if err != nil || p.Quarters == nil || p.Conflicts == nil || p.Unscheduled == nil || len(p.Quarters) != 0 {
		t.Errorf("got %+v, %v; want an empty plan with empty lists", p, err)
	}
}

func TestBuildPlanConflicts(t *testing.T) {
	items := []portfolio.Item{
		{ID: "uc_data", Title: "Data platform", Start: "2027Q1", End: "2027Q2"},
		{ID: "uc_late", Title: "Forecasting", Start: "2027Q2", End: "2027Q3", DependsOn: []string{"uc_data"}},
		{ID: "uc_ok", Title: "Reporting", Start: "2027Q3", End: "2027Q3", DependsOn: []string{"uc_data", "uc_data"}},
		{ID: "uc_wait", Title: "Agent", Start: "2028Q1", End: "2028Q1", DependsOn: []string{"uc_idea", "uc_gone"}},
		{ID: "uc_idea", Title: "", DependsOn: []string{"uc_late"}},
	}
	p, err := portfolio.BuildPlan(items, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []portfolio.Conflict{
		{ItemID: "uc_late", DependsOnID: "uc_data", Message: "'Forecasting' starts in 2027Q2 but depends on 'Data platform', which ends in 2027Q2."},
		{ItemID: "uc_wait", DependsOnID: "uc_idea", Message: "'Agent' starts in 2028Q1 but depends on 'uc_idea', which is not scheduled."},
		{ItemID: "uc_wait", DependsOnID: "uc_gone", Message: "'Agent' depends on \"uc_gone\", which is not on the roadmap."},
	}
	if !slices.Equal(p.Conflicts, want) {
		t.Errorf("conflicts\n%v\nwant\n%v", p.Conflicts, want)
	}
	for _, q := range p.Quarters {
		if q.OverPeople || q.OverBudget {
			t.Errorf("%s flagged over without a capacity row", q.Quarter)
		}
	}
}

func TestBuildPlanRefusesBadInput(t *testing.T) {
	items := []portfolio.Item{
		{ID: "", Start: "2027Q1", End: "2027Q1"},
		{ID: "uc_a", Start: "2027Q3", End: "2027Q1", People: -1},
		{ID: "uc_a", Start: "soon", End: "2027Q1"},
		{ID: "uc_b", Start: "2027Q1"},
		{ID: "uc_c", End: "2027Q1", DependsOn: []string{"uc_c"}},
	}
	capacity := []portfolio.Capacity{{Quarter: "2027Q1"}, {Quarter: "2027-Q1", Budget: -5}, {Quarter: "Q1"}}
	_, err := portfolio.BuildPlan(items, capacity)
	want := map[string]string{
		"items[0].id":         "is required",
		"items[1].end":        "must not be before start (2027Q3)",
		"items[1].people":     "0 or more",
		"items[2].id":         "repeats \"uc_a\"",
		"items[2].start":      "like 2027Q1",
		"items[3].end":        "must be given with start",
		"items[4].start":      "must be given with end",
		"items[4].depends_on": "must not include the item itself",
		"capacity[1].quarter": "repeats 2027Q1",
		"capacity[1].budget":  "0 or more",
		"capacity[2].quarter": "like 2027Q1",
	}
	got := map[string]string{}
	for _, f := range caio.ErrorFields(err) {
		got[f.Field] = f.Message
	}
	for field, part := range want {
		if !strings.Contains(got[field], part) {
			t.Errorf("%s: %q, want it to contain %q", field, got[field], part)
		}
	}
	if len(got) != len(want) {
		t.Errorf("fields %v", got)
	}
}

func TestBuildPlanSpanCap(t *testing.T) {
	ok := []portfolio.Item{{ID: "a", Start: "2027Q1", End: "2036Q4"}} // exactly 40 quarters
	if p, err := portfolio.BuildPlan(ok, nil); err != nil || len(p.Quarters) != portfolio.MaxPlanQuarters {
		t.Errorf("40 quarters: %d, %v", len(p.Quarters), err)
	}
	long := []portfolio.Item{{ID: "a", Start: "2027Q1", End: "2027Q2"}, {ID: "b", Start: "2030Q1", End: "2037Q1"}}
	_, err := portfolio.BuildPlan(long, nil)
	fields := caio.ErrorFields(err)
	if len(fields) != 1 || fields[0].Field != "items[1].end" || !strings.Contains(fields[0].Message, "span 41 quarters (2027Q1 to 2037Q1); at most 40") {
		t.Errorf("got %v", err)
	}
}

func TestCycle(t *testing.T) {
	tests := []struct {
		name  string
		edges map[string][]string
		want  []string
	}{
		{"none", map[string][]string{"a": {"b"}, "b": {"c"}, "c": nil}, nil},
		{"empty", nil, nil},
		{"diamond is no cycle", map[string][]string{"a": {"b", "c"}, "b": {"d"}, "c": {"d"}}, nil},
		{"self", map[string][]string{"a": {"a"}}, []string{"a"}},
		{"two", map[string][]string{"a": {"b"}, "b": {"a"}}, []string{"a", "b"}},
		{"three behind a tail", map[string][]string{"x": {"a"}, "a": {"b"}, "b": {"c"}, "c": {"a"}}, []string{"a", "b", "c"}},
		{"dependency not a key", map[string][]string{"a": {"zzz"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := portfolio.Cycle(tt.edges); !slices.Equal(got, tt.want) {
				t.Errorf("Cycle = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("a proposed edge closing a long chain", func(t *testing.T) {
		edges := map[string][]string{}
		ids := make([]string, 5000)
		for i := range ids {
			ids[i] = fmt.Sprintf("uc_%05d", i)
		}
		for i := 1; i < len(ids); i++ {
			edges[ids[i]] = []string{ids[i-1]}
		}
		if c := portfolio.Cycle(edges); c != nil {
			t.Fatalf("a chain has no cycle, got %d ids", len(c))
		}
		edges[ids[0]] = []string{ids[len(ids)-1]}
		c := portfolio.Cycle(edges)
		if len(c) != len(ids) {
			t.Fatalf("cycle of %d ids, want %d", len(c), len(ids))
		}
		// Each id depends on the next, and the last on the first.
		for i, id := range c {
			next := c[(i+1)%len(c)]
			if !slices.Contains(edges[id], next) {
				t.Fatalf("%s does not depend on %s", id, next)
			}
		}
	})
}
