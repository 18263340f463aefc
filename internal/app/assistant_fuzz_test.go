package app_test

import (
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/euaiact"
)

// FuzzApplySuggestions feeds the suggestion tokens a form sends back:
// whatever they hold, applying them never panics, and either fails with
// EINVALID naming "apply" or gives a profile the engine can classify.
func FuzzApplySuggestions(f *testing.F) {
	for _, s := range []string{"roles:=deployer", "annex_iii:=4(a)", "annex_iii:=none", "fact:definition.machine_based=yes",
		"training_flop:=1e25", "annex_i:=none", "fact:=", ":=", "roles:=\x00", "training_flop:=NaN", "training_flop:=-1"} {
		f.Add(s, "annex_iii:=4(a)")
	}
	c := euaiact.MustContent()
	base := &euaiact.Profile{Roles: []string{"provider"}, AnnexIII: []string{"none"}, Facts: map[string]bool{"definition.autonomy": true}}
	f.Fuzz(func(t *testing.T, a, b string) {
		p, err := app.ApplySuggestions(c, base, []string{a, b})
		if err != nil {
			if caio.ErrorCode(err) != caio.EINVALID || caio.ErrorFields(err)[0].Field != "apply" {
				t.Fatalf("error %v", err)
			}
			return
		}
		if strings.Join(base.Roles, ",") != "provider" || len(base.Facts) != 1 {
			t.Fatalf("the base profile changed: %+v", base)
		}
		if _, err := c.Classify(p, euaiact.Options{}); err != nil && caio.ErrorCode(err) == caio.EINTERNAL {
			t.Fatalf("classify %+v: %v", p, err)
		}
	})
}
