package app

// AdvisorCompilations counts the compilations of rule sets so far, for the
// test that the compiled rules are cached until they change.
func AdvisorCompilations() int {
	advCompilations.Lock()
	defer advCompilations.Unlock()
	return advCompilations.n
}
