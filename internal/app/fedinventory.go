package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/fedinv"
	"github.com/caio-office/caio/internal/engine/portfolio"
	"github.com/caio-office/caio/internal/sqldb"
)

// Import and export of the US Federal Agency AI Use Case Inventory (OMB's
// 2025 schema, published under OMB M-25-21 and the Advancing American AI
// Act). Every row becomes a use case; a row that describes an AI in use
// (piloted, deployed or retired, or with a named authorised system) or an
// AI determined high-impact also becomes an AI system, linked to its
// vendor, with the row's OMB M-25-21 determination. A high-impact system
// gets the memo's minimum practices as controls, and the row's nine hi_*
// answers become their evidence (fedinv.Practices says which answer goes
// to which practice). The row itself is kept beside the use case, so an
// export writes every source field back.

// FedImportResult counts what an import read and did.
type FedImportResult struct {
	Kind      string `json:"kind"`
	Read      int    `json:"read"`
	Created   int    `json:"created"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Systems   int    `json:"systems_created"`
	Vendors   int    `json:"vendors_created"`
	// HighImpact counts the rows determined high-impact under OMB M-25-21.
	HighImpact int `json:"high_impact"`
	// OMBFramework tells whether the organisation follows OMB M-25-21
	// after the import; OMBTurnedOn that this import turned it on.
	OMBFramework bool `json:"omb_framework"`
	OMBTurnedOn  bool `json:"omb_framework_turned_on"`
	// Controls added to and removed from the systems of the file (the
	// M-25-21 practices of high-impact systems), and the hi_* answers
	// recorded as their evidence: added, updated (the answer changed) and
	// removed (the answer was emptied).
	ControlsAdded   int            `json:"controls_added"`
	ControlsRemoved int            `json:"controls_removed"`
	EvidenceAdded   int            `json:"evidence_added"`
	EvidenceUpdated int            `json:"evidence_updated"`
	EvidenceRemoved int            `json:"evidence_removed"`
	Warnings        map[string]int `json:"warnings"`
	// WarningList holds every warning, with its line.
	WarningList []fedinv.Warning `json:"warning_list"`
}

// fedStages maps the inventory's development_stage to caio's lifecycle
// stages (portfolio content): Pre-deployment ("in development or
// acquisition") is a proof of concept, Pilot ("deployed in a limited test
// or pilot capacity") is pilot, Deployed is production, Retired is retired.
var fedStages = map[string]string{"Pre-deployment": portfolio.StagePoC, "Pilot": portfolio.StagePilot,
	"Deployed": portfolio.StageProduction, "Retired": portfolio.StageRetired}

// fedSystemStages maps development_stage to the inventory's system stages.
var fedSystemStages = map[string]string{"Pre-deployment": "development", "Pilot": "testing", "Deployed": "production", "Retired": "retired"}

// fedApproach maps the classification column to use case approaches.
var fedApproach = map[string]string{"Generative AI": "generative", "Agentic AI": "agentic", "Classical ML": "predictive",
	"NLP": "predictive", "Computer Vision": "predictive", "Reinforcement Learning": "optimisation", "Other": "other"}

// fedSourcing maps contracting_usage to use case sourcing.
var fedSourcing = map[string]string{"Vendor Purchased": "buy", "In-house Development": "build", "Contracting and In House": "partner"}

// fedImpact maps is_high_impact (as recoded in the consolidated file) to
// the system's OMB M-25-21 determination.
var fedImpact = map[string]string{"High-impact": caio.OMBHighImpact,
	"Presumed High-Impact, but Not High-impact": caio.OMBPresumedNotHighImpact, "Not High-impact": caio.OMBNotHighImpact}

// fedMapped is what one row becomes.
type fedMapped struct {
	canvas caio.UseCaseCanvas
	stage  string
	system *caio.AISystemInput // nil when the row describes no AI system
	vendor string
}

// clip trims s and cuts it to max characters, noting a warning.
func clip(s string, max int, col string, line int, warn func(fedinv.Warning)) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	warn(fedinv.Warning{Line: line, Kind: "truncated", Column: col,
		Message: fmt.Sprintf("%s is longer than %d characters; the use case keeps the first %d and the export the whole text", col, max, max)})
	r := []rune(s)
	return strings.TrimSpace(string(r[:max]))
}

func joinLines(parts ...string) string {
	var out []string
	for i := 0; i+1 < len(parts); i += 2 {
		if v := strings.TrimSpace(parts[i+1]); v != "" {
			out = append(out, parts[i]+v)
		}
	}
	return strings.Join(out, "\n")
}

// fedMap maps one row. warn receives what could not be kept as it was.
func fedMap(kind fedinv.Kind, r fedinv.Row, warn func(fedinv.Warning)) fedMapped {
	var m fedMapped
	l := r.Line
	if kind == fedinv.COTS {
		task, product := r.Get("AI Use Case"), strings.TrimSpace(r.Get("Name of Commercial Product or Service Used"))
		m.canvas = caio.UseCaseCanvas{
			Title:    clip(task, 200, "AI Use Case", l, warn),
			Problem:  clip(task, 4000, "AI Use Case", l, nop),
			Users:    clip(r.Get("Agency"), 2000, "Agency", l, warn),
			Volume:   clip(r.Get("Estimated # of Licenses/Users"), 500, "Estimated # of Licenses/Users", l, warn),
			Sourcing: "buy",
			Dependencies: clip(joinLines("Agency use (Y/N): ", r.Get("Agency Use (Y/N)?"), "Commercial product or service: ", product),
				2000, "Name of Commercial Product or Service Used", l, warn),
		}
		m.stage = portfolio.StageIdea
		if strings.EqualFold(strings.TrimSpace(r.Get("Agency Use (Y/N)?")), "Y") {
			m.stage = portfolio.StageProduction
			if product != "" {
				m.system = &caio.AISystemInput{Name: clip(product, 200, "Name of Commercial Product or Service Used", l, warn),
					Purpose: clip(task, 2000, "AI Use Case", l, nop), Stage: "production", Countries: []string{"US"},
					Users: clip(r.Get("Agency"), 2000, "Agency", l, nop), Roles: []string{"deployer"}}
				m.vendor = ""
			}
		}
		if m.canvas.Title == "" {
			m.canvas.Title = "Commercial AI use of " + strings.TrimSpace(r.Get("Agency"))
		}
		return m
	}
	title := clip(r.Get("use_case_name"), 200, "use_case_name", l, warn)
	if title == "" {
		title = "Untitled use case of " + strings.TrimSpace(r.Get("agency"))
		warn(fedinv.Warning{Line: l, Kind: "empty_name", Column: "use_case_name", Message: "the use case has no name; it is called " + quoteText(title)})
	}
	demo, _ := fedinv.ParseList(r.Get("demographic_features"))
	var practices []string
	for _, p := range fedinv.Practices {
		if v := strings.TrimSpace(r.Get(p.Column)); v != "" && v != "[]" {
			practices = append(practices, p.Control+" ("+p.Column+"): "+v)
		}
	}
	m.canvas = caio.UseCaseCanvas{
		Title:   title,
		Problem: clip(r.Get("problem_solved"), 4000, "problem_solved", l, warn),
		Process: clip(joinLines("Topic area: ", r.Get("topic_area"), "Classification: ", r.Get("classification"),
			"Outputs: ", r.Get("system_outputs"), "Operational since: ", r.Get("operational_date")), 2000, "system_outputs", l, warn),
		Users:      clip(joinLines("Agency: ", r.Get("agency_name"), "Bureau: ", r.Get("agency_bureau")), 2000, "agency_bureau", l, warn),
		DataNeeded: clip(r.Get("data_description"), 4000, "data_description", l, warn),
		DataAvailable: clip(joinLines("Contains PII: ", r.Get("has_pii"), "Privacy impact assessment: ", r.Get("pia_url"),
			"Demographic features: ", strings.Join(demo, ", "), "Data: ", r.Get("link_to_data")), 4000, "has_pii", l, warn),
		Approach: fedApproach[strings.TrimSpace(r.Get("classification"))],
		Sourcing: fedSourcing[strings.TrimSpace(r.Get("contracting_usage"))],
		Benefits: clip(r.Get("benefits"), 4000, "benefits", l, warn),
		Risks: clip(joinLines("High-impact (OMB M-25-21 appendix §5): ", r.Get("is_high_impact"), "Justification: ", r.Get("HI_justification"),
			"Minimum practices (OMB M-25-21 appendix §4(b)): ", strings.Join(practices, "; ")), 4000, "HI_justification", l, warn),
		Dependencies: clip(joinLines("Vendor: ", r.Get("vendor_name"), "Authority to operate: ", r.Get("have_ato"),
			"Authorised system: ", r.Get("system_name_ato"), "Custom code: ", r.Get("has_custom_code"), "Code: ", r.Get("code_url")),
			2000, "vendor_name", l, warn),
		Owner:   clip(r.Get("contact_email"), 200, "contact_email", l, warn),
		Sponsor: clip(r.Get("agency_bureau"), 200, "agency_bureau", l, nop),
	}
	stage := strings.TrimSpace(r.Get("development_stage"))
	m.stage = portfolio.StageIdea
	if s, ok := fedStages[stage]; ok {
		m.stage = s
	}
	m.vendor = clip(r.Get("vendor_name"), 200, "vendor_name", l, nop)
	impact := fedImpact[strings.TrimSpace(r.Get("is_high_impact"))]
	// A use case determined high-impact is one of an AI system, even before
	// deployment: M-25-21's practices (pre-deployment testing first) are
	// the system's controls.
	if stage == "Pilot" || stage == "Deployed" || stage == "Retired" || strings.TrimSpace(r.Get("system_name_ato")) != "" || impact == caio.OMBHighImpact {
		roles := []string{"deployer"}
		if u := strings.TrimSpace(r.Get("contracting_usage")); u == "In-house Development" || u == "Contracting and In House" {
			roles = []string{"provider", "deployer"}
		}
		sysStage := "planned"
		if s, ok := fedSystemStages[stage]; ok {
			sysStage = s
		}
		m.system = &caio.AISystemInput{Name: title, Purpose: clip(r.Get("problem_solved"), 2000, "problem_solved", l, nop),
			Description:  clip(r.Get("system_outputs"), 10000, "system_outputs", l, nop),
			Owner:        clip(r.Get("contact_email"), 200, "contact_email", l, nop),
			BusinessUnit: clip(r.Get("agency_bureau"), 200, "agency_bureau", l, nop), Stage: sysStage,
			Countries: []string{"US"}, Users: clip(r.Get("agency_name"), 2000, "agency_name", l, nop), Roles: roles, OMBImpact: impact}
	}
	return m
}

func nop(fedinv.Warning) {}

// checkFedMapped runs the services' own validation on copies of what a row
// became, so an import never stores what a form would refuse.
func checkFedMapped(m fedMapped) error {
	in := caio.UseCaseInput{UseCaseCanvas: m.canvas}
	if err := in.Normalize(); err != nil {
		return err
	}
	if m.system != nil {
		s := *m.system
		s.Countries, s.Roles = slices.Clone(s.Countries), slices.Clone(s.Roles)
		return s.Normalize()
	}
	return nil
}

func quoteText(s string) string { return "“" + s + "”" }

// rawJSON encodes a row's values with sorted keys, so equal rows compare equal.
func rawJSON(r fedinv.Row) string {
	b, _ := json.Marshal(r.Values)
	return string(b)
}

// ImportFedInventory reads a file of OMB's federal AI use case inventory
// (the individual or the COTS file, told apart by its header) into the
// organisation in one transaction: new rows become use cases (and AI
// systems and vendors), changed rows update theirs, unchanged rows are left
// alone; re-importing the same file changes nothing. A file in the wrong
// format is EINVALID naming the line and column. progress, when not nil,
// receives a line of text at each step. Needs PermEdit.
func (app *App) ImportFedInventory(ctx context.Context, r io.Reader, progress func(string)) (*FedImportResult, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	say := func(format string, args ...any) {
		if progress != nil {
			progress(fmt.Sprintf(format, args...))
		}
	}
	f, err := fedinv.Read(r)
	if err != nil {
		return nil, caio.Errorf(caio.EINVALID, "The file is not OMB's federal AI use case inventory: %v.", err)
	}
	say("read %d rows (%s file)", len(f.Rows), f.Kind)
	var res *FedImportResult
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		res = &FedImportResult{Kind: string(f.Kind), Read: len(f.Rows), Warnings: map[string]int{}}
		res.WarningList = slices.Clone(f.Warnings)
		warn := func(w fedinv.Warning) { res.WarningList = append(res.WarningList, w) }
		if err := c.LockOrg(ctx, a.OrgID); err != nil {
			return err
		}
		if f.Kind == fedinv.Individual {
			if err := app.fedOMBFramework(ctx, c, a, f, res, warn); err != nil {
				return err
			}
		}
		existing, err := c.FedRows(ctx, a.OrgID, string(f.Kind))
		if err != nil {
			return err
		}
		byKey := make(map[string]*sqldb.FedRow, len(existing))
		for _, e := range existing {
			byKey[e.Key] = e
		}
		vendors, err := c.VendorIDsByName(ctx, a.OrgID)
		if err != nil {
			return err
		}
		batch := &sqldb.FedImport{By: a.UserID, Reason: "Imported from the federal AI use case inventory"}
		vendorID := func(name string) string {
			if name == "" {
				return ""
			}
			if id, ok := vendors[strings.ToLower(name)]; ok {
				return id
			}
			v := &caio.Vendor{ID: caio.NewID("vnd"), OrgID: a.OrgID, Name: name, Description: "Named as a vendor in the federal AI use case inventory."}
			vendors[strings.ToLower(name)] = v.ID
			batch.Vendors = append(batch.Vendors, v)
			return v.ID
		}
		type change struct {
			row  *sqldb.FedRow
			m    fedMapped
			line int
		}
		var changed []change
		for i, row := range f.Rows {
			m := fedMap(f.Kind, row, warn)
			if err := checkFedMapped(m); err != nil {
				return caio.Errorf(caio.EINVALID, "Line %d could not be mapped: %v", row.Line, err)
			}
			raw := rawJSON(row)
			if e, ok := byKey[row.Key]; ok {
				if e.Raw == raw {
					res.Unchanged++
					if e.RowNo != i+1 {
						if err := c.SetFedRowNo(ctx, a.OrgID, e.UseCaseID, i+1); err != nil {
							return err
						}
					}
					continue
				}
				e.Raw, e.RowNo = raw, i+1
				changed = append(changed, change{e, m, row.Line})
				continue
			}
			u := &caio.UseCase{ID: caio.NewID("uc"), OrgID: a.OrgID, UseCaseCanvas: m.canvas, Stage: m.stage,
				Intake: caio.IntakeAccepted, SubmittedBy: a.UserID, ObjectiveIDs: []string{}, SystemIDs: []string{}, DependsOn: []string{}}
			fr := &sqldb.FedRow{OrgID: a.OrgID, UseCaseID: u.ID, Kind: string(f.Kind), Agency: agencyOf(f.Kind, row),
				Key: row.Key, RowNo: i + 1, Raw: raw}
			if m.system != nil {
				s := newFedSystem(a.OrgID, m.system)
				batch.Systems = append(batch.Systems, s)
				u.SystemIDs = []string{s.ID}
				fr.SystemID = s.ID
				if vid := vendorID(m.vendor); vid != "" {
					batch.VendorLinks = append(batch.VendorLinks, [2]string{s.ID, vid})
				}
			}
			batch.UseCases = append(batch.UseCases, u)
			batch.Rows = append(batch.Rows, fr)
			if len(batch.UseCases)%500 == 0 {
				say("mapped %d of %d rows", i+1, len(f.Rows))
			}
		}
		if err := c.InsertFedImport(ctx, a.OrgID, batch); err != nil {
			return err
		}
		written := len(batch.Vendors)
		res.Created, res.Systems = len(batch.UseCases), len(batch.Systems)
		say("created %d use cases, %d AI systems, %d vendors", res.Created, res.Systems, written)
		// Changed rows update their use case (and system) one by one.
		ombChanged := map[string]bool{}
		for _, ch := range changed {
			if err := updateFedRow(ctx, c, a, ch.row, ch.m, vendorID, ombChanged); err != nil {
				return fmt.Errorf("line %d: %w", ch.line, err)
			}
			res.Updated++
		}
		if len(batch.Vendors) > written {
			// Vendors first named by changed rows.
			if err := c.InsertFedImport(ctx, a.OrgID, &sqldb.FedImport{Vendors: batch.Vendors[written:]}); err != nil {
				return err
			}
		}
		res.Vendors = len(batch.Vendors)
		say("updated %d, unchanged %d", res.Updated, res.Unchanged)
		if f.Kind == fedinv.Individual {
			// Every row's system, new or old, for the M-25-21 controls and evidence.
			systemOf := make(map[string]string, len(f.Rows))
			for _, e := range byKey {
				systemOf[e.Key] = e.SystemID
			}
			for _, r := range batch.Rows {
				systemOf[r.Key] = r.SystemID
			}
			if err := app.fedOMB(ctx, c, a, f, systemOf, ombChanged, res, warn); err != nil {
				return err
			}
			say("OMB M-25-21: %d controls added, %d evidence added, %d updated, %d removed",
				res.ControlsAdded, res.EvidenceAdded, res.EvidenceUpdated, res.EvidenceRemoved)
		}
		for _, w := range res.WarningList {
			res.Warnings[w.Kind]++
		}
		return record(ctx, c, a, "fedinventory.import", "organization", a.OrgID, caio.Diff(nil, map[string]any{
			"kind": res.Kind, "read": res.Read, "created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged,
			"systems_created": res.Systems, "vendors_created": res.Vendors, "warnings": len(res.WarningList),
			"high_impact": res.HighImpact, "omb_framework_turned_on": res.OMBTurnedOn, "controls_added": res.ControlsAdded,
			"controls_removed": res.ControlsRemoved, "evidence_added": res.EvidenceAdded, "evidence_updated": res.EvidenceUpdated,
			"evidence_removed": res.EvidenceRemoved}))
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func agencyOf(k fedinv.Kind, r fedinv.Row) string {
	if k == fedinv.COTS {
		return r.Get("Agency")
	}
	return r.Get("agency")
}

func newFedSystem(orgID string, in *caio.AISystemInput) *caio.AISystem {
	s := &caio.AISystem{ID: caio.NewID("sys"), OrgID: orgID}
	setSystem(s, *in)
	if s.Countries == nil {
		s.Countries = []string{}
	}
	return s
}

// updateFedRow applies a changed row to its use case and system.
// The systems whose OMB M-25-21 determination changed go into ombChanged.
func updateFedRow(ctx context.Context, c *sqldb.Conn, a caio.Actor, fr *sqldb.FedRow, m fedMapped, vendorID func(string) string, ombChanged map[string]bool) error {
	us, err := c.UseCasesByID(ctx, a.OrgID, []string{fr.UseCaseID})
	if err != nil {
		return err
	}
	if len(us) == 0 {
		return useCaseNotFound()
	}
	u := us[0]
	u.UseCaseCanvas = m.canvas
	oldStage := u.Stage
	if m.stage != u.Stage {
		u.Stage, u.HeldFrom = m.stage, ""
	}
	if m.system != nil && fr.SystemID == "" {
		s := newFedSystem(a.OrgID, m.system)
		if err := c.CreateSystem(ctx, s); err != nil {
			return err
		}
		fr.SystemID = s.ID
		if !slices.Contains(u.SystemIDs, s.ID) {
			u.SystemIDs = append(u.SystemIDs, s.ID)
		}
	} else if m.system != nil {
		s, err := c.System(ctx, a.OrgID, fr.SystemID)
		if err == nil {
			if s.OMBImpact != m.system.OMBImpact {
				ombChanged[s.ID] = true
			}
			setSystem(s, *m.system)
			if err := c.UpdateSystem(ctx, s); err != nil {
				return err
			}
		} else if caio.ErrorCode(err) != caio.ENOTFOUND {
			return err
		}
	}
	if m.system != nil && fr.SystemID != "" {
		if vid := vendorID(m.vendor); vid != "" {
			if err := c.LinkSystemVendorOnce(ctx, a.OrgID, fr.SystemID, vid); err != nil {
				return err
			}
		}
	}
	if err := c.UpdateUseCase(ctx, u); err != nil {
		return err
	}
	if u.Stage != oldStage {
		if err := c.AddStageChange(ctx, a.OrgID, u.ID, caio.StageChange{From: oldStage, To: u.Stage, By: a.UserID,
			Reason: "Changed in the federal AI use case inventory"}); err != nil {
			return err
		}
	}
	return c.UpdateFedRow(ctx, fr)
}

// ExportFedInventory writes the organisation's use cases in OMB's schema
// (kind individual or cots): imported use cases as their source row, with
// the name, problem, benefits and stage taken from the use case when they
// were changed in caio; use cases of caio's own (individual kind only) as
// rows built from their fields, after the imported ones. Needs PermRead.
func (app *App) ExportFedInventory(ctx context.Context, w io.Writer, kind fedinv.Kind) (int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return 0, err
	}
	if kind != fedinv.Individual && kind != fedinv.COTS {
		return 0, caio.Errorf(caio.EINVALID, "kind must be individual or cots.")
	}
	file := &fedinv.File{Kind: kind, BOM: true, CRLF: kind == fedinv.COTS}
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		rows, err := c.FedRows(ctx, a.OrgID, string(kind))
		if err != nil {
			return err
		}
		all, err := allUseCases(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		byID := map[string]*caio.UseCase{}
		for _, u := range all {
			byID[u.ID] = u
		}
		imported := map[string]bool{}
		for _, fr := range rows {
			u, ok := byID[fr.UseCaseID]
			if !ok {
				continue
			}
			imported[u.ID] = true
			var vals map[string]string
			if err := json.Unmarshal([]byte(fr.Raw), &vals); err != nil {
				return fmt.Errorf("stored row of use case %s: %w", u.ID, err)
			}
			row := fedinv.Row{Values: vals}
			overlay(kind, row, u)
			file.Rows = append(file.Rows, row)
		}
		if kind == fedinv.Individual {
			// Use cases of caio's own, and those imported from the other file.
			others, err := c.FedRows(ctx, a.OrgID, string(fedinv.COTS))
			if err != nil {
				return err
			}
			for _, fr := range others {
				imported[fr.UseCaseID] = true
			}
			org, err := c.OrgByID(ctx, a.OrgID)
			if err != nil {
				return err
			}
			for _, u := range all {
				// Ideas not accepted into the portfolio and rejected use cases are not in use or planned.
				if !imported[u.ID] && u.Intake == caio.IntakeAccepted && u.Stage != portfolio.StageRejected {
					file.Rows = append(file.Rows, nativeRow(org, u))
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if err := app.DB.Write(ctx, func(c *sqldb.Conn) error {
		return record(ctx, c, a, "fedinventory.export", "organization", a.OrgID, caio.Diff(nil, map[string]any{"kind": string(kind), "rows": len(file.Rows)}))
	}); err != nil {
		return 0, err
	}
	return len(file.Rows), fedinv.Write(w, file)
}

// overlay writes into an imported row the fields a person changed in caio
// since: a field is overwritten only when the use case no longer holds what
// the import made of the row, so an unchanged use case exports its row as
// it was read, byte for byte.
func overlay(kind fedinv.Kind, row fedinv.Row, u *caio.UseCase) {
	m := fedMap(kind, row, nop)
	set := func(col, was, now string) {
		if was != now {
			row.Values[col] = now
		}
	}
	if kind == fedinv.COTS {
		set("AI Use Case", m.canvas.Title, u.Title)
		return
	}
	set("use_case_name", m.canvas.Title, u.Title)
	set("problem_solved", m.canvas.Problem, u.Problem)
	set("benefits", m.canvas.Benefits, u.Benefits)
	set("data_description", m.canvas.DataNeeded, u.DataNeeded)
	set("contact_email", m.canvas.Owner, u.Owner)
	if m.stage != u.Stage {
		row.Values["development_stage"] = fedStageOf(u.Stage)
	}
}

// fedStageOf maps a caio stage back to development_stage.
func fedStageOf(stage string) string {
	switch stage {
	case portfolio.StagePoC, portfolio.StageApproved:
		return "Pre-deployment"
	case portfolio.StagePilot:
		return "Pilot"
	case portfolio.StageProduction:
		return "Deployed"
	case portfolio.StageRetired:
		return "Retired"
	}
	return ""
}

// nativeRow builds an inventory row for a use case that was not imported.
func nativeRow(org *caio.Organization, u *caio.UseCase) fedinv.Row {
	v := map[string]string{}
	for _, c := range fedinv.IndividualColumns {
		v[c] = ""
	}
	for _, c := range fedinv.ListColumns {
		v[c] = "[]"
	}
	v["agency"], v["agency_name"], v["id"] = org.Slug, org.Name, u.ID
	v["use_case_name"], v["problem_solved"], v["benefits"] = u.Title, u.Problem, u.Benefits
	v["data_description"], v["contact_email"] = u.DataNeeded, u.Owner
	v["development_stage"] = fedStageOf(u.Stage)
	for k, want := range fedSourcing {
		if want == u.Sourcing {
			v["contracting_usage"] = k
		}
	}
	return fedinv.Row{Values: v}
}

// allUseCases returns every use case of the organisation, oldest first.
func allUseCases(ctx context.Context, c *sqldb.Conn, orgID string) ([]*caio.UseCase, error) {
	var out []*caio.UseCase
	for off := 0; ; off += caio.MaxPageLimit {
		us, _, err := c.UseCases(ctx, orgID, caio.UseCaseFilter{Sort: "created", Page: caio.Page{Limit: caio.MaxPageLimit, Offset: off}})
		if err != nil {
			return nil, err
		}
		out = append(out, us...)
		if len(us) < caio.MaxPageLimit {
			return out, nil
		}
	}
}
