package caio

import "time"

// CSV and XLSX interchange: imports of use cases, AI systems, vendors and
// risks from a spreadsheet with a column mapping, and the exports of every
// list. The readers and writers are in internal/engine/tabular.

// ImportKinds are the kinds of objects a spreadsheet imports into.
var ImportKinds = []string{"usecases", "systems", "vendors", "risks"}

// Import modes: all rows in one transaction or none, or each valid row on
// its own with the rejected ones reported.
const (
	ImportAll    = "all"
	ImportPerRow = "per_row"
)

// ImportUpload is a file kept between its preview and its import. It
// expires a day after the upload and is deleted then.
type ImportUpload struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	Kind      string    `json:"kind"`
	Name      string    `json:"name"`
	Format    string    `json:"format"` // csv or xlsx
	Size      int       `json:"size"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// ImportRowError is a problem with one row of a file: Ref is its line (CSV)
// or row number (XLSX), Where the cell as people find it ("line 4, column
// 2" or "Sheet1!B4"), Field the caio field and Column the file's column.
type ImportRowError struct {
	Ref     int    `json:"row"`
	Where   string `json:"where,omitempty"`
	Field   string `json:"field,omitempty"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// ImportResult is what an import did, or (DryRun) would do.
type ImportResult struct {
	Kind     string           `json:"kind"`
	Mode     string           `json:"mode"`
	DryRun   bool             `json:"dry_run"`
	Rows     int              `json:"rows"`     // data rows read
	Created  int              `json:"created"`  // objects created (or that would be)
	Rejected int              `json:"rejected"` // rows with a problem
	Errors   []ImportRowError `json:"errors"`
	IDs      []string         `json:"ids"` // of the objects created, in row order
	// Updated counts the existing objects rows changed (or would);
	// Unchanged the rows that matched an object already as they say.
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// Actions says for each row, in file order, what it does (or did):
	// create, update, unchanged or reject, with the object's ID once known.
	Actions []ImportAction `json:"actions"`
}

// What a row of an import does.
const (
	ImportCreate    = "create"
	ImportUpdate    = "update"
	ImportUnchanged = "unchanged"
	ImportReject    = "reject"
)

// ImportAction is what one row of an import does: Ref is its line (CSV)
// or row (XLSX); ID the object it updates, or created.
type ImportAction struct {
	Ref    int    `json:"row"`
	Action string `json:"action"`
	ID     string `json:"id,omitempty"`
}
