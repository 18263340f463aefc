package sqldb

import (
	"context"

	"github.com/caio-office/caio/internal/engine/advisor"
)

// AdvisorIncidents runs the incidents' advisor loader alone, for tests.
func (c *Conn) AdvisorIncidents(ctx context.Context, orgID, today string) ([]advisor.Incident, error) {
	var f advisor.Facts
	err := loadAdvisorIncidents(ctx, c, orgID, today, &f)
	return f.Incidents, err
}
