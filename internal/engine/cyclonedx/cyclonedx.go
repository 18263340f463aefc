// Package cyclonedx writes caio's AI inventory as a CycloneDX 1.6 ML-BOM
// (JSON) and reads the models, datasets and suppliers of a CycloneDX BOM
// back. It is pure: the caller reads the inventory and passes it in, so one
// input always gives the same bytes.
//
// Mapping (see docs/interchange.md):
//   - an AI system is a component of type "application" (a system is more
//     than its model: CycloneDX 1.6 §component.type);
//   - a model is a "machine-learning-model" component with a modelCard;
//   - a dataset is a "data" component with one componentData entry;
//   - a vendor linked to a system is the system's supplier; a model's
//     provider is the model's supplier (with the vendor's web site when a
//     vendor of that name exists);
//   - system links become the dependency graph;
//   - the EU AI Act class, basis, next deadline and obligations are
//     properties whose names start with "caio:".
package cyclonedx

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/caio-office/caio"
)

// SpecVersion is the CycloneDX version this package writes.
const SpecVersion = "1.6"

// Obligation is one EU AI Act obligation of a classified system with the
// date it applies from under the timeline the classification used.
type Obligation struct {
	ID      string `json:"id"`
	Ref     string `json:"ref"`
	Title   string `json:"title"`
	Status  string `json:"status"`
	Applies string `json:"applies"`
}

// Inventory is what a BOM is built from.
type Inventory struct {
	OrgID, OrgName, OrgSlug string
	// At is the export time; with OrgID and Scope it fixes the serial number.
	At time.Time
	// Scope is the system ID of a one-system export, or "".
	Scope    string
	Systems  []*caio.AISystem
	Models   []*caio.AIModel
	Datasets []*caio.Dataset
	Vendors  []*caio.Vendor
	Links    []*caio.SystemLink
	// Obligations holds the obligations of the current classification of
	// each classified system, by system ID.
	Obligations map[string][]Obligation
	// ContentVersion of the classification rules, by system ID.
	ContentVersion map[string]string
}

// BOM is the part of a CycloneDX document caio writes and reads.
type BOM struct {
	BOMFormat    string       `json:"bomFormat"`
	SpecVersion  string       `json:"specVersion"`
	SerialNumber string       `json:"serialNumber,omitempty"`
	Version      int          `json:"version"`
	Metadata     *Metadata    `json:"metadata,omitempty"`
	Components   []Component  `json:"components,omitempty"`
	Dependencies []Dependency `json:"dependencies,omitempty"`
}

// Metadata describes the BOM.
type Metadata struct {
	Timestamp    string     `json:"timestamp,omitempty"`
	Tools        *Tools     `json:"tools,omitempty"`
	Supplier     *OrgEntity `json:"supplier,omitempty"`
	Properties   []Property `json:"properties,omitempty"`
	Component    *Component `json:"component,omitempty"`
	Manufacturer *OrgEntity `json:"manufacturer,omitempty"`
}

// Tools lists the tools that made the BOM.
type Tools struct {
	Components []Component `json:"components,omitempty"`
}

// OrgEntity is a CycloneDX organizationalEntity.
type OrgEntity struct {
	Name    string    `json:"name,omitempty"`
	URL     []string  `json:"url,omitempty"`
	Contact []Contact `json:"contact,omitempty"`
}

// Contact is a CycloneDX organizationalContact.
type Contact struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// Component is a CycloneDX component.
type Component struct {
	Type         string          `json:"type"`
	BOMRef       string          `json:"bom-ref,omitempty"`
	Supplier     *OrgEntity      `json:"supplier,omitempty"`
	Manufacturer *OrgEntity      `json:"manufacturer,omitempty"`
	Author       string          `json:"author,omitempty"`
	Publisher    string          `json:"publisher,omitempty"`
	Group        string          `json:"group,omitempty"`
	Name         string          `json:"name"`
	Version      string          `json:"version,omitempty"`
	Description  string          `json:"description,omitempty"`
	Licenses     []LicenseChoice `json:"licenses,omitempty"`
	ModelCard    *ModelCard      `json:"modelCard,omitempty"`
	Data         []ComponentData `json:"data,omitempty"`
	Properties   []Property      `json:"properties,omitempty"`
	Components   []Component     `json:"components,omitempty"`
}

// LicenseChoice is one entry of a component's licences.
type LicenseChoice struct {
	License    *License `json:"license,omitempty"`
	Expression string   `json:"expression,omitempty"`
}

// License names a licence by SPDX id or by name.
type License struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// ModelCard is the part of a CycloneDX model card caio uses.
type ModelCard struct {
	ModelParameters *ModelParameters `json:"modelParameters,omitempty"`
	Considerations  *Considerations  `json:"considerations,omitempty"`
	Properties      []Property       `json:"properties,omitempty"`
}

