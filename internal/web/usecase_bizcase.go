package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/finance"
)

// The business case form: costs and benefits as ranges of low, likely and
// high amounts, the horizon and discount rate, and the simulation's
// settings. People write rates and adoption shares in per cent; the form
// turns them into the fractions the finance engine reads, and turns the
// engine's problems back into the form's terms, each beside its field.

// bcList is one list of lines of a business case.
type bcList struct {
	Key, Label, One, Hint string
}

// bcLists are the three lists, in the order of the form.
var bcLists = []bcList{
	{"one_off", "One-off costs", "One-off cost", "Paid once, before year 1: building or buying, changing the process, training."},
	{"running", "Running costs per year", "Running cost", "Paid in every year of the horizon: hosting, licences, the people who run and watch it."},
	{"benefits", "Benefits per year at full adoption", "Benefit", "What it brings each year once everyone uses it: hours saved, revenue, losses avoided. The adoption ramp scales them."},
}

const (
	// bcMinRows is how many lines each list offers at least.
	bcMinRows = 5
	// bcMaxRows bounds the lines read from a posted form, beyond the
	// engine's own limit, so it still names the problem.
	bcMaxRows = finance.MaxLines + 10
)

// bcRow is one line of a list on the form: the names of its four fields.
type bcRow struct {
	N                        int // 1-based, for people
	Label, Low, Likely, High string
}

// bcListView is a list on the form with its lines.
type bcListView struct {
	bcList
	Rows []bcRow
}

// bcField names a field of a line, such as benefits[1].low.
func bcField(list string, i int, part string) string {
	return list + "[" + strconv.Itoa(i) + "]." + part
}

// bcRowsPosted is the number of lines of a list the form holds: one more
// than the highest line index among its fields.
func bcRowsPosted(f *form, list string) int {
	n := 0
	for k := range f.Values {
		rest, ok := strings.CutPrefix(k, list+"[")
		if !ok {
			continue
		}
		i, _, ok := strings.Cut(rest, "]")
		if x, err := strconv.Atoi(i); ok && err == nil && x >= 0 && x < bcMaxRows {
			n = max(n, x+1)
		}
	}
	return n
}

// bcListViews lays out the three lists with at least bcMinRows lines each,
// every line the form holds, and extra more.
func bcListViews(f *form, extra int) []bcListView {
	out := make([]bcListView, len(bcLists))
	for i, l := range bcLists {
		v := bcListView{bcList: l}
		n := min(max(bcMinRows, bcRowsPosted(f, l.Key))+extra, bcMaxRows)
		for j := range n {
			v.Rows = append(v.Rows, bcRow{N: j + 1, Label: bcField(l.Key, j, "label"), Low: bcField(l.Key, j, "low"),
				Likely: bcField(l.Key, j, "likely"), High: bcField(l.Key, j, "high")})
		}
		out[i] = v
	}
	return out
}

