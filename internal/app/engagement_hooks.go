package app

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
)

// The engagement reads the policy library and talent through these hooks:
// two deliverables detected from their data, and the policies a template
// carries to the next client.

func init() {
	deliverableChecks["policies_approved"] = checkPoliciesApproved
	deliverableChecks["successor_hired"] = checkSuccessorHired
	templateParts = append(templateParts, templatePart{Name: "policies", Label: "Policies (the text in force, adopted as drafts)",
		Export: exportTemplatePolicies, Apply: applyTemplatePolicies})
}

// corePolicies are the kinds a governance programme cannot run without: the
// rules for everyone who uses AI and the way risks are managed (ISO/IEC
// 42001 clause 5.2 asks for an AI policy; EU AI Act Art 9 for risk
// management of high-risk systems).
var corePolicies = []struct{ kind, label string }{
	{"acceptable_use", "AI acceptable use"},
	{"risk_management", "AI risk management"},
}

// checkPoliciesApproved is done when a policy of each core kind is in force.
func checkPoliciesApproved(ctx context.Context, c *sqldb.Conn, orgID string) (bool, string, error) {
	ps, err := c.PoliciesInForce(ctx, orgID)
	if err != nil {
		return false, "", err
	}
	have := map[string]bool{}
	var titles []string
	for _, p := range ps {
		have[p.Kind] = true
		titles = append(titles, p.Title)
	}
	var missing []string
	for _, k := range corePolicies {
		if !have[k.kind] {
			missing = append(missing, k.label)
		}
	}
	inForce := "No policy is approved yet"
	if len(titles) > 0 {
		inForce = "In force: " + strings.Join(titles, ", ")
	}
	if len(missing) > 0 {
		return false, inForce + "; still to approve: " + strings.Join(missing, " and ") + ".", nil
	}
	return true, inForce + ".", nil
}

// checkSuccessorHired is done while a hiring decision for the permanent
// CAIO stands.
func checkSuccessorHired(ctx context.Context, c *sqldb.Conn, orgID string) (bool, string, error) {
	ok, err := c.HiringDecided(ctx, orgID)
	if err != nil || !ok {
		return false, "No hiring decision is recorded yet (Talent → Hiring the permanent CAIO).", err
	}
	return true, "A hiring decision for the permanent CAIO is recorded (Talent → Hiring the permanent CAIO).", nil
}

func exportTemplatePolicies(ctx context.Context, c *sqldb.Conn, orgID string) (json.RawMessage, error) {
	ps, err := c.TemplatePolicies(ctx, orgID)
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	return json.Marshal(ps)
}

// applyTemplatePolicies adopts every policy of a template as a new draft of
// the organisation, checked like one typed in; the organisation then
// approves them through its own approvers.
func applyTemplatePolicies(ctx context.Context, c *sqldb.Conn, a caio.Actor, data json.RawMessage) error {
	var ps []sqldb.TemplatePolicy
	if err := json.Unmarshal(data, &ps); err != nil {
		return caio.FieldError("template", "has a policies part that is not a list of policies: "+err.Error())
	}
	if len(ps) > maxTemplatePolicies {
		return caio.FieldError("template", "carries more than "+strconv.Itoa(maxTemplatePolicies)+" policies")
	}
	for i, p := range ps {
		in := caio.PolicyInput{Title: p.Title, Kind: p.Kind, Owner: p.Owner, ReviewMonths: p.ReviewMonths, AckDays: p.AckDays,
			Body: p.Body, Note: "From an engagement template"}
		if err := in.Normalize(); err != nil {
			return caio.FieldError("template", "policy "+strconv.Itoa(i+1)+" ("+truncate(p.Title, 80)+"): "+err.Error())
		}
		if _, err := createPolicy(ctx, c, a, in, ""); err != nil {
			return err
		}
	}
	return nil
}

// maxTemplatePolicies bounds the policies a template may carry: far more
// than a policy library holds, far less than would strain one transaction.
const maxTemplatePolicies = 2000
