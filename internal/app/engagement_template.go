package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/engagement"
	"github.com/caio-office/caio/internal/engine/surveyjs"
	"github.com/caio-office/caio/internal/sqldb"
)

// Engagement templates: a consultant saves an engagement (goals, phase
// lengths, plan items with their days counted from the start) together
// with parts other areas contribute, and starts the next client from it.
// A template belongs to the user who saved it; starting from it needs
// PermEdit in the organisation where it is started, and creates the
// engagement, its plan and every part in one transaction.

// templatePart is a part of an engagement template that an area of caio
// contributes: Export reads what the organisation has (nil data when it
// has nothing to carry) and Apply recreates it in the actor's organisation
// inside the transaction that starts the engagement. Apply must check the
// data it is given as carefully as any input, since a template is stored
// and may be old: name the problem and refuse rather than store it.
type templatePart struct {
	Name   string
	Label  string
	Export func(ctx context.Context, c *sqldb.Conn, orgID string) (json.RawMessage, error)
	Apply  func(ctx context.Context, c *sqldb.Conn, a caio.Actor, data json.RawMessage) error
}

// templateParts are the parts every saved template carries, in the order
// they are applied. Other areas append theirs (such as "policies" and
// "rules") from their own files in an init function.
var templateParts = []templatePart{
	{Name: "questionnaires", Label: "Uploaded SurveyJS questionnaires", Export: exportQuestionnaires, Apply: applyQuestionnaires},
}

// TemplatePartLabel names a part of a template for people.
func TemplatePartLabel(name string) string {
	for _, p := range templateParts {
		if p.Name == name {
			return p.Label
		}
	}
	return name
}

// MaxTemplateBytes bounds everything one template carries.
const MaxTemplateBytes = 32 << 20

// questionnaireEntry is one uploaded questionnaire as a template carries it.
type questionnaireEntry struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	SHA256 string `json:"sha256"`
	Data   string `json:"data"`
}

func exportQuestionnaires(ctx context.Context, c *sqldb.Conn, orgID string) (json.RawMessage, error) {
	files, err := c.AllSurveyFiles(ctx, orgID)
	if err != nil || len(files) == 0 {
		return nil, err
	}
	out := make([]questionnaireEntry, len(files))
	for i, f := range files {
		out[i] = questionnaireEntry{Name: f.Name, Title: f.Title, SHA256: f.SHA256, Data: string(f.Data)}
	}
	return json.Marshal(out)
}

// parseQuestionnaires reads and checks the questionnaires part: each entry
// must be UTF-8 without NUL, at most MaxSurveyBytes, match its SHA-256 and
// load as a SurveyJS questionnaire. Problems name the entry.
func parseQuestionnaires(data json.RawMessage) ([]questionnaireEntry, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var es []questionnaireEntry
	if err := dec.Decode(&es); err != nil {
		return nil, caio.FieldError("template", "has a questionnaires part that is not a list of questionnaires: "+err.Error())
	}
	if len(es) > 200 {
		return nil, caio.FieldError("template", "carries more than 200 questionnaires")
	}
	for i, e := range es {
		at := "questionnaire " + strconv.Itoa(i+1)
		switch {
		case len(e.Data) == 0 || len(e.Data) > MaxSurveyBytes:
			return nil, caio.FieldError("template", at+" must hold 1 byte to 4 MB")
		case !utf8.ValidString(e.Data) || bytes.IndexByte([]byte(e.Data), 0) >= 0 ||
			!utf8.ValidString(e.Name) || !utf8.ValidString(e.Title) || bytes.IndexByte([]byte(e.Name+e.Title), 0) >= 0:
			return nil, caio.FieldError("template", at+" must be UTF-8 text without the NUL character")
		}
		sum := sha256.Sum256([]byte(e.Data))
		if hex.EncodeToString(sum[:]) != e.SHA256 {
			return nil, caio.FieldError("template", at+" ("+quoteName(e.Name)+") does not match its SHA-256: the template was changed")
		}
		if _, err := surveyjs.Load([]byte(e.Data)); err != nil {
			return nil, caio.FieldError("template", at+" ("+quoteName(e.Name)+") is not a SurveyJS questionnaire caio can run: "+err.Error())
		}
	}
	return es, nil
}

func quoteName(s string) string { return strconv.Quote(truncate(s, 60)) }

