package caio_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
)

func TestNewID(t *testing.T) {
	seen := map[string]bool{}
	for range 10000 {
		id := caio.NewID("obj")
		if !strings.HasPrefix(id, "obj_") || len(id) != 4+26 || !caio.ValidID("obj", id) {
			t.Fatalf("NewID = %q, want a valid obj_ ID of 30 characters", id)
		}
		if seen[id] {
			t.Fatalf("NewID repeated %q", id)
		}
		seen[id] = true
	}
	// IDs made in later milliseconds sort after earlier ones.
	a := caio.NewID("obj")
	time.Sleep(2 * time.Millisecond)
	if b := caio.NewID("obj"); b <= a {
		t.Errorf("NewID %q made after %q sorts before it", b, a)
	}
}

func TestValidID(t *testing.T) {
	id := caio.NewID("tok")
	rest := id[len("tok_"):]
	for _, tc := range []struct {
		prefix, s string
		want      bool
	}{
		{"tok", id, true},
		{"obj", id, false},                // another prefix
		{"to", id, false},                 // a prefix of the prefix
		{"tok", "tok" + rest, false},      // no separator
		{"tok", "tok_" + rest[1:], false}, // too short
		{"tok", id + "0", false},          // too long
		{"tok", "tok_" + strings.ToUpper(rest), false},
		{"tok", "tok_" + rest[:25] + "u", false}, // u is not in the alphabet
		{"tok", "tok_" + rest[:25] + "i", false}, // nor i, l, o
		{"tok", "tok_" + rest[:25] + "-", false},
		{"tok", "", false},
		{"tok", "tok_", false},
		{"", "_" + rest, true}, // an empty prefix still needs its separator
	} {
		if got := caio.ValidID(tc.prefix, tc.s); got != tc.want {
			t.Errorf("ValidID(%q, %q) = %v, want %v", tc.prefix, tc.s, got, tc.want)
		}
	}
}

