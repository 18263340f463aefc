// Package talent is the pure engine of caio's talent area: the skill
// framework shipped as data (content/skills.yaml: skills grouped by kind,
// described per level, and role profiles with target levels, among them the
// Chief AI Officer's), and the functions over it: a person's gaps against
// their role, the team's heat map and weakest skills, and the weighted
// hiring scorecard of the permanent CAIO. It reads no database and no clock.
package talent

import (
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/caio-office/caio"
	"github.com/goccy/go-yaml"
)

//go:embed content/skills.yaml
var skillsYAML []byte

// LevelName names one level of the 1–5 scale.
type LevelName struct {
	Level       int    `yaml:"level" json:"level"`
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description" json:"description"`
}

// Group is a kind of skill, such as technical or governance.
type Group struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description" json:"description"`
}

// Skill is one skill of the framework, described at some levels (at least
// 1, 3 and 5).
type Skill struct {
	ID          string         `yaml:"id" json:"id"`
	Group       string         `yaml:"group" json:"group"`
	Name        string         `yaml:"name" json:"name"`
	Description string         `yaml:"description" json:"description"`
	Levels      map[int]string `yaml:"levels" json:"levels"`
}

// Anchor returns the description of the level, or of the nearest described
// level below it, with the level it belongs to.
func (s *Skill) Anchor(level int) (int, string) {
	for l := level; l >= caio.MinSkillLevel; l-- {
		if d, ok := s.Levels[l]; ok {
			return l, d
		}
	}
	return 0, ""
}

// Target is a role's target level in one skill.
type Target struct {
	Skill string `json:"skill"`
	Level int    `json:"level"`
}

// HiringWeight is the default weight of one skill on the hiring scorecard
// of a role, with where it comes from.
type HiringWeight struct {
	Skill  string `yaml:"skill" json:"skill"`
	Weight int    `yaml:"weight" json:"weight"`
	Reason string `yaml:"reason" json:"reason"`
}

// Role is a role profile: target levels per skill.
type Role struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description" json:"description"`
	// Why justifies a role caio adds beyond the usual AI team.
	Why    string `yaml:"why" json:"why,omitempty"`
	Source string `yaml:"source" json:"source"`
	// TargetLevels maps skill → target, as written; Targets lists them in
	// the framework's order of skills.
	TargetLevels map[string]int `yaml:"targets" json:"-"`
	Targets      []Target       `yaml:"-" json:"targets"`
	// Hiring is the default weighted scorecard to hire into the role.
	Hiring []HiringWeight `yaml:"hiring" json:"hiring,omitempty"`
}

// Target returns the role's target in a skill, or 0.
func (r *Role) Target(skill string) int { return r.TargetLevels[skill] }

// Framework is the whole skill framework.
type Framework struct {
	Version string      `yaml:"version" json:"version"`
	Source  string      `yaml:"source" json:"source"`
	Scale   []LevelName `yaml:"scale" json:"scale"`
	Groups  []Group     `yaml:"groups" json:"groups"`
	Skills  []Skill     `yaml:"skills" json:"skills"`
	Roles   []Role      `yaml:"roles" json:"roles"`

	skills map[string]*Skill
	roles  map[string]*Role
	groups map[string]*Group
	order  map[string]int // skill id → position
}

// CAIORole is the id of the Chief AI Officer's profile.
const CAIORole = "caio"

