package app

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/portfolio"
	"github.com/caio-office/caio/internal/engine/tabular"
	"github.com/caio-office/caio/internal/sqldb"
)

// Imports of use cases, AI systems, vendors and risks from CSV or XLSX
// with a column mapping. Each row is validated by the Normalize of the
// kind's input; an import creates objects (it never updates), either all
// rows in one transaction or none (ImportAll), or each valid row on its own
// (ImportPerRow). One audit event per import carries its counts, besides
// each object's own creation event.

// importKind describes what a kind's rows fill and how one is created.
type importKind struct {
	title  string
	fields []tabular.Field
	// prepare validates a row inside a transaction and returns the function
	// that creates it. st carries what earlier rows of the file claimed.
	prepare func(ctx context.Context, c *sqldb.Conn, a caio.Actor, v map[string]string, st *importState) (create func() (string, error), err error)
}

// importState is what the rows of one file share while they are checked.
type importState struct {
	vendorNames map[string]bool // lower-cased names taken, in the store or by an earlier row
}

func f(key, label string, aliases ...string) tabular.Field {
	return tabular.Field{Key: key, Label: label, Aliases: aliases}
}

func req(fl tabular.Field) tabular.Field { fl.Required = true; return fl }

// splitList reads a list cell: values separated by commas, semicolons or
// line breaks.
func splitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '|' })
	out := []string{}
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// intField reads a whole number; empty is 0.
func intField(v *caio.Validation, vals map[string]string, key string) int {
	s := strings.TrimSpace(vals[key])
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		// Spreadsheets may write 3 as 3.0.
		if x, ferr := strconv.ParseFloat(s, 64); ferr == nil && x == float64(int(x)) {
			return int(x)
		}
		v.Add(key, "must be a whole number, not "+strconv.Quote(s))
		return 0
	}
	return n
}

