package euaiact

import (
	"fmt"
	"slices"
	"strings"
)

// The order of the rules follows the Act: definition and scope, the GPAI
// axis, prohibitions, the two high-risk routes and the Art 6(3) filter, the
// Art 50 overlay, roles and Art 25, then obligations and their dates.

// highRisk is what the two high-risk routes found.
type highRisk struct {
	annexI        tri          // Art 6(1) route
	annexIEntry   *AnnexIEntry // the act, as read under the timeline
	points        []*AnnexIIIPoint
	filter        tri // the Art 6(3) filter holds
	filterLetters []string
}

func (r *run) classify() {
	res := r.res
	res.Roles.Declared = append([]string{}, r.p.Roles...)
	if basis, ok := r.scope(); !ok {
		res.Class = OutOfScope
		res.Basis = []string{basis}
		res.GPAI = GPAIStatus{Status: "not_applicable"}
		r.roles(nil)
		r.derive(nil)
		r.obligations(nil)
		return
	}
	r.gpai()
	prohibited := r.art5()
	mark := len(res.Missing)
	hr := r.highRisk()
	r.transparency()

	switch {
	case len(prohibited) > 0:
		// No answer about the high-risk routes or Art 50 can change a
		// prohibited result: they are in the trace, but not asked.
		for _, m := range res.Missing[mark:] {
			delete(r.missing, m.Fact)
		}
		res.Missing = res.Missing[:mark]
		res.Class = Prohibited
		for _, p := range prohibited {
			res.Basis = append(res.Basis, "art5:"+p.Key)
			r.reason(fmt.Sprintf("It is a prohibited practice: %s.", lower(p.Title)), p.Ref)
		}
	case hr.annexI == yes || (len(hr.points) > 0 && hr.filter != yes):
		res.Class = HighRisk
		if hr.annexI == yes {
			res.Basis = append(res.Basis, "annex_i:"+hr.annexIEntry.Key)
		}
		if hr.filter != yes {
			for _, p := range hr.points {
				res.Basis = append(res.Basis, "annex_iii:"+p.Key)
			}
		}
	case len(hr.points) > 0:
		res.Class = NotHighRisk
		for _, p := range hr.points {
			res.Basis = append(res.Basis, "annex_iii:"+p.Key)
		}
		for _, l := range hr.filterLetters {
			res.Basis = append(res.Basis, "art6_3:"+l)
		}
	case len(res.Transparency) > 0:
		res.Class = TransparencyOnly
		for _, d := range res.Transparency {
			res.Basis = append(res.Basis, "art50:"+d.Key)
		}
		r.reason("No prohibition or high-risk route applies, but Art 50 transparency duties do.", "Art 50")
	default:
		res.Class = Minimal
		r.reason("No prohibition, high-risk route or transparency duty applies on the facts given; only AI literacy and voluntary codes of conduct concern it.", "Arts 4 and 95")
	}
	if (res.Class == Minimal || res.Class == NotHighRisk) && len(res.Transparency) == 0 {
		// Art 2(12) needs Art 5, the high-risk routes and Art 50 ruled out:
		// an unknown answer to any of them keeps the Act applicable.
		open := r.art5Open || r.art50Open || hr.annexI == unknown || r.p.AnnexIII == nil
		if r.openSource(open) {
			res.Class = OutOfScope
			res.Basis = []string{"art2_12"}
			res.Reasons = res.Reasons[:0]
			r.reason("It is released under a free and open-source licence and is neither prohibited, high-risk nor subject to Art 50, so the Act does not apply to it.", "Art 2(12)")
		}
	}
	r.roles(hr)
	r.conformity(hr)
	r.derive(hr)
	r.obligations(hr)
}

// step closes a trace step with the facts read since the last one.
func (r *run) step(rule, ref, outcome, note string) {
	var read []Read
	if n := len(r.reads); n > r.readFrom {
		read = r.reads[r.readFrom:n:n] // capped: later reads never write into it
	}
	r.res.Trace = append(r.res.Trace, Step{Rule: rule, Ref: ref, Read: read, Outcome: outcome, Note: note})
	r.readFrom = len(r.reads)
}

// read records a value a rule read, for the next trace step.
func (r *run) read(fact string, v any) { r.reads = append(r.reads, Read{fact, v}) }

// dropReads forgets the reads since the last step.
func (r *run) dropReads() { r.readFrom = len(r.reads) }

func (r *run) reason(text, ref string) { r.res.Reasons = append(r.res.Reasons, Reason{text, ref}) }

