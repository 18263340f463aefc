package caio

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
)

// AuditEvent records one change. Events are hash-chained per organisation:
// each carries the hash of the one before, so altering, removing or
// reordering a stored event breaks the chain and VerifyChain finds it.
type AuditEvent struct {
	OrgID      string          `json:"org_id"`
	Seq        int64           `json:"seq"`
	At         time.Time       `json:"at"`
	ActorID    string          `json:"actor_id,omitempty"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	Diff       json.RawMessage `json:"diff"`
	RequestID  string          `json:"request_id,omitempty"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

// ComputeHash returns the hash of the event over every field but Hash itself.
// Each field is length-prefixed so no two different events hash alike.
func (e *AuditEvent) ComputeHash() string {
	h := sha256.New()
	put := func(s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	put(e.OrgID)
	put(strconv.FormatInt(e.Seq, 10))
	put(e.At.UTC().Format(time.RFC3339Nano))
	put(e.ActorID)
	put(e.Actor)
	put(e.Action)
	put(e.ObjectType)
	put(e.ObjectID)
	put(string(e.Diff))
	put(e.RequestID)
	put(e.PrevHash)
	return hex.EncodeToString(h.Sum(nil))
}

// ChainBreak describes the first place where an audit chain does not verify.
type ChainBreak struct {
	Seq    int64  `json:"seq"`
	Reason string `json:"reason"`
}

// VerifyChain checks events, in stored order, against each other and against
// the head (the last sequence number and hash recorded when the last event was
// written). It returns nil when the chain is intact.
func VerifyChain(events []AuditEvent, headSeq int64, headHash string) *ChainBreak {
	var v ChainVerifier
	for i := range events {
		v.Add(&events[i])
	}
	return v.Finish(headSeq, headHash)
}

// ChainVerifier checks a chain one event at a time, so a long chain can be
// streamed from the database in constant memory. The zero value is ready.
type ChainVerifier struct {
	n    int64
	prev string
	brk  *ChainBreak
}

// Add checks the next event in stored order.
func (v *ChainVerifier) Add(e *AuditEvent) {
	v.n++
	if v.brk != nil {
		return
	}
	switch {
	case e.Seq != v.n:
		v.brk = &ChainBreak{Seq: v.n, Reason: "event " + strconv.FormatInt(v.n, 10) + " is missing or out of order (found " + strconv.FormatInt(e.Seq, 10) + " in its place)"}
	case e.PrevHash != v.prev:
		v.brk = &ChainBreak{Seq: e.Seq, Reason: "its previous-hash link does not match the event before it"}
	case e.ComputeHash() != e.Hash:
		v.brk = &ChainBreak{Seq: e.Seq, Reason: "its content does not match its hash: the event was altered"}
	}
	v.prev = e.Hash
}

// Count returns how many events were added.
func (v *ChainVerifier) Count() int64 { return v.n }

// Finish returns the first break, or nil when every event and the head agree.
func (v *ChainVerifier) Finish(headSeq int64, headHash string) *ChainBreak {
	if v.brk != nil {
		return v.brk
	}
	if headSeq > v.n {
		return &ChainBreak{Seq: v.n + 1, Reason: "the chain ends at event " + strconv.FormatInt(v.n, 10) + " but " + strconv.FormatInt(headSeq, 10) + " events were written: events were removed"}
	}
	if headSeq < v.n {
		return &ChainBreak{Seq: headSeq + 1, Reason: "the chain has " + strconv.FormatInt(v.n, 10) + " events but only " + strconv.FormatInt(headSeq, 10) + " were written: events were added, or the recorded head was altered"}
	}
	if headHash != v.prev {
		return &ChainBreak{Seq: v.n, Reason: "the last event does not match the recorded head hash"}
	}
	return nil
}

// AuditFilter selects audit events. Nil fields do not filter.
type AuditFilter struct {
	ObjectType *string
	ObjectID   *string
	Action     *string
	ActorID    *string
	Since      *time.Time
	Until      *time.Time
	Page
}

// Diff builds the change record of an audit event: for each field whose value
// differs, the value before and after. before or after may be nil for a
// create or a delete.
func Diff(before, after map[string]any) json.RawMessage {
	d := map[string][2]any{}
	for k, a := range after {
		b, ok := before[k]
		if !ok || !jsonEqual(a, b) {
			d[k] = [2]any{b, a}
		}
	}
	for k, b := range before {
		if _, ok := after[k]; !ok {
			d[k] = [2]any{b, nil}
		}
	}
	out, _ := json.Marshal(d) // map keys are sorted, so the bytes are stable
	return out
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
