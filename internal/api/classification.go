package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/danielgtaylor/huma/v2"
)

// ClassificationOut is a system's EU AI Act classification.
type ClassificationOut struct {
	SystemID string `json:"system_id"`
	// Class is the class in effect: a reviewed override's when one is in
	// effect, else the engine's; empty before the first classification.
	Class    string                       `json:"class" doc:"The class in effect: the override's when one is in effect, else the engine's; empty before the first classification."`
	Timeline string                       `json:"timeline" doc:"The organisation's EU AI Act timeline: amended or enacted."`
	Record   *caio.ClassificationRecord   `json:"record" doc:"The stored classification (null before the first)."`
	Profile  *euaiact.Profile             `json:"profile" doc:"The current profile, or a draft from the inventory before the first classification."`
	Result   *euaiact.Result              `json:"result" doc:"The engine's result, with reasons, obligations, missing facts and the trace (null before the first)."`
	Override *caio.ClassificationOverride `json:"override" doc:"The reviewed override in effect, or null."`
}

func classificationOut(sc *app.SystemClassification) *struct{ Body ClassificationOut } {
	out := ClassificationOut{SystemID: sc.System.ID, Class: sc.Class, Timeline: sc.Timeline, Profile: sc.Profile, Result: sc.Result, Override: sc.Override}
	if sc.Current != nil {
		rec := *sc.Current
		rec.Profile, rec.Result = nil, nil // given in full beside it
		out.Record = &rec
	}
	return &struct{ Body ClassificationOut }{out}
}

// ProfileBody is a classification profile as the API reads it: the fields of
// euaiact.Profile, with its facts described to huma as a plain object. The
// engine checks every fact key and names a wrong one; huma's own check of a
// map's keys would split the dotted fact keys and report errors at the
// wrong place.
type ProfileBody struct {
	Schema       string   `json:"schema,omitempty" doc:"caio/euaiact-profile/v1 (may be left out)."`
	Name         string   `json:"name,omitempty" maxLength:"200"`
	Roles        []string `json:"roles,omitempty" doc:"The organisation's roles: provider, deployer, importer, distributor, authorised_representative, product_manufacturer."`
	AnnexI       string   `json:"annex_i,omitempty" doc:"The Annex I act, such as A.11, or none."`
	AnnexIII     []string `json:"annex_iii,omitempty" doc:"Annex III points such as 4(a), or [\"none\"]."`
	TrainingFLOP *float64 `json:"training_flop,omitempty" minimum:"0"`
	Facts        Facts    `json:"facts,omitempty"`
}

// Facts are yes/no facts by key; GET /classification/schema lists the keys.
type Facts map[string]bool

// Schema describes Facts as an object of booleans without listing the keys.
func (Facts) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeObject, Description: "Yes/no facts by key, such as \"art5.f.infers_emotions\": true; leave out what is not known. GET /classification/schema lists every key with its question and article."}
}

func (b *ProfileBody) profile() *euaiact.Profile {
	return &euaiact.Profile{Schema: b.Schema, Name: b.Name, Roles: b.Roles, AnnexI: b.AnnexI, AnnexIII: b.AnnexIII, TrainingFLOP: b.TrainingFLOP, Facts: b.Facts}
}

// SystemIDPath names an AI system in the path.
type SystemIDPath struct {
	ID string `path:"id" doc:"AI system id, sys_..."`
}

// classificationHistory is a page of past classifications, newest first,
// and every override.
type classificationHistory struct {
	ListMeta
	Items     []*caio.ClassificationRecord   `json:"items"`
	Overrides []*caio.ClassificationOverride `json:"overrides"`
}

// TimelineBody chooses the EU AI Act timeline.
type TimelineBody struct {
	Timeline string `json:"timeline" enum:"amended,enacted" doc:"amended: dates as changed by Reg (EU) 2026/1744 (the default); enacted: Reg (EU) 2024/1689 as published."`
}

