package main

import (
	"fmt"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, newUserCmd) }

func newUserCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Add people to organisations, list members, reset passwords",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newUserCreateCmd(cfg), newUserListCmd(cfg), newUserSetPasswordCmd(cfg))
	return cmd
}

// existingUserPassword stands in for the password of a user who exists
// already: app.CreateOrg checks that a password is well formed but uses it
// only for a new user.
const existingUserPassword = "unused-for-existing-user"

func newUserCreateCmd(cfg *Config) *cobra.Command {
	var email, org, role, name, pwFile string
	cmd := &cobra.Command{
		Use:   "create --email EMAIL --org SLUG-OR-NAME [--role ROLE]",
		Short: "Create a user, or give a user a role in an organisation",
		Long: `Create a user, or give an existing user a role in an organisation.

When no organisation has the slug of --org, it is created (named --org, its slug made from
the name) with the user as its owner. A new user needs a password: from --password-file,
typed when asked (not shown), or one line on standard input.`,
		Example: `  caio user create --email ada@example.com --org "Acme Bank" --name "Ada Lovelace"
  caio user create --email bob@example.com --org acme-bank --role editor --password-file pw.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			a, done, err := cfg.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer done()
			sys := systemCtx(ctx)
			r := caio.Role(strings.ToLower(strings.TrimSpace(role)))
			if r != "" && !r.Valid() {
				return caio.FieldError("role", "must be one of owner, admin, editor, contributor, approver, viewer")
			}
			slug := app.Slugify(org)
			orgActor, orgErr := a.SystemActor(ctx, slug)
			if orgErr == nil && r == "" {
				return caio.Errorf(caio.EINVALID, "%s exists: say which role the user gets there with --role (owner, admin, editor, contributor, approver or viewer).", slug)
			}
			if orgErr != nil && r != "" && r != caio.RoleOwner {
				return caio.Errorf(caio.EINVALID, "No organisation has the slug %q. Its first member is its owner: use --role owner, or create it with `caio org create`.", slug)
			}
			pw, err := newUserPassword(cmd, a, email, pwFile)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if orgErr != nil {
				if pw == "" {
					pw = existingUserPassword
				}
				o, err := a.CreateOrg(sys, app.SignupInput{OrgName: org, OrgSlug: slug, Email: email, Name: name, Password: pw})
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "Created organisation %s (%s) with %s as its owner.\n", o.Name, o.Slug, strings.ToLower(email))
				return nil
			}
			m, err := a.AddMember(caio.WithActor(ctx, orgActor), app.MemberInput{Email: email, Name: name, Role: r, Password: pw})
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "Added %s to %s as %s.\n", m.Email, m.OrgSlug, m.Role)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&email, "email", "", "email address of the user (required)")
	f.StringVar(&org, "org", "", "slug of an existing organisation, or the name of a new one (required)")
	f.StringVar(&role, "role", "", "role in the organisation: owner, admin, editor, contributor, approver or viewer (a new organisation's first user is its owner)")
	f.StringVar(&name, "name", "", "display name of a new user")
	f.StringVar(&pwFile, "password-file", "", "file holding a new user's password on one line (- for standard input)")
	cmd.MarkFlagRequired("email")
	cmd.MarkFlagRequired("org")
	return cmd
}

// newUserPassword asks for a password when the email belongs to no user yet,
// and returns "" for an existing user, whose password stays as it is.
func newUserPassword(cmd *cobra.Command, a *app.App, email, pwFile string) (string, error) {
	_, err := a.FindUserByEmail(systemCtx(cmd.Context()), email)
	switch caio.ErrorCode(err) {
	case "":
		if pwFile != "" {
			fmt.Fprintf(cmd.ErrOrStderr(), "%s already has an account: the password is unchanged (use `caio user set-password` to change it).\n", email)
		}
		return "", nil
	case caio.ENOTFOUND:
		return readPassword(cmd, pwFile, "Password for "+email+" (at least 12 characters): ", true)
	}
	return "", err
}

func newUserListCmd(cfg *Config) *cobra.Command {
	var org, format string
	cmd := &cobra.Command{
		Use:     "list --org SLUG",
		Short:   "List the members of an organisation",
		Example: "  caio user list --org acme-bank --format json",
		Args:    cobra.NoArgs,
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
			octx, err := orgCtx(ctx, a, org)
			if err != nil {
				return err
			}
			var all []*caio.Membership
			for p := (caio.Page{Limit: caio.MaxPageLimit}); ; p.Offset += p.Limit {
				ms, total, err := a.FindMembers(octx, p)
				if err != nil {
					return err
				}
				all = append(all, ms...)
				if len(ms) == 0 || len(all) >= total {
					break
				}
			}
			if format == "json" {
				return writeJSON(cmd.OutOrStdout(), all)
			}
			tw := newTable(cmd.OutOrStdout())
			fmt.Fprintln(tw, "EMAIL\tNAME\tROLE\tSINCE")
			for _, m := range all {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Email, cell(m.Name, 40), m.Role, when(&m.CreatedAt))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&org, "org", "", "slug of the organisation (required)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.MarkFlagRequired("org")
	return cmd
}

func newUserSetPasswordCmd(cfg *Config) *cobra.Command {
	var email, pwFile string
	cmd := &cobra.Command{
		Use:   "set-password --email EMAIL",
		Short: "Set a user's password and sign them out everywhere",
		Long: `Set a user's password, for instance when they forgot it, and end all their sessions.
Their API tokens stay valid (revoke them with caio token revoke).`,
		Example: "  caio user set-password --email ada@example.com",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			a, done, err := cfg.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer done()
			sys := systemCtx(ctx)
			u, err := a.FindUserByEmail(sys, email)
			if err != nil {
				return err
			}
			pw, err := readPassword(cmd, pwFile, "New password for "+u.Email+" (at least 12 characters): ", true)
			if err != nil {
				return err
			}
			if err := a.SetUserPassword(sys, u.Email, pw); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Changed the password of %s and ended their sessions.\n", u.Email)
			return nil
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "email address of the user (required)")
	cmd.Flags().StringVar(&pwFile, "password-file", "", "file holding the new password on one line (- for standard input)")
	cmd.MarkFlagRequired("email")
	return cmd
}