// ModelParameters describe how the model was built.
type ModelParameters struct {
	Approach           *Approach    `json:"approach,omitempty"`
	Task               string       `json:"task,omitempty"`
	ArchitectureFamily string       `json:"architectureFamily,omitempty"`
	Datasets           []DatasetRef `json:"datasets,omitempty"`
}

// Approach is the learning approach.
type Approach struct {
	Type string `json:"type,omitempty"`
}

// DatasetRef is a model card dataset: a reference to a data component, or
// the dataset inline (when read from another tool).
type DatasetRef struct {
	Ref string `json:"ref,omitempty"`
	ComponentData
}

// MarshalJSON writes a reference as {"ref": ...} only, so it matches the
// schema's second alternative and not the inline one.
func (d DatasetRef) MarshalJSON() ([]byte, error) {
	if d.Ref != "" {
		return json.Marshal(struct {
			Ref string `json:"ref"`
		}{d.Ref})
	}
	return json.Marshal(d.ComponentData)
}

// Considerations of a model card.
type Considerations struct {
	Users                 []string `json:"users,omitempty"`
	UseCases              []string `json:"useCases,omitempty"`
	TechnicalLimitations  []string `json:"technicalLimitations,omitempty"`
	EthicalConsiderations []Risk   `json:"ethicalConsiderations,omitempty"`
}

// Risk is an ethical consideration and how it is mitigated.
type Risk struct {
	Name               string `json:"name,omitempty"`
	MitigationStrategy string `json:"mitigationStrategy,omitempty"`
}

// ComponentData is a CycloneDX componentData entry.
type ComponentData struct {
	BOMRef         string        `json:"bom-ref,omitempty"`
	Type           string        `json:"type,omitempty"`
	Name           string        `json:"name,omitempty"`
	Contents       *DataContents `json:"contents,omitempty"`
	Classification string        `json:"classification,omitempty"`
	SensitiveData  []string      `json:"sensitiveData,omitempty"`
}

// DataContents point to the data.
type DataContents struct {
	URL string `json:"url,omitempty"`
}

// Property is a name-value pair.
type Property struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Dependency lists what one component depends on.
type Dependency struct {
	Ref       string   `json:"ref"`
	DependsOn []string `json:"dependsOn,omitempty"`
}

