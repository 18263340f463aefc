package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
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
// kind's input. A row updates the organisation's object it matches, by
// the ID column when mapped and filled, else by name (trimmed, case
// ignored), and creates one otherwise; an update changes only the mapped
// columns. Either all rows go in one transaction or none (ImportAll), or
// each valid row on its own (ImportPerRow). One audit event per import
// carries its counts, besides each object's own create or update event.

// importKind describes what a kind's rows fill and how one is written.
type importKind struct {
	title string
	noun  string // one object, for messages: "AI system"
	// prefix is the kind's ID prefix; nameKey the field that names an
	// object, by which a row without an ID finds the object it updates.
	prefix, nameKey string
	fields          []tabular.Field
	// prepare validates a row inside a transaction and returns what writing
	// it does: id "" creates an object, else the row updates object id,
	// starting from its current values so the columns left unmapped keep
	// what it holds.
	prepare func(ctx context.Context, c *sqldb.Conn, a caio.Actor, v map[string]string, id string) (*importStep, error)
}

// importStep is a checked row: what it does and the function that does it
// (nil when the row changes nothing).
type importStep struct {
	action string // caio.ImportCreate, ImportUpdate or ImportUnchanged
	apply  func() (string, error)
}

// importState is what the rows of one file share while they are checked:
// the organisation's objects by name, and the objects earlier rows claimed.
type importState struct {
	names   map[string][]string // sqldb.MatchName(name) → IDs
	ids     map[string]bool
	claimed map[string]int // object ID, or "new:" + name → the row that claimed it
}

func newImportState(names map[string][]string) *importState {
	st := &importState{names: names, ids: map[string]bool{}, claimed: map[string]int{}}
	for _, ids := range names {
		for _, id := range ids {
			st.ids[id] = true
		}
	}
	return st
}

// match finds the object a row updates: by the ID column when it is
// mapped and filled, else by name (trimmed, case ignored) among the
// organisation's objects. "" means the row creates one. A row that names
// an object an earlier row of the file already writes is refused, so one
// file never writes an object twice.
func (st *importState) match(k importKind, v map[string]string) (string, error) {
	name := sqldb.MatchName(v[k.nameKey])
	id := strings.TrimSpace(v["id"])
	claimField := k.nameKey
	switch {
	case id != "":
		if !caio.ValidID(k.prefix, id) || !st.ids[id] {
			return "", caio.FieldError("id", "is not "+article(k.noun)+" "+k.noun+" of this organisation: leave it empty to create one")
		}
		claimField = "id"
	case name == "":
		return "", nil // the name's own check says it is required
	default:
		switch ids := st.names[name]; len(ids) {
		case 0:
		case 1:
			id = ids[0]
		default:
			return "", caio.FieldError(k.nameKey, fmt.Sprintf("matches %d %ss of this organisation (%s): map the ID column to say which to update",
				len(ids), k.noun, strings.Join(ids[:min(len(ids), 3)], ", ")))
		}
	}
	key := id
	if key == "" {
		key = "new:" + name
	}
	if ref, ok := st.claimed[key]; ok {
		return "", caio.FieldError(claimField, fmt.Sprintf("is taken: an earlier row of the file (row %d) already writes this %s", ref, k.noun))
	}
	return id, nil
}

// claim records that row ref writes the object (or the new name).
func (st *importState) claim(id, name string, ref int) {
	if id == "" {
		id = "new:" + sqldb.MatchName(name)
	}
	st.claimed[id] = ref
}

func f(key, label string, aliases ...string) tabular.Field {
	return tabular.Field{Key: key, Label: label, Aliases: aliases}
}

func req(fl tabular.Field) tabular.Field { fl.Required = true; return fl }

// idField is every kind's optional ID column: an export's ID column maps
// to it by itself, so a file exported, edited and imported updates.
var idField = tabular.Field{Key: "id", Label: "ID", Aliases: []string{"caio id", "record id"},
	Help: "the caio ID of the object a row updates; rows without one are matched by name"}

// merged overlays a row's mapped values on an object's current ones.
func merged(current, row map[string]string) map[string]string {
	out := make(map[string]string, len(current)+len(row))
	maps.Copy(out, current)
	maps.Copy(out, row)
	return out
}