// miss records unknown facts that could change the result.
func (r *run) miss(facts []string, effect string) {
	for _, f := range facts {
		if i, ok := r.missing[f]; ok {
			m := &r.res.Missing[i]
			if !strings.Contains(m.Effect, effect) {
				m.Effect += "; " + effect
			}
			continue
		}
		m := Missing{Fact: f, Effect: effect}
		if d := r.c.facts[f]; d != nil {
			m.Question, m.Ref, m.Section = d.Question, d.Ref, d.Section()
		} else if q, ok := fieldQuestions[f]; ok {
			m.Question, m.Ref, m.Section = q[0], q[1], q[2]
		}
		r.missing[f] = len(r.res.Missing)
		r.res.Missing = append(r.res.Missing, m)
	}
}

// fieldQuestions describe the profile fields that are not yes/no facts.
var fieldQuestions = map[string][3]string{
	"roles":         {"What is your organisation's role towards the system: provider, deployer, importer, distributor, authorised representative or product manufacturer?", "Art 3(3)–(8)", "roles"},
	"annex_i":       {"Is the system (or the product it is a safety component of) covered by an act listed in Annex I? Name the act, or none.", "Art 6(1); Annex I", "annex_i"},
	"annex_iii":     {"Which Annex III uses does the intended purpose fall under? Name the points, or none.", "Art 6(2); Annex III", "annex_iii"},
	"training_flop": {"How much compute (in floating-point operations) was used to train the model?", "Art 51(2)", "gpai"},
}

// scope applies Art 3(1) and Art 2. It returns the basis and false when the
// system is out of scope.
func (r *run) scope() (string, bool) {
	for _, fam := range []string{"definition.human_rules_only", "definition.optimisation_only", "definition.basic_data_processing", "definition.classical_heuristics", "definition.simple_prediction"} {
		if r.fact(fam) == yes {
			d := r.c.facts[fam]
			r.step("art3_1.exclusion", d.Ref, OutcomeOutOfScope, "a family of systems placed outside the definition")
			r.reason("It is not an AI system: "+lower(strings.TrimSuffix(d.Question, "?"))+" — the answer is yes, and such systems fall outside the definition.", d.Ref+"; Art 3(1)")
			return "art3_1", false
		}
	}
	def := &Cond{All: []*Cond{{Fact: "definition.machine_based"}, {Fact: "definition.autonomy"}, {Fact: "definition.infers"}, {Fact: "definition.outputs_influence"}}}
	switch t, u := r.eval(def); t {
	case no:
		r.step("art3_1", "Art 3(1)", OutcomeOutOfScope, "an element of the definition is missing")
		r.reason("It is not an AI system: at least one element of the Art 3(1) definition does not hold.", "Art 3(1)")
		return "art3_1", false
	case unknown:
		r.miss(u, "could show it is not an AI system (Art 3(1)), which would take it out of scope")
		r.step("art3_1", "Art 3(1)", OutcomeUnknown, "treated as an AI system until the facts say otherwise")
	default:
		r.step("art3_1", "Art 3(1)", OutcomeApplies, "every element of the definition holds")
	}
	switch r.fact("scope.eu_nexus") {
	case no:
		r.step("art2_1", "Art 2(1)", OutcomeOutOfScope, "")
		r.reason("It is neither placed on the market or used in the Union nor is its output used there.", "Art 2(1)")
		return "art2_1", false
	case unknown:
		r.miss([]string{"scope.eu_nexus"}, "could take it out of scope (Art 2(1))")
		r.step("art2_1", "Art 2(1)", OutcomeUnknown, "treated as within the Union's reach")
	default:
		r.step("art2_1", "Art 2(1)", OutcomeApplies, "")
	}
	for _, x := range []struct{ fact, basis, why string }{
		{"scope.military_defence", "art2_3", "It is used exclusively for military, defence or national-security purposes."},
		{"scope.third_country_authority", "art2_4", "It is used by a third-country public authority or international organisation under a cooperation agreement with adequate safeguards."},
		{"scope.research_only", "art2_6", "It is developed and put into service solely for scientific research and development."},
		{"scope.pre_market_rd", "art2_8", "It is only researched, tested or developed before being placed on the market or put into service."},
	} {
		d := r.c.facts[x.fact]
		switch r.fact(x.fact) {
		case yes:
			r.step(x.basis, d.Ref, OutcomeOutOfScope, "")
			r.reason(x.why, d.Ref)
			return x.basis, false
		case unknown:
			r.miss([]string{x.fact}, "could take it out of scope ("+d.Ref+")")
			r.step(x.basis, d.Ref, OutcomeUnknown, "no exclusion without the fact")
		default:
			r.step(x.basis, d.Ref, OutcomeNot, "")
		}
	}
	if len(r.p.Roles) == 0 || slices.Contains(r.p.Roles, "deployer") {
		switch r.fact("scope.personal_use") {
		case yes:
			if len(r.p.Roles) > 0 && !slices.ContainsFunc(r.p.Roles, func(s string) bool { return s != "deployer" }) {
				r.step("art2_10", "Art 2(10)", OutcomeOutOfScope, "")
				r.reason("It is used by a natural person in a purely personal, non-professional activity, so deployer obligations do not apply.", "Art 2(10)")
				return "art2_10", false
			}
			r.step("art2_10", "Art 2(10)", OutcomeApplies, "deployer duties fall away; the other roles keep theirs")
		case unknown:
			r.miss([]string{"scope.personal_use"}, "could remove deployer obligations (Art 2(10))")
			r.step("art2_10", "Art 2(10)", OutcomeUnknown, "")
		default:
			r.step("art2_10", "Art 2(10)", OutcomeNot, "")
		}
	}
	return "", true
}

