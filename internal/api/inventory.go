package api

import (
	"context"
	"net/http"

	"github.com/caio-office/caio"
	"github.com/danielgtaylor/huma/v2"
)

// The AI inventory: systems and their links, models, datasets and vendors.

const inventoryTag = "Inventory"

// SystemBody is what a client may set on an AI system.
type SystemBody struct {
	Name         string   `json:"name" minLength:"1" maxLength:"200" doc:"Short name of the system."`
	Purpose      string   `json:"purpose,omitempty" maxLength:"2000" doc:"The intended purpose: what the system is for, in whose hands."`
	Description  string   `json:"description,omitempty" maxLength:"10000"`
	Owner        string   `json:"owner,omitempty" maxLength:"200" doc:"Who is accountable for it."`
	BusinessUnit string   `json:"business_unit,omitempty" maxLength:"200"`
	Stage        string   `json:"stage,omitempty" enum:"planned,development,testing,production,retired" doc:"Lifecycle stage; planned when left out."`
	Countries    []string `json:"countries,omitempty" maxItems:"249" doc:"Where it is deployed or its output used: ISO 3166-1 alpha-2 codes, such as DE."`
	Users        string   `json:"users,omitempty" maxLength:"2000" doc:"Who operates it."`
	Affected     string   `json:"affected,omitempty" maxLength:"2000" doc:"The persons it affects."`
	Autonomy     string   `json:"autonomy,omitempty" doc:"Level of autonomy: assistive, human_in_the_loop, human_on_the_loop or autonomous; empty when not stated."`
	Oversight    string   `json:"oversight,omitempty" maxLength:"2000" doc:"How people oversee it."`
	Roles        []string `json:"roles" minItems:"1" enum:"provider,deployer,importer,distributor,authorised_representative,product_manufacturer" doc:"The organisation's roles for the system under the EU AI Act."`
	OMBImpact    string   `json:"omb_impact,omitempty" doc:"OMB M-25-21 high-impact determination (appendix §5): high_impact, presumed_not_high_impact (presumed high-impact, but determined not) or not_high_impact; empty when not stated. A high-impact system gets the M-25-21 minimum practices as controls when the organisation follows OMB M-25-21."`
	Version      int      `json:"version,omitempty" minimum:"0" doc:"On update: the version you edited; a different stored version gives 409. Leave out to overwrite."`
}

func (b SystemBody) input() caio.AISystemInput {
	return caio.AISystemInput{Name: b.Name, Purpose: b.Purpose, Description: b.Description, Owner: b.Owner,
		BusinessUnit: b.BusinessUnit, Stage: b.Stage, Countries: b.Countries, Users: b.Users, Affected: b.Affected,
		Autonomy: b.Autonomy, Oversight: b.Oversight, Roles: b.Roles, OMBImpact: b.OMBImpact}
}

// SystemID names an AI system in the path.
type SystemID struct {
	ID string `path:"id" doc:"AI system id, sys_..."`
}

// ModelID names a model in the path.
type ModelID struct {
	ID string `path:"id" doc:"Model id, mdl_..."`
}

// DatasetID names a dataset in the path.
type DatasetID struct {
	ID string `path:"id" doc:"Dataset id, ds_..."`
}

// VendorID names a vendor in the path.
type VendorID struct {
	ID string `path:"id" doc:"Vendor id, vnd_..."`
}

// SystemBulkBody changes some fields of many systems at once.
type SystemBulkBody struct {
	IDs          []string `json:"ids" minItems:"1" maxItems:"500" doc:"The systems to change, all or none."`
	Stage        *string  `json:"stage,omitempty" enum:"planned,development,testing,production,retired"`
	Owner        *string  `json:"owner,omitempty" maxLength:"200"`
	BusinessUnit *string  `json:"business_unit,omitempty" maxLength:"200"`
}

