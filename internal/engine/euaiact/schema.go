package euaiact

import (
	"encoding/json"
)

// JSONSchema returns the JSON Schema (draft 2020-12) of the classification
// profile for this content: every fact with its question and article, the
// roles, and the Annex I and Annex III keys. `caio classify --schema`
// prints it.
func (c *Content) JSONSchema() []byte {
	facts := make(map[string]any, len(c.Facts))
	for _, f := range c.Facts {
		facts[f.Key] = map[string]any{"type": "boolean", "description": f.Question + " (" + f.Ref + ")"}
	}
	annexI := []string{"none"}
	for _, e := range c.AnnexI {
		annexI = append(annexI, e.Key)
	}
	annexIII := []string{"none"}
	for _, p := range c.AnnexIII {
		annexIII = append(annexIII, p.Key)
	}
	schema := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  "urn:caio:schema:" + ProfileSchema,
		"title":                "caio EU AI Act classification profile",
		"description":          "The facts about one AI system that caio's EU AI Act engine reads (content " + c.Version + "). A fact left out is unknown; the result lists the unknown facts that could change it.",
		"type":                 "object",
		"additionalProperties": false,
		"properties": map[string]any{
			"schema": map[string]any{"const": ProfileSchema, "description": "The profile schema version."},
			"name":   map[string]any{"type": "string", "maxLength": 200, "description": "A name for people; the engine does not read it."},
			"roles": map[string]any{"type": "array", "uniqueItems": true, "items": map[string]any{"enum": Roles},
				"description": "The organisation's roles towards the system (Art 3(3)–(8))."},
			"annex_i": map[string]any{"enum": annexI,
				"description": "The Annex I act covering the product the system is, or is a safety component of, or none (Art 6(1))."},
			"annex_iii": map[string]any{"type": "array", "uniqueItems": true, "items": map[string]any{"enum": annexIII},
				"description": "The Annex III points the intended purpose falls under, or [\"none\"] (Art 6(2))."},
			"training_flop": map[string]any{"type": "number", "minimum": 0,
				"description": "Cumulative compute used to train a general-purpose model the organisation provides, in floating-point operations (Art 51(2))."},
			"facts": map[string]any{"type": "object", "additionalProperties": false, "properties": facts,
				"description": "Yes/no facts; leave a fact out when it is not known."},
		},
	}
	b, err := json.MarshalIndent(schema, "", "  ")
	if err != nil {
		panic(err) // only maps of strings and slices: cannot fail
	}
	return append(b, '\n')
}