// openSource applies Art 2(12) to a system that is neither prohibited,
// high-risk nor under Art 50. While open is true, unknown facts could still
// put it under one of them, so the exclusion is not granted.
func (r *run) openSource(open bool) bool {
	switch r.fact("scope.open_source") {
	case yes:
		if open {
			r.step("art2_12", "Art 2(12)", OutcomeUnknown, "free and open-source, but Art 5, the high-risk routes or Art 50 are not yet ruled out")
			r.reason("It is released under a free and open-source licence, but the Art 2(12) exclusion holds only once the facts rule out Art 5, the high-risk routes and Art 50.", "Art 2(12)")
			return false
		}
		r.step("art2_12", "Art 2(12)", OutcomeOutOfScope, "free and open-source, and neither prohibited, high-risk nor under Art 50")
		return true
	case unknown:
		r.miss([]string{"scope.open_source"}, "could take it out of scope (Art 2(12))")
		r.step("art2_12", "Art 2(12)", OutcomeUnknown, "")
	default:
		r.step("art2_12", "Art 2(12)", OutcomeNot, "")
	}
	return false
}

// gpai evaluates the general-purpose model axis.
func (r *run) gpai() {
	g := &r.res.GPAI
	switch r.fact("gpai.provider") {
	case no:
		g.Status = "not_applicable"
		r.step("gpai", "Art 3(63)", OutcomeNot, "the organisation provides no general-purpose model")
		return
	case unknown:
		g.Status = "unknown"
		r.miss([]string{"gpai.provider"}, "could add the duties of a general-purpose model provider (Arts 53–55)")
		r.step("gpai", "Art 3(63)", OutcomeUnknown, "")
		return
	}
	th := r.c.GPAI
	flop := r.p.TrainingFLOP
	if flop != nil {
		r.read("training_flop", *flop)
	} else {
		r.read("training_flop", nil)
	}
	isModel := r.fact("gpai.generality")
	if isModel == yes {
		g.Basis = append(g.Basis, "art3_63")
		g.Reasons = append(g.Reasons, Reason{"The model shows significant generality and performs a wide range of distinct tasks.", "Art 3(63)"})
	} else if isModel == unknown {
		above := flop != nil && *flop > th.IndicativeFLOP
		gen := unknown
		if above {
			gen = r.fact("gpai.generates_content")
		}
		if gen == yes {
			isModel = yes
			g.Basis = append(g.Basis, "gpai_guidelines:indicative")
			g.Reasons = append(g.Reasons, Reason{"Trained with more than 10^23 operations and able to generate language, images or video, it meets the Commission's indicative criterion.", th.IndicativeRef})
		} else {
			r.miss([]string{"gpai.generality"}, "could make it a general-purpose AI model (Art 3(63))")
			if flop == nil {
				r.miss([]string{"training_flop"}, "could make it a general-purpose AI model, or one with systemic risk")
			} else if above && gen == unknown {
				r.miss([]string{"gpai.generates_content"}, "with the training compute above 10^23 operations, could make it a general-purpose AI model under the Commission's indicative criterion")
			}
		}
	}
	if isModel != yes {
		g.Status = "unknown"
		if isModel == no {
			g.Status = "not_applicable"
		}
		r.step("gpai", "Art 3(63)", outcomeOf(isModel), "")
		return
	}
	g.Status = "gpai"
	r.step("gpai", "Art 3(63)", OutcomeApplies, "")

	designated, high := r.fact("gpai.designated"), r.fact("gpai.high_impact_capabilities")
	presumed := flop != nil && *flop > th.SystemicFLOP
	if flop != nil {
		r.read("training_flop", *flop)
	}
	// Each ground of Art 51 that holds is part of the basis.
	systemic, grounds := unknown, len(g.Basis)
	if designated == yes {
		g.Basis = append(g.Basis, "art51_1b")
		g.Reasons = append(g.Reasons, Reason{"The Commission designated the model as having systemic risk.", "Art 51(1)(b)"})
	}
	if high == yes {
		g.Basis = append(g.Basis, "art51_1a")
		g.Reasons = append(g.Reasons, Reason{"The model has high-impact capabilities.", "Art 51(1)(a)"})
	}
	if presumed {
		g.Basis = append(g.Basis, "art51_2")
		g.Reasons = append(g.Reasons, Reason{"Trained with more than 10^25 operations, it is presumed to have high-impact capabilities; the provider may argue otherwise under Art 52(2).", th.SystemicRef})
	}
	// Art 52(1): the provider notifies a model that meets the high-impact
	// condition; a model the Commission designated needs no notice.
	r.derived["is.gpai_high_impact"] = high == yes || presumed
	switch {
	case len(g.Basis) > grounds:
		systemic = yes
	case designated == no && high == no:
		systemic = no
	default:
		var u []string
		if designated == unknown {
			u = append(u, "gpai.designated")
		}
		if high == unknown {
			u = append(u, "gpai.high_impact_capabilities")
		}
		if flop == nil {
			u = append(u, "training_flop")
		}
		r.miss(u, "could give the model systemic risk (Art 51)")
	}
	if systemic == yes {
		g.Status = "gpai_systemic_risk"
	}
	r.step("art51", "Art 51", outcomeOf(systemic), "")

	switch r.fact("gpai.open_source") {
	case yes:
		if systemic == no {
			g.OpenSourceExemption = true
			g.Reasons = append(g.Reasons, Reason{"Released as free and open-source with public weights, the model is relieved of Art 53(1)(a) and (b) and Art 54; the copyright policy and training summary still apply.", "Art 53(2); Art 54(6)"})
			r.step("art53_2", "Art 53(2)", OutcomeApplies, "")
		} else {
			r.step("art53_2", "Art 53(2)", OutcomeNot, "the open-source relief does not extend to models with systemic risk, or systemic risk is not ruled out")
		}
	case unknown:
		if systemic != yes {
			r.miss([]string{"gpai.open_source"}, "could relieve the provider of some documentation duties (Art 53(2))")
		}
		r.step("art53_2", "Art 53(2)", OutcomeUnknown, "")
	default:
		r.step("art53_2", "Art 53(2)", OutcomeNot, "")
	}
}