var importKinds = map[string]importKind{
	"systems": {
		title: "AI systems",
		fields: []tabular.Field{req(f("name", "Name", "system", "system name", "title")), f("purpose", "Intended purpose", "purpose"),
			f("description", "Description"), f("owner", "Owner"), f("business_unit", "Business unit", "department", "unit", "bureau"),
			f("stage", "Stage", "lifecycle stage", "status"), f("countries", "Countries", "country"), f("users", "Users", "operators"),
			f("affected", "Affected persons", "affected"), f("autonomy", "Autonomy"), f("oversight", "Human oversight", "oversight"),
			f("roles", "Roles", "role", "eu ai act role")},
		prepare: func(ctx context.Context, c *sqldb.Conn, a caio.Actor, v map[string]string, _ *importState) (func() (string, error), error) {
			in := caio.AISystemInput{Name: v["name"], Purpose: v["purpose"], Description: v["description"], Owner: v["owner"],
				BusinessUnit: v["business_unit"], Stage: v["stage"], Countries: splitList(v["countries"]), Users: v["users"],
				Affected: v["affected"], Autonomy: v["autonomy"], Oversight: v["oversight"], Roles: splitList(strings.ToLower(v["roles"]))}
			if len(in.Roles) == 0 {
				in.Roles = []string{"deployer"} // the usual role of an organisation that uses a system (Art 3(4))
			}
			if err := in.Normalize(); err != nil {
				return nil, err
			}
			return func() (string, error) {
				s := &caio.AISystem{ID: caio.NewID("sys"), OrgID: a.OrgID}
				setSystem(s, in)
				if err := c.CreateSystem(ctx, s); err != nil {
					return "", err
				}
				return s.ID, record(ctx, c, a, "system.create", "system", s.ID, caio.Diff(nil, s.Fields()))
			}, nil
		},
	},
	"vendors": {
		title: "Vendors",
		fields: []tabular.Field{req(f("name", "Name", "vendor", "vendor name", "supplier", "company")), f("website", "Website", "url", "web"),
			f("contact", "Contact", "email"), f("country", "Country"), f("description", "Description")},
		prepare: func(ctx context.Context, c *sqldb.Conn, a caio.Actor, v map[string]string, st *importState) (func() (string, error), error) {
			in := caio.VendorInput{Name: v["name"], Website: v["website"], Contact: v["contact"], Country: v["country"], Description: v["description"]}
			if err := in.Normalize(); err != nil {
				return nil, err
			}
			key := strings.ToLower(in.Name)
			if st.vendorNames[key] {
				return nil, caio.FieldError("name", "is taken: a vendor of this organisation (or an earlier row) has this name")
			}
			st.vendorNames[key] = true
			return func() (string, error) {
				x := &caio.Vendor{ID: caio.NewID("vnd"), OrgID: a.OrgID}
				setVendor(x, in)
				if err := c.CreateVendor(ctx, x); err != nil {
					return "", err
				}
				return x.ID, record(ctx, c, a, "vendor.create", "vendor", x.ID, caio.Diff(nil, x.Fields()))
			}, nil
		},
	},
	"usecases": {
		title: "Use cases",
		fields: []tabular.Field{req(f("title", "Title", "name", "use case", "use case name")), f("problem", "Problem", "problem statement", "purpose"),
			f("process", "Process"), f("users", "Users"), f("volume", "Volume"), f("data_needed", "Data needed"), f("data_available", "Data available"),
			f("approach", "Approach"), f("sourcing", "Sourcing"), f("benefits", "Benefits", "expected benefits"), f("costs", "Costs"),
			f("risks", "Risks"), f("dependencies", "Dependencies"), f("owner", "Owner"), f("sponsor", "Sponsor")},
		prepare: func(ctx context.Context, c *sqldb.Conn, a caio.Actor, v map[string]string, _ *importState) (func() (string, error), error) {
			in := caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: v["title"], Problem: v["problem"], Process: v["process"],
				Users: v["users"], Volume: v["volume"], DataNeeded: v["data_needed"], DataAvailable: v["data_available"], Approach: v["approach"],
				Sourcing: v["sourcing"], Benefits: v["benefits"], Costs: v["costs"], Risks: v["risks"], Dependencies: v["dependencies"],
				Owner: v["owner"], Sponsor: v["sponsor"]}}
			if err := in.Normalize(); err != nil {
				return nil, err
			}
			return func() (string, error) {
				// An import is an editor's act: the use case is accepted, as when an editor creates one.
				u := &caio.UseCase{ID: caio.NewID("uc"), OrgID: a.OrgID, Stage: string(portfolio.StageIdea), Intake: caio.IntakeAccepted,
					SubmittedBy: a.UserID, DependsOn: []string{}}
				setUseCase(u, in)
				if err := c.CreateUseCase(ctx, u); err != nil {
					return "", err
				}
				if err := c.AddStageChange(ctx, a.OrgID, u.ID, caio.StageChange{To: u.Stage, By: a.UserID, Reason: "Imported"}); err != nil {
					return "", err
				}
				fields := u.Fields()
				fields["intake"] = u.Intake
				return u.ID, record(ctx, c, a, "use_case.create", "use_case", u.ID, caio.Diff(nil, fields))
			}, nil
		},
	},
	"risks": {
		title: "Risks",
		fields: []tabular.Field{req(f("title", "Title", "risk", "name", "risk title")), f("description", "Description"),
			f("category", "Category", "library item"), req(f("likelihood", "Likelihood", "probability")), req(f("impact", "Impact", "severity")),
			f("residual_likelihood", "Residual likelihood"), f("residual_impact", "Residual impact"), f("owner", "Owner", "risk owner"),
			f("status", "Status"), f("review_date", "Review date", "next review")},
		prepare: func(ctx context.Context, c *sqldb.Conn, a caio.Actor, v map[string]string, _ *importState) (func() (string, error), error) {
			var bad caio.Validation
			in := caio.RiskInput{Title: v["title"], Description: v["description"], Category: v["category"], Owner: v["owner"],
				Status: strings.ToLower(v["status"]), ReviewDate: v["review_date"],
				Likelihood: intField(&bad, v, "likelihood"), Impact: intField(&bad, v, "impact"),
				ResidualLikelihood: intField(&bad, v, "residual_likelihood"), ResidualImpact: intField(&bad, v, "residual_impact")}
			links, err := riskInput(ctx, c, a.OrgID, &in)
			if err != nil && len(caio.ErrorFields(err)) == 0 {
				return nil, err
			}
			if err != nil || bad.Err() != nil {
				// Parse problems first: they explain the range errors of the same fields.
				for _, p := range caio.ErrorFields(err) {
					if !slices.ContainsFunc(caio.ErrorFields(bad.Err()), func(q caio.FieldProblem) bool { return q.Field == p.Field }) {
						bad.Add(p.Field, p.Message)
					}
				}
				return nil, bad.Err()
			}
			return func() (string, error) {
				r := &caio.Risk{ID: caio.NewID("rsk"), OrgID: a.OrgID}
				setRisk(r, in, links)
				if err := c.CreateRisk(ctx, r); err != nil {
					return "", err
				}
				return r.ID, record(ctx, c, a, "risk.create", "risk", r.ID, caio.Diff(nil, r.Fields()))
			}, nil
		},
	},
}

