package portfolio

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
)

// MaxPlanQuarters is the longest roadmap BuildPlan lays out: ten years. A
// longer span is almost always a typo in a year, and refusing it keeps the
// plan small.
const MaxPlanQuarters = 40

// Quarter is a calendar quarter, such as 2027Q1.
type Quarter struct {
	Year int `json:"year"`
	Q    int `json:"q"` // 1..4
}

// Years a quarter may fall in. Roadmaps plan forward from the present, so
// the range is generous but keeps typos such as 20277Q1 out.
const (
	minQuarterYear = 1900
	maxQuarterYear = 2999
)

// ParseQuarter reads a quarter written "2027Q1" or "2027-Q1" (either case,
// spaces around it ignored). The error is EINVALID and says how to write it.
func ParseQuarter(s string) (Quarter, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	bad := func() (Quarter, error) {
		return Quarter{}, caio.Errorf(caio.EINVALID, "%s is not a quarter: write it like 2027Q1", strconv.Quote(s))
	}
	if len(t) == 7 && t[4] == '-' {
		t = t[:4] + t[5:]
	}
	if len(t) != 6 || t[4] != 'Q' || t[5] < '1' || t[5] > '4' {
		return bad()
	}
	year := 0
	for _, c := range t[:4] {
		if c < '0' || c > '9' {
			return bad()
		}
		year = year*10 + int(c-'0')
	}
	if year < minQuarterYear || year > maxQuarterYear {
		return Quarter{}, caio.Errorf(caio.EINVALID, "%s is not a quarter: the year must be between %d and %d",
			strconv.Quote(s), minQuarterYear, maxQuarterYear)
	}
	return Quarter{Year: year, Q: int(t[5] - '0')}, nil
}

// String writes the quarter as 2027Q1.
func (q Quarter) String() string {
	return fmt.Sprintf("%04dQ%d", q.Year, q.Q)
}

// Next returns the quarter after q.
func (q Quarter) Next() Quarter { return fromIndex(q.index() + 1) }

// Prev returns the quarter before q.
func (q Quarter) Prev() Quarter { return fromIndex(q.index() - 1) }

// Less reports whether q comes before o.
func (q Quarter) Less(o Quarter) bool { return q.index() < o.index() }

// index numbers quarters consecutively, so spans are differences.
func (q Quarter) index() int { return q.Year*4 + q.Q - 1 }

func fromIndex(i int) Quarter { return Quarter{Year: i / 4, Q: i%4 + 1} }

// Item is one piece of work on the roadmap, usually a use case. People (in
// full-time equivalents) and Budget are what it needs in each quarter it is
// active, from Start to End inclusive. An item with neither Start nor End is
// unscheduled.
type Item struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Start     string   `json:"start"`
	End       string   `json:"end"`
	People    float64  `json:"people"`
	Budget    float64  `json:"budget"`
	DependsOn []string `json:"depends_on"`
}

// Capacity is the people and budget available in one quarter.
type Capacity struct {
	Quarter string  `json:"quarter"`
	People  float64 `json:"people"`
	Budget  float64 `json:"budget"`
}

// QuarterLoad is what the roadmap asks of one quarter against what it has.
// Over-commitment is flagged only for quarters with a capacity row: a
// quarter nobody planned capacity for is unknown, not empty.
type QuarterLoad struct {
	Quarter        string  `json:"quarter"`
	People         float64 `json:"people"`
	Budget         float64 `json:"budget"`
	PeopleCapacity float64 `json:"people_capacity"`
	BudgetCapacity float64 `json:"budget_capacity"`
	// HasCapacity tells whether a capacity row exists for the quarter.
	HasCapacity bool `json:"has_capacity"`
	OverPeople  bool `json:"over_people"`
	OverBudget  bool `json:"over_budget"`
	// Items are the IDs of the items active in the quarter, in input order.
	Items []string `json:"items"`
}

// Conflict is a dependency the schedule breaks: the item starts before the
// item it depends on has ended, or it depends on one that is unscheduled or
// not on the roadmap at all.
type Conflict struct {
	ItemID      string `json:"item_id"`
	DependsOnID string `json:"depends_on_id"`
	Message     string `json:"message"`
}

