package app

import (
	"context"
	"slices"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/portfolio"
	"github.com/caio-office/caio/internal/sqldb"
)

func useCaseNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Use case not found.") }

// ScoredUseCase is a use case with the score the engine gives it under the
// organisation's weights, and its place in the ranking when the list was
// ranked (1 is first).
type ScoredUseCase struct {
	*caio.UseCase
	Score portfolio.Score
	Rank  int
}

// FindUseCase returns one use case with its score. Needs PermRead; returns
// ENOTFOUND if it does not exist or belongs to another organisation.
func (app *App) FindUseCase(ctx context.Context, id string) (*ScoredUseCase, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("uc", id) {
		return nil, useCaseNotFound()
	}
	var out *ScoredUseCase
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		u, err := c.UseCase(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		w, err := orgWeights(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		ranks, err := c.UseCaseRanks(ctx, a.OrgID, caio.UseCaseFilter{}, []string{id})
		if err != nil {
			return err
		}
		if len(ranks) == 0 { // deleted between the two reads
			return useCaseNotFound()
		}
		out = &ScoredUseCase{UseCase: u, Score: scoreOf(ranks[0], w)}
		return nil
	})
	return out, err
}

// scoreOf runs the scoring engine over what the store read for ranking.
func scoreOf(r *sqldb.UseCaseRank, w portfolio.Weights) portfolio.Score {
	in := portfolio.ScoreInput{
		ObjectiveFit: r.Ratings.ObjectiveFit, StrategicFit: r.Ratings.StrategicFit,
		PeopleAffected: r.Ratings.PeopleAffected, Urgency: r.Ratings.Urgency,
		DataReadiness: r.Ratings.DataReadiness, Complexity: r.Ratings.Complexity,
		Skills: r.Ratings.Skills, Integration: r.Ratings.Integration,
		ObjectiveCount: r.ObjectiveCount,
		Reach:          r.Ratings.Reach, Impact: r.Ratings.Impact, Confidence: r.Ratings.Confidence, Effort: r.Ratings.Effort,
		BusinessValue: r.Ratings.BusinessValue, TimeCriticality: r.Ratings.TimeCriticality,
		RiskReduction: r.Ratings.RiskReduction, JobSize: r.Ratings.JobSize,
	}
	for _, s := range r.Systems {
		in.Systems = append(in.Systems, portfolio.SystemRisk{ID: s.ID, Name: s.Name, Class: s.Class})
	}
	if g := r.Register; g != nil {
		in.Register = &portfolio.RegisterRisk{ID: g.ID, Title: g.Title, Score: g.Score, Scale: g.Scale}
	}
	return portfolio.Compute(in, w)
}

// FindUseCases returns a page of use cases with their scores and the total
// that match. Sort "priority" ranks every matching use case by the
// organisation's scoring method before taking the page; the other sorts are
// read in index order. Needs PermRead.
func (app *App) FindUseCases(ctx context.Context, f caio.UseCaseFilter) ([]ScoredUseCase, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if err := checkUseCaseFilter(&f); err != nil {
		return nil, 0, err
	}
	var out []ScoredUseCase
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		w, err := orgWeights(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		if f.Sort == "priority" {
			ranked, err := rank(ctx, c, a.OrgID, f, w)
			if err != nil {
				return err
			}
			total = len(ranked)
			out, err = rankedPage(ctx, c, a.OrgID, ranked, f.Page)
			return err
		}
		us, n, err := c.UseCases(ctx, a.OrgID, f)
		if err != nil {
			return err
		}
		total = n
		ids := make([]string, len(us))
		for i, u := range us {
			ids[i] = u.ID
		}
		ranks, err := c.UseCaseRanks(ctx, a.OrgID, caio.UseCaseFilter{}, ids)
		if err != nil {
			return err
		}
		scores := make(map[string]portfolio.Score, len(ranks))
		for _, r := range ranks {
			scores[r.ID] = scoreOf(r, w)
		}
		out = make([]ScoredUseCase, len(us))
		for i, u := range us {
			out[i] = ScoredUseCase{UseCase: u, Score: scores[u.ID]}
		}
		return nil
	})
	return out, total, err
}