// ImportFields returns the fields a kind's rows fill, or ENOTFOUND.
func ImportFields(kind string) ([]tabular.Field, error) {
	k, ok := importKinds[kind]
	if !ok {
		return nil, caio.Errorf(caio.ENOTFOUND, "No import of %q: choose one of %s.", kind, strings.Join(caio.ImportKinds, ", "))
	}
	return k.fields, nil
}

// ImportTitle names a kind for people.
func ImportTitle(kind string) string { return importKinds[kind].title }

// ReadImportFile reads a CSV or XLSX file, turning a format problem into a
// field error of "file" that names the line and column or the cell.
func ReadImportFile(name string, data []byte) (*tabular.Table, error) {
	t, err := tabular.Read(name, data)
	if err != nil {
		var fe *tabular.FormatError
		if errors.As(err, &fe) {
			return nil, caio.FieldError("file", "could not be read: "+fe.Error())
		}
		return nil, err
	}
	return t, nil
}

// mappingError reports a mapping's problems as fields "mapping.<field>".
func mappingError(probs []tabular.MappingError) error {
	var v caio.Validation
	for _, p := range probs {
		v.Add("mapping."+p.Field, p.Msg)
	}
	return v.Err()
}

// UploadImport checks and keeps a file for its preview and import. Needs
// PermEdit. A file that cannot be read is refused, naming where.
func (app *App) UploadImport(ctx context.Context, kind, name string, data []byte) (*caio.ImportUpload, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if _, ok := importKinds[kind]; !ok {
		return nil, caio.FieldError("kind", "must be one of "+strings.Join(caio.ImportKinds, ", "))
	}
	if len(data) == 0 {
		return nil, caio.FieldError("file", "is required: choose a CSV or XLSX file")
	}
	t, err := ReadImportFile(name, data)
	if err != nil {
		return nil, err
	}
	if name = strings.TrimSpace(name); name == "" {
		name = "upload." + t.Format
	}
	if len([]rune(name)) > 200 {
		name = string([]rune(name)[:200])
	}
	u := &caio.ImportUpload{ID: caio.NewID("imp"), OrgID: a.OrgID, Kind: kind, Name: name, Format: t.Format, CreatedBy: a.UserID}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error { return c.CreateImportUpload(ctx, u, data) })
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ImportPreview is what the preview page shows: the file's columns and
// first rows, the mapping (saved, guessed or the user's) and what an
// import with it would do.
type ImportPreview struct {
	Upload  *caio.ImportUpload
	Title   string
	Table   *tabular.Table // Rows holds the first PreviewRows rows
	Total   int            // data rows in the file
	Fields  []tabular.Field
	Mapping tabular.Mapping
	Saved   bool // the mapping came from the organisation's saved one
	// MappingErr names the mapping's problems (fields "mapping.<key>");
	// Result is the dry run when the mapping is sound.
	MappingErr error
	Result     *caio.ImportResult
}

// PreviewRows is how many rows the preview shows.
const PreviewRows = 10

func (app *App) loadUpload(ctx context.Context, a caio.Actor, id string) (*caio.ImportUpload, *tabular.Table, error) {
	if !caio.ValidID("imp", id) {
		return nil, nil, caio.Errorf(caio.ENOTFOUND, "Upload not found.")
	}
	var u *caio.ImportUpload
	var data []byte
	err := app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		u, data, err = c.ImportUpload(ctx, a.OrgID, id, c.Now())
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	t, err := ReadImportFile(u.Name, data)
	return u, t, err
}

// PreviewImport previews an upload with mapping m; a nil m takes the
// organisation's saved mapping for the kind (fitted to the file's columns)
// or a guess from the headers. Needs PermEdit.
func (app *App) PreviewImport(ctx context.Context, id string, m tabular.Mapping) (*ImportPreview, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	u, t, err := app.loadUpload(ctx, a, id)
	if err != nil {
		return nil, err
	}
	k := importKinds[u.Kind]
	p := &ImportPreview{Upload: u, Title: k.title, Total: len(t.Rows), Fields: k.fields}
	if m == nil {
		var saved map[string]string
		if err := app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
			saved, err = c.ImportMapping(ctx, a.OrgID, u.Kind)
			return err
		}); err != nil {
			return nil, err
		}
		p.Saved = saved != nil
		m = tabular.Fit(saved, t.Headers, k.fields)
	}
	p.Mapping = m
	if probs := m.Check(t.Headers, k.fields); len(probs) > 0 {
		p.MappingErr = mappingError(probs)
	} else {
		p.Result, err = app.runImport(ctx, a, u.Kind, t, m, caio.ImportPerRow, true, u.ID)
		if err != nil {
			return nil, err
		}
	}
	head := *t
	head.Rows = t.Rows[:min(len(t.Rows), PreviewRows)]
	p.Table = &head
	return p, nil
}