// SerialNumber derives an RFC 4122 URN from the organisation, the export
// time and the scope: the same export gives the same serial, another time
// another one. The UUID has version 5's layout over SHA-256.
func SerialNumber(orgID string, at time.Time, scope string) string {
	h := sha256.Sum256([]byte("caio-cyclonedx\x00" + orgID + "\x00" + at.UTC().Format(time.RFC3339Nano) + "\x00" + scope))
	u := h[:16]
	u[6] = (u[6] & 0x0f) | 0x50
	u[8] = (u[8] & 0x3f) | 0x80
	s := hex.EncodeToString(u)
	return "urn:uuid:" + s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

// byName orders by lower-cased name, then ID, so output is stable.
func byName(an, aid, bn, bid string) int {
	if c := strings.Compare(strings.ToLower(an), strings.ToLower(bn)); c != 0 {
		return c
	}
	return strings.Compare(aid, bid)
}

func prop(ps *[]Property, name, value string) {
	if value != "" {
		*ps = append(*ps, Property{Name: "caio:" + name, Value: value})
	}
}

// approachOf maps a model kind to a CycloneDX learning approach where the
// kind implies one: large language and general-purpose models are
// pre-trained self-supervised. Other kinds say nothing about it.
func approachOf(kind string) *Approach {
	switch kind {
	case "llm", "general_purpose":
		return &Approach{Type: "self-supervised"}
	}
	return nil
}

// taskOf names the model's task from its kind.
func taskOf(kind string) string {
	switch kind {
	case "llm":
		return "text-generation"
	case "general_purpose":
		return "general-purpose"
	case "classical_ml":
		return "prediction"
	case "deep_learning":
		return "prediction"
	}
	return ""
}

// Build returns the BOM of the inventory.
func Build(inv *Inventory) *BOM {
	systems := slices.Clone(inv.Systems)
	slices.SortFunc(systems, func(a, b *caio.AISystem) int { return byName(a.Name, a.ID, b.Name, b.ID) })
	models := slices.Clone(inv.Models)
	slices.SortFunc(models, func(a, b *caio.AIModel) int { return byName(a.Name, a.ID, b.Name, b.ID) })
	datasets := slices.Clone(inv.Datasets)
	slices.SortFunc(datasets, func(a, b *caio.Dataset) int { return byName(a.Name, a.ID, b.Name, b.ID) })

	vendors := map[string]*caio.Vendor{}
	vendorByName := map[string]*caio.Vendor{}
	for _, v := range inv.Vendors {
		vendors[v.ID] = v
		vendorByName[strings.ToLower(v.Name)] = v
	}
	present := map[string]bool{}
	for _, m := range models {
		present[m.ID] = true
	}
	for _, d := range datasets {
		present[d.ID] = true
	}
	// Links by system, and which systems use each model.
	deps := map[string][]string{}
	sysVendors := map[string][]*caio.Vendor{}
	modelSystems := map[string][]*caio.AISystem{}
	modelData := map[string]map[string]bool{}
	sysByID := map[string]*caio.AISystem{}
	for _, s := range systems {
		sysByID[s.ID] = s
	}
	links := slices.Clone(inv.Links)
	slices.SortFunc(links, func(a, b *caio.SystemLink) int {
		return cmpAll(strings.Compare(a.SystemID, b.SystemID), strings.Compare(a.Kind, b.Kind), strings.Compare(a.TargetID, b.TargetID))
	})
	for _, l := range links {
		s := sysByID[l.SystemID]
		if s == nil {
			continue
		}
		switch l.Kind {
		case "model", "dataset":
			if present[l.TargetID] {
				deps[s.ID] = append(deps[s.ID], l.TargetID)
			}
			if l.Kind == "model" {
				modelSystems[l.TargetID] = append(modelSystems[l.TargetID], s)
			}
		case "vendor":
			if v := vendors[l.TargetID]; v != nil {
				sysVendors[s.ID] = append(sysVendors[s.ID], v)
			}
		}
	}
	// A model's card names the datasets of the systems built on it.
	sysData := map[string][]string{}
	for _, l := range links {
		if l.Kind == "dataset" && present[l.TargetID] {
			sysData[l.SystemID] = append(sysData[l.SystemID], l.TargetID)
		}
	}
	for _, l := range links {
		if l.Kind != "model" || len(sysData[l.SystemID]) == 0 {
			continue
		}
		if modelData[l.TargetID] == nil {
			modelData[l.TargetID] = map[string]bool{}
		}
		for _, d := range sysData[l.SystemID] {
			modelData[l.TargetID][d] = true
		}
	}

	bom := &BOM{
		BOMFormat: "CycloneDX", SpecVersion: SpecVersion, Version: 1,
		SerialNumber: SerialNumber(inv.OrgID, inv.At, inv.Scope),
		Metadata: &Metadata{
			Timestamp: inv.At.UTC().Format(time.RFC3339),
			Tools: &Tools{Components: []Component{{Type: "application", Name: "caio", Version: caio.Version,
				Description: "caio, the AI office in a box"}}},
			Manufacturer: &OrgEntity{Name: inv.OrgName},
		},
		Components: make([]Component, 0, len(systems)+len(models)+len(datasets)),
	}
	var mp []Property
	prop(&mp, "org", inv.OrgSlug)
	prop(&mp, "scope", inv.Scope)
	prop(&mp, "notice", "EU AI Act properties are caio's classification, not legal advice.")
	bom.Metadata.Properties = mp

	for _, s := range systems {
		c := Component{Type: "application", BOMRef: s.ID, Name: s.Name, Description: s.Purpose}
		vs := sysVendors[s.ID]
		slices.SortFunc(vs, func(a, b *caio.Vendor) int { return byName(a.Name, a.ID, b.Name, b.ID) })
		if len(vs) > 0 {
			c.Supplier = vendorEntity(vs[0])
		}
		var ps []Property
		prop(&ps, "id", s.ID)
		prop(&ps, "stage", s.Stage)
		prop(&ps, "owner", s.Owner)
		prop(&ps, "business_unit", s.BusinessUnit)
		prop(&ps, "countries", strings.Join(s.Countries, ","))
		prop(&ps, "roles", strings.Join(s.Roles, ","))
		prop(&ps, "autonomy", s.Autonomy)
		prop(&ps, "users", s.Users)
		prop(&ps, "affected", s.Affected)
		prop(&ps, "oversight", s.Oversight)
		for _, v := range vs {
			prop(&ps, "vendor", v.Name)
		}
		class := s.Class
		if class == "" {
			class = caio.Unclassified
		}
		prop(&ps, "eu_ai_act:class", class)
		prop(&ps, "eu_ai_act:class_label", caio.ClassLabel(s.Class))
		prop(&ps, "eu_ai_act:basis", s.Basis)
		prop(&ps, "eu_ai_act:next_deadline", s.NextDeadline)
		prop(&ps, "eu_ai_act:content_version", inv.ContentVersion[s.ID])
		for _, o := range inv.Obligations[s.ID] {
			v := o.Ref + " " + o.Title
			if o.Applies != "" {
				v += "; applies from " + o.Applies
			}
			if o.Status != "" && o.Status != "applies" {
				v += "; " + strings.ReplaceAll(o.Status, "_", " ")
			}
			prop(&ps, "eu_ai_act:obligation:"+o.ID, strings.TrimSpace(v))
		}
		c.Properties = ps
		bom.Components = append(bom.Components, c)
	}
	for _, m := range models {
		c := Component{Type: "machine-learning-model", BOMRef: m.ID, Name: m.Name, Version: m.ModelVersion, Description: m.Description}
		if m.Provider != "" {
			if v := vendorByName[strings.ToLower(m.Provider)]; v != nil {
				c.Supplier = vendorEntity(v)
			} else {
				c.Supplier = &OrgEntity{Name: m.Provider}
			}
		}
		if m.Licence != "" {
			c.Licenses = []LicenseChoice{{License: &License{Name: m.Licence}}}
		}
		card := &ModelCard{ModelParameters: &ModelParameters{Approach: approachOf(m.Kind), Task: taskOf(m.Kind)}}
		var dsIDs []string
		for id := range modelData[m.ID] {
			dsIDs = append(dsIDs, id)
		}
		slices.Sort(dsIDs)
		for _, id := range dsIDs {
			card.ModelParameters.Datasets = append(card.ModelParameters.Datasets, DatasetRef{Ref: id})
		}
		var cons Considerations
		ss := modelSystems[m.ID]
		slices.SortFunc(ss, func(a, b *caio.AISystem) int { return byName(a.Name, a.ID, b.Name, b.ID) })
		for _, s := range ss {
			if s.Purpose != "" {
				cons.UseCases = appendUnique(cons.UseCases, s.Name+": "+s.Purpose)
			} else {
				cons.UseCases = appendUnique(cons.UseCases, s.Name)
			}
			if s.Users != "" {
				cons.Users = appendUnique(cons.Users, s.Users)
			}
			if s.Class == "high_risk" || s.Class == "prohibited" {
				cons.EthicalConsiderations = append(cons.EthicalConsiderations, Risk{
					Name:               s.Name + " is " + caio.ClassLabel(s.Class) + " under the EU AI Act (" + s.Basis + ")",
					MitigationStrategy: "See the obligations listed on the system component " + s.ID + ".",
				})
			}
		}
		if len(cons.UseCases)+len(cons.Users)+len(cons.EthicalConsiderations) > 0 {
			card.Considerations = &cons
		}
		var cp []Property
		prop(&cp, "kind", m.Kind)
		card.Properties = cp
		c.ModelCard = card
		var ps []Property
		prop(&ps, "id", m.ID)
		prop(&ps, "kind", m.Kind)
		prop(&ps, "provider", m.Provider)
		c.Properties = ps
		bom.Components = append(bom.Components, c)
	}
	for _, d := range datasets {
		cd := ComponentData{Type: "dataset", Name: d.Name, SensitiveData: slices.Clone(d.SpecialCategories)}
		if d.PersonalData {
			cd.Classification = "personal data"
		} else {
			cd.Classification = "no personal data"
		}
		if strings.HasPrefix(d.Source, "https://") || strings.HasPrefix(d.Source, "http://") {
			cd.Contents = &DataContents{URL: d.Source}
		}
		c := Component{Type: "data", BOMRef: d.ID, Name: d.Name, Description: d.Description, Data: []ComponentData{cd}}
		var ps []Property
		prop(&ps, "id", d.ID)
		prop(&ps, "source", d.Source)
		prop(&ps, "personal_data", fmt.Sprint(d.PersonalData))
		prop(&ps, "special_categories", strings.Join(d.SpecialCategories, ","))
		c.Properties = ps
		bom.Components = append(bom.Components, c)
	}
	for _, c := range bom.Components {
		dep := Dependency{Ref: c.BOMRef}
		ds := slices.Clone(deps[c.BOMRef])
		slices.Sort(ds)
		dep.DependsOn = slices.Compact(ds)
		bom.Dependencies = append(bom.Dependencies, dep)
	}
	return bom
}

func cmpAll(cs ...int) int {
	for _, c := range cs {
		if c != 0 {
			return c
		}
	}
	return 0
}

func appendUnique(xs []string, x string) []string {
	if slices.Contains(xs, x) {
		return xs
	}
	return append(xs, x)
}

func vendorEntity(v *caio.Vendor) *OrgEntity {
	e := &OrgEntity{Name: v.Name}
	if v.Website != "" {
		e.URL = []string{v.Website}
	}
	if v.Contact != "" {
		if strings.Contains(v.Contact, "@") && !strings.ContainsAny(v.Contact, " <>") {
			e.Contact = []Contact{{Email: v.Contact}}
		} else {
			e.Contact = []Contact{{Name: v.Contact}}
		}
	}
	return e
}

// Marshal writes the BOM as indented JSON with a final newline.
func Marshal(b *BOM) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
