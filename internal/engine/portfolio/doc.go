// Package portfolio is the engine behind caio's AI use-case portfolio. It
// scores use cases (value × feasibility with a risk discount, and RICE and
// WSJF as alternatives), checks stage gates whose criteria are data in an
// embedded YAML file, and lays a roadmap out by quarter against the people
// and budget available.
//
// The methods follow the practice notes in shared/reference/practice.md:
// §2.2 for value × feasibility and its quadrants, §2.3 for RICE, §2.4 for
// WSJF and §2.8 for the stage-gate lifecycle. Comments and content cite the
// section each rule comes from.
//
// Like every engine under internal/engine, the package is pure: it takes
// values and returns values, with no database, clock or I/O beyond the
// embedded gate content. Every number it returns carries the components and
// reasons that produced it, so a person can check it by hand.
package portfolio
