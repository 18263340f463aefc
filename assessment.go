package caio

import (
	"encoding/json"
	"strings"
	"time"
)

// Assessment is one run of a questionnaire (internal/engine/questionnaire)
// about a subject: the organisation (readiness), an AI system (impact
// assessment) or a vendor. Answers are kept per question with who gave them
// and when, so several people can fill one in over time. A submitted
// assessment is frozen with the definition version it was made against and
// the result it gave; re-assessing starts a new one, so history shows trends.
type Assessment struct {
	ID    string `json:"id"`
	OrgID string `json:"org_id"`
	// Definition is the questionnaire's id and DefinitionVersion the
	// version its answers were given against.
	Definition        string `json:"definition"`
	DefinitionVersion string `json:"definition_version"`
	Title             string `json:"title"`
	// SubjectKind is organization, system or vendor; SubjectID is empty
	// for the organisation.
	SubjectKind string `json:"subject_kind"`
	SubjectID   string `json:"subject_id"`
	SubjectName string `json:"subject_name"`
	// SurveyID names the uploaded SurveyJS questionnaire of an assessment
	// whose Definition is "survey"; its DefinitionVersion is the file's
	// SHA-256.
	SurveyID string `json:"survey_id,omitempty"`
	// Status is draft or submitted.
	Status string `json:"status"`
	// Score and Level are the result of a submitted assessment (nil and 0
	// while it is a draft, or when the questionnaire is not scored); Result
	// is the whole result, frozen at submission.
	Score       *float64        `json:"score"`
	Level       int             `json:"level"`
	Result      json.RawMessage `json:"result,omitempty"`
	Answers     []AnswerRecord  `json:"answers"`
	CreatedBy   string          `json:"created_by"`
	SubmittedBy string          `json:"submitted_by"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
	SubmittedAt *time.Time      `json:"submitted_at"`
	Version     int             `json:"version"`
}

// Assessment statuses.
const (
	AssessmentDraft     = "draft"
	AssessmentSubmitted = "submitted"
)

// AnswerRecord is the answer to one question with who gave it and when.
type AnswerRecord struct {
	Question string    `json:"question"`
	Values   []string  `json:"values"`
	By       string    `json:"by"`
	ByName   string    `json:"by_name"`
	At       time.Time `json:"at"`
}

// AnswerMap returns the answers as the questionnaire engine reads them.
func (a *Assessment) AnswerMap() map[string][]string {
	out := make(map[string][]string, len(a.Answers))
	for _, r := range a.Answers {
		out[r.Question] = r.Values
	}
	return out
}

// AssessmentInput starts an assessment.
type AssessmentInput struct {
	Definition string `json:"definition"`
	SubjectID  string `json:"subject_id"`
	Title      string `json:"title"`
	// SurveyID names an uploaded SurveyJS questionnaire when Definition is "survey".
	SurveyID string `json:"survey_id"`
}

// Normalize trims the input and checks the form of the subject's ID; the
// service checks the questionnaire and that the subject exists.
func (in *AssessmentInput) Normalize() error {
	var v Validation
	in.Definition = strings.TrimSpace(in.Definition)
	in.SubjectID = strings.TrimSpace(in.SubjectID)
	if in.Definition == "" {
		v.Add("definition", "is required: the questionnaire to fill in")
	}
	checkText(&v, textRule{"title", &in.Title, 200})
	if in.SubjectID != "" && !ValidID("sys", in.SubjectID) && !ValidID("vnd", in.SubjectID) {
		v.Add("subject_id", "must be the ID of an AI system (sys_…) or a vendor (vnd_…), or empty for the organisation")
	}
	return v.Err()
}

// AssessmentFilter selects assessments.
type AssessmentFilter struct {
	Definition *string
	SubjectID  *string
	Status     *string
	Page
}

// SurveyFile is a SurveyJS questionnaire someone uploaded, such as Canada's
// Algorithmic Impact Assessment. caio keeps it as it came.
type SurveyFile struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	Name      string    `json:"name"`
	Title     string    `json:"title"`
	SHA256    string    `json:"sha256"`
	Size      int64     `json:"size"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	Data      []byte    `json:"-"`
}
