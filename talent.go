package caio

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Talent: the AI team's skills matrix and the hiring of the permanent Chief
// AI Officer. People hold a role of the skill framework (the engine
// internal/engine/talent ships it as data) and are rated 1–5 per skill; the
// gaps are their ratings against the role's targets. Candidates for the
// permanent CAIO are rated by each interviewer of the panel against the
// organisation's weighted scorecard; a recorded decision names the one
// chosen.

// CandidateStatuses are the states of a CAIO candidate, in order.
var CandidateStatuses = []string{"applied", "interviewing", "offered", "hired", "declined", "withdrawn"}

// Talent limits.
const (
	// MinSkillLevel and MaxSkillLevel bound every rating and target.
	MinSkillLevel = 1
	MaxSkillLevel = 5
	// MaxTalentPeople bounds the people the heat map and gaps read: a
	// team larger than this is summarised from its first people by name.
	MaxTalentPeople = 500
	// MaxCandidates bounds the candidates the comparison reads.
	MaxCandidates = 200
	// MaxCriteria bounds a scorecard's criteria.
	MaxCriteria = 30
)

// Person is a member of the AI team, with a role of the skill framework.
type Person struct {
	ID    string `json:"id"`
	OrgID string `json:"org_id"`
	Name  string `json:"name"`
	// Role is the id of a role of the skill framework, such as ml-engineer.
	Role string `json:"role"`
	// RoleName is the role's name, filled when read.
	RoleName string `json:"role_name"`
	// UserID links the person to a member of the organisation, or "".
	UserID string `json:"user_id"`
	// UserEmail is the linked member's email, filled when read.
	UserEmail string    `json:"user_email,omitempty"`
	Notes     string    `json:"notes"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Rated counts the person's skill ratings; Below the targets of their
	// role they are rated below. Filled in lists and when read.
	Rated int `json:"rated"`
	Below int `json:"below"`
	// Ratings and Gaps are filled when one person is read.
	Ratings []SkillRating `json:"ratings,omitempty"`
	Gaps    []SkillGap    `json:"gaps,omitempty"`
}

// Fields returns the person's editable fields, for audit diffs.
func (p *Person) Fields() map[string]any {
	return map[string]any{"name": p.Name, "role": p.Role, "user_id": p.UserID, "notes": p.Notes}
}

// PersonInput is what may be set on a person.
type PersonInput struct {
	Name   string `json:"name"`
	Role   string `json:"role"`
	UserID string `json:"user_id"`
	Notes  string `json:"notes"`
}

// Normalize trims the input and returns an EINVALID error naming every field
// to fix. knownRole reports whether a role id is in the skill framework.
func (in *PersonInput) Normalize(knownRole func(string) bool) error {
	var v Validation
	requireName(&v, &in.Name)
	checkText(&v, textRule{"role", &in.Role, 64}, textRule{"user_id", &in.UserID, 64}, textRule{"notes", &in.Notes, 4000})
	switch {
	case v.has("role"):
	case in.Role == "":
		v.Add("role", "is required: choose a role of the skill framework")
	case knownRole != nil && !knownRole(in.Role):
		v.Add("role", "has "+quote(in.Role)+", which is not a role of the skill framework")
	}
	if in.UserID != "" && !v.has("user_id") && !ValidID("usr", in.UserID) {
		v.Add("user_id", "must be empty or the id of a member, usr_…")
	}
	return v.Err()
}

// PersonFilter selects people. Nil fields do not filter.
type PersonFilter struct {
	// Query matches the name and notes, case-insensitively.
	Query *string
	// Role keeps the people of one role.
	Role *string
	// Sort is one of PersonSorts (default "name").
	Sort string
	Page
}

// PersonSorts lists the accepted values of PersonFilter.Sort.
var PersonSorts = []string{"name", "-name", "role", "created", "-created"}

// Normalize checks the filter, naming the field of each problem.
func (f *PersonFilter) Normalize() error {
	var err error
	if f.Page, err = f.Page.Normalize(); err != nil {
		return err
	}
	if f.Sort != "" && !slices.Contains(PersonSorts, f.Sort) {
		return FieldError("sort", "must be one of "+strings.Join(PersonSorts, ", "))
	}
	return nil
}

// SkillRating is one person's level in one skill, with who rated it and when.
type SkillRating struct {
	Skill     string `json:"skill"`
	SkillName string `json:"skill_name"`
	Level     int    `json:"level"`
	// RatedBy is the rater's user id ("" for the system); RatedByLabel
	// names them (an email, or "system").
	RatedBy      string    `json:"rated_by"`
	RatedByLabel string    `json:"rated_by_label"`
	RatedAt      time.Time `json:"rated_at"`
}

// SkillGap compares one person's level in a skill with the target of their
// role. Status is "below", "meets", "above" or "unrated"; Gap is how many
// levels short of the target a rated person is (0 when they meet it).
type SkillGap struct {
	Skill     string `json:"skill"`
	SkillName string `json:"skill_name"`
	Group     string `json:"group"`
	Target    int    `json:"target"`
	Level     int    `json:"level"` // 0 when not rated
	Gap       int    `json:"gap"`
	Status    string `json:"status"`
	// Reason says why, in words, such as "rated 2, the role's target is 4".
	Reason string `json:"reason"`
}

// CheckLevels checks ratings of skills (0 clears one), naming each
// bad one as ratings.<skill>. known reports whether a skill id is in the
// framework.
func CheckLevels(ratings map[string]int, known func(string) bool) error {
	var v Validation
	if len(ratings) == 0 {
		v.Add("ratings", "must rate at least one skill")
	}
	keys := make([]string, 0, len(ratings))
	for k := range ratings {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		field := "ratings." + k
		if utf8.RuneCountInString(k) > 64 || (known != nil && !known(k)) {
			v.Add("ratings", "names "+quote(k)+", which is not a skill of the skill framework")
			continue
		}
		if n := ratings[k]; n != 0 && (n < MinSkillLevel || n > MaxSkillLevel) {
			v.Add(field, "must be a level from 1 to 5, or 0 to clear the rating")
		}
	}
	return v.Err()
}

// TalentHeatMap is the team's levels: one row per person, one column per
// skill that a role of the team targets or a person is rated in.
type TalentHeatMap struct {
	Skills []HeatSkill `json:"skills"`
	Rows   []HeatRow   `json:"rows"`
	// Truncated says the team has more people than MaxTalentPeople.
	Truncated bool `json:"truncated"`
}

// HeatSkill is one column of the heat map.
type HeatSkill struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Group     string `json:"group"`
	GroupName string `json:"group_name"`
}

// HeatRow is one person of the heat map; Cells follow Skills.
type HeatRow struct {
	PersonID string     `json:"person_id"`
	Name     string     `json:"name"`
	Role     string     `json:"role"`
	RoleName string     `json:"role_name"`
	Cells    []HeatCell `json:"cells"`
}

// HeatCell is one person's level in one skill against their role's target:
// Level 0 is not rated, Target 0 means the role sets none.
type HeatCell struct {
	Skill  string `json:"skill"`
	Level  int    `json:"level"`
	Target int    `json:"target"`
	Gap    int    `json:"gap"`
	Status string `json:"status"` // below, meets, above, unrated, or "" when the role sets no target
}

// TeamSkillGap sums up the team in one skill: the people whose role
// targets it, how many are rated, below target, not rated, and by how much
// they fall short on average.
type TeamSkillGap struct {
	Skill     string `json:"skill"`
	SkillName string `json:"skill_name"`
	Group     string `json:"group"`
	People    int    `json:"people"`
	Rated     int    `json:"rated"`
	Below     int    `json:"below"`
	Unrated   int    `json:"unrated"`
	// Shortfall is the levels short of target summed over the rated
	// people; MeanShortfall divides it by the rated people.
	Shortfall     int     `json:"shortfall"`
	MeanShortfall float64 `json:"mean_shortfall"`
	MeanLevel     float64 `json:"mean_level"`
	MeanTarget    float64 `json:"mean_target"`
	Reason        string  `json:"reason"`
}

// Candidate is a candidate for the permanent Chief AI Officer.
type Candidate struct {
	ID    string `json:"id"`
	OrgID string `json:"org_id"`
	Name  string `json:"name"`
	// Source is where the candidate came from, such as "Executive search".
	Source    string    `json:"source"`
	Status    string    `json:"status"` // one of CandidateStatuses
	Notes     string    `json:"notes"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Panels and Score are filled when one candidate is read.
	Panels []PanelRating   `json:"panels,omitempty"`
	Score  *CandidateScore `json:"score,omitempty"`
}

