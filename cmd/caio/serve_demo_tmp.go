package main

import (
	"context"

	"github.com/caio-office/caio/internal/app"
)

// loadDemo is replaced when the demo loader lands.
var loadDemo = func(ctx context.Context, a *app.App, base string) error { return nil }
