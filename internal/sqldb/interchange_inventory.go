package sqldb

import (
	"context"

	"github.com/caio-office/caio"
)

// InventoryRows is an organisation's whole inventory (or one system's part
// of it), read in a few queries for an export.
type InventoryRows struct {
	Systems  []*caio.AISystem
	Models   []*caio.AIModel
	Datasets []*caio.Dataset
	Vendors  []*caio.Vendor
	Links    []*caio.SystemLink
	// Current holds the latest classification of each classified system,
	// with its content version and result but not its profile.
	Current []*caio.ClassificationRecord
}

// scanAll runs a query and calls scan for each row.
func (c *Conn) scanAll(ctx context.Context, query string, args []any, scan func(row interface{ Scan(...any) error }) error) error {
	rows, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return translate(rows.Err())
}

// appendAll runs a query and appends each row, read by scan, to out.
func appendAll[T any](ctx context.Context, c *Conn, out *[]T, query string, args []any, scan func(row interface{ Scan(...any) error }, extra ...any) (T, error)) error {
	return c.scanAll(ctx, query, args, func(row interface{ Scan(...any) error }) error {
		v, err := scan(row)
		if err == nil {
			*out = append(*out, v)
		}
		return err
	})
}

// InventoryForExport reads the organisation's systems, models, datasets,
// vendors, system links and current classifications in six queries. When
// systemID is not empty only that system, its links and the models and
// datasets it links to are read (vendors are all read, so a model's
// provider can be matched to one); an unknown system is ENOTFOUND.
func (c *Conn) InventoryForExport(ctx context.Context, orgID, systemID string) (*InventoryRows, error) {
	out := &InventoryRows{}
	args := []any{orgID}
	sysCond, linkCond, targetCond := "", "", func(string) string { return "" }
	if systemID != "" {
		args = append(args, systemID)
		sysCond = " AND id = $2"
		linkCond = " AND system_id = $2"
		targetCond = func(kind string) string {
			return " AND id IN (SELECT target_id FROM system_links WHERE org_id = $1 AND system_id = $2 AND kind = '" + kind + "')"
		}
	}
	err := appendAll(ctx, c, &out.Systems, `/* Conn.InventoryForExport */ SELECT `+systemColumns+` FROM ai_systems WHERE org_id = $1`+sysCond+` ORDER BY id`, args, scanSystem)
	if err != nil {
		return nil, err
	}
	if systemID != "" && len(out.Systems) == 0 {
		return nil, caio.Errorf(caio.ENOTFOUND, "AI system not found.")
	}
	err = appendAll(ctx, c, &out.Models, `/* Conn.InventoryForExport */ SELECT `+modelColumns+` FROM ai_models WHERE org_id = $1`+targetCond("model")+` ORDER BY id`, args, scanModel)
	if err != nil {
		return nil, err
	}
	err = appendAll(ctx, c, &out.Datasets, `/* Conn.InventoryForExport */ SELECT `+datasetColumns+` FROM datasets WHERE org_id = $1`+targetCond("dataset")+` ORDER BY id`, args, scanDataset)
	if err != nil {
		return nil, err
	}
	err = appendAll(ctx, c, &out.Vendors, `/* Conn.InventoryForExport */ SELECT `+vendorColumns+` FROM vendors WHERE org_id = $1 ORDER BY id`, args[:1], scanVendor)
	if err != nil {
		return nil, err
	}
	err = c.scanAll(ctx, `/* Conn.InventoryForExport */ SELECT system_id, kind, target_id, created_at FROM system_links WHERE org_id = $1`+linkCond+` ORDER BY system_id, kind, target_id`, args,
		func(row interface{ Scan(...any) error }) error {
			var l caio.SystemLink
			if err := row.Scan(&l.SystemID, &l.Kind, &l.TargetID, timeCol{&l.CreatedAt}); err != nil {
				return translate(err)
			}
			out.Links = append(out.Links, &l)
			return nil
		})
	if err != nil {
		return nil, err
	}
	kCond := ""
	if systemID != "" {
		kCond = " AND k.system_id = $2"
	}
	err = c.scanAll(ctx, `/* Conn.InventoryForExport */ SELECT k.system_id, k.class, k.content_version, k.timeline, k.result FROM classifications k
		JOIN (SELECT system_id, MAX(seq) AS seq FROM classifications WHERE org_id = $1 GROUP BY system_id) last
		  ON last.system_id = k.system_id AND last.seq = k.seq
		WHERE k.org_id = $1`+kCond+` ORDER BY k.system_id`, args,
		func(row interface{ Scan(...any) error }) error {
			var r caio.ClassificationRecord
			var result string
			if err := row.Scan(&r.SystemID, &r.Class, &r.ContentVersion, &r.Timeline, &result); err != nil {
				return translate(err)
			}
			r.OrgID, r.Result = orgID, []byte(result)
			out.Current = append(out.Current, &r)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// InventoryNames returns the organisation's models, datasets and vendors,
// for an import to match what it reads against what exists.
func (c *Conn) InventoryNames(ctx context.Context, orgID string) (*InventoryRows, error) {
	out := &InventoryRows{}
	args := []any{orgID}
	err := appendAll(ctx, c, &out.Models, `/* Conn.InventoryNames */ SELECT `+modelColumns+` FROM ai_models WHERE org_id = $1 ORDER BY id`, args, scanModel)
	if err != nil {
		return nil, err
	}
	err = appendAll(ctx, c, &out.Datasets, `/* Conn.InventoryNames */ SELECT `+datasetColumns+` FROM datasets WHERE org_id = $1 ORDER BY id`, args, scanDataset)
	if err != nil {
		return nil, err
	}
	err = appendAll(ctx, c, &out.Vendors, `/* Conn.InventoryNames */ SELECT `+vendorColumns+` FROM vendors WHERE org_id = $1 ORDER BY id`, args, scanVendor)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AllSystemLinks returns every link of the organisation's systems, by
// system, kind and target.
func (c *Conn) AllSystemLinks(ctx context.Context, orgID string) (map[string][]*caio.SystemLink, error) {
	out := map[string][]*caio.SystemLink{}
	err := c.scanAll(ctx, `/* Conn.AllSystemLinks */ SELECT system_id, kind, target_id, created_at FROM system_links WHERE org_id = $1 ORDER BY system_id, kind, target_id`, []any{orgID},
		func(row interface{ Scan(...any) error }) error {
			var l caio.SystemLink
			if err := row.Scan(&l.SystemID, &l.Kind, &l.TargetID, timeCol{&l.CreatedAt}); err != nil {
				return translate(err)
			}
			out[l.SystemID] = append(out[l.SystemID], &l)
			return nil
		})
	return out, err
}

// CurrentProfiles returns the profile of each classified system's latest
// classification, by system ID, in one query.
func (c *Conn) CurrentProfiles(ctx context.Context, orgID string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := c.scanAll(ctx, `/* Conn.CurrentProfiles */ SELECT k.system_id, k.profile FROM classifications k
		JOIN (SELECT system_id, MAX(seq) AS seq FROM classifications WHERE org_id = $1 GROUP BY system_id) last
		  ON last.system_id = k.system_id AND last.seq = k.seq
		WHERE k.org_id = $1`, []any{orgID},
		func(row interface{ Scan(...any) error }) error {
			var id, profile string
			if err := row.Scan(&id, &profile); err != nil {
				return translate(err)
			}
			out[id] = []byte(profile)
			return nil
		})
	return out, err
}