// art5 returns the prohibitions that apply.
func (r *run) art5() []*Prohibition {
	var hits []*Prohibition
	for i := range r.c.Prohibitions {
		p := &r.c.Prohibitions[i]
		rule := "art5:" + p.Key
		if !inTimeline(p.Timelines, r.opt.Timeline) {
			r.step(rule, p.Ref, OutcomeSkipped, "not part of the law as "+r.opt.Timeline)
			continue
		}
		w, wu := r.eval(p.When)
		if w == no {
			r.step(rule, p.Ref, OutcomeNot, "")
			continue
		}
		u, uu := no, []string(nil)
		if p.Unless != nil {
			u, uu = r.eval(p.Unless)
		}
		switch {
		case u == yes:
			r.step(rule, p.Ref, OutcomeExcepted, p.UnlessRef)
			if w == yes {
				r.reason(fmt.Sprintf("The conditions of %s hold, but its exception does (%s).", p.Ref, p.UnlessRef), p.Ref)
			}
		case w == yes:
			note := ""
			if u == unknown {
				r.miss(uu, "could bring it under the exception of "+p.Ref)
				note = "the exception is not established"
			}
			if m := r.c.milestones[p.Milestone]; m != nil {
				note = strings.TrimPrefix(note+"; applies from "+r.dateOf(m), "; ")
			}
			r.step(rule, p.Ref, OutcomeApplies, note)
			hits = append(hits, p)
		default:
			r.miss(wu, "could make it a prohibited practice ("+p.Ref+")")
			r.step(rule, p.Ref, OutcomeUnknown, "")
			r.art5Open = true
		}
	}
	r.prohibited = hits
	return hits
}

func (r *run) dateOf(m *Milestone) string {
	if r.opt.Timeline == Enacted {
		return m.Enacted
	}
	return m.Amended
}

