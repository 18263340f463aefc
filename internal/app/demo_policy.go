package app

import (
	"context"
	"fmt"

	"github.com/caio-office/caio"
)

// The demo's policy library: Northwind Mutual has its AI acceptable use
// policy approved, with some members' acknowledgements still pending; its
// generative AI policy waits for approval; its AI risk management policy
// is a draft.

func init() { demoAreas = append(demoAreas, demoArea{"policies", loadDemoPolicies}) }

// demoMember acts as the demo member with the email, in the system actor's
// organisation.
func demoMember(app *App, ctx context.Context, email string) (context.Context, error) {
	sys, _ := caio.ActorFrom(ctx)
	ms, _, err := app.FindMembers(ctx, caio.Page{Limit: caio.MaxPageLimit})
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.Email == email {
			return caio.WithActor(ctx, caio.Actor{UserID: m.UserID, Email: m.Email, OrgID: sys.OrgID, OrgSlug: sys.OrgSlug, Role: m.Role, Via: "demo"}), nil
		}
	}
	return nil, fmt.Errorf("demo member %s not found", email)
}

func loadDemoPolicies(app *App, ctx context.Context) error {
	owner, err := demoMember(app, ctx, DemoEmail)
	if err != nil {
		return err
	}
	governance, err := demoMember(app, ctx, "governance@northwind.example")
	if err != nil {
		return err
	}
	product, err := demoMember(app, ctx, "product@northwind.example")
	if err != nil {
		return err
	}
	adopt := func(as context.Context, key, policyOwner string) (*caio.Policy, error) {
		p, err := app.AdoptStarter(as, key)
		if err != nil {
			return nil, err
		}
		in := p.Input()
		in.Owner = policyOwner
		return app.UpdatePolicy(as, p.ID, p.Version, in)
	}

	// Acceptable use: adopted by the interim CAIO, approved by the head of
	// governance, acknowledged by three of the five members.
	aup, err := adopt(owner, "acceptable-use", "Interim Chief AI Officer")
	if err != nil {
		return err
	}
	ap, err := app.SubmitPolicy(owner, aup.ID, "First AI policy for all staff, from caio's starter with our tool list.")
	if err != nil {
		return err
	}
	if _, err := app.DecideApproval(governance, ap.ID, "approve", "Reviewed with HR and Legal."); err != nil {
		return err
	}
	for _, as := range []context.Context{owner, governance, product} {
		if _, err := app.AcknowledgePolicy(as, aup.ID, 1); err != nil {
			return err
		}
	}

	// Generative AI use: waiting for approval, asked by the product lead.
	gen, err := adopt(product, "generative-ai", "Product Lead, Claims Digital")
	if err != nil {
		return err
	}
	if _, err := app.SubmitPolicy(product, gen.ID, "Claims Digital wants to pilot drafting assistants; this sets the rules first."); err != nil {
		return err
	}

	// AI risk management: a draft the head of governance will complete.
	_, err = adopt(owner, "risk-management", "Head of AI Governance and Compliance")
	return err
}
