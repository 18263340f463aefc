package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func init() { extraCommands = append(extraCommands, newSSOCmd) }

func newSSOCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sso",
		Short: "Show and set an organisation's single sign-on (OpenID Connect)",
		Long: `Single sign-on lets an organisation's members sign in through its identity provider
(Entra ID, Okta, Google, Keycloak, ...). The client secret is never printed.

Break-glass: when the provider is broken and local login is off, an operator
with access to the database switches local login back on:

  caio sso set --org acme --local-login=true`,
		Args: cobra.NoArgs,
	}
	ic := &invCmd{cfg: cfg}
	ic.persistent(cmd)
	cmd.AddCommand(newSSOShowCmd(ic), newSSOSetCmd(ic), newSSOTestCmd(ic))
	return cmd
}

func printSSO(cmd *cobra.Command, c *caio.SSOConfig, format string) error {
	out := cmd.OutOrStdout()
	if format == "json" {
		return writeJSON(out, c)
	}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	secret := "not set"
	if c.SecretSet {
		secret = "set (never shown)"
	}
	def := string(c.DefaultRole)
	if def == "" {
		def = "none (refuse people in no mapped group)"
	}
	tw := newTable(out)
	fmt.Fprintf(tw, "enabled\t%s\n", yes(c.Enabled))
	fmt.Fprintf(tw, "issuer\t%s\n", c.Issuer)
	fmt.Fprintf(tw, "client id\t%s\n", c.ClientID)
	fmt.Fprintf(tw, "client secret\t%s\n", secret)
	fmt.Fprintf(tw, "scopes\topenid %s\n", strings.Join(c.Scopes, " "))
	fmt.Fprintf(tw, "groups claim\t%s\n", c.GroupsClaim)
	fmt.Fprintf(tw, "default role\t%s\n", def)
	fmt.Fprintf(tw, "just-in-time members\t%s\n", yes(c.JIT))
	fmt.Fprintf(tw, "allowed domains\t%s\n", strings.Join(c.Domains, ", "))
	fmt.Fprintf(tw, "local login\t%s\n", yes(c.LocalLogin))
	fmt.Fprintf(tw, "discovery tested\t%s\n", when(c.TestedAt))
	tw.Flush()
	fmt.Fprintln(out, "group mapping:")
	if len(c.GroupRoles) == 0 {
		fmt.Fprintln(out, "  (none)")
	}
	for _, g := range c.GroupRoles {
		fmt.Fprintf(out, "  %s = %s\n", g.Group, g.Role)
	}
	return nil
}

func newSSOShowCmd(ic *invCmd) *cobra.Command {
	return &cobra.Command{
		Use:   "show --org SLUG",
		Short: "Show an organisation's single sign-on settings",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, _ io.Writer) error {
				c, err := a.SSOSettings(ctx)
				if err != nil {
					return err
				}
				return printSSO(cmd, c, ic.format)
			})
		},
	}
}

