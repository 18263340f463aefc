package app

import (
	"context"
	"fmt"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/engagement"
	"github.com/caio-office/caio/internal/sqldb"
)

// The demo's interim engagement: Alex Morgan started at Northwind Mutual
// about 45 days ago with the built-in plan, has done most of the first 30
// days' items, and wrote two weekly notes. Alex keeps one template saved
// from the engagement, to start the next client from.

func init() {
	demoAreas = append(demoAreas, demoArea{"engagement", loadDemoEngagement})
}

func loadDemoEngagement(app *App, ctx context.Context) error {
	var day string
	var owner *caio.User
	if err := app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		day = today(c)
		owner, _, err = c.UserByEmail(ctx, DemoEmail)
		return err
	}); err != nil {
		return err
	}
	start := engagement.AddDays(day, -45)
	e, err := app.StartEngagement(ctx, caio.EngagementInput{
		Title:   "Interim CAIO mandate, Northwind Mutual",
		Sponsor: "Henrik Aalto, Chief Operating Officer",
		Start:   start,
		Goals: []string{
			"Every AI system recorded, owned and classified under the EU AI Act before the pricing models' review",
			"An AI governance board with a charter and decision rights, meeting monthly",
			"A board-approved AI strategy tied to the eight business objectives",
			"Simple motor claims settled in three days in a pilot region",
			"A permanent Head of AI hired, with a four-week overlap before handover",
		},
	})
	if err != nil {
		return err
	}
	v, err := app.FindEngagementView(ctx, e.ID)
	if err != nil {
		return err
	}
	// The items due more than a week ago are done, the next two are under way.
	doing := 0
	for _, it := range v.Plan {
		status := "todo"
		switch {
		case it.Due < engagement.AddDays(day, -7):
			status = "done"
		case doing < 2:
			status, doing = "doing", doing+1
		}
		if status != "todo" {
			if _, err := app.SetPlanItemStatus(ctx, it.ID, status); err != nil {
				return err
			}
		}
	}
	if _, err := app.AddPlanItem(ctx, e.ID, caio.PlanItemInput{Title: "Brief the risk committee on the pricing models",
		Description: "Life and health pricing is likely high-risk under Annex III point 5(c): explain what the AI Act asks and by when.",
		Phase:       "assess", Due: engagement.AddDays(start, 52), Owner: "Alex Morgan", Link: "/compliance/eu-ai-act"}); err != nil {
		return err
	}
	if _, err := app.ConfirmDeliverable(ctx, e.ID, "governance_board", caio.DeliverableInput{Done: false,
		Note: "Charter drafted; first meeting booked with the COO, CRO, DPO and Head of Claims."}); err != nil {
		return err
	}
	notes := []caio.StatusNoteInput{
		{Week: engagement.AddDays(day, -14), RAG: "green", Author: "Alex Morgan",
			Summary:      "Inventory nearly complete; the first classifications show two likely high-risk systems.",
			Achievements: "Met all eight executives. Recorded the AI systems of claims, underwriting, customer service and HR, including two tools found on expense reports.",
			NextSteps:    "Classify the remaining systems. Book the first governance board meeting.",
			Risks:        "The pricing team has little time before the annual review; the pricing models may slip."},
		{Week: engagement.AddDays(day, -7), RAG: "amber", Author: "Alex Morgan",
			Summary:      "Governance board charter drafted, but the first meeting moved by two weeks; readiness assessment under way.",
			Achievements: "Readiness assessment started with the leadership team. Risk register filled for the customer chatbot.",
			NextSteps:    "Hold the first board meeting. Submit the readiness baseline. Start collecting use-case ideas.",
			Risks:        "Board meeting delayed by holidays: the 60-day mark for a running board is at risk (practice.md §3.1)."},
	}
	for _, n := range notes {
		if _, err := app.AddStatusNote(ctx, e.ID, n); err != nil {
			return err
		}
	}
	if owner == nil {
		return fmt.Errorf("demo owner %s not found", DemoEmail)
	}
	a, _ := caio.ActorFrom(ctx)
	as := caio.WithActor(ctx, caio.Actor{UserID: owner.ID, Email: owner.Email, OrgID: a.OrgID, OrgSlug: a.OrgSlug, Role: caio.RoleOwner, Via: "demo"})
	_, err = app.SaveEngagementTemplate(as, e.ID, caio.TemplateInput{Name: "Insurer, six-month interim mandate",
		Description: "Northwind's plan with the insurance-specific items: pricing models under Annex III 5(c) and the risk committee briefing."})
	return err
}
