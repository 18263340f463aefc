package advisor

import (
	"reflect"
	"slices"
	"strings"
)

// Field is one field a rule can read: its CEL name and type, such as
// {Name: "class", Type: "string"} or {Name: "controls", Type: "map(string, Control)"}.
type Field struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// kindStruct maps each kind to the Go struct of its variable.
var kindStruct = map[string]reflect.Type{
	"org": reflect.TypeFor[Org](), "system": reflect.TypeFor[System](), "control": reflect.TypeFor[Control](),
	"use_case": reflect.TypeFor[UseCase](), "vendor": reflect.TypeFor[Vendor](), "risk": reflect.TypeFor[Risk](),
	"incident": reflect.TypeFor[Incident](), "policy": reflect.TypeFor[Policy](), "assessment": reflect.TypeFor[Assessment](),
}

// Variables returns the variables a rule of the kind reads, its own
// object first: for "system", [system org today]; for "control", [control
// system org today]; for "org", [org today]. Templates also read due.
// It returns nil for an unknown kind.
func Variables(kind string) []string {
	if _, ok := kindStruct[kind]; !ok {
		return nil
	}
	switch kind {
	case "org":
		return []string{"org", "today"}
	case "control":
		return []string{"control", "system", "org", "today"}
	}
	return []string{kind, "org", "today"}
}

// Fields returns the fields of the object a rule of the kind reads, in
// declaration order, or nil for an unknown kind.
func Fields(kind string) []Field {
	t, ok := kindStruct[kind]
	if !ok {
		return nil
	}
	out := make([]Field, 0, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name := celName(f)
		if name == "" {
			continue
		}
		out = append(out, Field{Name: name, Type: celTypeName(f.Type)})
	}
	return out
}

// fieldNames returns the names of Fields(kind).
func fieldNames(kind string) []string {
	var out []string
	for _, f := range Fields(kind) {
		out = append(out, f.Name)
	}
	return out
}

// hasField reports whether the kind's object has a field of that name.
func hasField(kind, name string) bool {
	return slices.Contains(fieldNames(kind), name)
}

func celName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	tag, _, _ := strings.Cut(f.Tag.Get("cel"), ",")
	if tag == "-" {
		return ""
	}
	if tag == "" {
		return f.Name
	}
	return tag
}

func celTypeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "int"
	case reflect.Float64, reflect.Float32:
		return "double"
	case reflect.Slice:
		return "list(" + celTypeName(t.Elem()) + ")"
	case reflect.Map:
		return "map(" + celTypeName(t.Key()) + ", " + celTypeName(t.Elem()) + ")"
	case reflect.Struct:
		return t.Name()
	}
	return t.String()
}
