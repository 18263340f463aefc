package questionnaire

import (
	"embed"
	"fmt"
	"sync"
)

//go:embed content/*.yaml
var contentFS embed.FS

// builtinFiles lists the built-in questionnaires in the order Builtins returns them.
var builtinFiles = []string{"readiness", "impact", "vendor"}

var (
	builtinOnce sync.Once
	builtinList []*Definition
	builtinByID map[string]*Definition
)

func loadBuiltins() {
	builtinByID = map[string]*Definition{}
	for _, name := range builtinFiles {
		b, err := contentFS.ReadFile("content/" + name + ".yaml")
		if err != nil {
			panic(fmt.Sprintf("questionnaire: built-in %s is missing: %v", name, err))
		}
		d, err := Load(b)
		if err != nil {
			// The content ships with the binary and a test loads it, so this
			// is a build defect, not a user's error.
			panic(fmt.Sprintf("questionnaire: built-in %s does not load: %v", name, err))
		}
		builtinList = append(builtinList, d)
		builtinByID[d.ID] = d
	}
}

// Builtin returns the built-in questionnaire with the id (readiness, impact
// or vendor). The definition is shared: treat it as read-only.
func Builtin(id string) (*Definition, bool) {
	builtinOnce.Do(loadBuiltins)
	d, ok := builtinByID[id]
	return d, ok
}

// Builtins returns the built-in questionnaires: readiness, impact, vendor.
func Builtins() []*Definition {
	builtinOnce.Do(loadBuiltins)
	return append([]*Definition(nil), builtinList...)
}