// businessCaseInput reads the form into a case. Blank lines are left out;
// rows maps each list's line in the case to its line on the form, so the
// engine's problems can be shown on the right line. Numbers that cannot be
// read are recorded on f.
func businessCaseInput(f *form) (c finance.Case, rows map[string][]int) {
	c = finance.Case{Currency: f.Get("currency"), Distribution: f.Get("distribution")}
	whole := func(name string) int {
		s := strings.TrimSpace(strings.ReplaceAll(f.Get(name), ",", ""))
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			f.Errors[name] = "must be a whole number, such as 5"
		}
		return n
	}
	c.HorizonYears = whole("horizon_years")
	c.Trials = whole("trials")
	if s := strings.TrimSpace(f.Get("seed")); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			f.Errors["seed"] = "must be a whole number of 0 or more, or empty for the use case's own"
		}
		c.Seed = seed
	}
	if rate, ok := bcPercent(f.Get("discount_rate")); ok {
		c.DiscountRate = rate
	} else {
		f.Errors["discount_rate"] = "must be a percentage, such as 8"
	}
	if s := strings.TrimSpace(f.Get("adoption")); s != "" {
		for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
			share, ok := bcPercent(part)
			if !ok || strings.TrimSpace(part) == "" {
				f.Errors["adoption"] = "must be percentages separated by commas, such as 40, 80, 100"
				break
			}
			c.Adoption = append(c.Adoption, share)
		}
	}
	rows = map[string][]int{}
	for _, l := range bcLists {
		for i := range bcRowsPosted(f, l.Key) {
			names := [4]string{bcField(l.Key, i, "label"), bcField(l.Key, i, "low"), bcField(l.Key, i, "likely"), bcField(l.Key, i, "high")}
			blank := true
			for _, n := range names {
				blank = blank && strings.TrimSpace(f.Get(n)) == ""
			}
			if blank {
				continue
			}
			var amounts [3]float64
			ok := true
			for j, n := range names[1:] {
				if strings.TrimSpace(f.Get(n)) == "" {
					f.Errors[n] = "is required: write 0 for nothing"
					ok = false
					continue
				}
				x := f.float(n)
				if x == nil {
					ok = false
					continue
				}
				amounts[j] = *x
			}
			if !ok {
				continue
			}
			line := finance.Line{Label: f.Get(names[0]), Range: finance.Range{Low: amounts[0], Likely: amounts[1], High: amounts[2]}}
			switch l.Key {
			case "one_off":
				c.OneOff = append(c.OneOff, line)
			case "running":
				c.Running = append(c.Running, line)
			default:
				c.Benefits = append(c.Benefits, line)
			}
			rows[l.Key] = append(rows[l.Key], i)
		}
	}
	return c, rows
}

// bcPercent reads a percentage such as "8", "8.5" or "8 %" as a fraction;
// an empty one is 0.
func bcPercent(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return 0, true
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return x / 100, true
}

// bcRename puts the engine's problems in the form's terms: lines by their
// place on the form, rates and shares in per cent. Problems of a whole list
// are dropped when lines failed to read, since those lines were left out.
func bcRename(err error, rows map[string][]int, lineErrors bool) error {
	fs := caio.ErrorFields(err)
	if len(fs) == 0 {
		return err
	}
	e := &caio.Error{Code: caio.ErrorCode(err), Message: caio.ErrorMessage(err)}
	for _, p := range fs {
		switch {
		case p.Field == "discount_rate":
			p.Message = "must be between 0 and 50 per cent"
		case strings.HasPrefix(p.Field, "adoption["):
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(p.Field, "adoption["), "]"))
			p.Field, p.Message = "adoption", "share "+strconv.Itoa(n+1)+" must be between 0 and 100 per cent"
		case p.Field == "adoption":
			p.Message = "must have at most 30 shares, one per year"
		default:
			for _, l := range bcLists {
				if p.Field == l.Key && lineErrors {
					p.Field = ""
					break
				}
				rest, ok := strings.CutPrefix(p.Field, l.Key+"[")
				if !ok {
					continue
				}
				i, after, _ := strings.Cut(rest, "]")
				if n, err := strconv.Atoi(i); err == nil && n >= 0 && n < len(rows[l.Key]) {
					p.Field = bcField(l.Key, rows[l.Key][n], strings.TrimPrefix(after, "."))
				}
			}
		}
		if p.Field != "" {
			e.Fields = append(e.Fields, p)
		}
	}
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// businessCaseValues fills the form from a stored case, with one blank line
// after the last of each list.
func businessCaseValues(bc *app.BusinessCase) map[string]string {
	c := bc.Input
	v := map[string]string{
		"currency": c.Currency, "horizon_years": strconv.Itoa(c.HorizonYears),
		"discount_rate": ucTrimZeros(strconv.FormatFloat(c.DiscountRate*100, 'f', 4, 64)), "distribution": c.Distribution,
		"trials": strconv.Itoa(c.Trials), "seed": strconv.FormatUint(c.Seed, 10), "version": strconv.Itoa(bc.Version),
	}
	var shares []string
	for _, a := range c.Adoption {
		shares = append(shares, ucTrimZeros(strconv.FormatFloat(a*100, 'f', 2, 64)))
	}
	v["adoption"] = strings.Join(shares, ", ")
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for _, l := range []struct {
		key   string
		lines []finance.Line
	}{{"one_off", c.OneOff}, {"running", c.Running}, {"benefits", c.Benefits}} {
		for i, line := range l.lines {
			v[bcField(l.key, i, "label")] = line.Label
			v[bcField(l.key, i, "low")] = num(line.Low)
			v[bcField(l.key, i, "likely")] = num(line.Likely)
			v[bcField(l.key, i, "high")] = num(line.High)
		}
		v[bcField(l.key, len(l.lines), "label")] = ""
	}
	return v
}

