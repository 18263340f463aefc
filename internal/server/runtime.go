package server

import (
	"os"
	"runtime/debug"
)

// GCPercent is the garbage collector's target that caio serve uses unless
// the GOGC environment variable says otherwise. A server's live heap is
// small (a few MB), so Go's default of 100 collects after every few MB of
// request garbage: under load that cost a third of the CPU. At 300 the
// collector runs a third as often for a few more MB of memory; the figures
// are in docs/performance.md.
const GCPercent = 300

// ApplyRuntimeDefaults sets GCPercent, unless GOGC is set. caio serve calls
// it once at start; the load run calls it too, to measure what ships.
func ApplyRuntimeDefaults() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(GCPercent)
	}
}
