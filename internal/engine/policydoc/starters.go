package policydoc

import (
	"embed"
	"strings"

	"github.com/caio-office/caio"
)

// The starter policies, written for caio in our own words. Each cites the
// articles of the EU AI Act (Regulation (EU) 2024/1689) and the frameworks
// its rules rest on; the text is Markdown with {{organisation}} where the
// adopting organisation's name goes.

//go:embed starters/*.md
var starterFiles embed.FS

// OrgPlaceholder stands for the organisation's name in a starter's text.
const OrgPlaceholder = "{{organisation}}"

var starters = []caio.PolicyStarter{
	{Key: "acceptable-use", Kind: "acceptable_use", ReviewMonths: 12, AckDays: 30,
		Summary:    "What everyone may and may not do with AI at work: approved tools, checking output, data, openness, prohibited practices.",
		References: []string{"EU AI Act Art 4 (AI literacy)", "EU AI Act Art 5 (prohibited practices)", "ISO/IEC 42001 A.2.2 (AI policy)"}},
	{Key: "risk-management", Kind: "risk_management", ReviewMonths: 12, AckDays: 30,
		Summary:    "How AI risks are identified, scored against the appetite, treated and reviewed, across each system's life.",
		References: []string{"EU AI Act Art 9 (risk management system)", "EU AI Act Chapter III Section 2", "NIST AI RMF (Govern, Map, Measure, Manage)"}},
	{Key: "generative-ai", Kind: "generative_ai", ReviewMonths: 6, AckDays: 30,
		Summary:    "Safe use of tools that generate text, code and images: which data may go in, checking what comes out, labelling.",
		References: []string{"EU AI Act Art 50 (transparency)", "NIST AI 600-1 (generative AI profile)"}},
	{Key: "procurement", Kind: "procurement", ReviewMonths: 12, AckDays: 30,
		Summary:    "What to check before buying or renewing AI: use case, classification, vendor assessment, contract terms.",
		References: []string{"EU AI Act Art 13 and Art 26 (deployers)", "EU AI Act Art 53 (general-purpose AI models)", "NIST AI RMF GOVERN 6 (third parties)"}},
	{Key: "incident-response", Kind: "incident_response", ReviewMonths: 12, AckDays: 14,
		Summary:    "Recognising, containing and reporting AI incidents, with the Art 73 clocks: 15 days, 2 days, 10 days on a death.",
		References: []string{"EU AI Act Art 3(49) (serious incident)", "EU AI Act Art 73(2) 15 days, 73(3) 2 days, 73(4) 10 days", "EU AI Act Art 26(5) (deployers)"}},
	{Key: "literacy", Kind: "literacy", ReviewMonths: 12, AckDays: 30,
		Summary:    "The organisation's AI literacy measures by audience, as Art 4 asks of every provider and deployer.",
		References: []string{"EU AI Act Art 4 (AI literacy)", "EU AI Act Art 14 and Art 26(2) (human oversight)"}},
}

func init() {
	for i := range starters {
		b, err := starterFiles.ReadFile("starters/" + starters[i].Key + ".md")
		if err != nil {
			panic("policydoc: starter " + starters[i].Key + ": " + err.Error())
		}
		starters[i].Body = strings.TrimSpace(string(b))
		title, _, _ := strings.Cut(starters[i].Body, "\n")
		starters[i].Title = strings.TrimSpace(strings.TrimPrefix(title, "# "))
	}
}

// Starters returns the starter policies, in display order.
func Starters() []caio.PolicyStarter {
	out := make([]caio.PolicyStarter, len(starters))
	copy(out, starters)
	return out
}

// Starter returns the starter of a key.
func Starter(key string) (caio.PolicyStarter, bool) {
	for _, s := range starters {
		if s.Key == key {
			return s, true
		}
	}
	return caio.PolicyStarter{}, false
}

// Adopt returns a starter's text for an organisation: its name in place of
// the placeholder.
func Adopt(s caio.PolicyStarter, orgName string) string {
	if orgName == "" {
		orgName = "the organisation"
	}
	return strings.ReplaceAll(s.Body, OrgPlaceholder, orgName)
}
