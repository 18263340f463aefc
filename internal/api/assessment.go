package api

import (
	"context"
	"net/http"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/questionnaire"
	"github.com/danielgtaylor/huma/v2"
)

// Assessments: the built-in questionnaires, and assessments made with them.

const assessmentTag = "Assessments"

// AssessmentID names an assessment in the path.
type AssessmentID struct {
	ID string `path:"id" doc:"Assessment id, asm_..."`
}

// AssessmentBody starts an assessment.
type AssessmentBody struct {
	Definition string `json:"definition" minLength:"1" maxLength:"64" doc:"The questionnaire: readiness, impact or vendor (GET /questionnaires), or survey with survey_id."`
	SubjectID  string `json:"subject_id,omitempty" maxLength:"64" doc:"The AI system (sys_...) or vendor (vnd_...) it is about; empty for the organisation."`
	Title      string `json:"title,omitempty" maxLength:"200"`
	SurveyID   string `json:"survey_id,omitempty" maxLength:"64" doc:"With definition survey: the uploaded SurveyJS questionnaire, svy_..."`
}

// AnswersBody records answers to a draft.
type AnswersBody struct {
	Answers map[string][]string `json:"answers" doc:"Answers by question id: one value, or several for a multiple choice; an empty list clears the answer. Questions left out keep their answers."`
	Version int                 `json:"version,omitempty" minimum:"0" doc:"The version you answered; a different stored version gives 409. Leave out to overwrite."`
}

// QuestionnaireList lists the built-in questionnaires.
type QuestionnaireList struct {
	Items []*questionnaire.Definition `json:"items"`
}

func (api *API) registerAssessments() {
	huma.Register(api, op(http.MethodGet, "/questionnaires", "list-questionnaires", "List the built-in questionnaires with their questions", assessmentTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body QuestionnaireList }, error) {
			defs, err := api.app.Questionnaires(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body QuestionnaireList }{QuestionnaireList{Items: defs}}, nil
		})

	huma.Register(api, op(http.MethodGet, "/assessments", "list-assessments", "List assessments, newest first", assessmentTag),
		func(ctx context.Context, in *struct {
			PageQuery
			Definition string `query:"definition" maxLength:"64" doc:"Only this questionnaire."`
			SubjectID  string `query:"subject_id" maxLength:"64" doc:"Only about this AI system or vendor."`
			Status     string `query:"status" enum:"draft,submitted," doc:"Only drafts or submitted ones."`
		}) (*listOut[*caio.Assessment], error) {
			items, total, err := api.app.FindAssessments(ctx, caio.AssessmentFilter{Definition: trimmed(&in.Definition),
				SubjectID: trimmed(&in.SubjectID), Status: trimmed(&in.Status), Page: in.page()})
			if err != nil {
				return nil, api.filterProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	create := op(http.MethodPost, "/assessments", "create-assessment", "Start an assessment", assessmentTag)
	create.DefaultStatus = http.StatusCreated
	huma.Register(api, create, func(ctx context.Context, in *struct{ Body AssessmentBody }) (*struct{ Body *caio.Assessment }, error) {
		x, err := api.app.CreateAssessment(ctx, caio.AssessmentInput{Definition: in.Body.Definition, SubjectID: in.Body.SubjectID, Title: in.Body.Title, SurveyID: in.Body.SurveyID})
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Assessment }{x}, nil
	})

	huma.Register(api, op(http.MethodGet, "/assessments/{id}", "get-assessment", "Get an assessment with its answers and result", assessmentTag),
		func(ctx context.Context, in *AssessmentID) (*struct{ Body *app.AssessmentView }, error) {
			v, err := api.app.FindAssessment(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *app.AssessmentView }{v}, nil
		})

	answer := op(http.MethodPut, "/assessments/{id}/answers", "answer-assessment", "Record answers to a draft assessment", assessmentTag)
	answer.Errors = append(answer.Errors, http.StatusConflict)
	huma.Register(api, answer, func(ctx context.Context, in *struct {
		AssessmentID
		Body AnswersBody
	}) (*struct{ Body *app.AssessmentView }, error) {
		v, err := api.app.SaveAnswers(ctx, in.ID, in.Body.Version, in.Body.Answers)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *app.AssessmentView }{v}, nil
	})

	submit := op(http.MethodPost, "/assessments/{id}/submit", "submit-assessment", "Submit a complete assessment, freezing it", assessmentTag)
	submit.Errors = append(submit.Errors, http.StatusConflict)
	huma.Register(api, submit, func(ctx context.Context, in *AssessmentID) (*struct{ Body *app.AssessmentView }, error) {
		v, err := api.app.SubmitAssessment(ctx, in.ID)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *app.AssessmentView }{v}, nil
	})

	del := op(http.MethodDelete, "/assessments/{id}", "delete-assessment", "Delete an assessment", assessmentTag)
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *AssessmentID) (*struct{}, error) {
		if err := api.app.DeleteAssessment(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	huma.Register(api, op(http.MethodGet, "/assessments-trend", "assessment-trend", "The submitted assessments of a questionnaire about a subject, oldest first", assessmentTag),
		func(ctx context.Context, in *struct {
			Definition string `query:"definition" required:"true" maxLength:"64"`
			SubjectID  string `query:"subject_id" maxLength:"64" doc:"Empty for the organisation."`
		}) (*struct {
			Body struct {
				Items []app.TrendPoint `json:"items"`
			}
		}, error) {
			out, err := api.app.AssessmentTrend(ctx, in.Definition, in.SubjectID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			res := &struct {
				Body struct {
					Items []app.TrendPoint `json:"items"`
				}
			}{}
			res.Body.Items = out
			return res, nil
		})
}
