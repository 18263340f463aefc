package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/cyclonedx"
	"github.com/caio-office/caio/internal/sqldb"
)

// CycloneDXExport is a written BOM and what it holds.
type CycloneDXExport struct {
	BOM      []byte `json:"-"`
	Systems  int    `json:"systems"`
	Models   int    `json:"models"`
	Datasets int    `json:"datasets"`
	Serial   string `json:"serial_number"`
}

// ExportCycloneDX writes the organisation's inventory, or one system's
// part of it when systemID is not empty, as a CycloneDX 1.6 ML-BOM. Needs
// PermRead; the export is recorded in the audit trail with its counts. An
// unknown or malformed system ID is ENOTFOUND.
func (app *App) ExportCycloneDX(ctx context.Context, systemID string) (*CycloneDXExport, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if systemID != "" && !caio.ValidID("sys", systemID) {
		return nil, caio.Errorf(caio.ENOTFOUND, "AI system not found.")
	}
	var rows *sqldb.InventoryRows
	var org *caio.Organization
	var at time.Time
	err = app.DB.Snapshot(ctx, func(c *sqldb.Conn) (err error) {
		if org, err = c.OrgByID(ctx, a.OrgID); err != nil {
			return err
		}
		at = c.Now()
		rows, err = c.InventoryForExport(ctx, a.OrgID, systemID)
		return err
	})
	if err != nil {
		return nil, err
	}
	inv := &cyclonedx.Inventory{OrgID: org.ID, OrgName: org.Name, OrgSlug: org.Slug, At: at, Scope: systemID,
		Systems: rows.Systems, Models: rows.Models, Datasets: rows.Datasets, Vendors: rows.Vendors, Links: rows.Links,
		Obligations: map[string][]cyclonedx.Obligation{}, ContentVersion: map[string]string{}}
	for _, r := range rows.Current {
		inv.ContentVersion[r.SystemID] = r.ContentVersion
		var res struct {
			Obligations []struct {
				ID     string `json:"id"`
				Ref    string `json:"ref"`
				Title  string `json:"title"`
				Status string `json:"status"`
				Dates  struct {
					Applies string `json:"applies"`
				} `json:"dates"`
			} `json:"obligations"`
		}
		if len(r.Result) == 0 {
			continue
		}
		if err := json.Unmarshal(r.Result, &res); err != nil {
			return nil, fmt.Errorf("classification of %s: %w", r.SystemID, err)
		}
		for _, o := range res.Obligations {
			inv.Obligations[r.SystemID] = append(inv.Obligations[r.SystemID],
				cyclonedx.Obligation{ID: o.ID, Ref: o.Ref, Title: o.Title, Status: o.Status, Applies: o.Dates.Applies})
		}
	}
	bom := cyclonedx.Build(inv)
	b, err := cyclonedx.Marshal(bom)
	if err != nil {
		return nil, err
	}
	out := &CycloneDXExport{BOM: b, Systems: len(rows.Systems), Models: len(rows.Models), Datasets: len(rows.Datasets), Serial: bom.SerialNumber}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		diff, _ := json.Marshal(map[string]any{"format": "cyclonedx-1.6", "system": systemID, "systems": out.Systems,
			"models": out.Models, "datasets": out.Datasets, "serial_number": out.Serial})
		return record(ctx, c, a, "cyclonedx.export", "organization", a.OrgID, diff)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CycloneDXImport counts what an import did.
type CycloneDXImport struct {
	ModelsCreated    int      `json:"models_created"`
	ModelsExisting   int      `json:"models_existing"`
	DatasetsCreated  int      `json:"datasets_created"`
	DatasetsExisting int      `json:"datasets_existing"`
	VendorsCreated   int      `json:"vendors_created"`
	VendorsExisting  int      `json:"vendors_existing"`
	Skipped          int      `json:"components_skipped"`
	Warnings         []string `json:"warnings"`
}

// ImportCycloneDX adds the models, datasets and suppliers of a CycloneDX
// JSON BOM to the organisation's inventory, in one transaction: all or
// nothing. What already exists is kept as it is and counted: a model with
// the same name and version, a dataset or vendor with the same name (case
// ignored), so importing a BOM twice adds nothing the second time. Needs
// PermEdit; one audit event records the run with its counts. A malformed
// file is EINVALID naming the line and column; an invalid component
// EINVALID naming it and its field.
func (app *App) ImportCycloneDX(ctx context.Context, data []byte) (*CycloneDXImport, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	p, err := cyclonedx.Parse(data)
	if err != nil {
		return nil, err
	}
	var v caio.Validation
	for i := range p.Models {
		m := &p.Models[i]
		if err := m.AIModelInput.Normalize(); err != nil {
			for _, f := range caio.ErrorFields(err) {
				v.Add("model "+bomName(m.Name)+" "+f.Field, f.Message)
			}
		}
	}
	for i := range p.Datasets {
		d := &p.Datasets[i]
		if err := d.DatasetInput.Normalize(); err != nil {
			for _, f := range caio.ErrorFields(err) {
				v.Add("dataset "+bomName(d.Name)+" "+f.Field, f.Message)
			}
		}
	}
	for i := range p.Vendors {
		if err := p.Vendors[i].Normalize(); err != nil {
			for _, f := range caio.ErrorFields(err) {
				if f.Field == "website" {
					// A supplier's URL that caio cannot use is dropped, not fatal.
					p.Vendors[i].Website = ""
					p.Warnings = append(p.Warnings, "supplier "+bomName(p.Vendors[i].Name)+": web address left out: "+f.Message)
					continue
				}
				v.Add("supplier "+bomName(p.Vendors[i].Name)+" "+f.Field, f.Message)
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	res := &CycloneDXImport{Skipped: p.Skipped, Warnings: p.Warnings}
	if res.Warnings == nil {
		res.Warnings = []string{}
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		*res = CycloneDXImport{Skipped: p.Skipped, Warnings: res.Warnings}
		if err := c.LockOrg(ctx, a.OrgID); err != nil {
			return err
		}
		have, err := c.InventoryNames(ctx, a.OrgID)
		if err != nil {
			return err
		}
		models, datasets, vendors := map[string]bool{}, map[string]bool{}, map[string]bool{}
		for _, m := range have.Models {
			models[strings.ToLower(m.Name)+"\x00"+strings.ToLower(m.ModelVersion)] = true
		}
		for _, d := range have.Datasets {
			datasets[strings.ToLower(d.Name)] = true
		}
		for _, x := range have.Vendors {
			vendors[strings.ToLower(x.Name)] = true
		}
		for _, in := range p.Vendors {
			if vendors[strings.ToLower(in.Name)] {
				res.VendorsExisting++
				continue
			}
			vendors[strings.ToLower(in.Name)] = true
			x := &caio.Vendor{ID: caio.NewID("vnd"), OrgID: a.OrgID, Name: in.Name, Website: in.Website, Contact: in.Contact,
				Country: in.Country, Description: in.Description}
			if err := c.CreateVendor(ctx, x); err != nil {
				return err
			}
			res.VendorsCreated++
		}
		for _, in := range p.Models {
			key := strings.ToLower(in.Name) + "\x00" + strings.ToLower(in.ModelVersion)
			if models[key] {
				res.ModelsExisting++
				continue
			}
			models[key] = true
			m := &caio.AIModel{ID: caio.NewID("mdl"), OrgID: a.OrgID}
			setModel(m, in.AIModelInput)
			if err := c.CreateModel(ctx, m); err != nil {
				return err
			}
			res.ModelsCreated++
		}
		for _, in := range p.Datasets {
			if datasets[strings.ToLower(in.Name)] {
				res.DatasetsExisting++
				continue
			}
			datasets[strings.ToLower(in.Name)] = true
			d := &caio.Dataset{ID: caio.NewID("ds"), OrgID: a.OrgID, Name: in.Name, Source: in.Source, Description: in.Description,
				PersonalData: in.PersonalData, SpecialCategories: in.SpecialCategories}
			if err := c.CreateDataset(ctx, d); err != nil {
				return err
			}
			res.DatasetsCreated++
		}
		diff, _ := json.Marshal(map[string]any{"format": "cyclonedx-" + p.SpecVersion,
			"models_created": res.ModelsCreated, "models_existing": res.ModelsExisting,
			"datasets_created": res.DatasetsCreated, "datasets_existing": res.DatasetsExisting,
			"vendors_created": res.VendorsCreated, "vendors_existing": res.VendorsExisting,
			"components_skipped": res.Skipped, "warnings": len(res.Warnings)})
		return record(ctx, c, a, "cyclonedx.import", "organization", a.OrgID, diff)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func bomName(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return `"` + s + `"`
}
