package main

import (
	"errors"
	"io"
	"os"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/mcp"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, newMCPCmd) }

func newMCPCmd(cfg *Config) *cobra.Command {
	var token, tokenFile string
	cmd := &cobra.Command{
		Use:   "mcp",
		Short: "Serve the MCP server over standard input and output, for AI agents",
		Long: `Serve caio to an AI agent (Claude Desktop, an IDE, any Model Context Protocol client) over
standard input and output. The agent acts as the member whose API token is given, with that member's
role in their organisation: the same permissions, tenancy and audit trail as the JSON API.

Give the token in the environment (CAIO_TOKEN, or CAIO_TOKEN_FILE naming a file that holds it) or
with --token-file; --token works too but shows the token to anyone who can list processes.
Logs go to standard error: standard output carries only the protocol.

Over HTTP, caio serve answers MCP clients at /mcp with a bearer token instead.`,
		Example: `  caio token create --email ada@example.com --org acme-bank --name claude-desktop > ~/.caio-token
  CAIO_TOKEN_FILE=~/.caio-token caio mcp --data /var/lib/caio`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			secret := strings.TrimSpace(token)
			if tokenFile != "" {
				b, err := os.ReadFile(tokenFile)
				if err != nil {
					return caio.Errorf(caio.EINVALID, "Could not read --token-file: %v", errors.Unwrap(err))
				}
				secret = strings.TrimSpace(string(b))
			}
			if secret == "" {
				return caio.Errorf(caio.EINVALID, "No API token: set CAIO_TOKEN or CAIO_TOKEN_FILE, or give --token-file FILE (create one with caio token create).")
			}
			ctx := cmd.Context()
			a, done, err := cfg.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer done()
			t := &sdk.IOTransport{Reader: readCloser(cmd.InOrStdin()), Writer: writeCloser(cmd.OutOrStdout())}
			err = mcp.Serve(ctx, a, secret, t, mcp.Options{Logger: a.Log})
			if err != nil && (errors.Is(err, io.EOF) || ctx.Err() != nil) {
				return nil // the client hung up, or we were told to stop
			}
			return err
		},
	}
	cmd.Flags().StringVar(&token, "token", "", "API token the agent acts with (env CAIO_TOKEN or CAIO_TOKEN_FILE; prefer those)")
	cmd.Flags().StringVar(&tokenFile, "token-file", "", "file holding the API token")
	return cmd
}

// readCloser gives the transport a closer for standard input as cobra
// hands it over (a plain reader in tests).
func readCloser(r io.Reader) io.ReadCloser {
	if rc, ok := r.(io.ReadCloser); ok {
		return rc
	}
	return io.NopCloser(r)
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

func writeCloser(w io.Writer) io.WriteCloser {
	if wc, ok := w.(io.WriteCloser); ok {
		return wc
	}
	return nopWriteCloser{w}
}
