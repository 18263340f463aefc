package app

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
)

// FuzzQuestionnairesPart feeds the questionnaires part of a template
// anything: it must not panic, and what it accepts must hold entries whose
// data matches their SHA-256.
func FuzzQuestionnairesPart(f *testing.F) {
	data := `{"title": "Intake", "pages": [{"name": "p1", "elements": [{"type": "text", "name": "q"}]}]}`
	sum := sha256.Sum256([]byte(data))
	good, _ := json.Marshal([]questionnaireEntry{{Name: "intake.json", Title: "Intake", SHA256: hex.EncodeToString(sum[:]), Data: data}})
	f.Add(good)
	f.Add([]byte(`[{"name":"x","sha256":"00","data":"{}"}]`))
	f.Add([]byte(`{"not":"a list"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		es, err := parseQuestionnaires(b)
		if err != nil {
			return
		}
		for _, e := range es {
			s := sha256.Sum256([]byte(e.Data))
			if hex.EncodeToString(s[:]) != e.SHA256 {
				t.Fatalf("accepted an entry that does not match its SHA-256")
			}
		}
	})
}
