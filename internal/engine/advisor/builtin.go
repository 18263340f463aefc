package advisor

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/goccy/go-yaml"
)

//go:embed content/rules.yaml
var rulesYAML []byte

var builtIns = sync.OnceValues(func() ([]Rule, error) {
	var doc struct {
		Rules []Rule `yaml:"rules"`
	}
	if err := yaml.UnmarshalWithOptions(rulesYAML, &doc, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("advisor: content/rules.yaml: %w", err)
	}
	for i := range doc.Rules {
		doc.Rules[i].BuiltIn = true
	}
	return doc.Rules, nil
})

// BuiltIns returns the rules shipped with caio (content/rules.yaml), with
// BuiltIn set, in the file's order. The slice is the caller's to change.
// It panics if the embedded file is malformed, which a test rules out.
func BuiltIns() []Rule {
	rs, err := builtIns()
	if err != nil {
		panic(err)
	}
	out := make([]Rule, len(rs))
	for i, r := range rs {
		out[i] = r
		out[i].References = append([]string(nil), r.References...)
	}
	return out
}
