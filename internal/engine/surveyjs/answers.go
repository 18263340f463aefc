package surveyjs

import (
	"bytes"
	"encoding/json"

	"github.com/caio-office/caio"
)

// Answers maps question names to answers as SurveyJS records them: a
// string for a radiogroup, dropdown or text question, a list of strings
// for a checkbox, and occasionally a number or true/false. Keys that name
// no question are kept but ignored by Visible and ScoreAIA.
type Answers map[string]any

// Saved is an answer file as the AIA tool saves it:
// {"version": ..., "currentPage": n, "data": {question: answer, ...}}.
type Saved struct {
	// Version is the questionnaire version the tool wrote, such as
	// "v1.0.1", or empty when the file does not say. The maxima depend on
	// it, so it is worth checking against the questionnaire used to score.
	Version string
	// Data holds the answers.
	Data Answers
}

// maxAnswersSize bounds an answer file; real ones are a few kilobytes.
const maxAnswersSize = 16 << 20

// ParseAnswers reads an answer file: either the tool's saved file, whose
// answers are under "data" (its other keys are ignored), or a bare object
// of answers. A syntax error names the line and column.
func ParseAnswers(b []byte) (Answers, error) {
	s, err := ParseSaved(b)
	if err != nil {
		return nil, err
	}
	return s.Data, nil
}

// ParseSaved reads an answer file like ParseAnswers and also returns the
// questionnaire version the file names.
func ParseSaved(b []byte) (*Saved, error) {
	if len(b) > maxAnswersSize {
		return nil, caio.Errorf(caio.EINVALID, "The answer file is larger than %d MB; an AIA answer file is a few kilobytes.", maxAnswersSize>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil, caio.Errorf(caio.EINVALID, "The answer file is not valid JSON: %s.", describeJSONError(b, err))
	}
	if dec.More() {
		return nil, caio.Errorf(caio.EINVALID, "The answer file holds more than one JSON value: %s.", position(b, dec.InputOffset()))
	}
	obj, ok := root.(map[string]any)
	if !ok {
		return nil, caio.Errorf(caio.EINVALID, "The answer file must be a JSON object of answers (or the tool's saved file with \"data\"), not %s.", kind(root))
	}
	s := &Saved{Data: Answers(obj)}
	if d, ok := obj["data"]; ok {
		data, ok := d.(map[string]any)
		if !ok {
			return nil, caio.FieldError("data", "must be an object of answers keyed by question name, not "+kind(d))
		}
		s.Data = Answers(data)
		s.Version, _ = obj["version"].(string)
	}
	return s, nil
}
