// Package caio holds the domain of the AI office in a box: the nouns every other
// package shares (organisations, users, roles, audit events, objectives), the
// error type and its codes, and the contracts of the application services.
//
// Technology lives in subpackages: internal/sqldb stores, internal/app enforces
// tenancy, roles and the audit trail, internal/web and internal/api serve people
// and programs, and cmd/caio wires them together.
package caio

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"strings"
	"time"
)

// Version is the release of this build, set by the linker in release builds.
var Version = "0.1.0-dev"

// idEncoding is lower-case Crockford-like base32 without padding, so IDs are
// URL-safe and easy to read aloud.
var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewID returns a new identifier with the given prefix, such as "obj_...".
// The first six bytes are the creation time in milliseconds, so IDs sort by
// creation time; the other ten are random, so they cannot be guessed.
func NewID(prefix string) string {
	var b [16]byte
	ms := uint64(time.Now().UnixMilli())
	var t [8]byte
	binary.BigEndian.PutUint64(t[:], ms)
	copy(b[:6], t[2:])
	_, _ = rand.Read(b[6:])
	return prefix + "_" + idEncoding.EncodeToString(b[:])
}

// ValidID reports whether s looks like an identifier made by NewID with the
// prefix, so malformed path parameters can be refused before any query.
func ValidID(prefix, s string) bool {
	rest, ok := strings.CutPrefix(s, prefix+"_")
	if !ok && prefix == "vnd" {
		// The US federal inventory import numbered its vendors ven_… until
		// 2026-11-27; databases that imported one before keep those IDs.
		rest, ok = strings.CutPrefix(s, "ven_")
	}
	if !ok || len(rest) != 26 {
		return false
	}
	_, err := idEncoding.DecodeString(rest)
	return err == nil
}

// Page asks for one page of a list. Limit defaults to 50 and may not exceed 500.
type Page struct {
	Offset int
	Limit  int
}

// Page limits shared by every list.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 500
)

// Normalize fills defaults and returns an error naming the field when the page is out of range.
func (p Page) Normalize() (Page, error) {
	if p.Limit == 0 {
		p.Limit = DefaultPageLimit
	}
	if p.Limit < 1 || p.Limit > MaxPageLimit {
		return p, FieldError("limit", "must be between 1 and 500")
	}
	if p.Offset < 0 {
		return p, FieldError("offset", "must be zero or more")
	}
	return p, nil
}
