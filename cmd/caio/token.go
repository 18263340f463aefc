package main

import (
	"fmt"

	"github.com/caio-office/caio"
	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, newTokenCmd) }

func newTokenCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Create, list and revoke API tokens",
		Long: `API tokens let programs call the JSON API as a user in one organisation, with that user's role.
Only a hash of each token is stored: the token is shown once, when it is created.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newTokenCreateCmd(cfg), newTokenListCmd(cfg), newTokenRevokeCmd(cfg))
	return cmd
}

func newTokenCreateCmd(cfg *Config) *cobra.Command {
	var email, org, name string
	cmd := &cobra.Command{
		Use:   "create --email EMAIL --org SLUG --name NAME",
		Short: "Create an API token for a member and print it once",
		Long: `Create an API token for a member of an organisation. The token is printed once, alone on
standard output, so a script can capture it; its id goes to standard error.`,
		Example: `  TOKEN=$(caio token create --email ada@example.com --org acme-bank --name ci-pipeline)`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			a, done, err := cfg.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer done()
			actor, err := a.UserActor(ctx, org, email)
			if err != nil {
				return err
			}
			t, secret, err := a.CreateToken(caio.WithActor(ctx, actor), name)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), secret)
			fmt.Fprintf(cmd.ErrOrStderr(), "Created token %s (%s) for %s in %s, with the role %s. It is shown only this once.\n", t.ID, t.Name, actor.Email, actor.OrgSlug, actor.Role)
			return nil
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "email address of the member the token acts as (required)")
	cmd.Flags().StringVar(&org, "org", "", "slug of the organisation (required)")
	cmd.Flags().StringVar(&name, "name", "", "what the token is for, such as ci-pipeline (required)")
	cmd.MarkFlagRequired("email")
	cmd.MarkFlagRequired("org")
	cmd.MarkFlagRequired("name")
	return cmd
}

func newTokenListCmd(cfg *Config) *cobra.Command {
	var email, org, format string
	cmd := &cobra.Command{
		Use:   "list --email EMAIL --org SLUG",
		Short: "List a member's API tokens",
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
			actor, err := a.UserActor(ctx, org, email)
			if err != nil {
				return err
			}
			uctx := caio.WithActor(ctx, actor)
			all := []*caio.APIToken{}
			for p := (caio.Page{Limit: caio.MaxPageLimit}); ; p.Offset += p.Limit {
				ts, total, err := a.FindTokens(uctx, p)
				if err != nil {
					return err
				}
				all = append(all, ts...)
				if len(ts) == 0 || len(all) >= total {
					break
				}
			}
			if format == "json" {
				return writeJSON(cmd.OutOrStdout(), all)
			}
			if len(all) == 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "%s has no API tokens in %s.\n", actor.Email, actor.OrgSlug)
				return nil
			}
			tw := newTable(cmd.OutOrStdout())
			fmt.Fprintln(tw, "ID\tNAME\tPREFIX\tCREATED\tLAST USED\tREVOKED")
			for _, t := range all {
				fmt.Fprintf(tw, "%s\t%s\t%s…\t%s\t%s\t%s\n", t.ID, cell(t.Name, 40), t.Prefix, when(&t.CreatedAt), when(t.LastUsedAt), when(t.RevokedAt))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "email address of the member (required)")
	cmd.Flags().StringVar(&org, "org", "", "slug of the organisation (required)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.MarkFlagRequired("email")
	cmd.MarkFlagRequired("org")
	return cmd
}

func newTokenRevokeCmd(cfg *Config) *cobra.Command {
	var org string
	cmd := &cobra.Command{
		Use:     "revoke --org SLUG TOKEN-ID",
		Short:   "Revoke an API token at once",
		Example: "  caio token revoke --org acme-bank tok_01jd8x4m2q7v9c3k5n6p8r0s2t",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			a, done, err := cfg.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer done()
			octx, err := orgCtx(ctx, a, org)
			if err != nil {
				return err
			}
			if err := a.RevokeToken(octx, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Revoked token %s.\n", args[0])
			return nil
		},
	}
	cmd.Flags().StringVar(&org, "org", "", "slug of the organisation (required)")
	cmd.MarkFlagRequired("org")
	return cmd
}
