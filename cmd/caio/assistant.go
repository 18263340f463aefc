package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/llm"
	"github.com/caio-office/caio/internal/server"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The assistant's configuration: serve's --llm-* flags, which turn on the
// optional language model, and caio ask, which asks it a question over an
// organisation's data from the command line. Without --llm-url the
// assistant is off and caio sends nothing anywhere.

// llmFlags are the assistant's flags.
type llmFlags struct {
	URL     string
	Model   string
	KeyFile string
	Timeout time.Duration
}

// add registers the flags on f.
func (l *llmFlags) add(f *pflag.FlagSet) {
	f.StringVar(&l.URL, "llm-url", "", "OpenAI-compatible API root of the assistant's model, such as http://127.0.0.1:11434/v1 for Ollama; empty turns the assistant off (env CAIO_LLM_URL)")
	f.StringVar(&l.Model, "llm-model", "", "model the assistant asks, such as llama3.1:8b (env CAIO_LLM_MODEL)")
	f.StringVar(&l.KeyFile, "llm-key-file", "", "file holding the API key sent as a bearer token, if the endpoint needs one (env CAIO_LLM_KEY_FILE)")
	f.DurationVar(&l.Timeout, "llm-timeout", llm.DefaultTimeout, "how long one request to the model may take (env CAIO_LLM_TIMEOUT)")
}

// assistant returns the configured assistant, or nil when --llm-url is
// empty. A bad URL, a missing model or an unreadable key file is an error
// that names the flag.
func (l *llmFlags) assistant() (*app.Assistant, error) {
	if strings.TrimSpace(l.URL) == "" {
		return nil, nil
	}
	if strings.TrimSpace(l.Model) == "" {
		return nil, fmt.Errorf("--llm-model: name the model the assistant asks (such as llama3.1:8b), or leave --llm-url empty to turn the assistant off")
	}
	if l.Timeout <= 0 {
		return nil, fmt.Errorf("--llm-timeout must be more than zero, such as 90s")
	}
	var key string
	if l.KeyFile != "" {
		b, err := os.ReadFile(l.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("--llm-key-file: %w", err)
		}
		key = strings.TrimSpace(string(b))
		if key == "" {
			return nil, fmt.Errorf("--llm-key-file: %s is empty", l.KeyFile)
		}
	}
	a, err := app.NewAssistant(llm.Config{BaseURL: l.URL, Model: l.Model, Key: key, Timeout: l.Timeout})
	if err != nil {
		return nil, fmt.Errorf("--llm-url: %s", strings.TrimPrefix(err.Error(), "caio: invalid: "))
	}
	return a, nil
}

// serveLLM holds serve's assistant flags.
var serveLLM llmFlags

func init() {
	serveExtras = append(serveExtras, serveExtra{
		flags: serveLLM.add,
		start: func(ctx context.Context, a *app.App, srv *server.Server, base string) (func(), error) {
			as, err := serveLLM.assistant()
			if err != nil {
				return nil, err
			}
			a.Assistant = as
			if as != nil {
				a.Log.Info("assistant on: prompts and replies are recorded in the audit trail", "llm_url", serveLLM.URL, "llm_model", serveLLM.Model)
			}
			return nil, nil
		},
	})
	extraCommands = append(extraCommands, newAskCmd)
}

func newAskCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	var l llmFlags
	cmd := &cobra.Command{
		Use:   `ask --org SLUG --llm-url URL --llm-model MODEL "question"`,
		Short: "Ask the assistant a question over an organisation's data",
		Long: `Ask the assistant's model a question over the organisation's AI systems, use cases, risks,
policies and incidents. caio finds the objects that hold the question's words, sends them with
their IDs to the model, and prints the answer with the objects it cites (only IDs it was given
count). The question, what was sent and the answer are recorded in the audit trail.`,
		Example: `  caio ask --org acme-bank --llm-url http://127.0.0.1:11434/v1 --llm-model llama3.1:8b "Which systems are high-risk?"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			as, err := l.assistant()
			if err != nil {
				return err
			}
			if as == nil {
				return fmt.Errorf("--llm-url is required: the API root of an OpenAI-compatible server, such as http://127.0.0.1:11434/v1 for Ollama (or set CAIO_LLM_URL)")
			}
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				a.Assistant = as
				ans, err := a.Ask(ctx, args[0])
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, ans)
				}
				fmt.Fprintln(out, terminalSafe(ans.Text))
				fmt.Fprintln(out)
				if len(ans.Cited) == 0 {
					fmt.Fprintln(out, "The model cited none of the organisation's objects: its answer is not backed by caio's data.")
				} else {
					fmt.Fprintln(out, "Cited:")
					for _, s := range ans.Cited {
						fmt.Fprintf(out, "  %s  %s (%s)\n", s.ID, s.Title, s.Kind)
					}
				}
				if len(ans.Unknown) > 0 {
					fmt.Fprintf(out, "Also cited, but not given to the model (not to be trusted): %s\n", terminalSafe(strings.Join(ans.Unknown, ", ")))
				}
				return nil
			})
		},
	}
	ic.persistent(cmd)
	l.add(cmd.Flags())
	return cmd
}

// terminalSafe drops control characters other than newlines and tabs from
// the model's text before it reaches a terminal, where an escape sequence
// could move the cursor, rewrite what was printed or set the window title.
func terminalSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
}
