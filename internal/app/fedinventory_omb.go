package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/catalog"
	"github.com/caio-office/caio/internal/engine/fedinv"
	"github.com/caio-office/caio/internal/sqldb"
)

// The OMB M-25-21 part of the federal inventory import: high-impact systems
// get the memo's minimum practices as controls, and each non-empty hi_*
// answer of their row becomes evidence of the practice it reports on (see
// fedinv.Practices). Evidence is a small text file: its name is the
// answer's source ("US federal inventory 2025, row DHS-2389, field
// hi_testing_conducted"), its content the agency's answer. The name is how
// a later import finds it again: the same answer changes nothing, a
// changed answer replaces the content (evidence updated), an emptied one
// removes it.

// WarnOMBOff is the warning kind of a file with high-impact use cases for
// an organisation that does not follow OMB M-25-21.
const WarnOMBOff = "omb_framework_off"

// fedEvidenceType is the media type of an answer kept as evidence.
const fedEvidenceType = "text/plain; charset=utf-8"

// fedOMBFramework counts the file's high-impact rows and makes sure the
// organisation follows OMB M-25-21 when there are any, inside the import's
// transaction (the organisation locked), before the import writes its
// systems. It sets res.OMBFramework.
func (app *App) fedOMBFramework(ctx context.Context, c *sqldb.Conn, a caio.Actor, f *fedinv.File, res *FedImportResult, warn func(fedinv.Warning)) error {
	cat := app.Catalog()
	for _, r := range f.Rows {
		if fedImpact[strings.TrimSpace(r.Get("is_high_impact"))] == caio.OMBHighImpact {
			res.HighImpact++
		}
	}
	frameworks, err := app.enabledFrameworks(ctx, c, a.OrgID)
	if err != nil {
		return err
	}
	res.OMBFramework = slices.Contains(frameworks, catalog.OMBM2521)
	if !res.OMBFramework {
		if res.HighImpact == 0 {
			return nil
		}
		// The inventory is the M-25-21 report: someone who may choose the
		// organisation's frameworks turns the memo on by importing it;
		// anyone else is told how.
		if !a.System && !caio.Can(a.Role, caio.PermManageOrg) {
			warn(fedinv.Warning{Line: 1, Kind: WarnOMBOff, Column: "is_high_impact", Message: fmt.Sprintf(
				"%d use cases are high-impact, but this organisation does not follow OMB M-25-21, so their systems got no M-25-21 controls and their hi_* answers no evidence: an owner or admin can turn OMB M-25-21 on in the compliance settings, then import the file again",
				res.HighImpact)})
			return nil
		}
		var want []string
		for _, fw := range cat.Frameworks() {
			if fw.ID == catalog.OMBM2521 || slices.Contains(frameworks, fw.ID) {
				want = append(want, fw.ID)
			}
		}
		// Systems already in the inventory get their controls now; the
		// import's own come with fedOMB.
		n, err := app.setOrgFrameworks(ctx, c, a, want)
		if err != nil {
			return err
		}
		res.OMBFramework, res.OMBTurnedOn = true, true
		res.ControlsAdded, res.ControlsRemoved = n.Added, n.Removed
	}
	return nil
}

