package questionnaire_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/engine/questionnaire"
)

func TestCondition(t *testing.T) {
	a := questionnaire.Answers{
		"q3": {"yes"},
		"q5": {"x", "y"},
		"q2": {"  "}, // blank counts as unanswered
		"q4": {"some text"},
	}
	tests := []struct {
		src  string
		want bool
	}{
		{"q3 == 'yes'", true},
		{`q3 == "yes"`, true},
		{"q3 == 'no'", false},
		{"q3 != 'no'", true},
		{"q3 != 'yes'", false},
		{"q9 != 'no'", true}, // unanswered differs from every value
		{"q9 == 'no'", false},
		{"q5 includes 'x'", true},
		{"q5 includes 'z'", false},
		{"answered(q4)", true},
		{"answered(q2)", false},
		{"answered(q9)", false},
		{"not answered(q2)", true},
		{"not not answered(q4)", true},
		{"q3 == 'yes' and q5 includes 'y'", true},
		{"q3 == 'yes' and q5 includes 'z'", false},
		{"q3 == 'no' or q5 includes 'y'", true},
		{"q3 == 'no' or q5 includes 'z'", false},
		{"q3 == 'no' and q4 == 'a' or answered(q4)", true}, // and binds tighter than or
		{"q3 == 'no' and (q4 == 'a' or answered(q4))", false},
		{"not (q3 == 'no' or answered(q2))", true},
		{"((q3 == 'yes'))", true},
	}
	for _, tt := range tests {
		c, err := questionnaire.ParseCondition(tt.src)
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		if got := c.Eval(a); got != tt.want {
			t.Errorf("%s = %v, want %v", tt.src, got, tt.want)
		}
		if c.String() != tt.src {
			t.Errorf("String() = %q", c.String())
		}
	}
}

func TestConditionQuestions(t *testing.T) {
	c, err := questionnaire.ParseCondition("a == '1' and (answered(b) or not a != '2') or c.d includes 'x'")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Questions(); !slices.Equal(got, []string{"a", "b", "c.d"}) {
		t.Errorf("Questions() = %v", got)
	}
}

func TestConditionErrors(t *testing.T) {
	tests := []struct{ src, msg string }{
		{"", "is empty"},
		{"q3", "ends too early"},
		{"q3 ==", "ends too early"},
		{"q3 == yes", "expected a quoted value"},
		{"q3 == 'yes", "not closed"},
		{"q3 = 'yes'", "write == or !="},
		{"q3 > 'x'", "unexpected"},
		{"(q3 == 'a'", `expected ")"`},
		{"q3 == 'a')", "unexpected"},
		{"answered q3", `expected "("`},
		{"answered(and)", "expected a question id"},
		{"q3 == 'a' and", "ends too early"},
		{"q3 is 'a'", "expected ==, != or includes"},
		{strings.Repeat("(", 40) + "answered(q)" + strings.Repeat(")", 40), "nests deeper"},
		{strings.Repeat("not ", 40) + "answered(q)", "nests deeper"},
		{strings.Repeat("x", 3000), "longer than"},
	}
	for _, tt := range tests {
		_, err := questionnaire.ParseCondition(tt.src)
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%.40q: error %v, want %q", tt.src, err, tt.msg)
		}
	}
}
