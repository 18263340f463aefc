package api

import (
	"context"
	"net/http"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/policydoc"
	"github.com/danielgtaylor/huma/v2"
)

// The policy library: policies with their versions, approval through the
// general approval requests, acknowledgements and the starter policies.

const policyTag = "Policies"

func init() { registrars = append(registrars, (*API).registerPolicies) }

// PolicyBody is what a client may set on a policy. body and note are the
// draft's text: a body that differs from the newest version's rewrites the
// draft, or starts a new version after an approved one.
type PolicyBody struct {
	Title        string `json:"title" minLength:"1" maxLength:"200"`
	Kind         string `json:"kind,omitempty" enum:"acceptable_use,risk_management,generative_ai,procurement,incident_response,literacy,other," doc:"other when left out."`
	Owner        string `json:"owner,omitempty" maxLength:"200" doc:"The person or role accountable for the policy."`
	ReviewMonths int    `json:"review_months,omitempty" minimum:"0" maximum:"60" doc:"Review cycle in months (12 when left out); the next review is this long after each approval."`
	AckDays      int    `json:"ack_days,omitempty" minimum:"0" maximum:"365" doc:"Days members have to acknowledge an approved version (30 when left out)."`
	Body         string `json:"body" minLength:"1" maxLength:"400000" doc:"The policy's text in Markdown (at most 100,000 characters). Raw HTML is not shown."`
	Note         string `json:"note,omitempty" maxLength:"2000" doc:"What changed in this version, for the history."`
	Version      int    `json:"version,omitempty" minimum:"0" doc:"On update: the record version you edited; a different stored version gives 409."`
}

func (b PolicyBody) input() caio.PolicyInput {
	return caio.PolicyInput{Title: b.Title, Kind: b.Kind, Owner: b.Owner, ReviewMonths: b.ReviewMonths, AckDays: b.AckDays, Body: b.Body, Note: b.Note}
}

// PolicyID names a policy in the path.
type PolicyID struct {
	ID string `path:"id" doc:"Policy id, pol_..."`
}

// PolicyVersionPath names a version of a policy in the path.
type PolicyVersionPath struct {
	ID     string `path:"id" doc:"Policy id, pol_..."`
	Number int    `path:"number" minimum:"1" doc:"Version number, from 1."`
}

// PolicyVersionOut is a version with its text rendered as safe HTML.
type PolicyVersionOut struct {
	*caio.PolicyVersion
	HTML string `json:"html" doc:"The Markdown rendered to HTML, without raw HTML or script links."`
}

// PolicyReasonBody gives the reason of a request or a retirement.
type PolicyReasonBody struct {
	Reason string `json:"reason,omitempty" maxLength:"2000"`
}

func (b *PolicyReasonBody) reason() string {
	if b == nil {
		return ""
	}
	return b.Reason
}

// PolicyAckBody names the version being acknowledged.
type PolicyAckBody struct {
	Version int `json:"version" minimum:"1" doc:"The approved version in force that you read; another version is refused with 422."`
}

// PolicyStarterBody names a starter policy to adopt.
type PolicyStarterBody struct {
	Starter string `json:"starter" minLength:"1" maxLength:"64" doc:"A key of GET /policy-starters, such as acceptable-use."`
}

// PolicyStarters lists the starter policies.
type PolicyStarters struct {
	Items []caio.PolicyStarter `json:"items"`
}

// PolicyPendingAcks lists the caller's pending acknowledgements.
type PolicyPendingAcks struct {
	Items []caio.PendingAck `json:"items"`
}

// PolicyVersions lists the versions of a policy.
type PolicyVersions struct {
	Items []*caio.PolicyVersion `json:"items"`
}