// fedOMB syncs the M-25-21 controls of the file's systems and records the
// hi_* answers as their evidence, inside the import's transaction, when
// the organisation follows M-25-21. systemOf maps each row key to its
// system ("" for none); ombChanged holds the systems whose determination
// this import changed. It costs a fixed number of queries and batched
// writes, whatever the number of rows.
func (app *App) fedOMB(ctx context.Context, c *sqldb.Conn, a caio.Actor, f *fedinv.File, systemOf map[string]string,
	ombChanged map[string]bool, res *FedImportResult, warn func(fedinv.Warning)) error {
	if !res.OMBFramework {
		return nil
	}
	cat := app.Catalog()
	frameworks, err := app.enabledFrameworks(ctx, c, a.OrgID)
	if err != nil {
		return err
	}

	// Controls: every high-impact system of the organisation's inventory
	// rows gets the practices; one whose determination changed away loses
	// those it had only for being high-impact.
	impacts, err := c.FedSystemImpacts(ctx, a.OrgID, string(f.Kind))
	if err != nil {
		return err
	}
	eu, err := c.ApplicableControls(ctx, a.OrgID, catalog.EUAIAct)
	if err != nil {
		return err
	}
	plan := map[string]map[sqldb.ControlKey]string{}
	for sys, impact := range impacts {
		if impact == caio.OMBHighImpact || ombChanged[sys] {
			plan[sys] = requirementsFor(cat, eu[sys], frameworks, impact == caio.OMBHighImpact)
		}
	}
	counts, err := c.SyncControls(ctx, a.OrgID, plan)
	if err != nil {
		return err
	}
	for _, n := range counts {
		res.ControlsAdded += n.Added
		res.ControlsRemoved += n.Removed
	}

	// Evidence: what the rows want, against what earlier imports recorded.
	// Only high-impact systems and those with EU obligations (the
	// crosswalk's route) can have applicable M-25-21 controls.
	systems := make([]string, 0, len(plan))
	for _, r := range f.Rows {
		if sys := systemOf[r.Key]; sys != "" && (impacts[sys] == caio.OMBHighImpact || eu[sys] != nil) {
			systems = append(systems, sys)
		}
	}
	slices.Sort(systems)
	controls, err := c.ControlsOfSystems(ctx, a.OrgID, catalog.OMBM2521, slices.Compact(systems))
	if err != nil {
		return err
	}
	var ctlIDs []string
	for _, cs := range controls {
		for _, id := range cs {
			ctlIDs = append(ctlIDs, id)
		}
	}
	slices.Sort(ctlIDs)
	have, err := c.EvidenceOfControls(ctx, a.OrgID, ctlIDs)
	if err != nil {
		return err
	}
	perControl := map[string]int{}
	recorded := map[string]sqldb.FedEvidence{} // control id + "\x00" + name
	for _, e := range have {
		perControl[e.ControlID]++
		if strings.HasPrefix(e.Name, fedinv.SourcePrefix) {
			recorded[e.ControlID+"\x00"+e.Name] = e
		}
	}
	wanted := map[string]bool{}
	inFile := map[string]bool{} // controls of the file's systems
	var adds []*caio.Evidence
	var addData [][]byte
	for _, r := range f.Rows {
		sys := systemOf[r.Key]
		cs := controls[sys]
		if sys == "" || cs == nil {
			continue
		}
		for _, p := range fedinv.Practices {
			ctl := cs[p.Control]
			if ctl == "" {
				continue
			}
			inFile[ctl] = true
			answer := fedinv.Answer(r, p.Column)
			if answer == "" {
				continue
			}
			name := fedinv.Source(r, p.Column)
			key := ctl + "\x00" + name
			if wanted[key] {
				continue // the same row twice under one key cannot happen; be safe
			}
			wanted[key] = true
			data := []byte(answer)
			sum := sha256.Sum256(data)
			e := &caio.Evidence{OrgID: a.OrgID, ControlID: ctl, Kind: caio.EvidenceFile, Name: name,
				SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data)), ContentType: fedEvidenceType, CreatedBy: a.Label()}
			if old, ok := recorded[key]; ok {
				if old.SHA256 == e.SHA256 {
					continue
				}
				e.ID = old.ID
				if err := c.ReplaceEvidenceFile(ctx, e, data); err != nil {
					return err
				}
				res.EvidenceUpdated++
				continue
			}
			if perControl[ctl] >= caio.MaxEvidencePerControl {
				warn(fedinv.Warning{Line: r.Line, Kind: "evidence_full", Column: p.Column, Message: fmt.Sprintf(
					"the control %s of the row's system already has %d evidence items, the most one control may have; the answer is kept on the use case only",
					p.Control, caio.MaxEvidencePerControl)})
				continue
			}
			perControl[ctl]++
			e.ID = caio.NewID("evd")
			adds = append(adds, e)
			addData = append(addData, data)
		}
	}
	if err := c.InsertEvidenceFiles(ctx, adds, addData); err != nil {
		return err
	}
	res.EvidenceAdded = len(adds)
	// Answers emptied since the last import: their evidence goes.
	var stale []string
	for key, e := range recorded {
		if inFile[e.ControlID] && !wanted[key] {
			stale = append(stale, e.ID)
		}
	}
	slices.Sort(stale)
	if err := c.DeleteEvidenceItems(ctx, a.OrgID, stale); err != nil {
		return err
	}
	res.EvidenceRemoved = len(stale)
	return nil
}