// highRisk applies Art 6(1) with Annex I, Art 6(2) with Annex III and the
// Art 6(3) filter.
func (r *run) highRisk() *highRisk {
	hr := &highRisk{annexI: no, filter: no}
	amended := r.opt.Timeline == Amended
	switch key := r.p.AnnexI; key {
	case "":
		r.read("annex_i", nil)
		r.miss([]string{"annex_i"}, "could make it high-risk (Art 6(1))")
		r.step("art6_1", "Art 6(1)", OutcomeUnknown, "")
		hr.annexI = unknown
	case "none":
		r.read("annex_i", key)
		r.step("art6_1", "Art 6(1)", OutcomeNot, "no Annex I legislation covers the product")
	default:
		r.read("annex_i", key)
		e := r.c.annexI[key]
		note := ""
		if !inTimeline(e.Timelines, r.opt.Timeline) {
			moved := e.MovedTo + e.MovedFrom
			note = fmt.Sprintf("%s is %s in the law as %s", key, moved, r.opt.Timeline)
			e = r.c.annexI[moved]
		}
		hr.annexIEntry = e
		product := r.fact("annex_i.product_or_safety_component")
		if amended && product != no {
			switch nonSafety := r.fact("annex_i.non_safety_aspects_only"); nonSafety {
			case yes:
				switch r.fact("annex_i.failure_endangers_safety") {
				case no:
					product = no
					note = strings.TrimPrefix(note+"; used only for non-safety aspects, so not a safety component (Art 6(1a))", "; ")
				case unknown:
					r.miss([]string{"annex_i.failure_endangers_safety"}, "could mean it is not a safety component (Art 6(1a)–(1b))")
					product = min(product, unknown)
				}
			case unknown:
				// No narrowing without the fact; it matters unless a
				// failure is known to endanger safety (Art 6(1b)).
				if r.fact("annex_i.failure_endangers_safety") != yes {
					r.miss([]string{"annex_i.non_safety_aspects_only"}, "could mean it is not a safety component (Art 6(1a))")
				}
			}
		}
		third := r.fact("annex_i.third_party_conformity")
		if amended && third != no {
			switch r.fact("annex_i.third_party_only_non_safety") {
			case yes:
				third = no
				note = strings.TrimPrefix(note+"; third-party assessment only for non-safety reasons does not count (Art 6(1c))", "; ")
			case unknown:
				if third == yes {
					r.miss([]string{"annex_i.third_party_only_non_safety"}, "could mean the third-party assessment does not count (Art 6(1c))")
				}
			}
		}
		switch {
		case product == no || third == no:
			hr.annexI = no
		case product == yes && third == yes:
			hr.annexI = yes
		default:
			hr.annexI = unknown
			var u []string
			if product == unknown {
				u = append(u, "annex_i.product_or_safety_component")
			}
			if third == unknown {
				u = append(u, "annex_i.third_party_conformity")
			}
			r.miss(u, "could make it high-risk under Art 6(1) and Annex I "+e.Key)
		}
		outcome := outcomeOf(hr.annexI)
		r.step("annex_i:"+e.Key, "Art 6(1); Annex I "+e.Key, outcome, note)
		if hr.annexI == yes {
			r.reason(fmt.Sprintf("It is the product, or a safety component of a product, covered by %s (%s, Annex I Section %s), which needs a third-party conformity assessment.", e.Act, lower(e.Subject), e.Section), "Art 6(1); Annex I "+e.Key)
		}
	}

	switch {
	case r.p.AnnexIII == nil:
		r.read("annex_iii", nil)
		r.miss([]string{"annex_iii"}, "could make it high-risk (Art 6(2))")
		r.step("art6_2", "Art 6(2)", OutcomeUnknown, "")
	case len(r.p.AnnexIII) == 1 && r.p.AnnexIII[0] == "none":
		r.read("annex_iii", "none")
		r.step("art6_2", "Art 6(2)", OutcomeNot, "the intended purpose is in no Annex III area")
	default:
		for _, k := range r.p.AnnexIII {
			pt := r.c.annexIII[k]
			r.derived["is.listed.annex_iii."+pt.Key] = true
			ref := "Art 6(2); Annex III point " + pt.Key
			r.read("annex_iii", pt.Key)
			var carve []*Cond
			for _, f := range pt.CarveOuts {
				carve = append(carve, &Cond{Fact: f})
			}
			t, u := no, []string(nil)
			if carve != nil {
				t, u = r.eval(&Cond{Any: carve})
			}
			switch t {
			case yes:
				r.step("annex_iii:"+pt.Key, ref, OutcomeExcepted, "a carve-out of the point applies")
				r.reason(fmt.Sprintf("Annex III point %s (%s) does not catch it: a carve-out applies.", pt.Key, lower(pt.Title)), ref)
				continue
			case unknown:
				r.miss(u, "could take it out of Annex III point "+pt.Key)
				r.step("annex_iii:"+pt.Key, ref, OutcomeApplies, "no carve-out without the facts")
			default:
				r.step("annex_iii:"+pt.Key, ref, OutcomeApplies, "")
			}
			hr.points = append(hr.points, pt)
			r.derived["is.annex_iii."+pt.Key] = true
		}
	}
	if len(hr.points) == 0 {
		if hr.annexI == yes && hr.annexIEntry.Section == "B" {
			r.reason("For Annex I Section B legislation only Art 6(1), Arts 102–109 and Art 112 apply directly; the requirements reach it through the sectoral law.", "Art 2(2)")
		}
		return hr
	}
	if hr.annexI == yes {
		for _, pt := range hr.points {
			r.reason(fmt.Sprintf("Its intended purpose is also listed in Annex III point %s: %s.", pt.Key, lower(pt.Title)), "Art 6(2); Annex III point "+pt.Key)
		}
		return hr
	}
	r.art63(hr)
	return hr
}

