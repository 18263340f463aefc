package sqldb

import (
	"context"
	"strings"
	"time"

	"github.com/caio-office/caio"
)

// Storage of the US federal AI use case inventory import (issue 7): the
// source row kept beside each imported use case, and the bulk writes that
// let a 3,611-row file load within its budget.

func init() {
	backupTables = append(backupTables, struct{ name, order string }{"fedinventory_rows", "org_id, use_case_id"})
}

// FedRow is the source row of an imported use case.
type FedRow struct {
	OrgID      string
	UseCaseID  string
	Kind       string // "individual" or "cots"
	Agency     string
	Key        string
	SystemID   string
	RowNo      int
	Raw        string // JSON object of column name to value
	ImportedAt time.Time
	UpdatedAt  time.Time
}

const fedRowColumns = `org_id, use_case_id, kind, agency, source_key, system_id, row_no, raw, imported_at, updated_at`

// FedRows returns the organisation's source rows of one kind ("" for both),
// in file order.
func (c *Conn) FedRows(ctx context.Context, orgID, kind string) ([]*FedRow, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.FedRows */ SELECT `+fedRowColumns+` FROM fedinventory_rows
		WHERE org_id = $1 AND ($2 = '' OR kind = $2) ORDER BY kind, row_no, use_case_id`, orgID, kind)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []*FedRow
	for rows.Next() {
		var r FedRow
		var imp, upd string
		if err := rows.Scan(&r.OrgID, &r.UseCaseID, &r.Kind, &r.Agency, &r.Key, &r.SystemID, &r.RowNo, &r.Raw, &imp, &upd); err != nil {
			return nil, translate(err)
		}
		r.ImportedAt, _ = time.Parse(TimeFormat, imp)
		r.UpdatedAt, _ = time.Parse(TimeFormat, upd)
		out = append(out, &r)
	}
	return out, translate(rows.Err())
}

// VendorIDsByName returns the organisation's vendor ids by lower-cased name.
func (c *Conn) VendorIDsByName(ctx context.Context, orgID string) (map[string]string, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.VendorIDsByName */ SELECT id, name FROM vendors WHERE org_id = $1`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, translate(err)
		}
		out[strings.ToLower(name)] = id
	}
	return out, translate(rows.Err())
}

// FedImport is what one import adds: new vendors, AI systems, use cases (with
// their system links), links from systems to vendors, and the source rows.
type FedImport struct {
	Vendors     []*caio.Vendor
	Systems     []*caio.AISystem
	UseCases    []*caio.UseCase
	VendorLinks [][2]string // system id, vendor id
	Rows        []*FedRow
	By          string // the user who imports ("" for the system actor)
	Reason      string // the stage history's reason
}

