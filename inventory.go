package caio

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The AI inventory: the AI systems an organisation builds, buys or uses, the
// models and datasets they are made of, the vendors they come from, and the
// links between them and to business objectives.

// System lifecycle stages, in order.
var SystemStages = []string{"planned", "development", "testing", "production", "retired"}

// SystemAutonomyLevels are the levels of autonomy a system may be given; the
// empty string means not stated.
var SystemAutonomyLevels = []string{"assistive", "human_in_the_loop", "human_on_the_loop", "autonomous"}

// OMB M-25-21 high-impact determinations of an AI system (appendix §5 of
// the memo), as the 2025 federal AI use case inventory reports them in
// is_high_impact. The empty string means not stated.
const (
	OMBHighImpact            = "high_impact"
	OMBPresumedNotHighImpact = "presumed_not_high_impact" // presumed high-impact, but determined not high-impact
	OMBNotHighImpact         = "not_high_impact"
)

// OMBImpactLevels lists the determinations in the inventory's order.
var OMBImpactLevels = []string{OMBHighImpact, OMBPresumedNotHighImpact, OMBNotHighImpact}

// OMBImpactLabel names a determination for people; "" is "Not stated".
func OMBImpactLabel(v string) string {
	switch v {
	case "":
		return "Not stated"
	case OMBHighImpact:
		return "High-impact"
	case OMBPresumedNotHighImpact:
		return "Presumed high-impact, but determined not high-impact"
	case OMBNotHighImpact:
		return "Not high-impact"
	}
	return v
}

// SystemRoles are the roles an organisation can hold for a system under the
// EU AI Act (Art 3(3)–(7) and Art 25 for the product manufacturer).
var SystemRoles = []string{"provider", "deployer", "importer", "distributor", "authorised_representative", "product_manufacturer"}

// SystemClasses are the primary EU AI Act classes the classification service
// writes into AISystem.Class. The empty class means not classified yet.
var SystemClasses = []string{"prohibited", "high_risk", "not_high_risk", "transparency_only", "minimal", "out_of_scope"}

// Unclassified is the class filter that selects systems not classified yet.
const Unclassified = "unclassified"

// ModelKinds are the kinds of AI model.
var ModelKinds = []string{"classical_ml", "deep_learning", "llm", "general_purpose"}

// SpecialCategories are the special categories of personal data of GDPR
// Art 9(1), as keys.
var SpecialCategories = []string{"racial_or_ethnic_origin", "political_opinions", "religious_or_philosophical_beliefs",
	"trade_union_membership", "genetic", "biometric", "health", "sex_life_or_orientation"}

// LinkKinds are the kinds of object an AI system can be linked to, with the
// prefix of their IDs.
var LinkKinds = []string{"model", "dataset", "vendor", "objective"}

// LinkPrefix returns the ID prefix of a link kind, or "" for an unknown kind.
func LinkPrefix(kind string) string {
	switch kind {
	case "model":
		return "mdl"
	case "dataset":
		return "ds"
	case "vendor":
		return "vnd"
	case "objective":
		return "obj"
	}
	return ""
}

// MaxBulkIDs bounds how many objects one bulk edit changes.
const MaxBulkIDs = 500

// MaxSystemLinks bounds the links of one system, so its card lists them all.
const MaxSystemLinks = 500