// art63 applies the Art 6(3) filter to a system caught by Annex III.
func (r *run) art63(hr *highRisk) {
	f := r.c.Art63
	const ref = "Art 6(3)"
	prof := r.fact(f.Profiling)
	if prof == yes {
		r.step("art6_3", ref, OutcomeNot, "the system profiles natural persons, so it is always high-risk")
		r.reasonPoints(hr)
		r.reason("It profiles natural persons, so the Art 6(3) filter cannot apply.", "Art 6(3), third subparagraph")
		return
	}
	nsr := r.fact(f.NoSignificantRisk)
	cond, unknownConds := no, []string(nil)
	for _, x := range f.Conditions {
		switch r.fact(x.Fact) {
		case yes:
			cond = yes
			hr.filterLetters = append(hr.filterLetters, x.Key)
		case unknown:
			unknownConds = append(unknownConds, x.Fact)
		}
	}
	if cond != yes && unknownConds != nil {
		cond = unknown
	}
	hr.filter = min(-prof, nsr, cond)
	switch hr.filter {
	case yes:
		r.step("art6_3", ref, OutcomeApplies, "conditions met: "+strings.Join(hr.filterLetters, ", "))
		for _, pt := range hr.points {
			r.reason(fmt.Sprintf("Its intended purpose is listed in Annex III point %s (%s), but it passes the Art 6(3) filter.", pt.Key, lower(pt.Title)), "Art 6(2); Annex III point "+pt.Key)
		}
		for _, x := range f.Conditions {
			if slices.Contains(hr.filterLetters, x.Key) {
				r.reason("It poses no significant risk of harm to health, safety or fundamental rights, and "+x.Reason+".", x.Ref)
			}
		}
		r.reason("The provider must document this assessment before placing it on the market and register the system.", "Art 6(4); Art 49(2)")
	case no:
		r.step("art6_3", ref, OutcomeNot, "")
		r.reasonPoints(hr)
		r.reason("The Art 6(3) filter does not apply: it poses a significant risk or meets none of conditions (a)–(d).", ref)
	default:
		var u []string
		if prof == unknown {
			u = append(u, f.Profiling)
		}
		if nsr == unknown {
			u = append(u, f.NoSignificantRisk)
		}
		if cond == unknown {
			u = append(u, unknownConds...)
		}
		r.miss(u, "could take it out of high-risk under the Art 6(3) filter")
		r.step("art6_3", ref, OutcomeUnknown, "high-risk unless the filter is established")
		r.reasonPoints(hr)
	}
}

func (r *run) reasonPoints(hr *highRisk) {
	for _, pt := range hr.points {
		r.reason(fmt.Sprintf("Its intended purpose is listed in Annex III point %s (%s, area %d: %s).", pt.Key, lower(pt.Title), pt.Area, pt.AreaTitle), "Art 6(2); Annex III point "+pt.Key)
	}
}

// transparency evaluates the Art 50 overlay.
func (r *run) transparency() {
	for i := range r.c.Transparency {
		d := &r.c.Transparency[i]
		rule := "art50:" + d.Key
		w, wu := r.eval(d.When)
		if w == no {
			r.step(rule, d.Ref, OutcomeNot, "")
			continue
		}
		u, uu := no, []string(nil)
		if d.Unless != nil {
			u, uu = r.eval(d.Unless)
		}
		switch {
		case u == yes:
			r.step(rule, d.Ref, OutcomeExcepted, "")
		case w == yes:
			if u == unknown {
				r.miss(uu, "could lift the duty of "+d.Ref)
			}
			note := ""
			if d.Key == "50(4)-deepfake" && r.fact("art50.artistic_work") == yes {
				note = "for an evidently artistic, creative, satirical or fictional work, disclose the AI in a way that does not hamper the work"
			}
			r.step(rule, d.Ref, OutcomeApplies, note)
			r.derived["is.transparency."+d.Key] = true
			r.res.Transparency = append(r.res.Transparency, TransparencyDuty{Key: d.Key, Ref: d.Ref, Holder: d.Holder, Title: d.Title, Note: note})
		default:
			r.miss(wu, "could add the transparency duty of "+d.Ref)
			r.step(rule, d.Ref, OutcomeUnknown, "")
			r.art50Open = true
		}
	}
}

