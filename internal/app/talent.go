package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/talent"
	"github.com/caio-office/caio/internal/sqldb"
)

// The talent services: the AI team's skills matrix and the hiring of the
// permanent CAIO. They follow the risk register's: authorize, validate,
// then change the store and record one audit event in one transaction.
//
// Permissions: reads need PermRead. People and candidates need PermEdit.
// Skill ratings and a panel member's own ratings of a candidate need
// PermContribute: rating is giving evidence, as answering an assessment
// is, and every rating records who gave it. The scorecard's criteria and
// weights need PermEdit, since they are content like any other. The hiring
// decision needs PermApprove (owners, admins, approvers): it is a decision,
// as an approval is, and it must not rest with whoever edits content.

var _ caio.TalentService = (*App)(nil)

func personNotFound() error    { return caio.Errorf(caio.ENOTFOUND, "Person not found.") }
func candidateNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Candidate not found.") }

// TalentFramework returns the skill framework: its scale, groups, skills
// and role profiles.
func (app *App) TalentFramework(ctx context.Context) (*talent.Framework, error) {
	if _, err := authorize(ctx, caio.PermRead); err != nil {
		return nil, err
	}
	return talent.Default(), nil
}

// describePeople fills each person's role name and, from ratings, their
// count of ratings and of targets they are rated below.
func describePeople(ratings map[string][]caio.SkillRating, ps ...*caio.Person) {
	fw := talent.Default()
	for _, p := range ps {
		p.RoleName = fw.RoleName(p.Role)
		levels := levelsOf(ratings[p.ID])
		p.Rated = len(levels)
		p.Below = fw.CountBelow(p.Role, levels)
	}
}

func levelsOf(rs []caio.SkillRating) map[string]int {
	m := make(map[string]int, len(rs))
	for _, r := range rs {
		m[r.Skill] = r.Level
	}
	return m
}

// FindPeople implements caio.TalentService.
func (app *App) FindPeople(ctx context.Context, f caio.PersonFilter) ([]*caio.Person, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if err := f.Normalize(); err != nil {
		return nil, 0, err
	}
	var out []*caio.Person
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		if out, total, err = c.People(ctx, a.OrgID, f); err != nil {
			return err
		}
		ratings, err := c.SkillRatings(ctx, a.OrgID, "")
		if err != nil {
			return err
		}
		describePeople(ratings, out...)
		return nil
	})
	return out, total, err
}

// FindPerson implements caio.TalentService.
func (app *App) FindPerson(ctx context.Context, id string) (*caio.Person, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("per", id) {
		return nil, personNotFound()
	}
	var p *caio.Person
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		if p, err = c.Person(ctx, a.OrgID, id); err != nil {
			return err
		}
		ratings, err := c.SkillRatings(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		fillPerson(p, ratings[id])
		return nil
	})
	return p, err
}

// fillPerson sets a person's ratings (named, in the framework's order)
// and gaps.
func fillPerson(p *caio.Person, rs []caio.SkillRating) {
	fw := talent.Default()
	p.Ratings = []caio.SkillRating{}
	for _, s := range fw.Skills {
		for _, r := range rs {
			if r.Skill == s.ID {
				r.SkillName = s.Name
				p.Ratings = append(p.Ratings, r)
			}
		}
	}
	p.Gaps = fw.PersonGaps(p.Role, levelsOf(rs))
	describePeople(map[string][]caio.SkillRating{p.ID: rs}, p)
}

// personInput validates in, including that a linked user is a member.
func personInput(ctx context.Context, c *sqldb.Conn, orgID string, in *caio.PersonInput) error {
	var v caio.Validation
	if err := in.Normalize(talent.Default().KnownRole); err != nil {
		fs := caio.ErrorFields(err)
		if len(fs) == 0 {
			return err
		}
		for _, p := range fs {
			v.Add(p.Field, p.Message)
		}
	}
	if in.UserID != "" && caio.ValidID("usr", in.UserID) {
		if _, err := c.Membership(ctx, orgID, in.UserID); caio.ErrorCode(err) == caio.ENOTFOUND {
			v.Add("user_id", "names "+in.UserID+", who is not a member of this organisation")
		} else if err != nil {
			return err
		}
	}
	return v.Err()
}