// InsertFedImport writes a FedImport with multi-row inserts, in the Conn's
// transaction, and counts the new objects.
func (c *Conn) InsertFedImport(ctx context.Context, orgID string, in *FedImport) error {
	now := ts(c.now)
	vb := c.bulk("vendors", strings.Split(vendorColumns, ", "))
	for _, v := range in.Vendors {
		v.Version, v.CreatedAt, v.UpdatedAt = 1, c.now, c.now
		if err := vb.Add(ctx, v.ID, v.OrgID, v.Name, v.Website, v.Contact, v.Country, v.Description, v.Version, now, now); err != nil {
			return err
		}
	}
	if err := vb.Close(ctx); err != nil {
		return err
	}
	sb := c.bulk("ai_systems", strings.Split(systemColumns, ", "))
	for _, s := range in.Systems {
		s.Version, s.CreatedAt, s.UpdatedAt = 1, c.now, c.now
		if err := sb.Add(ctx, s.ID, s.OrgID, s.Name, s.Purpose, s.Description, s.Owner, s.BusinessUnit, s.Stage, joinKeys(s.Countries),
			s.Users, s.Affected, s.Autonomy, s.Oversight, joinKeys(s.Roles), s.Version, now, now, "", "", "", "", s.OMBImpact); err != nil {
			return err
		}
	}
	if err := sb.Close(ctx); err != nil {
		return err
	}
	lb := c.bulk("system_links", []string{"org_id", "system_id", "kind", "target_id", "created_at"})
	for _, l := range in.VendorLinks {
		if err := lb.Add(ctx, orgID, l[0], "vendor", l[1], now); err != nil {
			return err
		}
	}
	if err := lb.Close(ctx); err != nil {
		return err
	}
	ub := c.bulk("use_cases", []string{"id", "org_id", "title", "problem", "process", "users", "volume", "data_needed",
		"data_available", "approach", "sourcing", "benefits", "costs", "risks", "dependencies", "owner", "sponsor", "stage",
		"held_from", "stage_since", "intake", "intake_note", "merged_into", "ratings", "road_start", "road_end", "road_people",
		"road_budget", "submitted_by", "version", "created_at", "updated_at", "links"})
	ulb := c.bulk("use_case_links", []string{"org_id", "use_case_id", "kind", "target_id", "created_at"})
	stb := c.bulk("stage_changes", []string{"id", "org_id", "use_case_id", "seq", "from_stage", "to_stage", "at", "by_user", "reason", "approval_id"})
	for _, u := range in.UseCases {
		u.Version, u.CreatedAt, u.UpdatedAt, u.StageSince = 1, c.now, c.now, c.now
		cv := u.UseCaseCanvas
		if err := ub.Add(ctx, u.ID, u.OrgID, cv.Title, cv.Problem, cv.Process, cv.Users, cv.Volume, cv.DataNeeded, cv.DataAvailable,
			cv.Approach, cv.Sourcing, cv.Benefits, cv.Costs, cv.Risks, cv.Dependencies, cv.Owner, cv.Sponsor, u.Stage, u.HeldFrom,
			now, u.Intake, u.IntakeNote, u.MergedInto, jsonArg(u.Ratings), u.Roadmap.Start, u.Roadmap.End, u.Roadmap.People,
			u.Roadmap.Budget, u.SubmittedBy, u.Version, now, now, linkText(u)); err != nil {
			return err
		}
	}
	// Links and history after every use case, for their foreign keys.
	if err := ub.Close(ctx); err != nil {
		return err
	}
	for _, u := range in.UseCases {
		for _, id := range u.SystemIDs {
			if err := ulb.Add(ctx, orgID, u.ID, "system", id, now); err != nil {
				return err
			}
		}
		if err := stb.Add(ctx, caio.NewID("stg"), orgID, u.ID, 1, "", u.Stage, now, in.By, in.Reason, ""); err != nil {
			return err
		}
	}
	for _, b := range []*bulkInserter{ulb, stb} {
		if err := b.Close(ctx); err != nil {
			return err
		}
	}
	rb := c.bulk("fedinventory_rows", strings.Split(fedRowColumns, ", "))
	for _, r := range in.Rows {
		r.ImportedAt, r.UpdatedAt = c.now, c.now
		if err := rb.Add(ctx, orgID, r.UseCaseID, r.Kind, r.Agency, r.Key, r.SystemID, r.RowNo, r.Raw, now, now); err != nil {
			return err
		}
	}
	if err := rb.Close(ctx); err != nil {
		return err
	}
	for kind, n := range map[string]int{"vendor": len(in.Vendors), "system": len(in.Systems), "use_case": len(in.UseCases)} {
		if n > 0 {
			if err := c.bumpCounter(ctx, orgID, kind, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// UpdateFedRow stores a changed source row (its raw values, place and system).
func (c *Conn) UpdateFedRow(ctx context.Context, r *FedRow) error {
	r.UpdatedAt = c.now
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateFedRow */ UPDATE fedinventory_rows SET raw = $1, row_no = $2, system_id = $3,
		updated_at = $4 WHERE org_id = $5 AND use_case_id = $6`, r.Raw, r.RowNo, r.SystemID, ts(c.now), r.OrgID, r.UseCaseID))
}

// SetFedRowNos stores the place of unchanged rows in the last imported file.
func (c *Conn) SetFedRowNo(ctx context.Context, orgID, useCaseID string, rowNo int) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.SetFedRowNo */ UPDATE fedinventory_rows SET row_no = $1 WHERE org_id = $2 AND use_case_id = $3`,
		rowNo, orgID, useCaseID)
	return translate(err)
}

// LinkSystemVendorOnce links a system to a vendor unless it is already.
func (c *Conn) LinkSystemVendorOnce(ctx context.Context, orgID, systemID, vendorID string) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.LinkSystemVendorOnce */ INSERT INTO system_links (org_id, system_id, kind, target_id, created_at)
		VALUES ($1, $2, 'vendor', $3, $4) ON CONFLICT DO NOTHING`, orgID, systemID, vendorID, ts(c.now))
	return translate(err)
}

// --- OMB M-25-21: high-impact systems, their controls and the evidence the import keeps ---

// FedSystemImpacts returns the OMB M-25-21 determination of every system
// made for a source row of the kind, by system id, in one query.
func (c *Conn) FedSystemImpacts(ctx context.Context, orgID, kind string) (map[string]string, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.FedSystemImpacts */ SELECT s.id, s.omb_impact FROM fedinventory_rows r
		JOIN ai_systems s ON s.org_id = r.org_id AND s.id = r.system_id WHERE r.org_id = $1 AND r.kind = $2`, orgID, kind)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, impact string
		if err := rows.Scan(&id, &impact); err != nil {
			return nil, translate(err)
		}
		out[id] = impact
	}
	return out, translate(rows.Err())
}