// readSecretFile reads a one-line secret from a file, or standard input for "-".
func readSecretFile(cmd *cobra.Command, file, what string) (string, error) {
	var b []byte
	var err error
	if file == "-" {
		b, err = io.ReadAll(io.LimitReader(cmd.InOrStdin(), 8192))
	} else {
		b, err = os.ReadFile(file)
	}
	if err != nil {
		return "", fmt.Errorf("read the %s: %w", what, err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

func newSSOSetCmd(ic *invCmd) *cobra.Command {
	var issuer, clientID, secretFile, scopes, groupsClaim, rolesFile, defaultRole, domains string
	var enabled, jit, local bool
	cmd := &cobra.Command{
		Use:   "set --org SLUG [flags]",
		Short: "Change an organisation's single sign-on settings",
		Long: `Change the settings named by flags; the others keep their values. The client secret
is read from --client-secret-file (or - for standard input), never from the command line,
and the group mapping from --group-roles-file, one "group = role" a line.

--local-login=true given alone is the break-glass: it switches local login back on
without any other check, so owners locked out by a broken provider can sign in with
their password again. Switching it off needs single sign-on on and a discovery that
worked (caio sso test).`,
		Example: `  caio sso set --org acme --enabled --issuer https://keycloak.example.com/realms/acme \
    --client-id caio --client-secret-file secret.txt --group-roles-file roles.txt --default-role viewer
  caio sso test --org acme
  caio sso set --org acme --local-login=false
  caio sso set --org acme --local-login=true   # break-glass`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(octx context.Context, a *app.App, _ io.Writer) error {
				fl := cmd.Flags()
				changed := 0
				cmd.LocalFlags().VisitAll(func(f *pflag.Flag) {
					if f.Changed && f.Name != "org" {
						changed++
					}
				})
				if changed == 0 {
					return caio.Errorf(caio.EINVALID, "Nothing to change: name a setting, such as --enabled or --local-login=true.")
				}
				if changed == 1 && fl.Changed("local-login") {
					c, err := a.SetLocalLogin(octx, local)
					if err != nil {
						return err
					}
					fmt.Fprintf(cmd.ErrOrStderr(), "Local login of %s is now %s.\n", ic.org, map[bool]string{true: "on", false: "off"}[c.LocalLogin])
					return nil
				}
				cur, err := a.SSOSettings(octx)
				if err != nil {
					return err
				}
				in := app.SSOInput{Enabled: cur.Enabled, Issuer: cur.Issuer, ClientID: cur.ClientID, Scopes: cur.Scopes, GroupsClaim: cur.GroupsClaim,
					GroupRoles: cur.GroupRoles, DefaultRole: cur.DefaultRole, JIT: cur.JIT, Domains: cur.Domains, LocalLogin: cur.LocalLogin}
				if fl.Changed("enabled") {
					in.Enabled = enabled
				}
				if fl.Changed("issuer") {
					in.Issuer = issuer
				}
				if fl.Changed("client-id") {
					in.ClientID = clientID
				}
				if fl.Changed("client-secret-file") {
					s, err := readSecretFile(cmd, secretFile, "client secret")
					if err != nil {
						return err
					}
					in.ClientSecret = &s
				}
				if fl.Changed("scopes") {
					in.Scopes = []string{scopes}
				}
				if fl.Changed("groups-claim") {
					in.GroupsClaim = groupsClaim
				}
				if fl.Changed("group-roles-file") {
					b, err := os.ReadFile(rolesFile)
					if err != nil {
						return fmt.Errorf("read the group mapping: %w", err)
					}
					if in.GroupRoles, err = caio.ParseGroupRoles(string(b)); err != nil {
						return err
					}
				}
				if fl.Changed("default-role") {
					in.DefaultRole = caio.Role(defaultRole)
				}
				if fl.Changed("jit") {
					in.JIT = jit
				}
				if fl.Changed("allowed-domains") {
					in.Domains = []string{domains}
				}
				if fl.Changed("local-login") {
					in.LocalLogin = local
				}
				c, err := a.SetSSOSettings(octx, in)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "Saved the single sign-on settings of %s.\n", ic.org)
				return printSSO(cmd, c, ic.format)
			})
		},
	}
	f := cmd.Flags()
	f.BoolVar(&enabled, "enabled", false, "single sign-on on or off")
	f.StringVar(&issuer, "issuer", "", "the provider's issuer URL")
	f.StringVar(&clientID, "client-id", "", "the client ID registered at the provider")
	f.StringVar(&secretFile, "client-secret-file", "", "file holding the client secret, or - for standard input")
	f.StringVar(&scopes, "scopes", "", "scopes besides openid, separated by spaces (default: email profile)")
	f.StringVar(&groupsClaim, "groups-claim", "", "the ID token claim with the groups (default: groups)")
	f.StringVar(&rolesFile, "group-roles-file", "", `file with the group mapping, one "group = role" a line`)
	f.StringVar(&defaultRole, "default-role", "", "role of a new member in no mapped group; empty refuses them")
	f.BoolVar(&jit, "jit", true, "add people as members at their first sign-in")
	f.StringVar(&domains, "allowed-domains", "", "email domains allowed to sign in this way, separated by commas")
	f.BoolVar(&local, "local-login", true, "allow password sessions in the organisation")
	return cmd
}

func newSSOTestCmd(ic *invCmd) *cobra.Command {
	return &cobra.Command{
		Use:   "test --org SLUG",
		Short: "Test discovery of the saved issuer and record that it worked",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				c, err := a.TestSSO(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "Discovery of %s worked.\n", c.Issuer)
				return nil
			})
		},
	}
}
