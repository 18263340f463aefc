package main

import "github.com/spf13/cobra"

func newServeCmd(cfg *Config) *cobra.Command {
	return &cobra.Command{Use: "serve", Short: "Serve the web pages and the API"}
}