func TestPageNormalize(t *testing.T) {
	for _, tc := range []struct {
		in    caio.Page
		want  caio.Page
		field string // the field named by the error, "" for none
	}{
		{caio.Page{}, caio.Page{Limit: 50}, ""},
		{caio.Page{Offset: 100}, caio.Page{Offset: 100, Limit: 50}, ""},
		{caio.Page{Limit: 1}, caio.Page{Limit: 1}, ""},
		{caio.Page{Limit: 500}, caio.Page{Limit: 500}, ""},
		{caio.Page{Limit: 501}, caio.Page{}, "limit"},
		{caio.Page{Limit: -1}, caio.Page{}, "limit"},
		{caio.Page{Offset: -1}, caio.Page{}, "offset"},
		{caio.Page{Offset: -1, Limit: 1000}, caio.Page{}, "limit"},
	} {
		got, err := tc.in.Normalize()
		if tc.field == "" {
			if err != nil || got != tc.want {
				t.Errorf("Normalize(%+v) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
			continue
		}
		fs := caio.ErrorFields(err)
		if caio.ErrorCode(err) != caio.EINVALID || len(fs) != 1 || fs[0].Field != tc.field {
			t.Errorf("Normalize(%+v) = %v, want invalid %s", tc.in, err, tc.field)
		}
	}
}

// chain builds a valid audit chain of n events.
func chain(n int) []caio.AuditEvent {
	var es []caio.AuditEvent
	prev := ""
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		e := caio.AuditEvent{OrgID: "org_1", Seq: int64(i), At: at.Add(time.Duration(i) * time.Second), ActorID: "usr_1", Actor: "ada@example.com",
			Action: "objective.update", ObjectType: "objective", ObjectID: "obj_1", Diff: json.RawMessage(fmt.Sprintf(`{"n":[%d,%d]}`, i-1, i)), PrevHash: prev}
		e.Hash = e.ComputeHash()
		prev = e.Hash
		es = append(es, e)
	}
	return es
}

func TestVerifyChain(t *testing.T) {
	head := func(es []caio.AuditEvent) (int64, string) {
		if len(es) == 0 {
			return 0, ""
		}
		return es[len(es)-1].Seq, es[len(es)-1].Hash
	}
	good := chain(5)
	seq, hash := head(good)
	if brk := caio.VerifyChain(good, seq, hash); brk != nil {
		t.Fatalf("a good chain breaks: %+v", brk)
	}
	if brk := caio.VerifyChain(nil, 0, ""); brk != nil {
		t.Errorf("an empty chain with an empty head breaks: %+v", brk)
	}

	for _, tc := range []struct {
		name     string
		change   func(es []caio.AuditEvent) []caio.AuditEvent
		headSeq  int64  // 0: the original head
		headHash string // "": the original head
		wantSeq  int64
	}{
		{"altered diff", func(es []caio.AuditEvent) []caio.AuditEvent { es[2].Diff = json.RawMessage(`{}`); return es }, 0, "", 3},
		{"altered actor", func(es []caio.AuditEvent) []caio.AuditEvent { es[0].Actor = "eve@example.com"; return es }, 0, "", 1},
		{"altered time", func(es []caio.AuditEvent) []caio.AuditEvent { es[3].At = es[3].At.Add(time.Microsecond); return es }, 0, "", 4},
		{"altered and rehashed", func(es []caio.AuditEvent) []caio.AuditEvent {
			es[1].Action = "objective.delete"
			es[1].Hash = es[1].ComputeHash()
			return es
		}, 0, "", 3},
		{"removed middle", func(es []caio.AuditEvent) []caio.AuditEvent { return slices.Delete(es, 2, 3) }, 0, "", 3},
		{"removed first", func(es []caio.AuditEvent) []caio.AuditEvent { return es[1:] }, 0, "", 1},
		{"removed last", func(es []caio.AuditEvent) []caio.AuditEvent { return es[:4] }, 0, "", 5},
		{"removed all", func(es []caio.AuditEvent) []caio.AuditEvent { return nil }, 0, "", 1},
		{"swapped", func(es []caio.AuditEvent) []caio.AuditEvent { es[1], es[2] = es[2], es[1]; return es }, 0, "", 2},
		{"swapped with their seqs", func(es []caio.AuditEvent) []caio.AuditEvent {
			es[1], es[2] = es[2], es[1]
			es[1].Seq, es[2].Seq = 2, 3
			return es
		}, 0, "", 2},
		{"extra event", func(es []caio.AuditEvent) []caio.AuditEvent { return append(es, chain(6)[5]) }, 0, "", 6},
		{"wrong head hash", func(es []caio.AuditEvent) []caio.AuditEvent { return es }, 0, strings.Repeat("0", 64), 5},
		{"head ahead", func(es []caio.AuditEvent) []caio.AuditEvent { return es }, 7, "", 6},
		{"head behind", func(es []caio.AuditEvent) []caio.AuditEvent { return es }, 4, "", 5},
	} {
		es := tc.change(slices.Clone(good))
		hs, hh := seq, hash
		if tc.headSeq != 0 {
			hs = tc.headSeq
		}
		if tc.headHash != "" {
			hh = tc.headHash
		}
		brk := caio.VerifyChain(es, hs, hh)
		if brk == nil {
			t.Errorf("%s: not detected", tc.name)
			continue
		}
		if brk.Seq != tc.wantSeq || brk.Reason == "" {
			t.Errorf("%s: break %+v, want at seq %d with a reason", tc.name, *brk, tc.wantSeq)
		}
	}

	// The streaming verifier agrees and counts.
	var v caio.ChainVerifier
	for i := range good {
		v.Add(&good[i])
	}
	if v.Count() != 5 || v.Finish(seq, hash) != nil {
		t.Errorf("ChainVerifier: count %d, finish %+v", v.Count(), v.Finish(seq, hash))
	}
}

func TestComputeHash(t *testing.T) {
	e := chain(1)[0]
	if e.ComputeHash() != e.Hash || len(e.Hash) != 64 {
		t.Fatalf("hash %q is not stable hex SHA-256", e.Hash)
	}
	// Moving text from one field to the next changes the hash, because
	// each field is length-prefixed.
	a, b := e, e
	a.ObjectType, a.ObjectID = "objective", "obj_1"
	b.ObjectType, b.ObjectID = "objectiveo", "bj_1"
	if a.ComputeHash() == b.ComputeHash() {
		t.Error("field boundaries do not count in the hash")
	}
	// The time is hashed in UTC, so a zone does not change it.
	c := e
	c.At = e.At.In(time.FixedZone("UTC+3", 3*3600))
	if c.ComputeHash() != e.Hash {
		t.Error("the same instant in another zone hashes differently")
	}
	// The hash itself is not hashed.
	d := e
	d.Hash = "x"
	if d.ComputeHash() != e.Hash {
		t.Error("the Hash field is part of the hash")
	}
}

func TestDiff(t *testing.T) {
	before := map[string]any{"title": "A", "target": ptr(1.5), "unit": "days", "owner": "ada", "gone": 1}
	after := map[string]any{"title": "B", "target": ptr(1.5), "unit": "days", "owner": "grace", "new": true}
	d := caio.Diff(before, after)
	want := `{"gone":[1,null],"new":[null,true],"owner":["ada","grace"],"title":["A","B"]}`
	if string(d) != want {
		t.Errorf("Diff = %s, want %s", d, want)
	}
	for range 50 { // map order is random; the bytes must not be
		if got := caio.Diff(before, after); string(got) != want {
			t.Fatalf("Diff is unstable: %s", got)
		}
	}
	if got := string(caio.Diff(nil, map[string]any{"b": 2, "a": nil})); got != `{"a":[null,null],"b":[null,2]}` {
		t.Errorf("create diff = %s", got)
	}
	if got := string(caio.Diff(map[string]any{"a": "x"}, nil)); got != `{"a":["x",null]}` {
		t.Errorf("delete diff = %s", got)
	}
	if got := string(caio.Diff(before, before)); got != `{}` {
		t.Errorf("no change = %s, want {}", got)
	}
	// A nil pointer and nil compare equal, as do equal numbers behind
	// different pointers.
	if got := string(caio.Diff(map[string]any{"x": (*float64)(nil)}, map[string]any{"x": nil})); got != `{}` {
		t.Errorf("nil pointer vs nil = %s, want {}", got)
	}
	o1 := caio.Objective{Title: "t", Baseline: ptr(2.0)}
	o2 := caio.Objective{Title: "t", Baseline: ptr(2.0)}
	if got := string(caio.Diff(o1.Fields(), o2.Fields())); got != `{}` {
		t.Errorf("equal objectives differ: %s", got)
	}
}

func TestObjectiveInputNormalize(t *testing.T) {
	in := caio.ObjectiveInput{Title: "  Faster claims\t", Description: " d ", KPI: " k ", Unit: " u ", Horizon: " 2027-12-31 ", Owner: " Ada "}
	if err := in.Normalize(); err != nil {
		t.Fatal(err)
	}
	if in.Title != "Faster claims" || in.Description != "d" || in.KPI != "k" || in.Unit != "u" || in.Horizon != "2027-12-31" || in.Owner != "Ada" {
		t.Errorf("Normalize did not trim: %+v", in)
	}
	long := func(n int) string { return strings.Repeat("é", n) } // runes, not bytes, count
	for _, tc := range []struct {
		name string
		in   caio.ObjectiveInput
		want []string // fields named, in order
	}{
		{"fine", caio.ObjectiveInput{Title: long(200), Description: long(10000), KPI: long(200), Unit: long(200), Owner: long(200), Horizon: "2027-02-28"}, nil},
		{"no title", caio.ObjectiveInput{Title: "   "}, []string{"title"}},
		{"long title", caio.ObjectiveInput{Title: long(201)}, []string{"title"}},
		{"long description", caio.ObjectiveInput{Title: "t", Description: long(10001)}, []string{"description"}},
		{"long kpi", caio.ObjectiveInput{Title: "t", KPI: long(201)}, []string{"kpi"}},
		{"long unit", caio.ObjectiveInput{Title: "t", Unit: long(201)}, []string{"unit"}},
		{"long owner", caio.ObjectiveInput{Title: "t", Owner: long(201)}, []string{"owner"}},
		{"bad horizon", caio.ObjectiveInput{Title: "t", Horizon: "2027-02-30"}, []string{"horizon"}},
		{"horizon not a date", caio.ObjectiveInput{Title: "t", Horizon: "next year"}, []string{"horizon"}},
		{"horizon with a time", caio.ObjectiveInput{Title: "t", Horizon: "2027-12-31T00:00:00Z"}, []string{"horizon"}},
		{"everything wrong", caio.ObjectiveInput{Description: long(10001), KPI: long(201), Unit: long(201), Owner: long(201), Horizon: "31/12/2027"},
			[]string{"title", "description", "kpi", "unit", "owner", "horizon"}},
	} {
		err := tc.in.Normalize()
		var got []string
		for _, f := range caio.ErrorFields(err) {
			got = append(got, f.Field)
			if f.Message == "" {
				t.Errorf("%s: field %s has no message", tc.name, f.Field)
			}
		}
		if !slices.Equal(got, tc.want) || (tc.want != nil) != (caio.ErrorCode(err) == caio.EINVALID) {
			t.Errorf("%s: %v names %v, want %v", tc.name, err, got, tc.want)
		}
	}
}

// TestCanMatrix spells the permission matrix out, so that a change to it is
// a deliberate change to this test as well (and to docs/security.md).
func TestCanMatrix(t *testing.T) {
	want := map[caio.Role]string{
		//                 read contribute edit approve audit.read members.manage org.manage owners.manage
		caio.RoleOwner:       "YYYYYYYY",
		caio.RoleAdmin:       "YYYYYYYN",
		caio.RoleEditor:      "YYYNNNNN",
		caio.RoleContributor: "YYNNNNNN",
		caio.RoleApprover:    "YNNYYNNN",
		caio.RoleViewer:      "YNNNNNNN",
	}
	if len(caio.Permissions) != 8 {
		t.Fatalf("%d permissions; update this test's matrix", len(caio.Permissions))
	}
	for _, r := range caio.Roles {
		for i, p := range caio.Permissions {
			if got := caio.Can(r, p); got != (want[r][i] == 'Y') {
				t.Errorf("Can(%s, %s) = %v", r, p, got)
			}
		}
	}
	if caio.Can("", caio.PermRead) || caio.Can("root", caio.PermRead) || caio.Can(caio.RoleOwner, "everything") {
		t.Error("Can grants something to an unknown role or an unknown permission")
	}
}

func TestRoleValid(t *testing.T) {
	for _, r := range caio.Roles {
		if !r.Valid() {
			t.Errorf("%s is not valid", r)
		}
	}
	for _, r := range []caio.Role{"", "Owner", "root", "owner "} {
		if r.Valid() {
			t.Errorf("%q is valid", r)
		}
	}
}

func TestValidSlug(t *testing.T) {
	for s, want := range map[string]bool{
		"a": true, "acme": true, "acme-bank": true, "a1-b2": true, "2026": true, strings.Repeat("a", 40): true,
		"": false, "-acme": false, "acme-": false, "Acme": false, "acme bank": false, "acme_bank": false,
		strings.Repeat("a", 41): false, "acmé": false,
	} {
		if got := caio.ValidSlug(s); got != want {
			t.Errorf("ValidSlug(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	err := caio.Errorf(caio.ENOTFOUND, "Objective %s not found.", "x")
	wrapped := fmt.Errorf("loading: %w", err)
	if caio.ErrorCode(wrapped) != caio.ENOTFOUND || caio.ErrorMessage(wrapped) != "Objective x not found." {
		t.Errorf("wrapped error: %q, %q", caio.ErrorCode(wrapped), caio.ErrorMessage(wrapped))
	}
	plain := errors.New("disk on fire at /var/lib/secret")
	if caio.ErrorCode(plain) != caio.EINTERNAL || strings.Contains(caio.ErrorMessage(plain), "disk") {
		t.Errorf("a plain error shows as %q, %q; want internal and hidden", caio.ErrorCode(plain), caio.ErrorMessage(plain))
	}
	if caio.ErrorMessage(caio.Errorf(caio.EINTERNAL, "secret detail")) == "secret detail" {
		t.Error("an internal error's message is shown")
	}
	if caio.ErrorCode(nil) != "" || caio.ErrorFields(plain) != nil {
		t.Error("nil has a code, or a plain error has fields")
	}

	var v caio.Validation
	if v.Err() != nil {
		t.Error("an empty Validation is an error")
	}
	v.Add("title", "is required")
	v.Add("horizon", "must be a date")
	verr := v.Err()
	if caio.ErrorCode(verr) != caio.EINVALID || len(caio.ErrorFields(verr)) != 2 ||
		!strings.Contains(verr.Error(), "title is required") || !strings.Contains(caio.ErrorMessage(verr), "horizon must be a date") {
		t.Errorf("Validation.Err = %v", verr)
	}
	ferr := caio.FieldError("limit", "is too big")
	if caio.ErrorCode(ferr) != caio.EINVALID || caio.ErrorFields(ferr)[0] != (caio.FieldProblem{Field: "limit", Message: "is too big"}) {
		t.Errorf("FieldError = %+v", ferr)
	}
}

func TestActorContext(t *testing.T) {
	if _, ok := caio.ActorFrom(context.Background()); ok {
		t.Error("a bare context has an actor")
	}
	a := caio.Actor{UserID: "usr_1", Email: "ada@example.com", OrgID: "org_1", Role: caio.RoleEditor}
	got, ok := caio.ActorFrom(caio.WithActor(context.Background(), a))
	if !ok || got != a {
		t.Errorf("ActorFrom = %+v, %v", got, ok)
	}
	if a.Label() != "ada@example.com" || (caio.Actor{System: true, Email: "x"}).Label() != "system" {
		t.Error("Label names the wrong actor")
	}
}

func ptr[T any](v T) *T { return &v }

func TestServedContentType(t *testing.T) {
	for in, want := range map[string]string{
		"application/pdf":       "application/pdf",
		"text/plain":            "text/plain",
		"text/html":             "application/octet-stream",
		"image/svg+xml":         "application/octet-stream",
		"text/javascript":       "application/octet-stream",
		"":                      "application/octet-stream",
		"garbage;;":             "application/octet-stream",
		"IMAGE/PNG; name=\"x\"": "image/png",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	} {
		if got := caio.ServedContentType(in); got != want {
			t.Errorf("ServedContentType(%q) = %q, want %q", in, got, want)
		}
	}
}

// Vendors imported from the US federal inventory before the fix were
// numbered ven_…; they must stay reachable as vendors, and only as vendors.
func TestValidIDLegacyVendor(t *testing.T) {
	legacy := "ven_" + strings.TrimPrefix(caio.NewID("vnd"), "vnd_")
	if !caio.ValidID("vnd", legacy) {
		t.Errorf("ValidID(vnd, %s) = false, want true", legacy)
	}
	if caio.ValidID("sys", legacy) || caio.ValidID("ven", "vnd_x") {
		t.Error("the legacy prefix must be accepted for vendors only")
	}
}
