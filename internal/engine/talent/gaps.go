package talent

import (
	"fmt"
	"math"
	"sort"

	"github.com/caio-office/caio"
)

// Member is one person of the team as the engine sees them: their role and
// their levels per skill (absent when not rated).
type Member struct {
	ID     string
	Name   string
	Role   string
	Levels map[string]int
}

// gapOf compares a level with a target: the status and the levels short.
func gapOf(level, target int) (status string, gap int) {
	switch {
	case target == 0:
		return "", 0
	case level == 0:
		return "unrated", 0
	case level < target:
		return "below", target - level
	case level > target:
		return "above", 0
	}
	return "meets", 0
}

// PersonGaps compares a person's levels with the targets of their role, in
// the framework's order of skills. A person of an unknown role has no gaps.
func (f *Framework) PersonGaps(role string, levels map[string]int) []caio.SkillGap {
	r := f.Role(role)
	if r == nil {
		return nil
	}
	out := make([]caio.SkillGap, 0, len(r.Targets))
	for _, t := range r.Targets {
		level := levels[t.Skill]
		status, gap := gapOf(level, t.Level)
		g := caio.SkillGap{Skill: t.Skill, SkillName: f.SkillName(t.Skill), Group: f.Skill(t.Skill).Group,
			Target: t.Level, Level: level, Gap: gap, Status: status}
		switch status {
		case "unrated":
			g.Reason = fmt.Sprintf("not rated yet; the %s target is %d", r.Name, t.Level)
		case "below":
			g.Reason = fmt.Sprintf("rated %d, %d below the %s target of %d", level, gap, r.Name, t.Level)
		case "above":
			g.Reason = fmt.Sprintf("rated %d, above the %s target of %d", level, r.Name, t.Level)
		default:
			g.Reason = fmt.Sprintf("rated %d, meets the %s target", level, r.Name)
		}
		out = append(out, g)
	}
	return out
}

// CountBelow returns how many of a person's targets they are rated below.
func (f *Framework) CountBelow(role string, levels map[string]int) int {
	n := 0
	for _, g := range f.PersonGaps(role, levels) {
		if g.Status == "below" {
			n++
		}
	}
	return n
}

// HeatMap lays out the team: one row per member in the order given, one
// column per skill that a member's role targets or a member is rated in,
// grouped in the framework's order.
func (f *Framework) HeatMap(team []Member) *caio.TalentHeatMap {
	used := map[string]bool{}
	for _, m := range team {
		if r := f.Role(m.Role); r != nil {
			for _, t := range r.Targets {
				used[t.Skill] = true
			}
		}
		for s, l := range m.Levels {
			if l > 0 && f.KnownSkill(s) {
				used[s] = true
			}
		}
	}
	h := &caio.TalentHeatMap{Skills: []caio.HeatSkill{}, Rows: []caio.HeatRow{}}
	for _, g := range f.Groups {
		for _, s := range f.Skills {
			if s.Group == g.ID && used[s.ID] {
				h.Skills = append(h.Skills, caio.HeatSkill{ID: s.ID, Name: s.Name, Group: g.ID, GroupName: g.Name})
			}
		}
	}
	for _, m := range team {
		r := f.Role(m.Role)
		row := caio.HeatRow{PersonID: m.ID, Name: m.Name, Role: m.Role, RoleName: f.RoleName(m.Role), Cells: make([]caio.HeatCell, len(h.Skills))}
		for i, s := range h.Skills {
			target := 0
			if r != nil {
				target = r.Target(s.ID)
			}
			level := m.Levels[s.ID]
			status, gap := gapOf(level, target)
			row.Cells[i] = caio.HeatCell{Skill: s.ID, Level: level, Target: target, Gap: gap, Status: status}
		}
		h.Rows = append(h.Rows, row)
	}
	return h
}

// TeamGaps sums the team up per skill that a member's role targets, and
// returns the skills weakest first: the largest mean shortfall of the rated
// people, then the most people below target, then the most not rated.
// Skills where nobody is below target and everyone is rated come last.
func (f *Framework) TeamGaps(team []Member) []caio.TeamSkillGap {
	by := map[string]*caio.TeamSkillGap{}
	levelSum, targetSum := map[string]int{}, map[string]int{}
	for _, m := range team {
		r := f.Role(m.Role)
		if r == nil {
			continue
		}
		for _, t := range r.Targets {
			g := by[t.Skill]
			if g == nil {
				g = &caio.TeamSkillGap{Skill: t.Skill, SkillName: f.SkillName(t.Skill), Group: f.Skill(t.Skill).Group}
				by[t.Skill] = g
			}
			g.People++
			targetSum[t.Skill] += t.Level
			level := m.Levels[t.Skill]
			if level == 0 {
				g.Unrated++
				continue
			}
			g.Rated++
			levelSum[t.Skill] += level
			if level < t.Level {
				g.Below++
				g.Shortfall += t.Level - level
			}
		}
	}
	out := make([]caio.TeamSkillGap, 0, len(by))
	for id, g := range by {
		g.MeanTarget = round2(float64(targetSum[id]) / float64(g.People))
		if g.Rated > 0 {
			g.MeanLevel = round2(float64(levelSum[id]) / float64(g.Rated))
			g.MeanShortfall = round2(float64(g.Shortfall) / float64(g.Rated))
		}
		g.Reason = teamReason(g)
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.MeanShortfall != b.MeanShortfall {
			return a.MeanShortfall > b.MeanShortfall
		}
		if a.Below != b.Below {
			return a.Below > b.Below
		}
		if a.Unrated != b.Unrated {
			return a.Unrated > b.Unrated
		}
		return f.order[a.Skill] < f.order[b.Skill]
	})
	return out
}

func teamReason(g *caio.TeamSkillGap) string {
	s := fmt.Sprintf("%d of %d %s whose role targets it %s below target", g.Below, g.People, plural(g.People, "person", "people"), plural(g.Below, "is", "are"))
	if g.Rated > 0 {
		s += fmt.Sprintf("; rated people average %.1f against a mean target of %.1f, %.1f %s short", g.MeanLevel, g.MeanTarget, g.MeanShortfall, plural(int(math.Ceil(g.MeanShortfall)), "level", "levels"))
	}
	if g.Unrated > 0 {
		s += fmt.Sprintf("; %d not rated yet", g.Unrated)
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// round2 rounds to two decimals, for figures shown and stored.
func round2(x float64) float64 { return math.Round(x*100) / 100 }