func (api *API) registerPolicies() {
	huma.Register(api, op(http.MethodGet, "/policies", "list-policies", "List the policy library", policyTag),
		func(ctx context.Context, in *struct {
			PageQuery
			Q      string `query:"q" maxLength:"200" doc:"Search title and owner."`
			Status string `query:"status" enum:"draft,in_review,approved,retired,"`
			Kind   string `query:"kind" enum:"acceptable_use,risk_management,generative_ai,procurement,incident_response,literacy,other,"`
			Review string `query:"review" enum:"overdue,soon," doc:"overdue: review date passed; soon: due within 30 days (overdue included)."`
			Sort   string `query:"sort" enum:"title,-title,-updated,updated,review,-created,created" default:"title"`
		}) (*listOut[*caio.Policy], error) {
			f := caio.PolicyFilter{Query: trimmed(&in.Q), Status: trimmed(&in.Status), Kind: trimmed(&in.Kind), Review: trimmed(&in.Review),
				Sort: in.Sort, Page: in.page()}
			items, total, err := api.app.FindPolicies(ctx, f)
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	create := op(http.MethodPost, "/policies", "create-policy", "Write a new draft policy", policyTag)
	create.DefaultStatus = http.StatusCreated
	huma.Register(api, create, func(ctx context.Context, in *struct{ Body PolicyBody }) (*struct{ Body *caio.Policy }, error) {
		p, err := api.app.CreatePolicy(ctx, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Policy }{p}, nil
	})

	adopt := op(http.MethodPost, "/policies/from-starter", "adopt-policy-starter", "Adopt a starter policy as a new draft", policyTag)
	adopt.DefaultStatus = http.StatusCreated
	huma.Register(api, adopt, func(ctx context.Context, in *struct{ Body PolicyStarterBody }) (*struct{ Body *caio.Policy }, error) {
		p, err := api.app.AdoptStarter(ctx, in.Body.Starter)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Policy }{p}, nil
	})

	huma.Register(api, op(http.MethodGet, "/policy-starters", "list-policy-starters", "List the starter policies caio ships, with their text", policyTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body PolicyStarters }, error) {
			ss, err := api.app.PolicyStarters(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body PolicyStarters }{PolicyStarters{ss}}, nil
		})

	huma.Register(api, op(http.MethodGet, "/policy-acknowledgements", "list-pending-acknowledgements", "List the approved policies you have yet to acknowledge", policyTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body PolicyPendingAcks }, error) {
			ks, err := api.app.PendingAcknowledgements(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body PolicyPendingAcks }{PolicyPendingAcks{ks}}, nil
		})

	huma.Register(api, op(http.MethodGet, "/policies/{id}", "get-policy", "Get a policy with its approved version in force and its newest version", policyTag),
		func(ctx context.Context, in *PolicyID) (*struct{ Body *caio.Policy }, error) {
			p, err := api.app.FindPolicy(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Policy }{p}, nil
		})

	update := op(http.MethodPut, "/policies/{id}", "update-policy", "Replace a policy's fields and its draft text", policyTag)
	update.Description = "409: the text cannot change while a version waits for approval or once the policy is retired, or the record version differs."
	update.Errors = append(update.Errors, http.StatusConflict)
	huma.Register(api, update, func(ctx context.Context, in *struct {
		PolicyID
		Body PolicyBody
	}) (*struct{ Body *caio.Policy }, error) {
		p, err := api.app.UpdatePolicy(ctx, in.ID, in.Body.Version, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Policy }{p}, nil
	})

	del := op(http.MethodDelete, "/policies/{id}", "delete-policy", "Delete a policy that was never approved", policyTag)
	del.Errors = append(del.Errors, http.StatusConflict)
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *PolicyID) (*struct{}, error) {
		if err := api.app.DeletePolicy(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	submit := op(http.MethodPost, "/policies/{id}/submit", "submit-policy", "Ask approvers to approve the draft version", policyTag)
	submit.Description = "Opens an approval request (see the Approvals operations); the vote that reaches the organisation's quorum approves the version. 409: no draft, or a request already waits."
	submit.Errors = append(submit.Errors, http.StatusConflict)
	submit.DefaultStatus = http.StatusCreated
	huma.Register(api, submit, func(ctx context.Context, in *struct {
		PolicyID
		Body *PolicyReasonBody `required:"false"`
	}) (*struct{ Body *caio.Approval }, error) {
		ap, err := api.app.SubmitPolicy(ctx, in.ID, in.Body.reason())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Approval }{ap}, nil
	})

	retire := op(http.MethodPost, "/policies/{id}/retire", "retire-policy", "Take a policy out of force", policyTag)
	retire.Errors = append(retire.Errors, http.StatusConflict)
	huma.Register(api, retire, func(ctx context.Context, in *struct {
		PolicyID
		Body *PolicyReasonBody `required:"false"`
	}) (*struct{ Body *caio.Policy }, error) {
		p, err := api.app.RetirePolicy(ctx, in.ID, in.Body.reason())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Policy }{p}, nil
	})

	huma.Register(api, op(http.MethodGet, "/policies/{id}/versions", "list-policy-versions", "List a policy's versions, newest first", policyTag),
		func(ctx context.Context, in *PolicyID) (*struct{ Body PolicyVersions }, error) {
			vs, err := api.app.PolicyVersions(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body PolicyVersions }{PolicyVersions{vs}}, nil
		})

	huma.Register(api, op(http.MethodGet, "/policies/{id}/versions/{number}", "get-policy-version", "Get one version of a policy, with its text rendered", policyTag),
		func(ctx context.Context, in *PolicyVersionPath) (*struct{ Body PolicyVersionOut }, error) {
			v, err := api.app.PolicyVersion(ctx, in.ID, in.Number)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body PolicyVersionOut }{PolicyVersionOut{v, policydoc.Render(v.Body)}}, nil
		})

	huma.Register(api, op(http.MethodGet, "/policies/{id}/diff", "diff-policy", "Compare two versions of a policy line by line", policyTag),
		func(ctx context.Context, in *struct {
			PolicyID
			From int `query:"from" minimum:"0" doc:"The older version; by default the one in force, or the one before the newest."`
			To   int `query:"to" minimum:"0" doc:"The newer version; by default the newest."`
		}) (*struct{ Body *caio.PolicyDiff }, error) {
			d, err := api.app.DiffPolicy(ctx, in.ID, in.From, in.To)
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return &struct{ Body *caio.PolicyDiff }{d}, nil
		})

	ack := op(http.MethodPost, "/policies/{id}/acknowledge", "acknowledge-policy", "Acknowledge that you read the approved version in force", policyTag)
	ack.Description = "422 names the version to acknowledge when the one given is not the approved version in force; 409 when you acknowledged it already."
	ack.Errors = append(ack.Errors, http.StatusConflict)
	ack.DefaultStatus = http.StatusCreated
	huma.Register(api, ack, func(ctx context.Context, in *struct {
		PolicyID
		Body PolicyAckBody
	}) (*struct{ Body *caio.PolicyAck }, error) {
		k, err := api.app.AcknowledgePolicy(ctx, in.ID, in.Body.Version)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.PolicyAck }{k}, nil
	})

	huma.Register(api, op(http.MethodGet, "/policies/{id}/acknowledgements", "policy-acknowledgements", "Who has and who has not acknowledged the approved version", policyTag),
		func(ctx context.Context, in *PolicyID) (*struct{ Body *caio.PolicyAcks }, error) {
			k, err := api.app.PolicyAcknowledgements(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.PolicyAcks }{k}, nil
		})
}