// Fields returns the candidate's editable fields, for audit diffs.
func (c *Candidate) Fields() map[string]any {
	return map[string]any{"name": c.Name, "source": c.Source, "status": c.Status, "notes": c.Notes}
}

// CandidateInput is what may be set on a candidate.
type CandidateInput struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	Status string `json:"status"`
	Notes  string `json:"notes"`
}

// Normalize trims the input, fills the default status (applied) and returns
// an EINVALID error naming every field to fix.
func (in *CandidateInput) Normalize() error {
	var v Validation
	requireName(&v, &in.Name)
	checkText(&v, textRule{"source", &in.Source, 200}, textRule{"notes", &in.Notes, 4000})
	in.Status = strings.ToLower(strings.TrimSpace(in.Status))
	if in.Status == "" {
		in.Status = "applied"
	} else if !slices.Contains(CandidateStatuses, in.Status) {
		v.Add("status", "must be one of "+strings.Join(CandidateStatuses, ", "))
	}
	return v.Err()
}

// CandidateFilter selects candidates. Nil fields do not filter.
type CandidateFilter struct {
	Query  *string
	Status *string
	// Sort is one of CandidateSorts (default "name").
	Sort string
	Page
}

// CandidateSorts lists the accepted values of CandidateFilter.Sort.
var CandidateSorts = []string{"name", "-name", "created", "-created", "status"}

