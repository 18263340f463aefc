package main

import "github.com/spf13/cobra"

// The parents of the interchange commands (issue 7): `caio import KIND` and
// `caio export KIND`. Each format registers its subcommand from its own file:
//
//	func init() { importCommands = append(importCommands, newImportYAMLCmd) }
//	func init() { exportCommands = append(exportCommands, newExportYAMLCmd) }

func init() { extraCommands = append(extraCommands, newImportCmd, newExportCmd) }

// importCommands and exportCommands hold the constructors of the
// subcommands of `caio import` and `caio export`.
var importCommands, exportCommands []func(*Config) *cobra.Command

func newImportCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Import data into an organisation from another format",
		Long: `Import reads a file or directory in another format into an organisation: the US federal AI use
case inventory (fedinventory), spreadsheets of use cases, AI systems, vendors or risks (csv, xlsx),
governance-as-code YAML and more. An import either completes or changes nothing (unless asked to
write row by row), and it is recorded in the audit log with its counts.`,
		Args: cobra.NoArgs,
	}
	for _, add := range importCommands {
		cmd.AddCommand(add(cfg))
	}
	return cmd
}

func newExportCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export an organisation's data to another format",
		Long: `Export writes an organisation's data in another format: the US federal AI use case inventory
(fedinventory), governance-as-code YAML, a CycloneDX ML-BOM, JSON and more. Every export is
recorded in the audit log.`,
		Args: cobra.NoArgs,
	}
	for _, add := range exportCommands {
		cmd.AddCommand(add(cfg))
	}
	return cmd
}