// applyQuestionnaires uploads each questionnaire the organisation does not
// have yet (by SHA-256), as an upload by the actor.
func applyQuestionnaires(ctx context.Context, c *sqldb.Conn, a caio.Actor, data json.RawMessage) error {
	es, err := parseQuestionnaires(data)
	if err != nil {
		return err
	}
	for _, e := range es {
		have, err := c.SurveyFileBySum(ctx, a.OrgID, e.SHA256)
		if err != nil {
			return err
		}
		if have {
			continue
		}
		name, title := truncate(e.Name, 200), truncate(e.Title, 200)
		if name == "" {
			name = "questionnaire.json"
		}
		if title == "" {
			title = name
		}
		f := &caio.SurveyFile{ID: caio.NewID("svy"), OrgID: a.OrgID, Name: name, Title: title, SHA256: e.SHA256,
			Size: int64(len(e.Data)), CreatedBy: a.Label(), Data: []byte(e.Data)}
		if err := c.CreateSurveyFile(ctx, f); err != nil {
			return err
		}
		if err := record(ctx, c, a, "survey.upload", "survey", f.ID, caio.Diff(nil, map[string]any{"name": f.Name, "title": f.Title,
			"sha256": f.SHA256, "size": f.Size, "from": "engagement template"})); err != nil {
			return err
		}
	}
	return nil
}

func templateNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Engagement template not found.") }

// templateActor authorizes a template operation: PermEdit in the current
// organisation, and a person, since templates belong to one.
func templateActor(ctx context.Context) (caio.Actor, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return a, err
	}
	if a.UserID == "" {
		return a, caio.Errorf(caio.EFORBIDDEN, "Engagement templates belong to a person: sign in as the consultant whose templates these are.")
	}
	return a, nil
}

// TemplateView is a saved template with its plan read back.
type TemplateView struct {
	*caio.EngagementTemplate
	Plan *engagement.Template `json:"plan"`
}

// templateOf builds the plan template of an engagement: its goals, the
// lengths of its phases and its items with their days counted from the start.
func templateOf(e *caio.Engagement, items []*caio.PlanItem, in caio.TemplateInput) *engagement.Template {
	t := &engagement.Template{Name: in.Name, Description: in.Description, Goals: append([]string{}, e.Goals...), Phases: phaseLengths(e)}
	for _, it := range items {
		day := min(max(engagement.DaysBetween(e.Start, it.Due), 0), engagement.MaxDay)
		spec := engagement.ItemSpec{Title: it.Title, Description: it.Description, Phase: it.Phase, Day: day, Owner: it.Owner, Link: it.Link}
		if it.Window != engagement.WindowOf(day) {
			spec.Window = it.Window
		}
		t.Items = append(t.Items, spec)
	}
	for i := range t.Phases {
		t.Phases[i].Days = min(t.Phases[i].Days, engagement.MaxDay)
	}
	return t
}

// SaveEngagementTemplate saves an engagement of the organisation, with the
// parts of every area, as a template of the actor's. Needs PermEdit.
func (app *App) SaveEngagementTemplate(ctx context.Context, engagementID string, in caio.TemplateInput) (*caio.EngagementTemplate, error) {
	a, err := templateActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	if !caio.ValidID(engagementPrefix, engagementID) {
		return nil, engagementNotFound()
	}
	var t *caio.EngagementTemplate
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		e, err := c.Engagement(ctx, a.OrgID, engagementID)
		if err != nil {
			return err
		}
		items, err := c.PlanItems(ctx, a.OrgID, e.ID)
		if err != nil {
			return err
		}
		plan := templateOf(e, items, in)
		if err := plan.Validate(); err != nil {
			return caio.Errorf(caio.EINVALID, "This engagement cannot be saved as a template: %v", err)
		}
		content, err := json.Marshal(plan)
		if err != nil {
			return err
		}
		parts := map[string]json.RawMessage{}
		size := len(content)
		for _, p := range templateParts {
			data, err := p.Export(ctx, c, a.OrgID)
			if err != nil {
				return fmt.Errorf("template part %s: %w", p.Name, err)
			}
			if len(data) == 0 || string(data) == "null" {
				continue
			}
			parts[p.Name] = data
			size += len(data)
		}
		if size > MaxTemplateBytes {
			return caio.Errorf(caio.EINVALID, "A template may carry at most 32 MB; this one would carry %d MB.", size>>20)
		}
		org, err := c.OrgByID(ctx, a.OrgID)
		if err != nil {
			return err
		}
		t = &caio.EngagementTemplate{ID: caio.NewID(templatePrefix), UserID: a.UserID, Name: in.Name, Description: in.Description,
			Source: e.Title + ", " + org.Name + " (" + e.Start + ")", Content: content}
		if err := c.CreateEngagementTemplate(ctx, t, parts); err != nil {
			return err
		}
		names := make([]string, 0, len(parts))
		for _, p := range t.Parts {
			names = append(names, p.Name)
		}
		return record(ctx, c, a, "engagement.template.save", "engagement_template", t.ID, caio.Diff(nil, map[string]any{
			"name": t.Name, "engagement": e.ID, "plan_items": len(plan.Items), "goals": len(plan.Goals), "parts": fmt.Sprint(names)}))
	})
	return t, err
}