// ControlsOfSystems returns the applicable controls of one framework of
// the systems: system id → item id → control id, reading 500 systems at a
// time through the controls_org_system index.
func (c *Conn) ControlsOfSystems(ctx context.Context, orgID, framework string, systems []string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for lo := 0; lo < len(systems); lo += syncBatch {
		batch := systems[lo:min(len(systems), lo+syncBatch)]
		args := []any{orgID, framework}
		for _, s := range batch {
			args = append(args, s)
		}
		err := c.scanAll(ctx, `/* Conn.ControlsOfSystems */ SELECT id, system_id, item_id FROM controls
			WHERE org_id = $1 AND applicable = 1 AND system_id IN (`+placeholders(3, len(batch))+`) AND framework = $2`, args,
			func(row interface{ Scan(...any) error }) error {
				var id, sys, item string
				if err := row.Scan(&id, &sys, &item); err != nil {
					return err
				}
				if out[sys] == nil {
					out[sys] = map[string]string{}
				}
				out[sys][item] = id
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// FedEvidence is what the import needs to know of one evidence item.
type FedEvidence struct {
	ID, ControlID, Name, SHA256 string
}

// EvidenceOfControls returns every evidence item of the controls, reading
// 500 controls at a time through the evidence_control index.
func (c *Conn) EvidenceOfControls(ctx context.Context, orgID string, controls []string) ([]FedEvidence, error) {
	var out []FedEvidence
	for lo := 0; lo < len(controls); lo += syncBatch {
		batch := controls[lo:min(len(controls), lo+syncBatch)]
		args := []any{orgID}
		for _, k := range batch {
			args = append(args, k)
		}
		err := c.scanAll(ctx, `/* Conn.EvidenceOfControls */ SELECT id, control_id, name, sha256 FROM evidence
			WHERE control_id IN (`+placeholders(2, len(batch))+`) AND org_id = $1`, args,
			func(row interface{ Scan(...any) error }) error {
				var e FedEvidence
				if err := row.Scan(&e.ID, &e.ControlID, &e.Name, &e.SHA256); err != nil {
					return err
				}
				out = append(out, e)
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// InsertEvidenceFiles stores file evidence with multi-row inserts: es[i]
// with the bytes data[i].
func (c *Conn) InsertEvidenceFiles(ctx context.Context, es []*caio.Evidence, data [][]byte) error {
	now := ts(c.now)
	eb := c.bulk("evidence", strings.Split(evidenceColumns, ", "))
	for _, e := range es {
		e.CreatedAt = c.now
		if err := eb.Add(ctx, e.ID, e.OrgID, e.ControlID, e.Kind, e.Name, e.URL, e.SHA256, e.Size, e.ContentType, now, e.CreatedBy); err != nil {
			return err
		}
	}
	if err := eb.Close(ctx); err != nil {
		return err
	}
	bb := c.bulk("evidence_blobs", []string{"evidence_id", "org_id", "data"})
	for i, e := range es {
		if err := bb.Add(ctx, e.ID, e.OrgID, data[i]); err != nil {
			return err
		}
	}
	return bb.Close(ctx)
}

// ReplaceEvidenceFile gives file evidence new bytes: its digest, size, and
// who added it when become those of the new content.
func (c *Conn) ReplaceEvidenceFile(ctx context.Context, e *caio.Evidence, data []byte) error {
	e.CreatedAt = c.now
	if err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.ReplaceEvidenceFile */ UPDATE evidence SET sha256 = $1, size = $2, created_at = $3, created_by = $4
		WHERE org_id = $5 AND id = $6`, e.SHA256, e.Size, ts(c.now), e.CreatedBy, e.OrgID, e.ID)); err != nil {
		return err
	}
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.ReplaceEvidenceFile */ UPDATE evidence_blobs SET data = $1 WHERE org_id = $2 AND evidence_id = $3`,
		data, e.OrgID, e.ID))
}

// DeleteEvidenceItems removes evidence and its bytes, in batches.
func (c *Conn) DeleteEvidenceItems(ctx context.Context, orgID string, ids []string) error {
	if err := c.execIn(ctx, `/* Conn.DeleteEvidenceItems */ DELETE FROM evidence_blobs WHERE org_id = $1 AND evidence_id IN `, []any{orgID}, ids); err != nil {
		return err
	}
	return c.execIn(ctx, `/* Conn.DeleteEvidenceItems */ DELETE FROM evidence WHERE org_id = $1 AND id IN `, []any{orgID}, ids)
}