// rankedPage reads the full rows of one page of a ranking.
func rankedPage(ctx context.Context, c *sqldb.Conn, orgID string, ranked []RankedUseCase, p caio.Page) ([]ScoredUseCase, error) {
	if p.Offset >= len(ranked) {
		return []ScoredUseCase{}, nil
	}
	page := ranked[p.Offset:min(p.Offset+p.Limit, len(ranked))]
	ids := make([]string, len(page))
	for i, r := range page {
		ids[i] = r.ID
	}
	us, err := c.UseCasesByID(ctx, orgID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]ScoredUseCase, 0, len(us))
	byID := make(map[string]*caio.UseCase, len(us))
	for _, u := range us {
		byID[u.ID] = u
	}
	for _, r := range page {
		if u := byID[r.ID]; u != nil {
			out = append(out, ScoredUseCase{UseCase: u, Score: r.Score, Rank: r.Rank})
		}
	}
	return out, nil
}

// FindRankedUseCases ranks the use cases that match the filter once and
// returns both the page of the ranked list and the whole ranking (for the
// matrix chart beside the list), with the total. Needs PermRead.
func (app *App) FindRankedUseCases(ctx context.Context, f caio.UseCaseFilter) ([]ScoredUseCase, int, []RankedUseCase, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, nil, err
	}
	f.Sort = "priority"
	if err := checkUseCaseFilter(&f); err != nil {
		return nil, 0, nil, err
	}
	var page []ScoredUseCase
	var ranked []RankedUseCase
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		w, err := orgWeights(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		if ranked, err = rank(ctx, c, a.OrgID, f, w); err != nil {
			return err
		}
		page, err = rankedPage(ctx, c, a.OrgID, ranked, f.Page)
		return err
	})
	return page, len(ranked), ranked, err
}

func checkUseCaseFilter(f *caio.UseCaseFilter) error {
	var err error
	if f.Page, err = f.Page.Normalize(); err != nil {
		return err
	}
	if f.Sort == "" {
		f.Sort = "priority"
	}
	if !oneOf(f.Sort, caio.UseCaseSorts) {
		return caio.FieldError("sort", "must be one of "+strings.Join(caio.UseCaseSorts, ", "))
	}
	if f.Stage != nil && !portfolio.ValidStage(*f.Stage) {
		return caio.FieldError("stage", "must be one of "+strings.Join(stageKeys(), ", "))
	}
	if f.Intake != nil && !oneOf(*f.Intake, []string{caio.IntakeSubmitted, caio.IntakeAccepted, caio.IntakeMerged, caio.IntakeRejected}) {
		return caio.FieldError("intake", "must be one of submitted, accepted, merged, rejected")
	}
	return nil
}

func stageKeys() []string {
	var out []string
	for _, s := range portfolio.Stages() {
		out = append(out, string(s.Key))
	}
	return out
}

// RankedUseCase is one use case in the portfolio's ranking, with what the
// matrix chart and the roadmap draw.
type RankedUseCase struct {
	ID, Title, Stage string
	Score            portfolio.Score
	Rank             int
	// Cost is the business case's total cost (likely values) and NPVP50 its
	// simulated median NPV; nil without a business case.
	Cost, NPVP50 *float64
}

// RankUseCases ranks every use case that matches the filter (its page and
// sort are ignored) by the organisation's scoring method. Ideas waiting in
// the triage queue, merged or rejected are left out unless the filter asks
// for an intake state, and use cases rejected or retired at a gate unless it
// asks for a stage. Needs PermRead.
func (app *App) RankUseCases(ctx context.Context, f caio.UseCaseFilter) ([]RankedUseCase, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	f.Page = caio.Page{Limit: 1}
	if err := checkUseCaseFilter(&f); err != nil {
		return nil, err
	}
	var out []RankedUseCase
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		w, err := orgWeights(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		out, err = rank(ctx, c, a.OrgID, f, w)
		return err
	})
	return out, err
}