// step finishes a prepare: a create, or an update that changed something
// (judged by the object's fields before and after), or nothing.
func step(id string, before, after map[string]any, write func() (string, error)) *importStep {
	if id == "" {
		return &importStep{action: caio.ImportCreate, apply: write}
	}
	if string(caio.Diff(before, after)) == "{}" {
		return &importStep{action: caio.ImportUnchanged, apply: func() (string, error) { return id, nil }}
	}
	return &importStep{action: caio.ImportUpdate, apply: write}
}

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

// itoa0 writes a number, 0 as empty (not assessed).
func itoa0(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

var importKinds = map[string]importKind{
	"systems": {
		title: "AI systems", noun: "AI system", prefix: "sys", nameKey: "name",
		fields: []tabular.Field{req(f("name", "Name", "system", "system name", "title")), f("purpose", "Intended purpose", "purpose"),
			f("description", "Description"), f("owner", "Owner"), f("business_unit", "Business unit", "department", "unit", "bureau"),
			f("stage", "Stage", "lifecycle stage", "status"), f("countries", "Countries", "country"), f("users", "Users", "operators"),
			f("affected", "Affected persons", "affected"), f("autonomy", "Autonomy"), f("oversight", "Human oversight", "oversight"),
			f("roles", "Roles", "role", "eu ai act role"),
			f("omb_impact", "OMB impact", "omb m-25-21 impact", "high-impact determination"), idField},
		prepare: func(ctx context.Context, c *sqldb.Conn, a caio.Actor, v map[string]string, id string) (*importStep, error) {
			s := &caio.AISystem{ID: caio.NewID("sys"), OrgID: a.OrgID}
			var before map[string]any
			if id != "" {
				var err error
				if s, err = c.System(ctx, a.OrgID, id); err != nil {
					return nil, err
				}
				before = s.Fields()
				v = merged(map[string]string{"name": s.Name, "purpose": s.Purpose, "description": s.Description, "owner": s.Owner,
					"business_unit": s.BusinessUnit, "stage": s.Stage, "countries": strings.Join(s.Countries, ", "), "users": s.Users,
					"affected": s.Affected, "autonomy": s.Autonomy, "oversight": s.Oversight, "roles": strings.Join(s.Roles, ", "),
					"omb_impact": s.OMBImpact}, v)
			}
			in := caio.AISystemInput{Name: v["name"], Purpose: v["purpose"], Description: v["description"], Owner: v["owner"],
				BusinessUnit: v["business_unit"], Stage: v["stage"], Countries: splitList(v["countries"]), Users: v["users"],
				Affected: v["affected"], Autonomy: v["autonomy"], Oversight: v["oversight"], Roles: splitList(strings.ToLower(v["roles"])),
				OMBImpact: v["omb_impact"]}
			if len(in.Roles) == 0 {
				in.Roles = []string{"deployer"} // the usual role of an organisation that uses a system (Art 3(4))
			}
			if err := in.Normalize(); err != nil {
				return nil, err
			}
			setSystem(s, in)
			return step(id, before, s.Fields(), func() (string, error) {
				if id == "" {
					if err := c.CreateSystem(ctx, s); err != nil {
						return "", err
					}
					return s.ID, record(ctx, c, a, "system.create", "system", s.ID, caio.Diff(nil, s.Fields()))
				}
				if err := c.UpdateSystem(ctx, s); err != nil {
					return "", err
				}
				return s.ID, record(ctx, c, a, "system.update", "system", s.ID, caio.Diff(before, s.Fields()))
			}), nil
		},
	},
	"vendors": {
		title: "Vendors", noun: "vendor", prefix: "vnd", nameKey: "name",
		fields: []tabular.Field{req(f("name", "Name", "vendor", "vendor name", "supplier", "company")), f("website", "Website", "url", "web"),
			f("contact", "Contact", "email"), f("country", "Country"), f("description", "Description"), idField},
		prepare: func(ctx context.Context, c *sqldb.Conn, a caio.Actor, v map[string]string, id string) (*importStep, error) {
			x := &caio.Vendor{ID: caio.NewID("vnd"), OrgID: a.OrgID}
			var before map[string]any
			if id != "" {
				var err error
				if x, err = c.Vendor(ctx, a.OrgID, id); err != nil {
					return nil, err
				}
				before = x.Fields()
				v = merged(map[string]string{"name": x.Name, "website": x.Website, "contact": x.Contact, "country": x.Country, "description": x.Description}, v)
			}
			in := caio.VendorInput{Name: v["name"], Website: v["website"], Contact: v["contact"], Country: v["country"], Description: v["description"]}
			if err := in.Normalize(); err != nil {
				return nil, err
			}
			setVendor(x, in)
			return step(id, before, x.Fields(), func() (string, error) {
				if id == "" {
					if err := c.CreateVendor(ctx, x); err != nil {
						return "", err
					}
					return x.ID, record(ctx, c, a, "vendor.create", "vendor", x.ID, caio.Diff(nil, x.Fields()))
				}
				if err := c.UpdateVendor(ctx, x); err != nil {
					return "", err
				}
				return x.ID, record(ctx, c, a, "vendor.update", "vendor", x.ID, caio.Diff(before, x.Fields()))
			}), nil
		},
	},
	"usecases": {
		title: "Use cases", noun: "use case", prefix: "uc", nameKey: "title",
		fields: []tabular.Field{req(f("title", "Title", "name", "use case", "use case name")), f("problem", "Problem", "problem statement", "purpose"),
			f("process", "Process"), f("users", "Users"), f("volume", "Volume"), f("data_needed", "Data needed"), f("data_available", "Data available"),
			f("approach", "Approach"), f("sourcing", "Sourcing"), f("benefits", "Benefits", "expected benefits"), f("costs", "Costs"),
			f("risks", "Risks"), f("dependencies", "Dependencies"), f("owner", "Owner"), f("sponsor", "Sponsor"), idField},
		prepare: func(ctx context.Context, c *sqldb.Conn, a caio.Actor, v map[string]string, id string) (*importStep, error) {
			// An import is an editor's act: a new use case is accepted, as when an editor creates one.
			u := &caio.UseCase{ID: caio.NewID("uc"), OrgID: a.OrgID, Stage: string(portfolio.StageIdea), Intake: caio.IntakeAccepted,
				SubmittedBy: a.UserID, DependsOn: []string{}}
			var before map[string]any
			if id != "" {
				var err error
				if u, err = c.UseCase(ctx, a.OrgID, id); err != nil {
					return nil, err
				}
				before = u.Fields()
				w := u.UseCaseCanvas
				v = merged(map[string]string{"title": w.Title, "problem": w.Problem, "process": w.Process, "users": w.Users, "volume": w.Volume,
					"data_needed": w.DataNeeded, "data_available": w.DataAvailable, "approach": w.Approach, "sourcing": w.Sourcing,
					"benefits": w.Benefits, "costs": w.Costs, "risks": w.Risks, "dependencies": w.Dependencies, "owner": w.Owner, "sponsor": w.Sponsor}, v)
			}
			in := caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: v["title"], Problem: v["problem"], Process: v["process"],
				Users: v["users"], Volume: v["volume"], DataNeeded: v["data_needed"], DataAvailable: v["data_available"], Approach: v["approach"],
				Sourcing: v["sourcing"], Benefits: v["benefits"], Costs: v["costs"], Risks: v["risks"], Dependencies: v["dependencies"],
				Owner: v["owner"], Sponsor: v["sponsor"]}, ObjectiveIDs: u.ObjectiveIDs, SystemIDs: u.SystemIDs}
			if err := in.Normalize(); err != nil {
				return nil, err
			}
			setUseCase(u, in)
			return step(id, before, u.Fields(), func() (string, error) {
				if id != "" {
					if err := c.UpdateUseCase(ctx, u); err != nil {
						return "", err
					}
					return u.ID, record(ctx, c, a, "use_case.update", "use_case", u.ID, caio.Diff(before, u.Fields()))
				}
				if err := c.CreateUseCase(ctx, u); err != nil {
					return "", err
				}
				if err := c.AddStageChange(ctx, a.OrgID, u.ID, caio.StageChange{To: u.Stage, By: a.UserID, Reason: "Imported"}); err != nil {
					return "", err
				}
				fields := u.Fields()
				fields["intake"] = u.Intake
				return u.ID, record(ctx, c, a, "use_case.create", "use_case", u.ID, caio.Diff(nil, fields))
			}), nil
		},
	},
	"risks": {
		title: "Risks", noun: "risk", prefix: "rsk", nameKey: "title",
		fields: []tabular.Field{req(f("title", "Title", "risk", "name", "risk title")), f("description", "Description"),
			f("category", "Category", "library item"), req(f("likelihood", "Likelihood", "probability")), req(f("impact", "Impact", "severity")),
			f("residual_likelihood", "Residual likelihood"), f("residual_impact", "Residual impact"), f("owner", "Owner", "risk owner"),
			f("status", "Status"), f("review_date", "Review date", "next review"), idField},
		prepare: func(ctx context.Context, c *sqldb.Conn, a caio.Actor, v map[string]string, id string) (*importStep, error) {
			r := &caio.Risk{ID: caio.NewID("rsk"), OrgID: a.OrgID}
			var before map[string]any
			var in caio.RiskInput
			if id != "" {
				var err error
				if r, err = c.Risk(ctx, a.OrgID, id); err != nil {
					return nil, err
				}
				if r.Links, err = c.RiskLinks(ctx, a.OrgID, id); err != nil {
					return nil, err
				}
				before = r.Fields()
				v = merged(map[string]string{"title": r.Title, "description": r.Description, "category": r.Category,
					"likelihood": itoa0(r.Likelihood), "impact": itoa0(r.Impact), "residual_likelihood": itoa0(r.ResidualLikelihood),
					"residual_impact": itoa0(r.ResidualImpact), "owner": r.Owner, "status": r.Status, "review_date": r.ReviewDate}, v)
				// The links are not columns of the file: an update keeps them.
				for _, l := range r.Links {
					switch l.Kind {
					case "system":
						in.Systems = append(in.Systems, l.TargetID)
					case "use_case":
						in.UseCases = append(in.UseCases, l.TargetID)
					case "vendor":
						in.Vendors = append(in.Vendors, l.TargetID)
					}
				}
			}
			var bad caio.Validation
			in.Title, in.Description, in.Category, in.Owner = v["title"], v["description"], v["category"], v["owner"]
			in.Status, in.ReviewDate = strings.ToLower(v["status"]), v["review_date"]
			in.Likelihood, in.Impact = intField(&bad, v, "likelihood"), intField(&bad, v, "impact")
			in.ResidualLikelihood, in.ResidualImpact = intField(&bad, v, "residual_likelihood"), intField(&bad, v, "residual_impact")
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
			setRisk(r, in, links)
			return step(id, before, r.Fields(), func() (string, error) {
				if id != "" {
					if err := c.UpdateRisk(ctx, r); err != nil {
						return "", err
					}
					return r.ID, record(ctx, c, a, "risk.update", "risk", r.ID, caio.Diff(before, r.Fields()))
				}
				if err := c.CreateRisk(ctx, r); err != nil {
					return "", err
				}
				return r.ID, record(ctx, c, a, "risk.create", "risk", r.ID, caio.Diff(nil, r.Fields()))
			}), nil
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
	return readImportSheet(name, data, "")
}

func readImportSheet(name string, data []byte, sheet string) (*tabular.Table, error) {
	t, err := tabular.ReadSheet(name, data, sheet)
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
	return app.ImportFileWith(ctx, kind, name, data, ImportOptions{Mapping: m, Mode: mode, DryRun: dryRun})
}

// ImportOptions are how ImportFileWith imports a file.
type ImportOptions struct {
	// Mapping joins fields to columns; nil takes the organisation's saved
	// mapping for the kind, fitted to the file, or a guess from the headers.
	Mapping tabular.Mapping
	Mode    string // caio.ImportAll (the default) or caio.ImportPerRow
	DryRun  bool   // check every row and change nothing
	Sheet   string // the sheet of a workbook; "" is the first
}

// ImportFileWith imports a file in one request, as ImportFile, with the
// sheet of a workbook to read. Needs PermEdit.
func (app *App) ImportFileWith(ctx context.Context, kind, name string, data []byte, o ImportOptions) (*caio.ImportResult, error) {
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
	t, err := readImportSheet(name, data, o.Sheet)
	if err != nil {
		return nil, err
	}
	m := o.Mapping
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
	return app.importTable(ctx, a, kind, name, t, m, o.Mode, o.DryRun, caio.NewID("imp"))
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
			"rows": res.Rows, "created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged, "rejected": res.Rejected}))
	})
	return res, err
}

