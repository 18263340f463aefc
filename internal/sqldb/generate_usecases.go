package sqldb

import (
	"context"
	"fmt"
	"strings"

	"github.com/caio-office/caio"
)

// GenerateUseCases writes n accepted use cases into an organisation for
// benchmarks, bypassing the services: varied ratings, stages and roadmap
// quarters, each linked to one of the objectives and one of the AI systems
// given (when any), and a kept count. No audit events; never for real data.
func (db *DB) GenerateUseCases(ctx context.Context, orgID string, n int, objectiveIDs, systemIDs []string) error {
	const batch = 40 // small: SQLite looks numbered parameters up linearly
	stages := []string{"idea", "assessment", "approved", "poc", "pilot", "production", "on_hold"}
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		err := db.Write(ctx, func(c *Conn) error {
			var rows, links []string
			var args, largs []any
			for i := start; i < end; i++ {
				id := caio.NewID("uc")
				u := &caio.UseCase{}
				if len(objectiveIDs) > 0 {
					u.ObjectiveIDs = []string{objectiveIDs[i%len(objectiveIDs)]}
				}
				if len(systemIDs) > 0 {
					u.SystemIDs = []string{systemIDs[i%len(systemIDs)]}
				}
				r := caio.UseCaseRatings{ObjectiveFit: 1 + i%5, StrategicFit: 1 + (i/5)%5, PeopleAffected: 1 + (i/25)%5, Urgency: 1 + (i/3)%5,
					DataReadiness: 1 + (i/7)%5, Complexity: 1 + (i/11)%5, Skills: 1 + (i/13)%5, Integration: 1 + (i/17)%5,
					Reach: float64(100 * (1 + i%50)), Impact: 1, Confidence: 0.8, Effort: float64(1 + i%12)}
				ph := make([]string, 33)
				for j := range ph {
					ph[j] = "$" + itoa(len(args)+j+1)
				}
				rows = append(rows, "("+strings.Join(ph, ", ")+")")
				q := fmt.Sprintf("%dQ%d", 2027+i%3, 1+i%4)
				at := ts(c.now)
				args = append(args, id, orgID, fmt.Sprintf("Use case %06d", i), "Problem of use case", "", "", "", "", "", "predictive", "build",
					"", "", "", "", "Owner "+itoa(i%40), "Sponsor", stages[i%len(stages)], "", at, caio.IntakeAccepted, "", "",
					jsonArg(r), q, q, 1.0, 10000.0, "", 1, at, at, linkText(u))
				for _, l := range []struct {
					kind string
					ids  []string
				}{{"objective", objectiveIDs}, {"system", systemIDs}} {
					if len(l.ids) == 0 {
						continue
					}
					largs = append(largs, orgID, id, l.kind, l.ids[i%len(l.ids)], at)
					k := len(largs)
					links = append(links, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d)", k-4, k-3, k-2, k-1, k))
				}
			}
			if _, err := c.q.ExecContext(ctx, `/* DB.GenerateUseCases */ INSERT INTO use_cases (id, org_id, title, problem, process, users, volume,
				data_needed, data_available, approach, sourcing, benefits, costs, risks, dependencies, owner, sponsor, stage, held_from,
				stage_since, intake, intake_note, merged_into, ratings, road_start, road_end, road_people, road_budget, submitted_by,
				version, created_at, updated_at, links) VALUES `+strings.Join(rows, ", "), args...); err != nil {
				return translate(err)
			}
			if len(links) > 0 {
				if _, err := c.q.ExecContext(ctx, `/* DB.GenerateUseCases */ INSERT INTO use_case_links (org_id, use_case_id, kind, target_id, created_at) VALUES `+strings.Join(links, ", "), largs...); err != nil {
					return translate(err)
				}
			}
			return c.bumpCounter(ctx, orgID, "use_case", end-start)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