// RunImport imports an upload with mapping m in mode (ImportAll or
// ImportPerRow), saves the mapping for the organisation and the kind, and
// deletes the upload once it is imported. In ImportAll mode a file
// with any bad row changes nothing: the result lists every problem and the
// error is EINVALID. Needs PermEdit.
func (app *App) RunImport(ctx context.Context, id string, m tabular.Mapping, mode string) (*caio.ImportResult, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	u, t, err := app.loadUpload(ctx, a, id)
	if err != nil {
		return nil, err
	}
	res, err := app.importTable(ctx, a, u.Kind, u.Name, t, m, mode, false, u.ID)
	if err == nil { // a refused file stays for another mapping or mode
		_ = app.DB.Write(ctx, func(c *sqldb.Conn) error { return c.DeleteImportUpload(ctx, a.OrgID, u.ID) })
	}
	return res, err
}

// ImportFile imports a file in one request (the API's way): no upload is
// kept. dryRun checks every row and changes nothing. Needs PermEdit.
func (app *App) ImportFile(ctx context.Context, kind, name string, data []byte, m tabular.Mapping, mode string, dryRun bool) (*caio.ImportResult, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if _, ok := importKinds[kind]; !ok {
		return nil, caio.Errorf(caio.ENOTFOUND, "No import of %q: choose one of %s.", kind, strings.Join(caio.ImportKinds, ", "))
	}
	if len(data) == 0 {
		return nil, caio.FieldError("file", "is required: send a CSV or XLSX file")
	}
	t, err := ReadImportFile(name, data)
	if err != nil {
		return nil, err
	}
	if m == nil {
		var saved map[string]string
		if err := app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
			saved, err = c.ImportMapping(ctx, a.OrgID, kind)
			return err
		}); err != nil {
			return nil, err
		}
		m = tabular.Fit(saved, t.Headers, importKinds[kind].fields)
	}
	return app.importTable(ctx, a, kind, name, t, m, mode, dryRun, caio.NewID("imp"))
}

// importTable checks the mode and mapping, runs the import and, unless a
// dry run, saves the mapping and audits the run with its counts.
func (app *App) importTable(ctx context.Context, a caio.Actor, kind, name string, t *tabular.Table, m tabular.Mapping, mode string, dryRun bool, runID string) (*caio.ImportResult, error) {
	if mode == "" {
		mode = caio.ImportAll
	}
	if mode != caio.ImportAll && mode != caio.ImportPerRow {
		return nil, caio.FieldError("mode", "must be all or per_row")
	}
	k := importKinds[kind]
	if probs := m.Check(t.Headers, k.fields); len(probs) > 0 {
		return nil, mappingError(probs)
	}
	res, err := app.runImport(ctx, a, kind, t, m, mode, dryRun, runID)
	if err != nil {
		return nil, err
	}
	if dryRun {
		return res, nil
	}
	if mode == caio.ImportAll && res.Rejected > 0 {
		return res, caio.Errorf(caio.EINVALID, "Nothing was imported: %s of %d %s a problem. Fix the file or the mapping, or import the valid rows only.",
			plural(res.Rejected, "row", "rows"), res.Rows, map[bool]string{true: "has", false: "have"}[res.Rejected == 1])
	}
	// The mapping is saved and the run audited once rows went in (per-row
	// imports audit even when every row was rejected: the attempt counts).
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := c.SaveImportMapping(ctx, a.OrgID, kind, a.UserID, m); err != nil {
			return err
		}
		return record(ctx, c, a, "import.run", "import", runID, caio.Diff(nil, map[string]any{
			"kind": kind, "file": name, "format": t.Format, "mode": mode, "mapping": map[string]string(m),
			"rows": res.Rows, "created": res.Created, "rejected": res.Rejected}))
	})
	return res, err
}