// runImport checks every row and (unless dryRun) writes the valid ones:
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
	res := &caio.ImportResult{Kind: kind, Mode: mode, DryRun: dryRun, Rows: len(recs)}
	reset := func() {
		res.Errors, res.IDs, res.Actions = []caio.ImportRowError{}, []string{}, make([]caio.ImportAction, 0, len(recs))
		res.Created, res.Updated, res.Unchanged, res.Rejected = 0, 0, 0, 0
	}
	// prepare matches one row against the state and checks it.
	prepare := func(c *sqldb.Conn, st *importState, r tabular.Record) (string, *importStep, error) {
		id, err := st.match(k, r.Values)
		if err != nil {
			return "", nil, err
		}
		s, err := k.prepare(ctx, c, a, r.Values, id)
		if err != nil {
			return "", nil, err
		}
		st.claim(id, r.Values[k.nameKey], r.Ref)
		return id, s, nil
	}
	state := func(c *sqldb.Conn) (*importState, error) {
		names, err := c.ImportNames(ctx, a.OrgID, kind)
		if err != nil {
			return nil, err
		}
		return newImportState(names), nil
	}
	count := func(action string) {
		switch action {
		case caio.ImportCreate:
			res.Created++
		case caio.ImportUpdate:
			res.Updated++
		case caio.ImportUnchanged:
			res.Unchanged++
		}
	}
	// check validates every row in c, returning the steps of the valid ones
	// by their index in Actions.
	check := func(c *sqldb.Conn) (map[int]*importStep, error) {
		reset()
		st, err := state(c)
		if err != nil {
			return nil, err
		}
		steps := map[int]*importStep{}
		for _, r := range recs {
			id, s, err := prepare(c, st, r)
			if err != nil {
				if !showableImport(err) {
					return nil, err
				}
				res.Errors = append(res.Errors, rowErrs(r.Ref, err)...)
				res.Rejected++
				res.Actions = append(res.Actions, caio.ImportAction{Ref: r.Ref, Action: caio.ImportReject})
				continue
			}
			steps[len(res.Actions)] = s
			res.Actions = append(res.Actions, caio.ImportAction{Ref: r.Ref, Action: s.action, ID: id})
			count(s.action)
		}
		return steps, nil
	}
	if dryRun || mode == caio.ImportAll {
		run := app.DB.Write
		if dryRun {
			run = app.DB.Read
		}
		err := run(ctx, func(c *sqldb.Conn) error {
			steps, err := check(c)
			if err != nil {
				return err
			}
			if dryRun || res.Rejected > 0 {
				return nil // nothing written: the transaction commits empty
			}
			for i := range res.Actions {
				s := steps[i]
				id, err := s.apply()
				if err != nil {
					return err
				}
				res.Actions[i].ID = id
				if s.action == caio.ImportCreate {
					res.IDs = append(res.IDs, id)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if !dryRun && res.Rejected > 0 {
			res.Created, res.Updated, res.Unchanged = 0, 0, 0
		}
		return res, nil
	}
	// Per row: the rows are checked together (so two rows writing one
	// object are caught), then each valid row writes the object the check
	// matched in its own transaction; a row the store refuses (such as an
	// object deleted since) is reported and the rest go on.
	if err := app.DB.Read(ctx, func(c *sqldb.Conn) error { _, err := check(c); return err }); err != nil {
		return nil, err
	}
	res.Created, res.Updated, res.Unchanged = 0, 0, 0
	for i, r := range recs {
		if res.Actions[i].Action == caio.ImportReject {
			continue
		}
		var id, action string
		checked := res.Actions[i].ID // "" for a row the check found creates an object
		err := app.DB.Write(ctx, func(c *sqldb.Conn) error {
			// The row writes the object the check matched (or a new one),
			// not what its name matches now: an earlier row may have given
			// an object this name, and the file must not write it twice.
			s, err := k.prepare(ctx, c, a, r.Values, checked)
			if err != nil {
				return err
			}
			action = s.action
			id, err = s.apply()
			return err
		})
		if err != nil {
			if !showableImport(err) {
				return nil, err
			}
			res.Errors = append(res.Errors, rowErrs(r.Ref, err)...)
			res.Rejected++
			res.Actions[i] = caio.ImportAction{Ref: r.Ref, Action: caio.ImportReject}
			continue
		}
		res.Actions[i] = caio.ImportAction{Ref: r.Ref, Action: action, ID: id}
		count(action)
		if action == caio.ImportCreate {
			res.IDs = append(res.IDs, id)
		}
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