// Normalize checks the filter, naming the field of each problem.
func (f *CandidateFilter) Normalize() error {
	var err error
	if f.Page, err = f.Page.Normalize(); err != nil {
		return err
	}
	var v Validation
	if f.Sort != "" && !slices.Contains(CandidateSorts, f.Sort) {
		v.Add("sort", "must be one of "+strings.Join(CandidateSorts, ", "))
	}
	if f.Status != nil && !slices.Contains(CandidateStatuses, *f.Status) {
		v.Add("status", "must be one of "+strings.Join(CandidateStatuses, ", "))
	}
	return v.Err()
}

// Criterion is one line of the hiring scorecard: what is judged, what good
// looks like, and its weight in percent.
type Criterion struct {
	// Key identifies the criterion in panel ratings: a skill id of the
	// framework, or a key of the organisation's own (lower case, digits, -).
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Weight      int    `json:"weight"`
	// Reason says where the default weight comes from.
	Reason string `json:"reason,omitempty"`
}

// Scorecard is an organisation's scorecard for the permanent CAIO. Version
// 0 is the default from the framework's CAIO profile, never saved.
type Scorecard struct {
	Criteria  []Criterion `json:"criteria"`
	Version   int         `json:"version"`
	UpdatedAt *time.Time  `json:"updated_at,omitempty"`
}

// Weights returns the sum of the criteria's weights.
func (s *Scorecard) Weights() int {
	n := 0
	for _, c := range s.Criteria {
		n += c.Weight
	}
	return n
}

// Criterion returns the criterion with the key, or nil.
func (s *Scorecard) Criterion(key string) *Criterion {
	for i := range s.Criteria {
		if s.Criteria[i].Key == key {
			return &s.Criteria[i]
		}
	}
	return nil
}