// Load parses and validates a framework. Every problem is named by its
// path, such as roles.ml-engineer.targets.foo, and all are returned at once.
func Load(b []byte) (*Framework, error) {
	var f Framework
	if err := yaml.UnmarshalWithOptions(b, &f, yaml.DisallowUnknownField(), yaml.Strict()); err != nil {
		return nil, fmt.Errorf("talent framework: %w", err)
	}
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if strings.TrimSpace(f.Version) == "" {
		bad("version: is missing")
	}
	if len(f.Scale) != caio.MaxSkillLevel {
		bad("scale: must name the %d levels, has %d", caio.MaxSkillLevel, len(f.Scale))
	}
	for i, l := range f.Scale {
		if l.Level != i+1 {
			bad("scale[%d].level: must be %d (levels in order from 1), is %d", i, i+1, l.Level)
		}
		if l.Name == "" {
			bad("scale[%d].name: is missing", i)
		}
	}
	f.groups = map[string]*Group{}
	for i := range f.Groups {
		g := &f.Groups[i]
		switch {
		case !validID(g.ID):
			bad("groups[%d].id: %q must be lower-case letters, digits and hyphens", i, g.ID)
		case f.groups[g.ID] != nil:
			bad("groups[%d].id: %q is defined twice", i, g.ID)
		}
		if g.Name == "" {
			bad("groups.%s.name: is missing", g.ID)
		}
		f.groups[g.ID] = g
	}
	f.skills, f.order = map[string]*Skill{}, map[string]int{}
	for i := range f.Skills {
		s := &f.Skills[i]
		p := fmt.Sprintf("skills[%d]", i)
		switch {
		case !validID(s.ID):
			bad("%s.id: %q must be lower-case letters, digits and hyphens", p, s.ID)
		case f.skills[s.ID] != nil:
			bad("%s.id: %q is defined twice", p, s.ID)
		default:
			p = "skills." + s.ID
		}
		if f.groups[s.Group] == nil {
			bad("%s.group: %q is not a group", p, s.Group)
		}
		if s.Name == "" || s.Description == "" {
			bad("%s: needs a name and a description", p)
		}
		levels := make([]int, 0, len(s.Levels))
		for l := range s.Levels {
			levels = append(levels, l)
		}
		slices.Sort(levels)
		for _, l := range levels {
			if l < caio.MinSkillLevel || l > caio.MaxSkillLevel {
				bad("%s.levels.%d: level out of 1–5", p, l)
			} else if strings.TrimSpace(s.Levels[l]) == "" {
				bad("%s.levels.%d: is empty", p, l)
			}
		}
		for _, l := range []int{1, 3, 5} {
			if _, ok := s.Levels[l]; !ok {
				bad("%s.levels.%d: is missing (levels 1, 3 and 5 must be described)", p, l)
			}
		}
		if f.skills[s.ID] == nil {
			f.skills[s.ID] = s
			f.order[s.ID] = i
		}
	}
	f.roles = map[string]*Role{}
	for i := range f.Roles {
		r := &f.Roles[i]
		p := fmt.Sprintf("roles[%d]", i)
		switch {
		case !validID(r.ID):
			bad("%s.id: %q must be lower-case letters, digits and hyphens", p, r.ID)
		case f.roles[r.ID] != nil:
			bad("%s.id: %q is defined twice", p, r.ID)
		default:
			p = "roles." + r.ID
		}
		if r.Name == "" || r.Description == "" {
			bad("%s: needs a name and a description", p)
		}
		if len(r.TargetLevels) == 0 {
			bad("%s.targets: must set at least one target", p)
		}
		r.Targets = nil
		for skill, level := range r.TargetLevels {
			if f.skills[skill] == nil {
				bad("%s.targets.%s: unknown skill %q", p, skill, skill)
				continue
			}
			if level < caio.MinSkillLevel || level > caio.MaxSkillLevel {
				bad("%s.targets.%s: level %d out of 1–5", p, skill, level)
			}
			r.Targets = append(r.Targets, Target{Skill: skill, Level: level})
		}
		sort.Slice(r.Targets, func(a, b int) bool { return f.order[r.Targets[a].Skill] < f.order[r.Targets[b].Skill] })
		if len(r.Hiring) > 0 {
			sum := 0
			seen := map[string]bool{}
			for j, h := range r.Hiring {
				switch {
				case r.TargetLevels[h.Skill] == 0:
					bad("%s.hiring[%d].skill: %q is not a target of the role", p, j, h.Skill)
				case seen[h.Skill]:
					bad("%s.hiring[%d].skill: %q is weighted twice", p, j, h.Skill)
				}
				seen[h.Skill] = true
				if h.Weight < 1 || h.Weight > 100 {
					bad("%s.hiring[%d].weight: %d out of 1–100", p, j, h.Weight)
				}
				sum += h.Weight
			}
			if sum != 100 {
				bad("%s.hiring: weights add up to %d, not 100", p, sum)
			}
		}
		if f.roles[r.ID] == nil {
			f.roles[r.ID] = r
		}
	}
	if len(f.Roles) > 0 && f.roles[CAIORole] == nil {
		bad("roles: the %q role is missing", CAIORole)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("talent framework: %s", strings.Join(errs, "; "))
	}
	return &f, nil
}

func validID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

var (
	defaultOnce sync.Once
	defaultFW   *Framework
)

// Default returns the embedded framework, loaded once. The embedded file is
// checked by the package's tests, so it panics only on a broken build.
func Default() *Framework {
	defaultOnce.Do(func() {
		f, err := Load(skillsYAML)
		if err != nil {
			panic(err)
		}
		defaultFW = f
	})
	return defaultFW
}

// Skill returns the skill with the id, or nil.
func (f *Framework) Skill(id string) *Skill { return f.skills[id] }

// Role returns the role with the id, or nil.
func (f *Framework) Role(id string) *Role { return f.roles[id] }

// Group returns the group with the id, or nil.
func (f *Framework) Group(id string) *Group { return f.groups[id] }

// KnownSkill reports whether id is a skill of the framework.
func (f *Framework) KnownSkill(id string) bool { return f.skills[id] != nil }

// KnownRole reports whether id is a role of the framework.
func (f *Framework) KnownRole(id string) bool { return f.roles[id] != nil }

// SkillName returns a skill's name, or the id when it is unknown.
func (f *Framework) SkillName(id string) string {
	if s := f.skills[id]; s != nil {
		return s.Name
	}
	return id
}

// RoleName returns a role's name, or the id when it is unknown.
func (f *Framework) RoleName(id string) string {
	if r := f.roles[id]; r != nil {
		return r.Name
	}
	return id
}

// LevelName returns the name of a level of the scale, such as Practitioner.
func (f *Framework) LevelName(level int) string {
	if level >= 1 && level <= len(f.Scale) {
		return f.Scale[level-1].Name
	}
	return ""
}

// DefaultScorecard returns the scorecard of the CAIO profile: one criterion
// per weighted competency, with what a high rating looks like (the skill's
// level 5) and the reason for its weight.
func (f *Framework) DefaultScorecard() caio.Scorecard {
	var s caio.Scorecard
	r := f.Role(CAIORole)
	if r == nil {
		return s
	}
	for _, h := range r.Hiring {
		sk := f.Skill(h.Skill)
		s.Criteria = append(s.Criteria, caio.Criterion{Key: h.Skill, Name: sk.Name,
			Description: sk.Description + " A 5 looks like: " + sk.Levels[5], Weight: h.Weight, Reason: h.Reason})
	}
	return s
}
