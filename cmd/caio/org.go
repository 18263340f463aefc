package main

import (
	"fmt"
	"strings"

	"github.com/caio-office/caio/internal/app"
	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, newOrgCmd) }

func newOrgCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "org",
		Short: "Create and list organisations (tenants)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newOrgCreateCmd(cfg), newOrgListCmd(cfg))
	return cmd
}

func newOrgCreateCmd(cfg *Config) *cobra.Command {
	var slug, name, ownerEmail, ownerName, pwFile string
	cmd := &cobra.Command{
		Use:   "create --name NAME --owner-email EMAIL [--slug SLUG]",
		Short: "Create an organisation with its first owner",
		Long: `Create an organisation, for instance one per client of an interim CAIO, with its first owner.
When the owner's email belongs to no user yet, the user is created and needs a password:
from --password-file, typed when asked (not shown), or one line on standard input.`,
		Example: `  caio org create --name "Acme Bank" --owner-email ada@example.com
  caio org create --slug acme --name "Acme Bank plc" --owner-email ada@example.com --password-file pw.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			a, done, err := cfg.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer done()
			pw, err := newUserPassword(cmd, a, ownerEmail, pwFile)
			if err != nil {
				return err
			}
			if pw == "" {
				pw = existingUserPassword
			}
			o, err := a.CreateOrg(systemCtx(ctx), app.SignupInput{OrgName: name, OrgSlug: slug, Email: ownerEmail, Name: ownerName, Password: pw})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Created organisation %s (%s) with %s as its owner.\n", o.Name, o.Slug, strings.ToLower(strings.TrimSpace(ownerEmail)))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "display name, such as \"Acme Bank plc\" (required)")
	f.StringVar(&slug, "slug", "", "short name used in URLs and commands, such as acme-bank (default: made from --name)")
	f.StringVar(&ownerEmail, "owner-email", "", "email address of the first owner (required)")
	f.StringVar(&ownerName, "owner-name", "", "display name of the owner, when they are a new user")
	f.StringVar(&pwFile, "password-file", "", "file holding a new owner's password on one line (- for standard input)")
	cmd.MarkFlagRequired("name")
	cmd.MarkFlagRequired("owner-email")
	return cmd
}

func newOrgListCmd(cfg *Config) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List every organisation",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			ctx := cmd.Context()
			a, done, err := cfg.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer done()
			orgs, err := a.AllOrgs(systemCtx(ctx))
			if err != nil {
				return err
			}
			if format == "json" {
				if orgs == nil {
					return writeJSON(cmd.OutOrStdout(), []any{})
				}
				return writeJSON(cmd.OutOrStdout(), orgs)
			}
			if len(orgs) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "No organisations yet: create one with `caio org create`, or load the demo with `caio demo`.")
				return nil
			}
			tw := newTable(cmd.OutOrStdout())
			fmt.Fprintln(tw, "SLUG\tNAME\tCREATED")
			for _, o := range orgs {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", o.Slug, cell(o.Name, 60), when(&o.CreatedAt))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}