// LinkBody links a system to another object.
type LinkBody struct {
	Kind     string `json:"kind" enum:"model,dataset,vendor,objective"`
	TargetID string `json:"target_id" minLength:"1" maxLength:"64" doc:"The id of the model, dataset, vendor or objective."`
}

// ModelBody is what a client may set on a model.
type ModelBody struct {
	Name         string `json:"name" minLength:"1" maxLength:"200"`
	Provider     string `json:"provider,omitempty" maxLength:"200"`
	ModelVersion string `json:"model_version,omitempty" maxLength:"100" doc:"The model's own version, such as 2025-04-14."`
	Kind         string `json:"kind" enum:"classical_ml,deep_learning,llm,general_purpose"`
	Licence      string `json:"licence,omitempty" maxLength:"200"`
	Description  string `json:"description,omitempty" maxLength:"10000"`
	Version      int    `json:"version,omitempty" minimum:"0" doc:"On update: the version you edited; a different stored version gives 409."`
}

// DatasetBody is what a client may set on a dataset.
type DatasetBody struct {
	Name              string   `json:"name" minLength:"1" maxLength:"200"`
	Source            string   `json:"source,omitempty" maxLength:"2000"`
	Description       string   `json:"description,omitempty" maxLength:"10000"`
	PersonalData      bool     `json:"personal_data,omitempty" doc:"Whether it holds personal data; must be true when special_categories are named."`
	SpecialCategories []string `json:"special_categories,omitempty" enum:"racial_or_ethnic_origin,political_opinions,religious_or_philosophical_beliefs,trade_union_membership,genetic,biometric,health,sex_life_or_orientation" doc:"Special categories of personal data (GDPR Art 9) it holds."`
	Version           int      `json:"version,omitempty" minimum:"0" doc:"On update: the version you edited; a different stored version gives 409."`
}

// VendorBody is what a client may set on a vendor.
type VendorBody struct {
	Name        string `json:"name" minLength:"1" maxLength:"200" doc:"Unique in the organisation, ignoring case."`
	Website     string `json:"website,omitempty" maxLength:"500" doc:"https://..."`
	Contact     string `json:"contact,omitempty" maxLength:"500"`
	Country     string `json:"country,omitempty" maxLength:"2" doc:"ISO 3166-1 alpha-2 code."`
	Description string `json:"description,omitempty" maxLength:"10000"`
	Version     int    `json:"version,omitempty" minimum:"0" doc:"On update: the version you edited; a different stored version gives 409."`
}

// BulkResult says how a bulk edit went.
type BulkResult struct {
	Updated int `json:"updated" doc:"How many systems changed; those that had the values already are left alone."`
}

// SystemLinks lists every link of a system, by kind and target name.
type SystemLinks struct {
	Items []*caio.SystemLink `json:"items"`
}

// InventoryQuery filters the model, dataset and vendor lists.
type InventoryQuery struct {
	PageQuery
	Q    string `query:"q" maxLength:"200" doc:"Search the name (and a model's provider, a dataset's source)."`
	Sort string `query:"sort" enum:"name,-name,created,-created,updated,-updated" default:"name"`
}

func (q InventoryQuery) filter() caio.InventoryFilter {
	return caio.InventoryFilter{Query: trimmed(&q.Q), Sort: q.Sort, Page: q.page()}
}

// queryProblem is problem for a list, whose filters are query parameters.
func (api *API) queryProblem(ctx context.Context, err error) error {
	if caio.ErrorCode(err) != caio.EINVALID {
		return api.problem(ctx, err)
	}
	var details []error
	for _, f := range caio.ErrorFields(err) {
		details = append(details, &huma.ErrorDetail{Message: f.Message, Location: "query." + f.Field})
	}
	return huma.NewError(http.StatusUnprocessableEntity, caio.ErrorMessage(err), details...)
}

func (api *API) registerInventory() {
	api.registerSystems()
	api.registerModels()
	api.registerDatasets()
	api.registerVendors()
}