// CreatePerson implements caio.TalentService.
func (app *App) CreatePerson(ctx context.Context, in caio.PersonInput) (*caio.Person, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	var p *caio.Person
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		in := in
		if err := personInput(ctx, c, a.OrgID, &in); err != nil {
			return err
		}
		p = &caio.Person{ID: caio.NewID("per"), OrgID: a.OrgID, Name: in.Name, Role: in.Role, UserID: in.UserID, Notes: in.Notes}
		if err := c.CreatePerson(ctx, p); err != nil {
			return err
		}
		return record(ctx, c, a, "talent.person.create", "person", p.ID, caio.Diff(nil, p.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return app.FindPerson(ctx, p.ID)
}

// UpdatePerson implements caio.TalentService.
func (app *App) UpdatePerson(ctx context.Context, id string, version int, in caio.PersonInput) (*caio.Person, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("per", id) {
		return nil, personNotFound()
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		in := in
		p, err := c.Person(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if version != 0 && version != p.Version {
			return staleEdit("person", p.Version, version)
		}
		if err := personInput(ctx, c, a.OrgID, &in); err != nil {
			return err
		}
		before := p.Fields()
		p.Name, p.Role, p.UserID, p.Notes = in.Name, in.Role, in.UserID, in.Notes
		if err := c.UpdatePerson(ctx, p); err != nil {
			return err
		}
		return record(ctx, c, a, "talent.person.update", "person", p.ID, caio.Diff(before, p.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return app.FindPerson(ctx, id)
}

// DeletePerson implements caio.TalentService.
func (app *App) DeletePerson(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("per", id) {
		return personNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		p, err := c.Person(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		ratings, err := c.SkillRatings(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		before := p.Fields()
		before["ratings"] = len(ratings[id])
		if err := c.DeletePerson(ctx, p); err != nil {
			return err
		}
		return record(ctx, c, a, "talent.person.delete", "person", p.ID, caio.Diff(before, nil))
	})
}

// RateSkills implements caio.TalentService.
func (app *App) RateSkills(ctx context.Context, personID string, ratings map[string]int) (*caio.Person, error) {
	a, err := authorize(ctx, caio.PermContribute)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("per", personID) {
		return nil, personNotFound()
	}
	if err := caio.CheckLevels(ratings, talent.Default().KnownSkill); err != nil {
		return nil, err
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		p, err := c.Person(ctx, a.OrgID, personID)
		if err != nil {
			return err
		}
		stored, err := c.SkillRatings(ctx, a.OrgID, personID)
		if err != nil {
			return err
		}
		old := levelsOf(stored[personID])
		before, after := map[string]any{}, map[string]any{}
		skills := make([]string, 0, len(ratings))
		for s := range ratings {
			skills = append(skills, s)
		}
		slices.Sort(skills)
		for _, s := range skills {
			level := ratings[s]
			if old[s] == level {
				continue
			}
			if err := c.PutSkillRating(ctx, a.OrgID, personID, caio.SkillRating{Skill: s, Level: level, RatedBy: a.UserID, RatedByLabel: a.Label()}); err != nil {
				return err
			}
			if old[s] != 0 {
				before[s] = old[s]
			}
			if level != 0 {
				after[s] = level
			}
		}
		if len(before) == 0 && len(after) == 0 {
			return nil // nothing changed: no event
		}
		if err := c.TouchPerson(ctx, p); err != nil {
			return err
		}
		return record(ctx, c, a, "talent.person.rate", "person", p.ID, caio.Diff(before, after))
	})
	if err != nil {
		return nil, err
	}
	return app.FindPerson(ctx, personID)
}

// team reads up to MaxTalentPeople people by name with their levels.
func team(ctx context.Context, c *sqldb.Conn, orgID string) ([]talent.Member, bool, error) {
	ps, total, err := c.People(ctx, orgID, caio.PersonFilter{Sort: "name", Page: caio.Page{Limit: caio.MaxTalentPeople}})
	if err != nil {
		return nil, false, err
	}
	ratings, err := c.SkillRatings(ctx, orgID, "")
	if err != nil {
		return nil, false, err
	}
	out := make([]talent.Member, len(ps))
	for i, p := range ps {
		out[i] = talent.Member{ID: p.ID, Name: p.Name, Role: p.Role, Levels: levelsOf(ratings[p.ID])}
	}
	return out, total > len(ps), nil
}

// TalentHeatMap implements caio.TalentService.
func (app *App) TalentHeatMap(ctx context.Context) (*caio.TalentHeatMap, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	var h *caio.TalentHeatMap
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		members, truncated, err := team(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		h = talent.Default().HeatMap(members)
		h.Truncated = truncated
		return nil
	})
	return h, err
}

// TalentGaps implements caio.TalentService.
func (app *App) TalentGaps(ctx context.Context) ([]caio.TeamSkillGap, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	var out []caio.TeamSkillGap
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		members, _, err := team(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		out = talent.Default().TeamGaps(members)
		return nil
	})
	return out, err
}

// scorecardOf returns the saved scorecard, or the default at version 0.
func scorecardOf(ctx context.Context, c *sqldb.Conn, orgID string) (*caio.Scorecard, error) {
	s, err := c.Scorecard(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if s.Version == 0 {
		d := talent.Default().DefaultScorecard()
		return &d, nil
	}
	return s, nil
}

// Scorecard implements caio.TalentService.
func (app *App) Scorecard(ctx context.Context) (*caio.Scorecard, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	var s *caio.Scorecard
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		s, err = scorecardOf(ctx, c, a.OrgID)
		return err
	})
	return s, err
}

func criteriaFields(s *caio.Scorecard) map[string]any {
	m := map[string]any{}
	for _, c := range s.Criteria {
		m[c.Key] = fmt.Sprintf("%s: %d%%", c.Name, c.Weight)
	}
	return m
}

// SetScorecard implements caio.TalentService.
func (app *App) SetScorecard(ctx context.Context, s caio.Scorecard) (*caio.Scorecard, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := s.Normalize(); err != nil {
		return nil, err
	}
	var out *caio.Scorecard
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := c.LockOrg(ctx, a.OrgID); err != nil { // the row may not exist yet to lock
			return err
		}
		cur, err := scorecardOf(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		if s.Version != 0 && s.Version != cur.Version {
			return staleEdit("scorecard", cur.Version, s.Version)
		}
		out = &caio.Scorecard{Criteria: slices.Clone(s.Criteria), Version: cur.Version}
		if err := c.PutScorecard(ctx, a.OrgID, out); err != nil {
			return err
		}
		return record(ctx, c, a, "talent.scorecard.update", "scorecard", a.OrgID, caio.Diff(criteriaFields(cur), criteriaFields(out)))
	})
	return out, err
}

// FindCandidates implements caio.TalentService.
func (app *App) FindCandidates(ctx context.Context, f caio.CandidateFilter) ([]*caio.Candidate, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if err := f.Normalize(); err != nil {
		return nil, 0, err
	}
	var out []*caio.Candidate
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		out, total, err = c.Candidates(ctx, a.OrgID, f)
		return err
	})
	return out, total, err
}