// rank scores and sorts the use cases that match f: by the method's key,
// then by title and ID so equal scores keep a stable order.
func rank(ctx context.Context, c *sqldb.Conn, orgID string, f caio.UseCaseFilter, w portfolio.Weights) ([]RankedUseCase, error) {
	if f.Intake == nil {
		accepted := caio.IntakeAccepted
		f.Intake = &accepted
	}
	rows, err := c.UseCaseRanks(ctx, orgID, f, nil)
	if err != nil {
		return nil, err
	}
	if f.Stage == nil { // closed use cases leave the ranking unless asked for
		rows = slices.DeleteFunc(rows, func(r *sqldb.UseCaseRank) bool {
			return r.Stage == string(portfolio.StageRejected) || r.Stage == string(portfolio.StageRetired)
		})
	}
	out := make([]RankedUseCase, len(rows))
	keys := make([]float64, len(rows))
	titles := make([]string, len(rows))
	for i, r := range rows {
		out[i] = RankedUseCase{ID: r.ID, Title: r.Title, Stage: r.Stage, Score: scoreOf(r, w), Cost: r.Cost, NPVP50: r.NPVP50}
		keys[i] = portfolio.RankKey(out[i].Score, w.Method)
		titles[i] = strings.ToLower(r.Title)
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int {
		if keys[i] != keys[j] {
			if keys[i] > keys[j] {
				return -1
			}
			return 1
		}
		if c := strings.Compare(titles[i], titles[j]); c != 0 {
			return c
		}
		return strings.Compare(out[i].ID, out[j].ID)
	})
	sorted := make([]RankedUseCase, len(out))
	for n, i := range idx {
		sorted[n] = out[i]
		sorted[n].Rank = n + 1
	}
	return sorted, nil
}