// AISystem is one AI system of the inventory: what it is for, who runs it,
// where, and in which roles the organisation stands to it under the EU AI
// Act. Class, Basis, NextDeadline and ClassifiedAt are written only by the
// classification service.
type AISystem struct {
	ID           string   `json:"id"`
	OrgID        string   `json:"org_id"`
	Name         string   `json:"name"`
	Purpose      string   `json:"purpose"` // the intended purpose
	Description  string   `json:"description"`
	Owner        string   `json:"owner"`
	BusinessUnit string   `json:"business_unit"`
	Stage        string   `json:"stage"`     // one of SystemStages
	Countries    []string `json:"countries"` // ISO 3166-1 alpha-2 codes, such as DE
	Users        string   `json:"users"`     // who operates it
	Affected     string   `json:"affected"`  // the persons it affects
	Autonomy     string   `json:"autonomy"`  // one of SystemAutonomyLevels, or ""
	Oversight    string   `json:"oversight"` // how people oversee it
	Roles        []string `json:"roles"`     // of SystemRoles, at least one
	// OMBImpact is the OMB M-25-21 high-impact determination, one of
	// OMBImpactLevels, or "" when not stated. A high-impact system needs the
	// memo's minimum practices as controls.
	OMBImpact string `json:"omb_impact"`
	Version   int    `json:"version"`
	// Class is the primary EU AI Act class, one of SystemClasses, or "" when
	// not classified. Basis is its legal basis as a key, such as
	// annex_iii:5(c). NextDeadline is the next application date of an
	// obligation, YYYY-MM-DD, or "".
	Class        string     `json:"class"`
	Basis        string     `json:"basis"`
	NextDeadline string     `json:"next_deadline"`
	ClassifiedAt *time.Time `json:"classified_at"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// AISystemInput is what a person may set on an AI system.
type AISystemInput struct {
	Name         string   `json:"name"`
	Purpose      string   `json:"purpose"`
	Description  string   `json:"description"`
	Owner        string   `json:"owner"`
	BusinessUnit string   `json:"business_unit"`
	Stage        string   `json:"stage"`
	Countries    []string `json:"countries"`
	Users        string   `json:"users"`
	Affected     string   `json:"affected"`
	Autonomy     string   `json:"autonomy"`
	Oversight    string   `json:"oversight"`
	Roles        []string `json:"roles"`
	OMBImpact    string   `json:"omb_impact"`
}

// textRule is a length limit on one text field.
type textRule struct {
	name string
	val  *string
	max  int
}

// checkText trims each field and reports those longer than their limit.
func checkText(v *Validation, rules ...textRule) {
	for _, r := range rules {
		*r.val = strings.TrimSpace(*r.val)
		if utf8.RuneCountInString(*r.val) > r.max {
			v.Add(r.name, "must be at most "+groupThousands(r.max)+" characters")
		}
	}
}

func groupThousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// requireName trims a required name and checks its length.
func requireName(v *Validation, name *string) {
	*name = strings.TrimSpace(*name)
	if *name == "" {
		v.Add("name", "is required")
	} else if utf8.RuneCountInString(*name) > 200 {
		v.Add("name", "must be at most 200 characters")
	}
}

// keyList trims, checks and de-duplicates a list of keys against allowed,
// returning them in the order of allowed, so equal sets compare equal.
func keyList(v *Validation, field string, in []string, allowed []string) []string {
	seen := map[string]bool{}
	for _, k := range in {
		k = strings.ToLower(strings.TrimSpace(k))
		if k == "" {
			continue
		}
		if !slices.Contains(allowed, k) {
			v.Add(field, "has "+quote(k)+", which is not one of "+strings.Join(allowed, ", "))
			continue
		}
		seen[k] = true
	}
	out := []string{}
	for _, k := range allowed {
		if seen[k] {
			out = append(out, k)
		}
	}
	return out
}

func quote(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return `"` + s + `"`
}

// Normalize trims the input, fills the default stage and returns an EINVALID
// error naming every field to fix.
func (in *AISystemInput) Normalize() error {
	var v Validation
	requireName(&v, &in.Name)
	checkText(&v,
		textRule{"purpose", &in.Purpose, 2000}, textRule{"description", &in.Description, 10000},
		textRule{"owner", &in.Owner, 200}, textRule{"business_unit", &in.BusinessUnit, 200},
		textRule{"users", &in.Users, 2000}, textRule{"affected", &in.Affected, 2000},
		textRule{"oversight", &in.Oversight, 2000})
	in.Stage = strings.ToLower(strings.TrimSpace(in.Stage))
	if in.Stage == "" {
		in.Stage = "planned"
	} else if !slices.Contains(SystemStages, in.Stage) {
		v.Add("stage", "must be one of "+strings.Join(SystemStages, ", "))
	}
	in.Autonomy = strings.ToLower(strings.TrimSpace(in.Autonomy))
	if in.Autonomy != "" && !slices.Contains(SystemAutonomyLevels, in.Autonomy) {
		v.Add("autonomy", "must be empty or one of "+strings.Join(SystemAutonomyLevels, ", "))
	}
	in.OMBImpact = strings.ToLower(strings.TrimSpace(in.OMBImpact))
	if in.OMBImpact != "" && !slices.Contains(OMBImpactLevels, in.OMBImpact) {
		v.Add("omb_impact", "must be empty or one of "+strings.Join(OMBImpactLevels, ", "))
	}
	in.Countries = CountryList(&v, "countries", in.Countries)
	in.Roles = keyList(&v, "roles", in.Roles, SystemRoles)
	if len(in.Roles) == 0 && !v.has("roles") {
		v.Add("roles", "must name at least one role of the organisation: "+strings.Join(SystemRoles, ", "))
	}
	return v.Err()
}

// has reports whether a problem with the field was recorded.
func (v *Validation) has(field string) bool {
	for _, f := range v.fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// CountryList upper-cases, checks and de-duplicates country codes, returning
// them sorted. Each code that is not an ISO 3166-1 alpha-2 code is reported
// on field.
func CountryList(v *Validation, field string, in []string) []string {
	out := []string{}
	for _, c := range in {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c == "" {
			continue
		}
		if !ValidCountry(c) {
			msg := "has " + quote(c) + ", which is not an ISO 3166-1 alpha-2 country code such as DE or FR"
			switch c {
			case "UK":
				msg += " (the United Kingdom is GB)"
			case "EL":
				msg += " (Greece is GR)"
			}
			v.Add(field, msg)
			continue
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// SplitList splits text such as "DE, FR FI" at commas, semicolons and spaces.
func SplitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

// countryCodes holds the officially assigned ISO 3166-1 alpha-2 codes.
const countryCodes = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
	"BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ " +
	"DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY " +
	"HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY " +
	"MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
	"NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA " +
	"RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
	"TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ " +
	"VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"

// ValidCountry reports whether c is an officially assigned ISO 3166-1
// alpha-2 code, in upper case.
func ValidCountry(c string) bool {
	if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
		return false
	}
	for i := 0; i+2 <= len(countryCodes); i += 3 {
		if countryCodes[i:i+2] == c {
			return true
		}
	}
	return false
}

// Fields returns the system's editable fields, for audit diffs.
func (s *AISystem) Fields() map[string]any {
	return map[string]any{
		"name": s.Name, "purpose": s.Purpose, "description": s.Description, "owner": s.Owner,
		"business_unit": s.BusinessUnit, "stage": s.Stage, "countries": strings.Join(s.Countries, ","),
		"users": s.Users, "affected": s.Affected, "autonomy": s.Autonomy, "oversight": s.Oversight,
		"roles": strings.Join(s.Roles, ","), "omb_impact": s.OMBImpact,
	}
}

// Input returns the system's editable fields as an input, for partial updates.
func (s *AISystem) Input() AISystemInput {
	return AISystemInput{Name: s.Name, Purpose: s.Purpose, Description: s.Description, Owner: s.Owner,
		BusinessUnit: s.BusinessUnit, Stage: s.Stage, Countries: slices.Clone(s.Countries), Users: s.Users,
		Affected: s.Affected, Autonomy: s.Autonomy, Oversight: s.Oversight, Roles: slices.Clone(s.Roles), OMBImpact: s.OMBImpact}
}

// ClassLabel names the system's class for people.
func (s *AISystem) ClassLabel() string { return ClassLabel(s.Class) }

// ClassLabel names an EU AI Act class for people; "" is "Not classified".
func ClassLabel(class string) string {
	switch class {
	case "":
		return "Not classified"
	case "prohibited":
		return "Prohibited"
	case "high_risk":
		return "High-risk"
	case "not_high_risk":
		return "Not high-risk (Art 6(3))"
	case "transparency_only":
		return "Transparency duties"
	case "minimal":
		return "Minimal risk"
	case "out_of_scope":
		return "Out of scope"
	}
	return class
}

// AISystemFilter selects AI systems. Nil fields do not filter.
type AISystemFilter struct {
	// Query matches name, purpose or owner, case-insensitively.
	Query *string
	// Class is one of SystemClasses, or Unclassified for systems without one.
	Class *string
	Stage *string
	Owner *string
	// Vendor, Model, Dataset and Objective keep the systems linked to the
	// object with that ID.
	Vendor    *string
	Model     *string
	Dataset   *string
	Objective *string
	// DeadlineBefore keeps systems whose next deadline is set and falls on
	// or before this date, YYYY-MM-DD.
	DeadlineBefore *string
	// Sort is one of SystemSorts (default "-created").
	Sort string
	Page
}

// SystemSorts lists the accepted values of AISystemFilter.Sort. Systems
// without a next deadline come last in both deadline orders.
var SystemSorts = []string{"-created", "created", "name", "-name", "-updated", "updated", "next_deadline", "-next_deadline"}

// InventorySorts lists the accepted sorts of the model, dataset and vendor lists.
var InventorySorts = []string{"name", "-name", "-created", "created", "-updated", "updated"}

// Normalize checks the filter's values, naming the field of each problem.
func (f *AISystemFilter) Normalize() error {
	var v Validation
	var err error
	if f.Page, err = f.Page.Normalize(); err != nil {
		return err
	}
	if f.Sort != "" && !slices.Contains(SystemSorts, f.Sort) {
		v.Add("sort", "must be one of "+strings.Join(SystemSorts, ", "))
	}
	if f.Class != nil && *f.Class != Unclassified && !slices.Contains(SystemClasses, *f.Class) {
		v.Add("class", "must be "+Unclassified+" or one of "+strings.Join(SystemClasses, ", "))
	}
	if f.Stage != nil && !slices.Contains(SystemStages, *f.Stage) {
		v.Add("stage", "must be one of "+strings.Join(SystemStages, ", "))
	}
	if f.DeadlineBefore != nil {
		if _, err := time.Parse(time.DateOnly, *f.DeadlineBefore); err != nil {
			v.Add("deadline_before", "must be a date written YYYY-MM-DD, such as 2027-08-02")
		}
	}
	return v.Err()
}

// SystemBulkSet is what one bulk edit sets on every system it names. Nil
// fields stay as they are.
type SystemBulkSet struct {
	Stage        *string `json:"stage,omitempty"`
	Owner        *string `json:"owner,omitempty"`
	BusinessUnit *string `json:"business_unit,omitempty"`
}

// Normalize trims the values and checks them, naming each field to fix.
func (s *SystemBulkSet) Normalize() error {
	var v Validation
	if s.Stage == nil && s.Owner == nil && s.BusinessUnit == nil {
		v.Add("stage", "or owner or business_unit must be given: there is nothing to change")
		return v.Err()
	}
	if s.Stage != nil {
		st := strings.ToLower(strings.TrimSpace(*s.Stage))
		s.Stage = &st
		if !slices.Contains(SystemStages, st) {
			v.Add("stage", "must be one of "+strings.Join(SystemStages, ", "))
		}
	}
	for _, r := range []struct {
		name string
		p    **string
	}{{"owner", &s.Owner}, {"business_unit", &s.BusinessUnit}} {
		if *r.p != nil {
			t := strings.TrimSpace(**r.p)
			*r.p = &t
			if utf8.RuneCountInString(t) > 200 {
				v.Add(r.name, "must be at most 200 characters")
			}
		}
	}
	return v.Err()
}

// SystemLink ties an AI system to a model, dataset, vendor or objective.
type SystemLink struct {
	SystemID string `json:"system_id"`
	Kind     string `json:"kind"` // one of LinkKinds
	TargetID string `json:"target_id"`
	// TargetName is the name (for an objective, the title) of the target.
	TargetName string    `json:"target_name"`
	CreatedAt  time.Time `json:"created_at"`
}

// AIModel is an AI model that systems are built on.
type AIModel struct {
	ID           string    `json:"id"`
	OrgID        string    `json:"org_id"`
	Name         string    `json:"name"`
	Provider     string    `json:"provider"`
	ModelVersion string    `json:"model_version"` // the model's own version, such as 4.1 or 2025-06
	Kind         string    `json:"kind"`          // one of ModelKinds
	Licence      string    `json:"licence"`
	Description  string    `json:"description"`
	Version      int       `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// AIModelInput is what a person may set on a model.
type AIModelInput struct {
	Name         string `json:"name"`
	Provider     string `json:"provider"`
	ModelVersion string `json:"model_version"`
	Kind         string `json:"kind"`
	Licence      string `json:"licence"`
	Description  string `json:"description"`
}

// Input returns the model's editable fields as an input, for partial updates.
func (m *AIModel) Input() AIModelInput {
	return AIModelInput{Name: m.Name, Provider: m.Provider, ModelVersion: m.ModelVersion, Kind: m.Kind, Licence: m.Licence, Description: m.Description}
}

// Normalize trims the input and returns an EINVALID error naming every field to fix.
func (in *AIModelInput) Normalize() error {
	var v Validation
	requireName(&v, &in.Name)
	checkText(&v, textRule{"provider", &in.Provider, 200}, textRule{"model_version", &in.ModelVersion, 100},
		textRule{"licence", &in.Licence, 200}, textRule{"description", &in.Description, 10000})
	in.Kind = strings.ToLower(strings.TrimSpace(in.Kind))
	if !slices.Contains(ModelKinds, in.Kind) {
		v.Add("kind", "must be one of "+strings.Join(ModelKinds, ", "))
	}
	return v.Err()
}

// Fields returns the model's editable fields, for audit diffs.
func (m *AIModel) Fields() map[string]any {
	return map[string]any{"name": m.Name, "provider": m.Provider, "model_version": m.ModelVersion, "kind": m.Kind,
		"licence": m.Licence, "description": m.Description}
}

// Dataset is data that systems are trained, tested or run on.
type Dataset struct {
	ID                string    `json:"id"`
	OrgID             string    `json:"org_id"`
	Name              string    `json:"name"`
	Source            string    `json:"source"`
	Description       string    `json:"description"`
	PersonalData      bool      `json:"personal_data"`
	SpecialCategories []string  `json:"special_categories"` // of SpecialCategories
	Version           int       `json:"version"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// DatasetInput is what a person may set on a dataset.
type DatasetInput struct {
	Name              string   `json:"name"`
	Source            string   `json:"source"`
	Description       string   `json:"description"`
	PersonalData      bool     `json:"personal_data"`
	SpecialCategories []string `json:"special_categories"`
}

// Input returns the dataset's editable fields as an input, for partial updates.
func (d *Dataset) Input() DatasetInput {
	return DatasetInput{Name: d.Name, Source: d.Source, Description: d.Description, PersonalData: d.PersonalData,
		SpecialCategories: slices.Clone(d.SpecialCategories)}
}

// Normalize trims the input and returns an EINVALID error naming every field
// to fix. Special categories of data are personal data, so naming one
// without personal_data is a contradiction.
func (in *DatasetInput) Normalize() error {
	var v Validation
	requireName(&v, &in.Name)
	checkText(&v, textRule{"source", &in.Source, 2000}, textRule{"description", &in.Description, 10000})
	in.SpecialCategories = keyList(&v, "special_categories", in.SpecialCategories, SpecialCategories)
	if len(in.SpecialCategories) > 0 && !in.PersonalData {
		v.Add("personal_data", "must be true when special_categories are named: special categories of data (GDPR Art 9) are personal data")
		v.Add("special_categories", "contradicts personal_data, which says the dataset holds no personal data")
	}
	return v.Err()
}

// Fields returns the dataset's editable fields, for audit diffs.
func (d *Dataset) Fields() map[string]any {
	return map[string]any{"name": d.Name, "source": d.Source, "description": d.Description,
		"personal_data": d.PersonalData, "special_categories": strings.Join(d.SpecialCategories, ",")}
}

// Vendor is a company that supplies AI systems, models or data.
type Vendor struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"org_id"`
	Name        string    `json:"name"` // unique in the organisation, ignoring case
	Website     string    `json:"website"`
	Contact     string    `json:"contact"`
	Country     string    `json:"country"` // ISO 3166-1 alpha-2, or ""
	Description string    `json:"description"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// VendorInput is what a person may set on a vendor.
type VendorInput struct {
	Name        string `json:"name"`
	Website     string `json:"website"`
	Contact     string `json:"contact"`
	Country     string `json:"country"`
	Description string `json:"description"`
}

// Input returns the vendor's editable fields as an input, for partial updates.
func (v *Vendor) Input() VendorInput {
	return VendorInput{Name: v.Name, Website: v.Website, Contact: v.Contact, Country: v.Country, Description: v.Description}
}

// Normalize trims the input and returns an EINVALID error naming every field to fix.
func (in *VendorInput) Normalize() error {
	var v Validation
	requireName(&v, &in.Name)
	checkText(&v, textRule{"website", &in.Website, 500}, textRule{"contact", &in.Contact, 500},
		textRule{"description", &in.Description, 10000})
	if in.Website != "" && !v.has("website") {
		u, err := url.Parse(in.Website)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.Add("website", "must be a web address starting with https:// or http://")
		}
	}
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	if in.Country != "" {
		if cs := CountryList(&v, "country", []string{in.Country}); len(cs) == 1 {
			in.Country = cs[0]
		}
	}
	return v.Err()
}

// Fields returns the vendor's editable fields, for audit diffs.
func (x *Vendor) Fields() map[string]any {
	return map[string]any{"name": x.Name, "website": x.Website, "contact": x.Contact, "country": x.Country, "description": x.Description}
}

// InventoryFilter selects models, datasets or vendors. Nil fields do not filter.
type InventoryFilter struct {
	// Query matches the name, and the provider of a model or the source of
	// a dataset, case-insensitively.
	Query *string
	// Kind keeps models of one of ModelKinds; only for models.
	Kind *string
	// PersonalData keeps datasets with (true) or without (false) personal data; only for datasets.
	PersonalData *bool
	// Sort is one of InventorySorts (default "name").
	Sort string
	Page
}

// Normalize checks the filter's values, naming the field of each problem.
func (f *InventoryFilter) Normalize() error {
	var err error
	if f.Page, err = f.Page.Normalize(); err != nil {
		return err
	}
	var v Validation
	if f.Sort != "" && !slices.Contains(InventorySorts, f.Sort) {
		v.Add("sort", "must be one of "+strings.Join(InventorySorts, ", "))
	}
	if f.Kind != nil && !slices.Contains(ModelKinds, *f.Kind) {
		v.Add("kind", "must be one of "+strings.Join(ModelKinds, ", "))
	}
	return v.Err()
}

// SystemService manages the AI systems of the actor's organisation and their
// links. Reads need PermRead, changes PermEdit; every change is in the audit
// trail. IDs of another organisation are reported as not found.
type SystemService interface {
	// FindSystem returns one system, or ENOTFOUND.
	FindSystem(ctx context.Context, id string) (*AISystem, error)
	// FindSystems returns a page of systems and the total that match;
	// EINVALID names a bad filter value.
	FindSystems(ctx context.Context, f AISystemFilter) ([]*AISystem, int, error)
	// CreateSystem stores a new system at version 1; EINVALID names each field to fix.
	CreateSystem(ctx context.Context, in AISystemInput) (*AISystem, error)
	// UpdateSystem replaces the editable fields. When version is not zero and
	// differs from the stored version, returns ECONFLICT.
	UpdateSystem(ctx context.Context, id string, version int, in AISystemInput) (*AISystem, error)
	// DeleteSystem removes a system and its links.
	DeleteSystem(ctx context.Context, id string) error
	// BulkUpdateSystems sets the fields of set on every system of ids (at
	// most MaxBulkIDs), all or nothing, with one audit event per system that
	// changed. An unknown id is ENOTFOUND naming it. Returns how many changed.
	BulkUpdateSystems(ctx context.Context, ids []string, set SystemBulkSet) (int, error)
	// FindSystemLinks lists every link of a system, by kind and target name.
	FindSystemLinks(ctx context.Context, systemID string) ([]*SystemLink, error)
	// LinkSystem links a system to a model, dataset, vendor or objective of
	// the same organisation. An unknown kind is EINVALID; a missing target
	// ENOTFOUND; an existing link ECONFLICT.
	LinkSystem(ctx context.Context, systemID, kind, targetID string) (*SystemLink, error)
	// UnlinkSystem removes a link; ENOTFOUND when there is none.
	UnlinkSystem(ctx context.Context, systemID, kind, targetID string) error
}

// ModelService manages the AI models of the actor's organisation, with the
// permissions and audit of SystemService. Deleting a model removes its links.
type ModelService interface {
	FindModel(ctx context.Context, id string) (*AIModel, error)
	FindModels(ctx context.Context, f InventoryFilter) ([]*AIModel, int, error)
	CreateModel(ctx context.Context, in AIModelInput) (*AIModel, error)
	UpdateModel(ctx context.Context, id string, version int, in AIModelInput) (*AIModel, error)
	DeleteModel(ctx context.Context, id string) error
}

// DatasetService manages the datasets of the actor's organisation, with the
// permissions and audit of SystemService. Deleting a dataset removes its links.
type DatasetService interface {
	FindDataset(ctx context.Context, id string) (*Dataset, error)
	FindDatasets(ctx context.Context, f InventoryFilter) ([]*Dataset, int, error)
	CreateDataset(ctx context.Context, in DatasetInput) (*Dataset, error)
	UpdateDataset(ctx context.Context, id string, version int, in DatasetInput) (*Dataset, error)
	DeleteDataset(ctx context.Context, id string) error
}

// VendorService manages the vendors of the actor's organisation, with the
// permissions and audit of SystemService. A second vendor with the same name
// (ignoring case) is ECONFLICT naming the field name. Deleting a vendor
// removes its links.
type VendorService interface {
	FindVendor(ctx context.Context, id string) (*Vendor, error)
	FindVendors(ctx context.Context, f InventoryFilter) ([]*Vendor, int, error)
	CreateVendor(ctx context.Context, in VendorInput) (*Vendor, error)
	UpdateVendor(ctx context.Context, id string, version int, in VendorInput) (*Vendor, error)
	DeleteVendor(ctx context.Context, id string) error
}