func (api *API) registerSystems() {
	huma.Register(api, op(http.MethodGet, "/systems", "list-systems", "List AI systems", inventoryTag),
		func(ctx context.Context, in *struct {
			PageQuery
			Q              string `query:"q" maxLength:"200" doc:"Search name, intended purpose and owner."`
			Class          string `query:"class" enum:"unclassified,prohibited,high_risk,not_high_risk,transparency_only,minimal,out_of_scope" doc:"EU AI Act class; unclassified for systems without one."`
			Stage          string `query:"stage" enum:"planned,development,testing,production,retired"`
			Owner          string `query:"owner" maxLength:"200" doc:"Exactly this owner."`
			Vendor         string `query:"vendor" maxLength:"64" doc:"Systems linked to this vendor id."`
			Model          string `query:"model" maxLength:"64" doc:"Systems linked to this model id."`
			Dataset        string `query:"dataset" maxLength:"64" doc:"Systems linked to this dataset id."`
			Objective      string `query:"objective" maxLength:"64" doc:"Systems linked to this objective id."`
			DeadlineBefore string `query:"deadline_before" maxLength:"10" doc:"Systems whose next deadline is on or before this date, YYYY-MM-DD."`
			Sort           string `query:"sort" enum:"-created,created,name,-name,-updated,updated,next_deadline,-next_deadline" default:"-created" doc:"Systems without a next deadline come last in both deadline orders."`
		}) (*listOut[*caio.AISystem], error) {
			f := caio.AISystemFilter{Query: trimmed(&in.Q), Class: trimmed(&in.Class), Stage: trimmed(&in.Stage), Owner: trimmed(&in.Owner),
				Vendor: trimmed(&in.Vendor), Model: trimmed(&in.Model), Dataset: trimmed(&in.Dataset), Objective: trimmed(&in.Objective),
				DeadlineBefore: trimmed(&in.DeadlineBefore), Sort: in.Sort, Page: in.page()}
			items, total, err := api.app.FindSystems(ctx, f)
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	create := op(http.MethodPost, "/systems", "create-system", "Add an AI system to the inventory", inventoryTag)
	create.DefaultStatus = http.StatusCreated
	huma.Register(api, create, func(ctx context.Context, in *struct{ Body SystemBody }) (*struct{ Body *caio.AISystem }, error) {
		s, err := api.app.CreateSystem(ctx, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.AISystem }{s}, nil
	})

	huma.Register(api, op(http.MethodPatch, "/systems", "bulk-update-systems", "Change the stage, owner or business unit of many AI systems at once", inventoryTag),
		func(ctx context.Context, in *struct{ Body SystemBulkBody }) (*struct{ Body BulkResult }, error) {
			n, err := api.app.BulkUpdateSystems(ctx, in.Body.IDs, caio.SystemBulkSet{Stage: in.Body.Stage, Owner: in.Body.Owner, BusinessUnit: in.Body.BusinessUnit})
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body BulkResult }{BulkResult{Updated: n}}, nil
		})

	huma.Register(api, op(http.MethodGet, "/systems/{id}", "get-system", "Get an AI system", inventoryTag),
		func(ctx context.Context, in *SystemID) (*struct{ Body *caio.AISystem }, error) {
			s, err := api.app.FindSystem(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.AISystem }{s}, nil
		})

	huma.Register(api, op(http.MethodPut, "/systems/{id}", "update-system", "Replace an AI system's fields", inventoryTag),
		func(ctx context.Context, in *struct {
			SystemID
			Body SystemBody
		}) (*struct{ Body *caio.AISystem }, error) {
			s, err := api.app.UpdateSystem(ctx, in.ID, in.Body.Version, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.AISystem }{s}, nil
		})

	del := op(http.MethodDelete, "/systems/{id}", "delete-system", "Delete an AI system and its links", inventoryTag)
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *SystemID) (*struct{}, error) {
		if err := api.app.DeleteSystem(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	huma.Register(api, op(http.MethodGet, "/systems/{id}/links", "list-system-links", "List the models, datasets, vendors and objectives linked to an AI system", inventoryTag),
		func(ctx context.Context, in *SystemID) (*struct{ Body SystemLinks }, error) {
			links, err := api.app.FindSystemLinks(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body SystemLinks }{SystemLinks{Items: links}}, nil
		})

	link := op(http.MethodPost, "/systems/{id}/links", "link-system", "Link an AI system to a model, dataset, vendor or objective", inventoryTag)
	link.DefaultStatus = http.StatusCreated
	link.Errors = append(link.Errors, http.StatusConflict)
	huma.Register(api, link, func(ctx context.Context, in *struct {
		SystemID
		Body LinkBody
	}) (*struct{ Body *caio.SystemLink }, error) {
		l, err := api.app.LinkSystem(ctx, in.ID, in.Body.Kind, in.Body.TargetID)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.SystemLink }{l}, nil
	})

	unlink := op(http.MethodDelete, "/systems/{id}/links/{kind}/{target_id}", "unlink-system", "Remove a link of an AI system", inventoryTag)
	unlink.DefaultStatus = http.StatusNoContent
	huma.Register(api, unlink, func(ctx context.Context, in *struct {
		SystemID
		Kind     string `path:"kind" enum:"model,dataset,vendor,objective"`
		TargetID string `path:"target_id" doc:"The id of the linked object."`
	}) (*struct{}, error) {
		if err := api.app.UnlinkSystem(ctx, in.ID, in.Kind, in.TargetID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})
}

func (api *API) registerModels() {
	huma.Register(api, op(http.MethodGet, "/models", "list-models", "List AI models", inventoryTag),
		func(ctx context.Context, in *struct {
			InventoryQuery
			Kind string `query:"kind" enum:"classical_ml,deep_learning,llm,general_purpose"`
		}) (*listOut[*caio.AIModel], error) {
			f := in.filter()
			f.Kind = trimmed(&in.Kind)
			items, total, err := api.app.FindModels(ctx, f)
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	create := op(http.MethodPost, "/models", "create-model", "Add an AI model", inventoryTag)
	create.DefaultStatus = http.StatusCreated
	huma.Register(api, create, func(ctx context.Context, in *struct{ Body ModelBody }) (*struct{ Body *caio.AIModel }, error) {
		m, err := api.app.CreateModel(ctx, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.AIModel }{m}, nil
	})

	huma.Register(api, op(http.MethodGet, "/models/{id}", "get-model", "Get an AI model", inventoryTag),
		func(ctx context.Context, in *ModelID) (*struct{ Body *caio.AIModel }, error) {
			m, err := api.app.FindModel(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.AIModel }{m}, nil
		})

	huma.Register(api, op(http.MethodPut, "/models/{id}", "update-model", "Replace an AI model's fields", inventoryTag),
		func(ctx context.Context, in *struct {
			ModelID
			Body ModelBody
		}) (*struct{ Body *caio.AIModel }, error) {
			m, err := api.app.UpdateModel(ctx, in.ID, in.Body.Version, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.AIModel }{m}, nil
		})

	del := op(http.MethodDelete, "/models/{id}", "delete-model", "Delete an AI model and its links", inventoryTag)
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *ModelID) (*struct{}, error) {
		if err := api.app.DeleteModel(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})
}

func (b ModelBody) input() caio.AIModelInput {
	return caio.AIModelInput{Name: b.Name, Provider: b.Provider, ModelVersion: b.ModelVersion, Kind: b.Kind, Licence: b.Licence, Description: b.Description}
}

func (b DatasetBody) input() caio.DatasetInput {
	return caio.DatasetInput{Name: b.Name, Source: b.Source, Description: b.Description, PersonalData: b.PersonalData, SpecialCategories: b.SpecialCategories}
}

func (b VendorBody) input() caio.VendorInput {
	return caio.VendorInput{Name: b.Name, Website: b.Website, Contact: b.Contact, Country: b.Country, Description: b.Description}
}

func (api *API) registerDatasets() {
	huma.Register(api, op(http.MethodGet, "/datasets", "list-datasets", "List datasets", inventoryTag),
		func(ctx context.Context, in *struct {
			InventoryQuery
			PersonalData string `query:"personal_data" enum:"true,false" doc:"Only datasets with (true) or without (false) personal data."`
		}) (*listOut[*caio.Dataset], error) {
			f := in.filter()
			if in.PersonalData != "" {
				pd := in.PersonalData == "true"
				f.PersonalData = &pd
			}
			items, total, err := api.app.FindDatasets(ctx, f)
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	create := op(http.MethodPost, "/datasets", "create-dataset", "Add a dataset", inventoryTag)
	create.DefaultStatus = http.StatusCreated
	huma.Register(api, create, func(ctx context.Context, in *struct{ Body DatasetBody }) (*struct{ Body *caio.Dataset }, error) {
		d, err := api.app.CreateDataset(ctx, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Dataset }{d}, nil
	})

	huma.Register(api, op(http.MethodGet, "/datasets/{id}", "get-dataset", "Get a dataset", inventoryTag),
		func(ctx context.Context, in *DatasetID) (*struct{ Body *caio.Dataset }, error) {
			d, err := api.app.FindDataset(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Dataset }{d}, nil
		})

	huma.Register(api, op(http.MethodPut, "/datasets/{id}", "update-dataset", "Replace a dataset's fields", inventoryTag),
		func(ctx context.Context, in *struct {
			DatasetID
			Body DatasetBody
		}) (*struct{ Body *caio.Dataset }, error) {
			d, err := api.app.UpdateDataset(ctx, in.ID, in.Body.Version, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Dataset }{d}, nil
		})

	del := op(http.MethodDelete, "/datasets/{id}", "delete-dataset", "Delete a dataset and its links", inventoryTag)
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *DatasetID) (*struct{}, error) {
		if err := api.app.DeleteDataset(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})
}

func (api *API) registerVendors() {
	huma.Register(api, op(http.MethodGet, "/vendors", "list-vendors", "List vendors", inventoryTag),
		func(ctx context.Context, in *InventoryQuery) (*listOut[*caio.Vendor], error) {
			items, total, err := api.app.FindVendors(ctx, in.filter())
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	create := op(http.MethodPost, "/vendors", "create-vendor", "Add a vendor", inventoryTag)
	create.DefaultStatus = http.StatusCreated
	create.Errors = append(create.Errors, http.StatusConflict)
	huma.Register(api, create, func(ctx context.Context, in *struct{ Body VendorBody }) (*struct{ Body *caio.Vendor }, error) {
		v, err := api.app.CreateVendor(ctx, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Vendor }{v}, nil
	})

	huma.Register(api, op(http.MethodGet, "/vendors/{id}", "get-vendor", "Get a vendor", inventoryTag),
		func(ctx context.Context, in *VendorID) (*struct{ Body *caio.Vendor }, error) {
			v, err := api.app.FindVendor(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Vendor }{v}, nil
		})

	update := op(http.MethodPut, "/vendors/{id}", "update-vendor", "Replace a vendor's fields", inventoryTag)
	update.Errors = append(update.Errors, http.StatusConflict)
	huma.Register(api, update,
		func(ctx context.Context, in *struct {
			VendorID
			Body VendorBody
		}) (*struct{ Body *caio.Vendor }, error) {
			v, err := api.app.UpdateVendor(ctx, in.ID, in.Body.Version, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Vendor }{v}, nil
		})

	del := op(http.MethodDelete, "/vendors/{id}", "delete-vendor", "Delete a vendor and its links", inventoryTag)
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *VendorID) (*struct{}, error) {
		if err := api.app.DeleteVendor(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})
}