// Plan is the roadmap laid out by quarter.
type Plan struct {
	// Quarters run from the earliest start to the latest end of the
	// scheduled items; empty when nothing is scheduled.
	Quarters  []QuarterLoad `json:"quarters"`
	Conflicts []Conflict    `json:"conflicts"`
	// Unscheduled are the IDs of the items without quarters, in input order.
	Unscheduled []string `json:"unscheduled"`
}

// span is an item's quarters as indexes; ok is false for unscheduled items.
type span struct {
	start, end int
	ok         bool
}

// BuildPlan lays the items out by quarter, adds up what each quarter needs,
// compares it with the capacity rows, and lists broken dependencies. It
// returns an EINVALID error naming every bad field ("items[2].start",
// "capacity[0].people") and refuses a plan longer than MaxPlanQuarters.
// Cycles are not its concern: see Cycle.
func BuildPlan(items []Item, capacity []Capacity) (Plan, error) {
	var v caio.Validation
	spans := make([]span, len(items))
	byID := make(map[string]int, len(items))
	for i, it := range items {
		field := fmt.Sprintf("items[%d]", i)
		switch _, dup := byID[it.ID]; {
		case strings.TrimSpace(it.ID) == "":
			v.Add(field+".id", "is required")
		case dup:
			v.Add(field+".id", "repeats "+strconv.Quote(it.ID)+": every item needs its own ID")
		default:
			byID[it.ID] = i
		}
		spans[i] = itemSpan(&v, field, it)
		checkAmount(&v, field+".people", it.People, "full-time equivalents per quarter")
		checkAmount(&v, field+".budget", it.Budget, "budget per quarter")
		if slices.Contains(it.DependsOn, it.ID) {
			v.Add(field+".depends_on", "must not include the item itself")
		}
	}
	caps := make(map[int]Capacity, len(capacity))
	for i, c := range capacity {
		field := fmt.Sprintf("capacity[%d]", i)
		q, err := ParseQuarter(c.Quarter)
		if err != nil {
			v.Add(field+".quarter", "must be a quarter written like 2027Q1")
		} else if _, dup := caps[q.index()]; dup {
			v.Add(field+".quarter", "repeats "+q.String()+": give each quarter one row")
		} else {
			caps[q.index()] = c
		}
		checkAmount(&v, field+".people", c.People, "full-time equivalents")
		checkAmount(&v, field+".budget", c.Budget, "budget")
	}
	if err := v.Err(); err != nil {
		return Plan{}, err
	}

	plan := Plan{Quarters: []QuarterLoad{}, Conflicts: []Conflict{}, Unscheduled: []string{}}
	first, last, lastItem := math.MaxInt, math.MinInt, -1
	for i, s := range spans {
		if !s.ok {
			plan.Unscheduled = append(plan.Unscheduled, items[i].ID)
			continue
		}
		first = min(first, s.start)
		if s.end > last {
			last, lastItem = s.end, i
		}
	}
	if lastItem >= 0 {
		if n := last - first + 1; n > MaxPlanQuarters {
			return Plan{}, caio.FieldError(fmt.Sprintf("items[%d].end", lastItem),
				fmt.Sprintf("makes the roadmap span %d quarters (%s to %s); at most %d fit",
					n, fromIndex(first), fromIndex(last), MaxPlanQuarters))
		}
		for q := first; q <= last; q++ {
			load := QuarterLoad{Quarter: fromIndex(q).String(), Items: []string{}}
			for i, s := range spans {
				if s.ok && s.start <= q && q <= s.end {
					load.People += items[i].People
					load.Budget += items[i].Budget
					load.Items = append(load.Items, items[i].ID)
				}
			}
			// Sums of fractions such as 0.1 + 0.2 are rounded so they neither
			// show noise nor tip a quarter over a capacity they only touch.
			load.People, load.Budget = round6(load.People), round6(load.Budget)
			if c, ok := caps[q]; ok {
				load.HasCapacity = true
				load.PeopleCapacity, load.BudgetCapacity = c.People, c.Budget
				load.OverPeople = load.People > round6(c.People)
				load.OverBudget = load.Budget > round6(c.Budget)
			}
			plan.Quarters = append(plan.Quarters, load)
		}
	}

	for i, it := range items {
		s := spans[i]
		if !s.ok {
			continue // an unscheduled item breaks no timing
		}
		seen := map[string]bool{}
		for _, dep := range it.DependsOn {
			if seen[dep] || dep == it.ID {
				continue
			}
			seen[dep] = true
			j, found := byID[dep]
			var msg string
			switch {
			case !found:
				msg = fmt.Sprintf("%s depends on %s, which is not on the roadmap.", itemName(it), strconv.Quote(dep))
			case !spans[j].ok:
				msg = fmt.Sprintf("%s starts in %s but depends on %s, which is not scheduled.",
					itemName(it), fromIndex(s.start), itemName(items[j]))
			case spans[j].end >= s.start:
				msg = fmt.Sprintf("%s starts in %s but depends on %s, which ends in %s.",
					itemName(it), fromIndex(s.start), itemName(items[j]), fromIndex(spans[j].end))
			default:
				continue
			}
			plan.Conflicts = append(plan.Conflicts, Conflict{ItemID: it.ID, DependsOnID: dep, Message: msg})
		}
	}
	return plan, nil
}