// FindCandidate implements caio.TalentService.
func (app *App) FindCandidate(ctx context.Context, id string) (*caio.Candidate, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("cnd", id) {
		return nil, candidateNotFound()
	}
	var k *caio.Candidate
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		if k, err = c.Candidate(ctx, a.OrgID, id); err != nil {
			return err
		}
		panels, err := c.PanelRatings(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		s, err := scorecardOf(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		k.Panels = panels[id]
		if k.Panels == nil {
			k.Panels = []caio.PanelRating{}
		}
		k.Score = talent.Score(s, talent.Candidate{ID: k.ID, Name: k.Name, Status: k.Status, Panels: k.Panels})
		return nil
	})
	return k, err
}

// hiredByDecision refuses to set a candidate's status to hired by hand.
func hiredByDecision(in caio.CandidateInput, was string) error {
	if in.Status == "hired" && was != "hired" {
		return caio.FieldError("status", "cannot be set to hired here: record the hiring decision instead, which says why")
	}
	return nil
}

// CreateCandidate implements caio.TalentService.
func (app *App) CreateCandidate(ctx context.Context, in caio.CandidateInput) (*caio.Candidate, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	if err := hiredByDecision(in, ""); err != nil {
		return nil, err
	}
	k := &caio.Candidate{ID: caio.NewID("cnd"), OrgID: a.OrgID, Name: in.Name, Source: in.Source, Status: in.Status, Notes: in.Notes}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := c.CreateCandidate(ctx, k); err != nil {
			return err
		}
		return record(ctx, c, a, "talent.candidate.create", "candidate", k.ID, caio.Diff(nil, k.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return app.FindCandidate(ctx, k.ID)
}

// UpdateCandidate implements caio.TalentService. Changing a hired
// candidate's status to declined or withdrawn voids the decision that
// chose them, so another may be recorded.
func (app *App) UpdateCandidate(ctx context.Context, id string, version int, in caio.CandidateInput) (*caio.Candidate, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("cnd", id) {
		return nil, candidateNotFound()
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		k, err := c.Candidate(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if version != 0 && version != k.Version {
			return staleEdit("candidate", k.Version, version)
		}
		if err := hiredByDecision(in, k.Status); err != nil {
			return err
		}
		before := k.Fields()
		k.Name, k.Source, k.Status, k.Notes = in.Name, in.Source, in.Status, in.Notes
		if err := c.UpdateCandidate(ctx, k); err != nil {
			return err
		}
		return record(ctx, c, a, "talent.candidate.update", "candidate", k.ID, caio.Diff(before, k.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return app.FindCandidate(ctx, id)
}

// DeleteCandidate implements caio.TalentService.
func (app *App) DeleteCandidate(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("cnd", id) {
		return candidateNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		k, err := c.Candidate(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		decided, err := c.CandidateDecided(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if decided {
			return caio.Errorf(caio.ECONFLICT, "%s is named in a recorded hiring decision, which must keep its record: change their status instead.", k.Name)
		}
		panels, err := c.PanelRatings(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		before := k.Fields()
		before["panel_ratings"] = len(panels[id])
		if err := c.DeleteCandidate(ctx, k); err != nil {
			return err
		}
		return record(ctx, c, a, "talent.candidate.delete", "candidate", k.ID, caio.Diff(before, nil))
	})
}

// RateCandidate implements caio.TalentService. The set belongs to the
// signed-in member: a system actor, who is nobody on the panel, is refused.
func (app *App) RateCandidate(ctx context.Context, candidateID string, in caio.PanelInput) (*caio.PanelRating, error) {
	a, err := authorize(ctx, caio.PermContribute)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("cnd", candidateID) {
		return nil, candidateNotFound()
	}
	if a.UserID == "" {
		return nil, caio.Errorf(caio.EINVALID, "Panel ratings are an interviewer's own: sign in as a member to rate.")
	}
	inRatings := in.Ratings
	var out *caio.PanelRating
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		// A copy: Normalize drops the zeros, and the transaction may run again.
		in := caio.PanelInput{Ratings: make(map[string]int, len(in.Ratings)), Notes: in.Notes}
		for k, v := range inRatings {
			in.Ratings[k] = v
		}
		k, err := c.Candidate(ctx, a.OrgID, candidateID)
		if err != nil {
			return err
		}
		s, err := scorecardOf(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		if err := in.Normalize(s); err != nil {
			return err
		}
		panels, err := c.PanelRatings(ctx, a.OrgID, candidateID)
		if err != nil {
			return err
		}
		out = &caio.PanelRating{CandidateID: k.ID, InterviewerID: a.UserID, Interviewer: a.Label(), Ratings: in.Ratings, Notes: in.Notes}
		before := map[string]any{}
		for _, p := range panels[candidateID] {
			if p.InterviewerID == a.UserID {
				out.CreatedAt = p.CreatedAt
				for key, v := range p.Ratings {
					before[key] = v
				}
				before["notes"] = p.Notes
			}
		}
		if err := c.PutPanelRating(ctx, a.OrgID, out); err != nil {
			return err
		}
		after := map[string]any{"notes": out.Notes}
		for key, v := range out.Ratings {
			after[key] = v
		}
		return record(ctx, c, a, "talent.candidate.rate", "candidate", k.ID, caio.Diff(before, after))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// HiringComparison implements caio.TalentService.
func (app *App) HiringComparison(ctx context.Context) (*caio.HiringComparison, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	out := &caio.HiringComparison{}
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		if out.Scorecard, err = scorecardOf(ctx, c, a.OrgID); err != nil {
			return err
		}
		ks, err := c.AllCandidates(ctx, a.OrgID, caio.MaxCandidates)
		if err != nil {
			return err
		}
		panels, err := c.PanelRatings(ctx, a.OrgID, "")
		if err != nil {
			return err
		}
		in := make([]talent.Candidate, len(ks))
		for i, k := range ks {
			in[i] = talent.Candidate{ID: k.ID, Name: k.Name, Status: k.Status, Panels: panels[k.ID]}
		}
		out.Candidates = talent.Compare(out.Scorecard, in)
		d, err := c.LatestDecision(ctx, a.OrgID)
		if caio.ErrorCode(err) == caio.ENOTFOUND {
			return nil
		}
		out.Decision = d
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DecideHiring implements caio.TalentService. The chosen candidate becomes
// hired; the others keep their status. The decision records the
// candidate's weighted score at the time.
func (app *App) DecideHiring(ctx context.Context, in caio.DecisionInput) (*caio.HiringDecision, error) {
	a, err := authorize(ctx, caio.PermApprove)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var d *caio.HiringDecision
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		// Two decisions at once queue on the organisation's row.
		if err := c.LockOrg(ctx, a.OrgID); err != nil {
			return err
		}
		if cur, err := c.LatestDecision(ctx, a.OrgID); err == nil && cur.Standing {
			return caio.Errorf(caio.ECONFLICT, "A hiring decision stands: %s was chosen on %s. If the offer fell through, change %s's status to declined or withdrawn first.",
				cur.CandidateName, cur.DecidedAt.UTC().Format("2006-01-02"), cur.CandidateName)
		} else if err != nil && caio.ErrorCode(err) != caio.ENOTFOUND {
			return err
		}
		k, err := c.Candidate(ctx, a.OrgID, in.CandidateID)
		if caio.ErrorCode(err) == caio.ENOTFOUND {
			return caio.FieldError("candidate_id", "names "+in.CandidateID+", which is not a candidate of this organisation")
		} else if err != nil {
			return err
		}
		switch k.Status {
		case "declined", "withdrawn", "hired":
			return caio.FieldError("candidate_id", "names "+k.Name+", whose status is "+k.Status+": only a candidate still in the process can be chosen")
		}
		panels, err := c.PanelRatings(ctx, a.OrgID, k.ID)
		if err != nil {
			return err
		}
		if len(panels[k.ID]) == 0 {
			return caio.FieldError("candidate_id", "names "+k.Name+", whom no interviewer has rated yet: the panel rates before the decision")
		}
		s, err := scorecardOf(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		score := talent.Score(s, talent.Candidate{ID: k.ID, Name: k.Name, Status: k.Status, Panels: panels[k.ID]})
		before := k.Status
		k.Status = "hired"
		if err := c.UpdateCandidate(ctx, k); err != nil {
			return err
		}
		d = &caio.HiringDecision{ID: caio.NewID("hdc"), CandidateID: k.ID, CandidateName: k.Name, Reason: in.Reason, Score: score.Score,
			DecidedBy: a.UserID, DecidedByLabel: a.Label(), Standing: true}
		if err := c.CreateDecision(ctx, a.OrgID, d); err != nil {
			return err
		}
		return record(ctx, c, a, "talent.hiring.decide", "candidate", k.ID, caio.Diff(map[string]any{"status": before},
			map[string]any{"status": "hired", "decision": d.ID, "reason": d.Reason, "score": d.Score, "rank": score.Rank}))
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// HiringDecided reports whether the organisation's hiring decision is
// recorded and stands, for the engagement's deliverables.
func (app *App) HiringDecided(ctx context.Context) (bool, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return false, err
	}
	var ok bool
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		ok, err = c.HiringDecided(ctx, a.OrgID)
		return err
	})
	return ok, err
}