// roles applies Art 2(10) and Art 25 to the declared roles.
func (r *run) roles(hr *highRisk) {
	res := r.res
	eff := []string{}
	for _, role := range r.p.Roles {
		if role == "deployer" && r.p.Facts["scope.personal_use"] {
			continue
		}
		eff = append(eff, role)
	}
	if len(r.p.Roles) == 0 && res.Class != OutOfScope {
		r.miss([]string{"roles"}, "decides which obligations are yours")
	}
	if res.Class == HighRisk && len(r.p.Roles) > 0 && !slices.Contains(eff, "provider") {
		shift := ""
		var u []string
		for _, x := range []struct{ fact, ref, why string }{
			{"art25.own_name", "Art 25(1)(a)", "You put your name or trademark on a high-risk system, so you are its provider."},
			{"art25.substantial_modification", "Art 25(1)(b)", "You made a substantial modification to a high-risk system, so you are its provider."},
			{"art25.changed_purpose", "Art 25(1)(c)", "You changed the intended purpose of the system so that it became high-risk, so you are its provider."},
		} {
			switch r.fact(x.fact) {
			case yes:
				if shift == "" {
					shift = x.ref
					res.Roles.Shifts = append(res.Roles.Shifts, Reason{x.why, x.ref})
				}
			case unknown:
				u = append(u, x.fact)
			}
		}
		if hr != nil && hr.annexI == yes && hr.annexIEntry.Section == "A" && slices.Contains(eff, "product_manufacturer") {
			switch r.fact("annex_i.product_under_own_name") {
			case yes:
				if shift == "" {
					shift = "Art 25(3)"
					res.Roles.Shifts = append(res.Roles.Shifts, Reason{"As the product manufacturer placing the product on the market under your own name, you are the provider of the high-risk AI system in it.", "Art 25(3)"})
				}
			case unknown:
				u = append(u, "annex_i.product_under_own_name")
			}
		}
		if shift != "" {
			eff = append(eff, "provider")
			r.step("art25", shift, OutcomeApplies, "the organisation becomes the provider")
		} else {
			if u != nil {
				r.miss(u, "could make you the provider (Art 25)")
			}
			outcome := OutcomeNot
			if u != nil {
				outcome = OutcomeUnknown
			}
			r.step("art25", "Art 25", outcome, "")
		}
	}
	res.Roles.Effective = eff
	for i := range res.Transparency {
		res.Transparency[i].Yours = slices.Contains(eff, res.Transparency[i].Holder)
	}
}

// conformity names the Art 43 route of a high-risk system.
func (r *run) conformity(hr *highRisk) {
	if r.res.Class != HighRisk {
		return
	}
	switch {
	case hr.annexI == yes && hr.annexIEntry.Section == "A":
		r.res.Conformity = &Conformity{"sectoral", "Follow the conformity assessment of the product legislation, with the AI Act's requirements for high-risk systems included in it.", "Art 43(3)"}
	case slices.ContainsFunc(hr.points, func(p *AnnexIIIPoint) bool { return p.Area == 1 }):
		r.res.Conformity = &Conformity{"internal_or_notified_body", "Internal control (Annex VI) where harmonised standards or common specifications are applied in full; otherwise assessment with a notified body (Annex VII).", "Art 43(1)"}
	case len(hr.points) > 0:
		r.res.Conformity = &Conformity{"internal_control", "Internal control under Annex VI, without a notified body.", "Art 43(2)"}
	default: // Annex I Section B only
		r.res.Conformity = &Conformity{"sectoral_law", "The sectoral legislation governs the assessment; the AI Act's requirements reach it through that legislation.", "Art 2(2)"}
	}
}

// derive sets the facts the obligations read.
func (r *run) derive(hr *highRisk) {
	d, res := r.derived, r.res
	d["is.in_scope"] = res.Class != OutOfScope
	d["is.prohibited"] = res.Class == Prohibited
	d["is.high_risk"] = res.Class == HighRisk
	d["is.not_high_risk"] = res.Class == NotHighRisk
	d["is.gpai"] = res.GPAI.Status == "gpai" || res.GPAI.Status == "gpai_systemic_risk"
	d["is.gpai_systemic"] = res.GPAI.Status == "gpai_systemic_risk"
	d["is.gpai_open_source_exempt"] = res.GPAI.OpenSourceExemption
	if hr != nil && res.Class == HighRisk {
		viaI := hr.annexI == yes
		viaIII := len(hr.points) > 0
		d["is.high_risk.annex_i"] = viaI
		d["is.high_risk.annex_iii"] = viaIII
		d["is.high_risk_full"] = viaIII || (viaI && hr.annexIEntry.Section == "A")
		area2 := viaIII
		for _, p := range hr.points {
			area2 = area2 && p.Key == "2"
		}
		d["is.annex_iii.area2_only"] = area2
		d["is.annex_i_section_b_only"] = viaI && !viaIII && hr.annexIEntry.Section == "B"
	}
	if res.Class == Prohibited || d["is.annex_i_section_b_only"] {
		// A prohibited practice must stop: its other duties are moot. For
		// an Annex I Section B system, Art 2(2) leaves only Art 6(1),
		// Arts 102–109 and Art 112 of the Act: Art 50 reaches it, if at
		// all, through the sectoral law.
		for k := range d {
			if strings.HasPrefix(k, "is.transparency.") {
				d[k] = false
			}
		}
		if res.Class == HighRisk {
			for i := range res.Transparency {
				res.Transparency[i].Note = strings.TrimPrefix(res.Transparency[i].Note+"; Art 2(2) leaves Art 50 out for a high-risk system under Annex I Section B: check the sectoral law", "; ")
			}
		}
	}
	for _, role := range res.Roles.Effective {
		d["role."+role] = true
	}
}