// renderBusinessCaseForm shows the business case form of a use case with
// extra blank lines added to each list.
func (w *Web) renderBusinessCaseForm(rw http.ResponseWriter, r *http.Request, status int, id string, f *form, extra int) {
	ctx := r.Context()
	u, err := w.app.FindUseCase(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	bc, err := w.app.FindBusinessCase(ctx, id)
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		bc, err = nil, nil
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if f == nil {
		if bc != nil {
			f = &form{Values: businessCaseValues(bc)}
		} else {
			settings, err := w.app.FindPortfolioSettings(ctx)
			if err != nil {
				w.fail(rw, r, err)
				return
			}
			f = &form{Values: map[string]string{"currency": settings.Currency, "horizon_years": "5", "discount_rate": "8",
				"distribution": finance.Triangular, "trials": strconv.Itoa(finance.DefaultTrials)}}
		}
	}
	dist := f.Get("distribution")
	if dist == "" {
		dist = finance.Triangular
	}
	w.render(rw, r, status, "usecase_business_case", &page{Title: "Business case of " + u.Title, Nav: "portfolio", Form: f, Data: map[string]any{
		"UseCase": u.UseCase, "BusinessCase": bc, "Lists": bcListViews(f, extra),
		"Distributions": ucOptions([]string{finance.Triangular, finance.PERT}, dist),
	}})
}

func (w *Web) businessCaseForm(rw http.ResponseWriter, r *http.Request) {
	w.renderBusinessCaseForm(rw, r, http.StatusOK, r.PathValue("id"), nil, 0)
}

func (w *Web) businessCaseSave(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		if f.Get("action") == "rows" {
			// More lines, without saving: the form comes back as it was.
			w.renderBusinessCaseForm(rw, r, http.StatusOK, id, f, bcMinRows)
			return
		}
		c, rows := businessCaseInput(f)
		version, _ := strconv.Atoi(f.Get("version"))
		if len(f.Errors) > 0 {
			check := c
			err = formProblems(f, bcRename(check.Normalize(), rows, true))
		} else {
			var bc *app.BusinessCase
			if bc, err = w.app.SaveBusinessCase(r.Context(), id, version, c); err == nil {
				res := bc.Result
				w.flash(rw, "Business case saved: median NPV "+ucMoney(bc.Input.Currency, res.NPV.P50)+" (P10 "+ucMoney(bc.Input.Currency, res.NPV.P10)+
					", P90 "+ucMoney(bc.Input.Currency, res.NPV.P90)+"), from "+ucThousands(float64(res.Trials))+" trials with seed "+strconv.FormatUint(res.Seed, 10)+".")
				redirect(rw, r, "/usecases/"+id+"#business-case")
				return
			}
			err = bcRename(err, rows, false)
		}
	}
	switch caio.ErrorCode(err) {
	case caio.ENOTFOUND, caio.EFORBIDDEN, caio.EINTERNAL:
		w.fail(rw, r, err)
		return
	}
	ucFail(f, err)
	w.renderBusinessCaseForm(rw, r, statusOf[caio.ErrorCode(err)], id, f, 0)
}