// itemSpan parses an item's quarters, recording problems in v.
func itemSpan(v *caio.Validation, field string, it Item) span {
	start, end := strings.TrimSpace(it.Start), strings.TrimSpace(it.End)
	switch {
	case start == "" && end == "":
		return span{}
	case start == "":
		v.Add(field+".start", "must be given with end (both quarters, or neither to leave it unscheduled)")
		return span{}
	case end == "":
		v.Add(field+".end", "must be given with start (both quarters, or neither to leave it unscheduled)")
		return span{}
	}
	s, err1 := ParseQuarter(start)
	if err1 != nil {
		v.Add(field+".start", "must be a quarter written like 2027Q1")
	}
	e, err2 := ParseQuarter(end)
	if err2 != nil {
		v.Add(field+".end", "must be a quarter written like 2027Q1")
	}
	if err1 != nil || err2 != nil {
		return span{}
	}
	if e.Less(s) {
		v.Add(field+".end", "must not be before start ("+s.String()+")")
		return span{}
	}
	return span{start: s.index(), end: e.index(), ok: true}
}

// checkAmount records an amount that is negative or not a number.
func checkAmount(v *caio.Validation, field string, x float64, what string) {
	if x < 0 || !finite(x) {
		v.Add(field, "must be 0 or more ("+what+")")
	}
}

// itemName quotes an item's title for messages, falling back on its ID.
func itemName(it Item) string {
	if strings.TrimSpace(it.Title) != "" {
		return "'" + it.Title + "'"
	}
	return "'" + it.ID + "'"
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// Cycle returns one dependency cycle in edges (an ID maps to the IDs it
// depends on), or nil when there is none. The cycle lists IDs in order: each
// depends on the next, and the last on the first. The search is
// deterministic (IDs in sorted order, dependencies in the order given) and
// iterative, so a long chain cannot exhaust the stack. The application calls
// it with a proposed dependency added, and refuses the dependency when a
// cycle comes back.
func Cycle(edges map[string][]string) []string {
	const (
		unseen = iota
		onPath
		done
	)
	state := make(map[string]int, len(edges))
	type frame struct {
		id   string
		next int
	}
	for _, root := range slices.Sorted(maps.Keys(edges)) {
		if state[root] != unseen {
			continue
		}
		state[root] = onPath
		path := []frame{{id: root}}
		for len(path) > 0 {
			top := &path[len(path)-1]
			deps := edges[top.id]
			if top.next == len(deps) {
				state[top.id] = done
				path = path[:len(path)-1]
				continue
			}
			dep := deps[top.next]
			top.next++
			switch state[dep] {
			case onPath:
				var cycle []string
				for i := range path {
					if path[i].id == dep || cycle != nil {
						cycle = append(cycle, path[i].id)
					}
				}
				return cycle
			case unseen:
				state[dep] = onPath
				path = append(path, frame{id: dep})
			}
		}
	}
	return nil
}