// FindEngagementTemplates lists the actor's own templates, newest first.
// Needs PermEdit in the current organisation.
func (app *App) FindEngagementTemplates(ctx context.Context, p caio.Page) ([]*caio.EngagementTemplate, int, error) {
	a, err := templateActor(ctx)
	if err != nil {
		return nil, 0, err
	}
	if p, err = p.Normalize(); err != nil {
		return nil, 0, err
	}
	var out []*caio.EngagementTemplate
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		out, total, err = c.EngagementTemplates(ctx, a.UserID, p)
		return err
	})
	return out, total, err
}

// FindEngagementTemplate returns one of the actor's templates with its
// plan; another user's is ENOTFOUND. Needs PermEdit.
func (app *App) FindEngagementTemplate(ctx context.Context, id string) (*TemplateView, error) {
	a, err := templateActor(ctx)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID(templatePrefix, id) {
		return nil, templateNotFound()
	}
	var v *TemplateView
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		t, err := c.EngagementTemplate(ctx, a.UserID, id)
		if err != nil {
			return err
		}
		plan, err := engagement.ParseJSON(t.Content)
		if err != nil {
			return caio.Errorf(caio.EINVALID, "This template cannot be read: %v", err)
		}
		v = &TemplateView{EngagementTemplate: t, Plan: plan}
		return nil
	})
	return v, err
}

// DeleteEngagementTemplate removes one of the actor's templates. Needs PermEdit.
func (app *App) DeleteEngagementTemplate(ctx context.Context, id string) error {
	a, err := templateActor(ctx)
	if err != nil {
		return err
	}
	if !caio.ValidID(templatePrefix, id) {
		return templateNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		t, err := c.EngagementTemplate(ctx, a.UserID, id)
		if err != nil {
			return err
		}
		if err := c.DeleteEngagementTemplate(ctx, a.UserID, id); err != nil {
			return err
		}
		return record(ctx, c, a, "engagement.template.delete", "engagement_template", t.ID, caio.Diff(map[string]any{"name": t.Name}, nil))
	})
}

// StartFromTemplate starts the organisation's engagement from one of the
// actor's templates: the engagement with the template's goals (unless in
// gives some) and phase lengths, its plan dated from the new start, and
// every part of the template, in one transaction. Needs PermEdit;
// ECONFLICT when an engagement is active.
func (app *App) StartFromTemplate(ctx context.Context, templateID string, in caio.EngagementInput) (*caio.Engagement, error) {
	a, err := templateActor(ctx)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID(templatePrefix, templateID) {
		return nil, templateNotFound()
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var e *caio.Engagement
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		t, err := c.EngagementTemplate(ctx, a.UserID, templateID)
		if err != nil {
			return err
		}
		plan, err := engagement.ParseJSON(t.Content)
		if err != nil {
			return caio.FieldError("template", "cannot be read: "+err.Error())
		}
		if e, err = startEngagement(ctx, c, a, in, plan, t.Name); err != nil {
			return err
		}
		for _, p := range templateParts {
			data, err := c.TemplatePart(ctx, t.ID, p.Name)
			if err != nil {
				return err
			}
			if data == nil {
				continue
			}
			if err := p.Apply(ctx, c, a, data); err != nil {
				return err
			}
		}
		return nil
	})
	return e, err
}
