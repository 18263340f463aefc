package advisor

import (
	"fmt"
	"reflect"
	"sync"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/ext"
)

// factTypes are the Go structs rules read, exposed to CEL as advisor.Org,
// advisor.System and so on, with the field names of their cel tags.
var factTypes = []reflect.Type{
	reflect.TypeFor[Org](), reflect.TypeFor[System](), reflect.TypeFor[Control](),
	reflect.TypeFor[UseCase](), reflect.TypeFor[Vendor](), reflect.TypeFor[Risk](),
	reflect.TypeFor[Incident](), reflect.TypeFor[Policy](), reflect.TypeFor[Assessment](),
}

// kindTypes maps each kind to the CEL type of its variable.
var kindTypes = map[string]string{
	"org": "advisor.Org", "system": "advisor.System", "control": "advisor.Control",
	"use_case": "advisor.UseCase", "vendor": "advisor.Vendor", "risk": "advisor.Risk",
	"incident": "advisor.Incident", "policy": "advisor.Policy", "assessment": "advisor.Assessment",
}

// envs holds, per kind, the environment of conditions (when, due) and the
// one of templates (which also declares due).
type envs struct {
	when, tmpl *cel.Env
}

var (
	envOnce sync.Once
	envByKd map[string]envs
	envErr  error
)

// kindEnvs returns the compiled environments of a kind.
func kindEnvs(kind string) (envs, error) {
	envOnce.Do(func() {
		envByKd, envErr = buildEnvs()
	})
	if envErr != nil {
		return envs{}, envErr
	}
	return envByKd[kind], nil
}

func buildEnvs() (map[string]envs, error) {
	args := make([]any, 0, len(factTypes)+1)
	for _, t := range factTypes {
		args = append(args, t)
	}
	args = append(args, ext.ParseStructTags(true))
	base, err := cel.NewEnv(
		ext.NativeTypes(args...),
		ext.Strings(),
		ext.TwoVarComprehensions(),
		cel.Variable("org", cel.ObjectType("advisor.Org")),
		cel.Variable("today", cel.StringType),
		cel.ParserExpressionSizeLimit(MaxExpression),
		cel.ParserRecursionLimit(40),
		dateFunctions(),
	)
	if err != nil {
		return nil, fmt.Errorf("advisor: CEL environment: %w", err)
	}
	out := make(map[string]envs, len(Kinds))
	for _, k := range Kinds {
		var opts []cel.EnvOption
		if k != "org" {
			opts = append(opts, cel.Variable(k, cel.ObjectType(kindTypes[k])))
		}
		if k == "control" {
			opts = append(opts, cel.Variable("system", cel.ObjectType("advisor.System")))
		}
		w, err := base.Extend(opts...)
		if err != nil {
			return nil, fmt.Errorf("advisor: CEL environment of %s: %w", k, err)
		}
		t, err := w.Extend(cel.Variable("due", cel.StringType))
		if err != nil {
			return nil, fmt.Errorf("advisor: CEL environment of %s: %w", k, err)
		}
		out[k] = envs{when: w, tmpl: t}
	}
	return out, nil
}

// dateFunctions adds the date helpers over YYYY-MM-DD strings:
// add_days(date, n), add_months(date, n) and days_between(from, to). An
// empty date stays empty; a malformed one is an error.
func dateFunctions() cel.EnvOption {
	return cel.Lib(dateLib{})
}

type dateLib struct{}

func (dateLib) ProgramOptions() []cel.ProgramOption { return nil }

func (dateLib) CompileOptions() []cel.EnvOption {
	shift := func(name string, f func(time.Time, int) time.Time) cel.EnvOption {
		return cel.Function(name,
			cel.Overload(name+"_string_int", []*cel.Type{cel.StringType, cel.IntType}, cel.StringType,
				cel.BinaryBinding(func(a, b ref.Val) ref.Val {
					s, _ := a.Value().(string)
					n, _ := b.Value().(int64)
					if s == "" {
						return types.String("")
					}
					d, ok := parseDate(s)
					if !ok {
						return types.NewErr("%s: %q is not a date YYYY-MM-DD", name, s)
					}
					if n > 100000 || n < -100000 {
						return types.NewErr("%s: %d is out of range", name, n)
					}
					return types.String(f(d, int(n)).Format(time.DateOnly))
				})))
	}
	return []cel.EnvOption{
		shift("add_days", func(d time.Time, n int) time.Time { return d.AddDate(0, 0, n) }),
		shift("add_months", func(d time.Time, n int) time.Time { return d.AddDate(0, n, 0) }),
		cel.Function("days_between",
			cel.Overload("days_between_string_string", []*cel.Type{cel.StringType, cel.StringType}, cel.IntType,
				cel.BinaryBinding(func(a, b ref.Val) ref.Val {
					s1, _ := a.Value().(string)
					s2, _ := b.Value().(string)
					d1, ok1 := parseDate(s1)
					d2, ok2 := parseDate(s2)
					if !ok1 || !ok2 {
						return types.NewErr("days_between: %q and %q must both be dates YYYY-MM-DD", s1, s2)
					}
					return types.Int(int64(d2.Sub(d1).Hours() / 24))
				}))),
	}
}