// validKey reports whether s is a criterion key: 1 to 64 lower-case
// letters, digits and hyphens.
func validKey(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// Normalize trims the criteria and checks them, naming each problem as
// criteria[i].field; a sum of weights other than 100 is named "weights",
// with the sum and the difference.
func (s *Scorecard) Normalize() error {
	var v Validation
	switch {
	case len(s.Criteria) == 0:
		v.Add("criteria", "must list at least one criterion")
	case len(s.Criteria) > MaxCriteria:
		v.Add("criteria", "must list at most "+strconv.Itoa(MaxCriteria)+" criteria")
	}
	seen := map[string]bool{}
	for i := range s.Criteria {
		c := &s.Criteria[i]
		p := "criteria[" + strconv.Itoa(i) + "]."
		c.Key = strings.ToLower(strings.TrimSpace(c.Key))
		checkText(&v, textRule{p + "name", &c.Name, 200}, textRule{p + "description", &c.Description, 2000}, textRule{p + "reason", &c.Reason, 2000})
		derived := c.Key == ""
		if derived {
			c.Key = keyOf(c.Name)
		}
		switch {
		case derived && c.Key == "" && c.Name != "":
			v.Add(p+"name", "must contain a letter or a digit, from which the criterion's key is made")
		case derived && c.Key == "":
			// The name is missing, which is reported below.
		case !validKey(c.Key):
			v.Add(p+"key", "must be 1 to 64 lower-case letters, digits or hyphens")
		case seen[c.Key]:
			v.Add(p+"key", "has "+quote(c.Key)+", which another criterion already uses")
		}
		seen[c.Key] = true
		if c.Name == "" && !v.has(p+"name") {
			v.Add(p+"name", "is required")
		}
		if c.Weight < 1 || c.Weight > 100 {
			v.Add(p+"weight", "must be a whole percentage from 1 to 100")
		}
	}
	if sum := s.Weights(); len(s.Criteria) > 0 && sum != 100 {
		diff := "remove " + strconv.Itoa(sum-100)
		if sum < 100 {
			diff = "add " + strconv.Itoa(100-sum)
		}
		v.Add("weights", "add up to "+strconv.Itoa(sum)+", not 100: "+diff+" percentage points")
	}
	return v.Err()
}

// keyOf derives a criterion key from its name: lower case, runs of other
// characters as one hyphen.
func keyOf(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	return b.String()
}

// PanelRating is one interviewer's ratings of one candidate, 1–5 per
// criterion of the scorecard, with their notes.
type PanelRating struct {
	CandidateID   string `json:"candidate_id"`
	InterviewerID string `json:"interviewer_id"`
	// Interviewer names the interviewer (their email).
	Interviewer string         `json:"interviewer"`
	Ratings     map[string]int `json:"ratings"`
	Notes       string         `json:"notes"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
}

// PanelInput is one interviewer's ratings: criterion key → 1..5. Criteria
// left out are not rated by this interviewer.
type PanelInput struct {
	Ratings map[string]int `json:"ratings"`
	Notes   string         `json:"notes"`
}

// Normalize checks the ratings against the scorecard, naming each bad one
// as ratings.<key>.
func (in *PanelInput) Normalize(s *Scorecard) error {
	var v Validation
	checkText(&v, textRule{"notes", &in.Notes, 4000})
	rated := 0
	keys := make([]string, 0, len(in.Ratings))
	for k := range in.Ratings {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		n := in.Ratings[k]
		switch {
		case s.Criterion(k) == nil:
			v.Add("ratings", "names "+quote(k)+", which is not a criterion of the scorecard")
		case n == 0:
			delete(in.Ratings, k) // not rated
		case n < MinSkillLevel || n > MaxSkillLevel:
			v.Add("ratings."+k, "must be a rating from 1 to 5")
		default:
			rated++
		}
	}
	if rated == 0 && len(v.fields) == 0 {
		v.Add("ratings", "must rate at least one criterion of the scorecard")
	}
	return v.Err()
}

// CriterionScore is a candidate's result on one criterion: the mean of the
// panel's ratings, their spread, and what the criterion adds to the
// weighted score.
type CriterionScore struct {
	Key     string `json:"key"`
	Name    string `json:"name"`
	Weight  int    `json:"weight"`
	Ratings int    `json:"ratings"` // interviewers who rated it
	// Mean, Min and Max are of the ratings; Spread is Max − Min.
	Mean   float64 `json:"mean"`
	Min    int     `json:"min"`
	Max    int     `json:"max"`
	Spread int     `json:"spread"`
	// Contribution is Weight × Mean / 100: its part of the score out of 5.
	Contribution float64 `json:"contribution"`
}

// InterviewerScore is one interviewer's own weighted score of a candidate.
type InterviewerScore struct {
	InterviewerID string  `json:"interviewer_id"`
	Interviewer   string  `json:"interviewer"`
	Score         float64 `json:"score"`
	Complete      bool    `json:"complete"`
}

// CandidateScore is a candidate's weighted score out of 5 on the scorecard,
// with the means per criterion, the spread between interviewers and the
// reasons.
type CandidateScore struct {
	CandidateID string `json:"candidate_id"`
	Name        string `json:"name"`
	Status      string `json:"status"`
	// Score is Σ weight × mean / 100 over the rated criteria, out of 5;
	// when some criteria are not rated by anyone, the weights of those
	// rated are scaled up to 100 and Complete is false.
	Score        float64            `json:"score"`
	Complete     bool               `json:"complete"`
	Interviewers int                `json:"interviewers"`
	Criteria     []CriterionScore   `json:"criteria"`
	ByInterview  []InterviewerScore `json:"by_interviewer"`
	// Spread is the highest minus the lowest interviewer score.
	Spread float64 `json:"spread"`
	// Rank is 1 for the highest score among candidates with ratings, 0
	// for a candidate nobody has rated.
	Rank    int      `json:"rank"`
	Reasons []string `json:"reasons"`
}

// HiringDecision is the recorded choice of the permanent CAIO.
type HiringDecision struct {
	ID            string `json:"id"`
	CandidateID   string `json:"candidate_id"`
	CandidateName string `json:"candidate_name"`
	Reason        string `json:"reason"`
	// Score is the candidate's weighted score when the decision was made.
	Score          float64   `json:"score"`
	DecidedBy      string    `json:"decided_by"`
	DecidedByLabel string    `json:"decided_by_label"`
	DecidedAt      time.Time `json:"decided_at"`
	// Standing is true while the chosen candidate is still hired: a
	// candidate who later declines or withdraws voids the decision.
	Standing bool `json:"standing"`
}

// DecisionInput records the choice of a candidate with the reason.
type DecisionInput struct {
	CandidateID string `json:"candidate_id"`
	Reason      string `json:"reason"`
}

// Normalize checks the input, naming each field to fix.
func (in *DecisionInput) Normalize() error {
	var v Validation
	checkText(&v, textRule{"candidate_id", &in.CandidateID, 64}, textRule{"reason", &in.Reason, 4000})
	if !v.has("candidate_id") && !ValidID("cnd", in.CandidateID) {
		v.Add("candidate_id", "must be the id of a candidate, cnd_…")
	}
	if in.Reason == "" && !v.has("reason") {
		v.Add("reason", "is required: say why this candidate was chosen")
	}
	return v.Err()
}

// HiringComparison is the scorecard with every candidate's score, best
// first, and the decision when one is recorded.
type HiringComparison struct {
	Scorecard  *Scorecard        `json:"scorecard"`
	Candidates []*CandidateScore `json:"candidates"`
	// Decision is the latest recorded decision, or nil.
	Decision *HiringDecision `json:"decision"`
}

// TalentService manages the AI team's skills and the hiring of the
// permanent CAIO in the actor's organisation. Reads need PermRead; people
// and candidates PermEdit; skill ratings and an interviewer's own panel
// ratings PermContribute; the scorecard PermEdit; the hiring decision
// PermApprove. Every change is one audit event. IDs of another
// organisation are reported as not found.
type TalentService interface {
	// FindPeople returns a page of the team and the total that match.
	FindPeople(ctx context.Context, f PersonFilter) ([]*Person, int, error)
	// FindPerson returns one person with their ratings and gaps, or ENOTFOUND.
	FindPerson(ctx context.Context, id string) (*Person, error)
	// CreatePerson adds a person; EINVALID names an unknown role or a
	// user who is not a member.
	CreatePerson(ctx context.Context, in PersonInput) (*Person, error)
	// UpdatePerson replaces a person's fields; a version other than 0 that
	// differs from the stored one is ECONFLICT.
	UpdatePerson(ctx context.Context, id string, version int, in PersonInput) (*Person, error)
	// DeletePerson removes a person with their ratings.
	DeletePerson(ctx context.Context, id string) error
	// RateSkills sets a person's levels (skill → 1..5, 0 clears), recording
	// the actor as the rater of each changed level.
	RateSkills(ctx context.Context, personID string, ratings map[string]int) (*Person, error)
	// TalentHeatMap returns the team's levels against their targets.
	TalentHeatMap(ctx context.Context) (*TalentHeatMap, error)
	// TalentGaps returns the skills where the team is weakest against its
	// targets, weakest first.
	TalentGaps(ctx context.Context) ([]TeamSkillGap, error)
	// Scorecard returns the organisation's scorecard, or the default.
	Scorecard(ctx context.Context) (*Scorecard, error)
	// SetScorecard saves criteria and weights; weights must add up to 100.
	SetScorecard(ctx context.Context, s Scorecard) (*Scorecard, error)
	// FindCandidates returns a page of candidates and the total that match.
	FindCandidates(ctx context.Context, f CandidateFilter) ([]*Candidate, int, error)
	// FindCandidate returns one candidate with the panel's ratings and the score.
	FindCandidate(ctx context.Context, id string) (*Candidate, error)
	// CreateCandidate adds a candidate; status hired is EINVALID (it
	// follows from the decision).
	CreateCandidate(ctx context.Context, in CandidateInput) (*Candidate, error)
	// UpdateCandidate replaces a candidate's fields.
	UpdateCandidate(ctx context.Context, id string, version int, in CandidateInput) (*Candidate, error)
	// DeleteCandidate removes a candidate and their panel ratings;
	// ECONFLICT when a decision names them.
	DeleteCandidate(ctx context.Context, id string) error
	// RateCandidate saves the signed-in member's own ratings of a
	// candidate, replacing their earlier set.
	RateCandidate(ctx context.Context, candidateID string, in PanelInput) (*PanelRating, error)
	// HiringComparison scores every candidate on the scorecard.
	HiringComparison(ctx context.Context) (*HiringComparison, error)
	// DecideHiring records the chosen candidate and makes them hired;
	// ECONFLICT while another decision stands.
	DecideHiring(ctx context.Context, in DecisionInput) (*HiringDecision, error)
}
