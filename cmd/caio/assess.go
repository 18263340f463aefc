package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/surveyjs"
	"github.com/spf13/cobra"
)

// caio assess, which scores questionnaires brought by the user, such as
// Canada's Algorithmic Impact Assessment, without a server or database.

func init() { extraCommands = append(extraCommands, newAssessCmd) }

// maxQuestionnaireSize bounds the files assess reads; the AIA is 400 KB.
const maxQuestionnaireSize = 32 << 20

func newAssessCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "assess",
		Short: "Score external questionnaires such as Canada's Algorithmic Impact Assessment (no server or database needed)",
	}
	cmd.AddCommand(newAssessScoreCmd())
	return cmd
}

func newAssessScoreCmd() *cobra.Command {
	var questionnaire, answers, format string
	var onlyVisible bool
	cmd := &cobra.Command{
		Use:   "score --questionnaire FILE --answers FILE",
		Short: "Score answers to the AIA questionnaire: raw and mitigation scores, total and impact level",
		Long: `Score reads a SurveyJS questionnaire in the AIA's format (such as survey-enfr.json from
canada-ca/aia-eia-js) and an answer file saved by the AIA tool (or a bare JSON object of
answers keyed by question name), and prints the raw impact score, the mitigation score, the
total and the impact level (I to IV) with the maxima they are measured against.

The rule is the tool's: the total is the raw score, less 15 % (rounded half up) when the
mitigation score reaches 80 % of half its maximum; the level is I up to 25 % of the maximum
raw score, II up to 50 %, III up to 75 % and IV above. Answers to questions the other
answers hide still count, as in the tool; --only-visible drops them. Score answers against
the questionnaire version they were made with, since the maxima change between versions.

The exit code is 0 when the answers were scored, 1 when a file cannot be read (the message
names the line and column of a JSON mistake, or the path of the element at fault).`,
		Example: `  caio assess score --questionnaire survey-enfr.json --answers "AIA Results.json"
  caio assess score --questionnaire survey-enfr.json --answers answers.json --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			if questionnaire == "" {
				return caio.FieldError("questionnaire", "is required: name the SurveyJS questionnaire file")
			}
			if answers == "" {
				return caio.FieldError("answers", "is required: name the answer file (\"-\" reads standard input)")
			}
			qb, err := readInput(cmd, questionnaire)
			if err != nil {
				return err
			}
			s, err := surveyjs.Load(qb)
			if err != nil {
				return inFile(questionnaire, err)
			}
			ab, err := readInput(cmd, answers)
			if err != nil {
				return err
			}
			saved, err := surveyjs.ParseSaved(ab)
			if err != nil {
				return inFile(answers, err)
			}
			res := s.ScoreAIAWith(saved.Data, surveyjs.ScoreOptions{OnlyVisible: onlyVisible})
			out := cmd.OutOrStdout()
			if format == "json" {
				return writeJSON(out, struct {
					surveyjs.AIAScore
					Version string `json:"version,omitempty"`
				}{res, saved.Version})
			}
			printAIAScore(out, res, saved.Version)
			return nil
		},
	}
	cmd.Flags().StringVar(&questionnaire, "questionnaire", "", "the SurveyJS questionnaire (JSON), such as the AIA's survey-enfr.json")
	cmd.Flags().StringVar(&answers, "answers", "", `the answers: the AIA tool's saved file or a JSON object of answers ("-" for standard input)`)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().BoolVar(&onlyVisible, "only-visible", false, "ignore answers to questions the other answers hide (the AIA tool counts them)")
	return cmd
}

// readInput reads a file, or standard input for "-".
func readInput(cmd *cobra.Command, path string) ([]byte, error) {
	var b []byte
	var err error
	if path == "-" {
		b, err = io.ReadAll(io.LimitReader(cmd.InOrStdin(), maxQuestionnaireSize+1))
	} else {
		var f *os.File
		if f, err = os.Open(path); err == nil {
			defer f.Close()
			b, err = io.ReadAll(io.LimitReader(f, maxQuestionnaireSize+1))
		}
	}
	if err != nil {
		return nil, caio.Errorf(caio.EINVALID, "%s could not be read: %s", path, err.Error())
	}
	if len(b) > maxQuestionnaireSize {
		return nil, caio.Errorf(caio.EINVALID, "%s is larger than %d MB.", path, maxQuestionnaireSize>>20)
	}
	return b, nil
}

// inFile puts the file's name in front of an error about its content, so
// the user knows which of the two files to open.
func inFile(path string, err error) error {
	name := path
	if path == "-" {
		name = "standard input"
	}
	msg := caio.ErrorMessage(err)
	for _, f := range caio.ErrorFields(err) {
		if !strings.Contains(msg, f.Message) {
			msg += " " + f.Field + ": " + f.Message
		}
	}
	return caio.Errorf(caio.ErrorCode(err), "%s: %s", name, msg)
}

// printAIAScore writes a score for a person to read.
func printAIAScore(w io.Writer, r surveyjs.AIAScore, version string) {
	if version != "" {
		fmt.Fprintf(w, "Answers made with questionnaire version %s\n", version)
	}
	fmt.Fprintf(w, "Impact level %s\n\n", surveyjs.LevelName(r.Level))
	tw := newTable(w)
	fmt.Fprintf(tw, "  Raw impact score\t%d\tof %d\n", r.Raw, r.MaxRaw)
	fmt.Fprintf(tw, "  Mitigation score\t%d\tof %d (both phase copies; %s)\n", r.Mitigation, r.MaxMitigation, reduction(r))
	fmt.Fprintf(tw, "  Current score\t%d\t\n", r.Total)
	tw.Flush()

	var scored []surveyjs.ScoreLine
	for _, l := range r.Lines {
		if l.Points != 0 {
			scored = append(scored, l)
		}
	}
	if len(scored) > 0 {
		fmt.Fprintln(w, "\nAnswers that scored:")
		tw = newTable(w)
		fmt.Fprintln(tw, "  QUESTION\tTYPE\tPOINTS\tMAX\tCHOSEN")
		for _, l := range scored {
			note := ""
			if l.Hidden {
				note = "  (hidden by other answers, counted as the tool does)"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%s%s\n", l.Name, l.Type, l.Points, l.Max, strings.Join(l.Values, ", "), note)
		}
		tw.Flush()
	}
	if len(r.Ignored) > 0 {
		fmt.Fprintln(w, "\nAnswers that gave no points:")
		for _, i := range r.Ignored {
			fmt.Fprintf(w, "  %s = %s: %s\n", i.Name, i.Value, i.Reason)
		}
	}
	if n := len(r.UnknownQuestions); n > 0 {
		fmt.Fprintf(w, "\n%d answers name no question of this questionnaire and were ignored: %s\n", n, cell(strings.Join(r.UnknownQuestions, ", "), 200))
	}
}

// reduction says whether mitigation took 15 % off and what it needed.
func reduction(r surveyjs.AIAScore) string {
	need := (2*r.MaxMitigation + 4) / 5 // the least whole score with 5·mit ≥ 2·max
	if r.Reduced {
		return fmt.Sprintf("at least %d takes 15 %% off the raw score: taken off", need)
	}
	return fmt.Sprintf("at least %d would take 15 %% off the raw score", need)
}