// obligations lists the duties that follow, with their dates.
func (r *run) obligations(hr *highRisk) {
	res := r.res
	for i := range r.c.Obligations {
		o := &r.c.Obligations[i]
		var holders []string
		var because []string
		switch {
		case o.Axis == "gpai":
			if res.GPAI.Status == "gpai" || res.GPAI.Status == "gpai_systemic_risk" {
				holders = []string{"provider"}
			}
		case len(r.p.Roles) == 0:
			holders = o.Roles
			because = append(because, "roles")
		default:
			for _, role := range o.Roles {
				if slices.Contains(res.Roles.Effective, role) {
					holders = append(holders, role)
				}
			}
		}
		if len(holders) == 0 {
			continue
		}
		t, u := r.eval(o.When)
		if t == no {
			r.dropReads()
			continue
		}
		status := "applies"
		if t == unknown || because != nil {
			status = "may_apply"
			because = append(because, u...)
			if t == unknown {
				r.miss(u, "could add the obligation of "+o.Ref)
			}
		}
		outcome := OutcomeApplies
		if status != "applies" {
			outcome = OutcomeUnknown
		}
		r.step(o.rule, o.Ref, outcome, "")
		res.Obligations = append(res.Obligations, Obligation{ID: o.ID, Ref: o.Ref, Title: o.Title, Summary: o.Summary,
			Roles: holders, Status: status, Dates: r.dates(o, hr), Because: because})
	}
}

func (r *run) dates(o *ObligationDef, hr *highRisk) Dates {
	key := o.Milestone
	var alts []MilestoneIf
	switch key {
	case "high_risk":
		key = "high_risk_annex_iii"
		if hr != nil && hr.annexI == yes && len(hr.points) == 0 {
			key = "high_risk_annex_i"
		}
		// Art 111(2) covers high-risk systems of either route.
		alts = append(alts, MilestoneIf{"art111.legacy_public_authority", "high_risk_legacy_public"})
	case "prohibition":
		// The earliest date among the prohibitions that apply.
		key = ""
		for _, p := range r.prohibited {
			if d := r.dateOf(r.c.milestones[p.Milestone]); key == "" || (d != "" && d < r.dateOf(r.c.milestones[key])) {
				key = p.Milestone
			}
		}
		if key == "" {
			key = "chapters_1_2"
		}
	}
	alts = append(alts, o.MilestoneIf...)
	for _, a := range alts {
		v, known := r.p.Facts[a.When]
		switch {
		case v:
			key = a.Milestone
		case !known:
			alt := r.c.milestones[a.Milestone]
			if d := r.dateOf(alt); d != r.dateOf(r.c.milestones[key]) {
				src := alt.AmendedSource
				if r.opt.Timeline == Enacted {
					src = alt.EnactedSource
				}
				r.miss([]string{a.When}, "could move the application date of obligations to "+d+" ("+src+")")
			}
		}
	}
	m := r.c.milestones[key]
	d := Dates{Milestone: key, Enacted: m.Enacted, EnactedSource: m.EnactedSource, Amended: m.Amended, AmendedSource: m.AmendedSource}
	if r.opt.Timeline == Enacted {
		d.Applies, d.Source = m.Enacted, m.EnactedSource
	} else {
		d.Applies, d.Source = m.Amended, m.AmendedSource
	}
	return d
}

func lower(s string) string {
	if s == "" {
		return s
	}
	if len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z' { // an acronym
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// Dates returns the application dates of the obligations that apply (not
// those that only may), sorted and without repeats: a system's deadlines.
func (res *Result) Dates() []string {
	var ds []string
	for _, o := range res.Obligations {
		if d := o.Dates.Applies; o.Status == "applies" && d != "" && !slices.Contains(ds, d) {
			ds = append(ds, d)
		}
	}
	slices.Sort(ds)
	return ds
}