func (api *API) registerClassification() {
	const tag = "EU AI Act"
	huma.Register(api, op(http.MethodGet, "/classification/schema", "get-classification-schema", "JSON Schema of the classification profile", tag),
		func(ctx context.Context, _ *struct{}) (*struct{ Body json.RawMessage }, error) {
			if _, err := api.app.OrgTimeline(ctx); err != nil { // signed in, in an organisation
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body json.RawMessage }{api.app.Content().JSONSchema()}, nil
		})

	huma.Register(api, op(http.MethodPost, "/classify", "classify-profile", "Classify a profile without storing it", tag),
		func(ctx context.Context, in *struct{ Body ProfileBody }) (*struct{ Body *euaiact.Result }, error) {
			res, err := api.app.PreviewClassification(ctx, in.Body.profile())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *euaiact.Result }{res}, nil
		})

	huma.Register(api, op(http.MethodGet, "/systems/{id}/classification", "get-classification", "Get a system's classification", tag),
		func(ctx context.Context, in *SystemIDPath) (*struct{ Body ClassificationOut }, error) {
			sc, err := api.app.FindClassification(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return classificationOut(sc), nil
		})

	huma.Register(api, op(http.MethodPut, "/systems/{id}/classification", "classify-system", "Classify a system from a profile and store the result", tag),
		func(ctx context.Context, in *struct {
			SystemIDPath
			Body ProfileBody
		}) (*struct{ Body ClassificationOut }, error) {
			sc, err := api.app.ClassifySystem(ctx, in.ID, in.Body.profile())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return classificationOut(sc), nil
		})

	huma.Register(api, op(http.MethodGet, "/systems/{id}/classifications", "list-classifications", "List a system's past classifications and overrides", tag),
		func(ctx context.Context, in *struct {
			SystemIDPath
			PageQuery
		}) (*struct{ Body classificationHistory }, error) {
			recs, total, ovs, err := api.app.ClassificationHistory(ctx, in.ID, in.page())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			h := classificationHistory{ListMeta: ListMeta{total, in.Limit, in.Offset}, Items: recs, Overrides: ovs}
			if h.Items == nil {
				h.Items = []*caio.ClassificationRecord{}
			}
			if h.Overrides == nil {
				h.Overrides = []*caio.ClassificationOverride{}
			}
			return &struct{ Body classificationHistory }{h}, nil
		})

	huma.Register(api, op(http.MethodPost, "/systems/{id}/classification/override", "override-classification", "Record a reviewed override of a system's class (or withdraw it with an empty class)", tag),
		func(ctx context.Context, in *struct {
			SystemIDPath
			Body struct {
				Class     string `json:"class" enum:",prohibited,high_risk,not_high_risk,transparency_only,minimal,out_of_scope" doc:"The class decided on review; empty withdraws the override in effect."`
				Reason    string `json:"reason" maxLength:"5000"`
				Reference string `json:"reference,omitempty" maxLength:"500" doc:"The legal advice or decision behind it."`
			}
		}) (*struct{ Body ClassificationOut }, error) {
			sc, err := api.app.OverrideClassification(ctx, in.ID, caio.OverrideInput{Class: in.Body.Class, Reason: in.Body.Reason, Reference: in.Body.Reference})
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return classificationOut(sc), nil
		})

	huma.Register(api, op(http.MethodPost, "/classification/reclassify", "reclassify", "Re-classify every classified system with the current content and timeline", tag),
		func(ctx context.Context, in *struct {
			Body struct {
				Apply bool `json:"apply,omitempty" doc:"Store the new classifications; without it, only report what would change."`
			}
		}) (*struct{ Body *app.ReclassifyReport }, error) {
			rep, err := api.app.Reclassify(ctx, in.Body.Apply)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *app.ReclassifyReport }{rep}, nil
		})

	huma.Register(api, op(http.MethodGet, "/classification/settings", "get-classification-settings", "Get the organisation's EU AI Act timeline", tag),
		func(ctx context.Context, _ *struct{}) (*struct{ Body TimelineBody }, error) {
			t, err := api.app.OrgTimeline(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body TimelineBody }{TimelineBody{t}}, nil
		})

	huma.Register(api, op(http.MethodPut, "/classification/settings", "set-classification-settings", "Choose the EU AI Act timeline (then re-classify to move the dates)", tag),
		func(ctx context.Context, in *struct{ Body TimelineBody }) (*struct{ Body TimelineBody }, error) {
			if err := api.app.SetOrgTimeline(ctx, in.Body.Timeline); err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body TimelineBody }{in.Body}, nil
		})
}