// CreateUseCase stores a new use case at the idea stage. An editor's use
// case is accepted at once; a contributor's idea waits in the triage queue.
// Needs PermContribute; returns EINVALID naming each field to fix, also for
// linked objectives or systems that do not exist.
func (app *App) CreateUseCase(ctx context.Context, in caio.UseCaseInput) (*caio.UseCase, error) {
	a, err := authorize(ctx, caio.PermContribute)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	intake := caio.IntakeSubmitted
	if _, err := authorize(ctx, caio.PermEdit); err == nil {
		intake = caio.IntakeAccepted
	}
	u := &caio.UseCase{ID: caio.NewID("uc"), OrgID: a.OrgID, Stage: string(portfolio.StageIdea), Intake: intake,
		SubmittedBy: a.UserID, DependsOn: []string{}}
	setUseCase(u, in)
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := checkLinks(ctx, c, a.OrgID, in); err != nil {
			return err
		}
		if err := c.CreateUseCase(ctx, u); err != nil {
			return err
		}
		if err := c.AddStageChange(ctx, a.OrgID, u.ID, caio.StageChange{To: u.Stage, By: a.UserID, Reason: "Proposed"}); err != nil {
			return err
		}
		fields := u.Fields()
		fields["intake"] = u.Intake
		return record(ctx, c, a, "use_case.create", "use_case", u.ID, caio.Diff(nil, fields))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func setUseCase(u *caio.UseCase, in caio.UseCaseInput) {
	u.UseCaseCanvas = in.UseCaseCanvas
	u.ObjectiveIDs, u.SystemIDs = in.ObjectiveIDs, in.SystemIDs
}

// checkLinks reports linked objectives and systems that do not exist in the
// organisation, naming the field.
func checkLinks(ctx context.Context, c *sqldb.Conn, orgID string, in caio.UseCaseInput) error {
	var v caio.Validation
	for _, l := range []struct {
		field, table, what string
		ids                []string
	}{
		{"objective_ids", "objectives", "objective", in.ObjectiveIDs},
		{"system_ids", "ai_systems", "AI system", in.SystemIDs},
	} {
		missing, err := c.MissingIDs(ctx, orgID, l.table, l.ids)
		if err != nil {
			return err
		}
		for _, id := range missing {
			v.Add(l.field, "has "+id+", which is not an "+l.what+" of this organisation")
		}
	}
	return v.Err()
}

// UpdateUseCase replaces the canvas and links. Needs PermEdit, except that
// the contributor who submitted an idea may edit it while it waits in the
// triage queue. When version is not zero and differs, returns ECONFLICT.
func (app *App) UpdateUseCase(ctx context.Context, id string, version int, in caio.UseCaseInput) (*caio.UseCase, error) {
	a, err := authorize(ctx, caio.PermContribute)
	if err != nil {
		return nil, err
	}
	_, editErr := authorize(ctx, caio.PermEdit)
	if !caio.ValidID("uc", id) {
		return nil, useCaseNotFound()
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var u *caio.UseCase
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if u, err = c.UseCase(ctx, a.OrgID, id); err != nil {
			return err
		}
		if editErr != nil && (u.Intake != caio.IntakeSubmitted || u.SubmittedBy != a.UserID) {
			return editErr
		}
		if version != 0 && version != u.Version {
			return staleEdit("use case", u.Version, version)
		}
		if err := checkLinks(ctx, c, a.OrgID, in); err != nil {
			return err
		}
		before := u.Fields()
		setUseCase(u, in)
		if err := c.UpdateUseCase(ctx, u); err != nil {
			return err
		}
		return record(ctx, c, a, "use_case.update", "use_case", u.ID, caio.Diff(before, u.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// DeleteUseCase removes a use case with its business case, KPIs and
// history; its pending approvals are withdrawn. Needs PermEdit.
func (app *App) DeleteUseCase(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("uc", id) {
		return useCaseNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		u, err := c.UseCase(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		withdrawn, err := c.WithdrawApprovalsOf(ctx, a.OrgID, u.ID)
		if err != nil {
			return err
		}
		for _, ap := range withdrawn {
			if err := record(ctx, c, a, "approval.withdraw", "approval", ap, caio.Diff(map[string]any{"status": "pending"}, map[string]any{"status": "withdrawn", "reason": "use case deleted"})); err != nil {
				return err
			}
		}
		dependents, err := c.DeleteUseCase(ctx, u)
		if err != nil {
			return err
		}
		if err := record(ctx, c, a, "use_case.delete", "use_case", u.ID, caio.Diff(u.Fields(), nil)); err != nil {
			return err
		}
		for _, id := range dependents { // each use case that waited for it says so
			if err := record(ctx, c, a, "use_case.unlink", "use_case", id, caio.Diff(map[string]any{"depends_on": u.ID}, nil)); err != nil {
				return err
			}
		}
		return nil
	})
}

// TriageInput is an editor's decision on an idea in the triage queue.
type TriageInput struct {
	// Decision is accept, merge or reject.
	Decision string `json:"decision"`
	// Reason is required to reject or merge.
	Reason string `json:"reason"`
	// MergeInto names the use case a duplicate is merged into.
	MergeInto string `json:"merge_into"`
}

// TriageUseCase decides an idea waiting in the triage queue: accepting it
// puts it in the portfolio at the idea stage; merging a duplicate adds its
// links to the use case it duplicates and closes it; rejecting closes it with
// the reason. Needs PermEdit; returns EINVALID for an idea that is not
// waiting, a missing reason or an unknown merge target.
func (app *App) TriageUseCase(ctx context.Context, id string, in TriageInput) (*caio.UseCase, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("uc", id) {
		return nil, useCaseNotFound()
	}
	in.Decision, in.Reason, in.MergeInto = strings.TrimSpace(in.Decision), strings.TrimSpace(in.Reason), strings.TrimSpace(in.MergeInto)
	var v caio.Validation
	switch in.Decision {
	case "accept":
	case "reject":
		if in.Reason == "" {
			v.Add("reason", "is required to reject an idea: say why, so the person who proposed it learns")
		}
	case "merge":
		if in.Reason == "" {
			in.Reason = "Duplicate"
		}
		if !caio.ValidID("uc", in.MergeInto) {
			v.Add("merge_into", "must name the use case this idea duplicates")
		} else if in.MergeInto == id {
			v.Add("merge_into", "must be another use case than this one")
		}
	default:
		v.Add("decision", "must be accept, merge or reject")
	}
	if len(in.Reason) > 2000 {
		v.Add("reason", "must be at most 2,000 characters")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var u *caio.UseCase
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if u, err = c.UseCase(ctx, a.OrgID, id); err != nil {
			return err
		}
		if u.Intake != caio.IntakeSubmitted {
			return caio.FieldError("decision", "can only be taken on an idea waiting in the triage queue; this one is "+u.Intake)
		}
		before := map[string]any{"intake": u.Intake, "stage": u.Stage}
		u.IntakeNote = in.Reason
		switch in.Decision {
		case "accept":
			u.Intake = caio.IntakeAccepted
		case "reject":
			u.Intake = caio.IntakeRejected
			if err := moveStage(ctx, c, a, u, string(portfolio.StageRejected), in.Reason, ""); err != nil {
				return err
			}
		case "merge":
			target, err := c.UseCase(ctx, a.OrgID, in.MergeInto)
			if caio.ErrorCode(err) == caio.ENOTFOUND {
				return caio.FieldError("merge_into", "names no use case of this organisation")
			} else if err != nil {
				return err
			}
			if target.Intake != caio.IntakeAccepted {
				return caio.FieldError("merge_into", "must name a use case of the portfolio; "+target.Title+" is "+target.Intake+" itself")
			}
			u.Intake, u.MergedInto = caio.IntakeMerged, target.ID
			tb := target.Fields()
			target.ObjectiveIDs = union(target.ObjectiveIDs, u.ObjectiveIDs)
			target.SystemIDs = union(target.SystemIDs, u.SystemIDs)
			if err := c.UpdateUseCase(ctx, target); err != nil {
				return err
			}
			if err := record(ctx, c, a, "use_case.update", "use_case", target.ID, caio.Diff(tb, target.Fields())); err != nil {
				return err
			}
		}
		if err := c.UpdateUseCase(ctx, u); err != nil {
			return err
		}
		after := map[string]any{"intake": u.Intake, "stage": u.Stage, "reason": in.Reason}
		if u.MergedInto != "" {
			after["merged_into"] = u.MergedInto
		}
		return record(ctx, c, a, "use_case.triage", "use_case", u.ID, caio.Diff(before, after))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// RateUseCase sets the team's ratings that the scoring engine reads. Needs
// PermEdit; returns EINVALID naming each rating out of its scale.
func (app *App) RateUseCase(ctx context.Context, id string, version int, r caio.UseCaseRatings) (*ScoredUseCase, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("uc", id) {
		return nil, useCaseNotFound()
	}
	if err := portfolio.ValidateInput(ratingInput(r)); err != nil {
		return nil, err
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		u, err := c.UseCase(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if version != 0 && version != u.Version {
			return staleEdit("use case", u.Version, version)
		}
		before := u.Ratings.Fields()
		u.Ratings = r
		if err := c.UpdateUseCase(ctx, u); err != nil {
			return err
		}
		return record(ctx, c, a, "use_case.rate", "use_case", u.ID, caio.Diff(before, r.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return app.FindUseCase(ctx, id)
}

func ratingInput(r caio.UseCaseRatings) portfolio.ScoreInput {
	return portfolio.ScoreInput{
		ObjectiveFit: r.ObjectiveFit, StrategicFit: r.StrategicFit, PeopleAffected: r.PeopleAffected, Urgency: r.Urgency,
		DataReadiness: r.DataReadiness, Complexity: r.Complexity, Skills: r.Skills, Integration: r.Integration,
		Reach: r.Reach, Impact: r.Impact, Confidence: r.Confidence, Effort: r.Effort,
		BusinessValue: r.BusinessValue, TimeCriticality: r.TimeCriticality, RiskReduction: r.RiskReduction, JobSize: r.JobSize,
	}
}

// PlanUseCase places a use case on the roadmap and sets what it depends on.
// Needs PermEdit; returns EINVALID for a quarter that cannot be read, an end
// before the start, an unknown dependency or one that would close a cycle.
func (app *App) PlanUseCase(ctx context.Context, id string, version int, in caio.RoadmapInput) (*caio.UseCase, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("uc", id) {
		return nil, useCaseNotFound()
	}
	var v caio.Validation
	if err := in.Normalize(); err != nil {
		for _, f := range caio.ErrorFields(err) {
			v.Add(f.Field, f.Message)
		}
	}
	var start, end portfolio.Quarter
	if in.Start != "" && in.End != "" {
		var e1, e2 error
		if start, e1 = portfolio.ParseQuarter(in.Start); e1 != nil {
			v.Add("start", "must be a quarter written 2027Q1")
		}
		if end, e2 = portfolio.ParseQuarter(in.End); e2 != nil {
			v.Add("end", "must be a quarter written 2027Q1")
		}
		if e1 == nil && e2 == nil {
			if end.Less(start) {
				v.Add("end", "must not be before the start ("+start.String()+")")
			}
			in.Start, in.End = start.String(), end.String()
		}
	}
	if slices.Contains(in.DependsOn, id) {
		v.Add("depends_on", "cannot name the use case itself")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var u *caio.UseCase
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if u, err = c.UseCase(ctx, a.OrgID, id); err != nil {
			return err
		}
		if version != 0 && version != u.Version {
			return staleEdit("use case", u.Version, version)
		}
		// Two plans saved at once must not each pass the cycle check
		// against the other's old edges: on PostgreSQL they queue here.
		if err := c.LockOrg(ctx, a.OrgID); err != nil {
			return err
		}
		missing, err := c.MissingIDs(ctx, a.OrgID, "use_cases", in.DependsOn)
		if err != nil {
			return err
		}
		for _, m := range missing {
			v.Add("depends_on", "has "+m+", which is not a use case of this organisation")
		}
		edges, err := c.DependencyEdges(ctx, a.OrgID)
		if err != nil {
			return err
		}
		edges[id] = in.DependsOn
		if cycle := portfolio.Cycle(edges); cycle != nil {
			v.Add("depends_on", "would make a cycle: "+strings.Join(cycle, " → "))
		}
		if err := v.Err(); err != nil {
			return err
		}
		before := map[string]any{"start": u.Roadmap.Start, "end": u.Roadmap.End, "people": u.Roadmap.People, "budget": u.Roadmap.Budget, "depends_on": strings.Join(u.DependsOn, ",")}
		u.Roadmap, u.DependsOn = in.RoadmapPlacement, in.DependsOn
		if err := c.UpdateUseCase(ctx, u); err != nil {
			return err
		}
		after := map[string]any{"start": u.Roadmap.Start, "end": u.Roadmap.End, "people": u.Roadmap.People, "budget": u.Roadmap.Budget, "depends_on": strings.Join(u.DependsOn, ",")}
		return record(ctx, c, a, "use_case.plan", "use_case", u.ID, caio.Diff(before, after))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// unlinkUseCases removes the links of use cases to an objective or AI system
// being deleted, in the same transaction, and records a use_case.unlink
// event for each use case that had one.
func unlinkUseCases(ctx context.Context, c *sqldb.Conn, a caio.Actor, kind, targetID string) error {
	ids, err := c.DeleteUseCaseLinksTo(ctx, a.OrgID, kind, targetID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := record(ctx, c, a, "use_case.unlink", "use_case", id, caio.Diff(map[string]any{kind: targetID}, nil)); err != nil {
			return err
		}
	}
	return nil
}

// LinkedName is a linked object's id and name, with an objective's KPI, an
// AI system's class or a use case's stage as Detail. Missing is true for a link whose target is
// gone.
type LinkedName struct {
	ID, Name, Detail string
	Missing          bool
}

// UseCaseLinks names what a use case links to: its objectives, AI systems
// and the use cases it depends on, in one query each, in the use case's
// order. Needs PermRead.
func (app *App) UseCaseLinks(ctx context.Context, u *caio.UseCase) (objectives, systems, dependsOn []LinkedName, err error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, nil, nil, err
	}
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		for _, l := range []struct {
			kind string
			ids  []string
			out  *[]LinkedName
		}{{"objective", u.ObjectiveIDs, &objectives}, {"system", u.SystemIDs, &systems}, {"use_case", u.DependsOn, &dependsOn}} {
			names, err := c.Names(ctx, a.OrgID, l.kind, l.ids)
			if err != nil {
				return err
			}
			*l.out = []LinkedName{}
			for _, id := range l.ids {
				n, ok := names[id]
				*l.out = append(*l.out, LinkedName{ID: id, Name: n.Name, Detail: n.Detail, Missing: !ok})
			}
		}
		return nil
	})
	return objectives, systems, dependsOn, err
}

// UseCaseNames lists the organisation's accepted use cases by title (at
// most 1,000) with their stages, for choosing dependencies or a merge
// target, without scoring them. Needs PermRead.
func (app *App) UseCaseNames(ctx context.Context) ([]LinkedName, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	var out []LinkedName
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		names, err := c.UseCaseNames(ctx, a.OrgID, 1000)
		for _, n := range names {
			out = append(out, LinkedName{ID: n.ID, Name: n.Name, Detail: n.Detail})
		}
		return err
	})
	return out, err
}