// runImport checks every row and (unless dryRun) creates the valid ones:
// all in one transaction that commits only when no row failed (ImportAll),
// or each row in its own transaction (ImportPerRow).
func (app *App) runImport(ctx context.Context, a caio.Actor, kind string, t *tabular.Table, m tabular.Mapping, mode string, dryRun bool, runID string) (*caio.ImportResult, error) {
	k := importKinds[kind]
	recs := t.Records(m)
	colOf := func(field string) (string, int) {
		h := m[field]
		return h, slices.Index(t.Headers, h)
	}
	rowErrs := func(ref int, err error) []caio.ImportRowError {
		fs := caio.ErrorFields(err)
		if len(fs) == 0 {
			return []caio.ImportRowError{{Ref: ref, Where: t.Where(ref, 0), Message: caio.ErrorMessage(err)}}
		}
		out := make([]caio.ImportRowError, 0, len(fs))
		for _, p := range fs {
			e := caio.ImportRowError{Ref: ref, Field: p.Field, Message: p.Message}
			if h, i := colOf(p.Field); i >= 0 {
				e.Column, e.Where = h, t.Where(ref, i)
			} else {
				e.Where = t.Where(ref, 0)
			}
			out = append(out, e)
		}
		return out
	}
	res := &caio.ImportResult{Kind: kind, Mode: mode, DryRun: dryRun, Rows: len(recs), Errors: []caio.ImportRowError{}, IDs: []string{}}
	newState := func(c *sqldb.Conn) (*importState, error) {
		st := &importState{vendorNames: map[string]bool{}}
		if kind == "vendors" {
			names, err := c.VendorNames(ctx, a.OrgID)
			if err != nil {
				return nil, err
			}
			st.vendorNames = names
		}
		return st, nil
	}
	// check validates every row in c, returning the creators of the valid ones.
	check := func(c *sqldb.Conn) ([]func() (string, error), []int, error) {
		res.Errors, res.Rejected = res.Errors[:0], 0
		st, err := newState(c)
		if err != nil {
			return nil, nil, err
		}
		var creates []func() (string, error)
		var refs []int
		for _, r := range recs {
			create, err := k.prepare(ctx, c, a, r.Values, st)
			if err != nil {
				if !showableImport(err) {
					return nil, nil, err
				}
				res.Errors = append(res.Errors, rowErrs(r.Ref, err)...)
				res.Rejected++
				continue
			}
			creates, refs = append(creates, create), append(refs, r.Ref)
		}
		return creates, refs, nil
	}
	if dryRun || mode == caio.ImportAll {
		run := app.DB.Write
		if dryRun {
			run = app.DB.Read
		}
		err := run(ctx, func(c *sqldb.Conn) error {
			creates, _, err := check(c)
			if err != nil {
				return err
			}
			res.Created, res.IDs = len(creates), res.IDs[:0]
			if dryRun || res.Rejected > 0 {
				return nil // nothing written: the transaction commits empty
			}
			for _, create := range creates {
				id, err := create()
				if err != nil {
					return err
				}
				res.IDs = append(res.IDs, id)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if !dryRun && res.Rejected > 0 {
			res.Created = 0
		}
		return res, nil
	}
	// Per row: the rows are checked together (so a name taken by an earlier
	// row is caught), then each valid row is written in its own
	// transaction; a row the store refuses is reported and the rest go on.
	var valid []tabular.Record
	err := app.DB.Read(ctx, func(c *sqldb.Conn) error {
		_, refs, err := check(c)
		for _, r := range recs {
			if slices.Contains(refs, r.Ref) {
				valid = append(valid, r)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, r := range valid {
		var id string
		err := app.DB.Write(ctx, func(c *sqldb.Conn) error {
			st, err := newState(c)
			if err != nil {
				return err
			}
			create, err := k.prepare(ctx, c, a, r.Values, st)
			if err != nil {
				return err
			}
			id, err = create()
			return err
		})
		if err != nil {
			if !showableImport(err) {
				return nil, err
			}
			res.Errors = append(res.Errors, rowErrs(r.Ref, err)...)
			res.Rejected++
			continue
		}
		res.Created++
		res.IDs = append(res.IDs, id)
	}
	slices.SortStableFunc(res.Errors, func(x, y caio.ImportRowError) int { return x.Ref - y.Ref })
	return res, nil
}

// showableImport tells a row's problem (invalid, a conflict) from a failure
// of the store, which stops the import.
func showableImport(err error) bool {
	switch caio.ErrorCode(err) {
	case caio.EINVALID, caio.ECONFLICT, caio.ENOTFOUND:
		return true
	}
	return false
}
