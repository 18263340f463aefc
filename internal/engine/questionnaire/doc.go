// Package questionnaire is caio's questionnaire engine: it loads a
// questionnaire written in YAML, checks answers against it, decides which
// questions are visible from conditions on earlier answers, and scores the
// answers by dimension into a maturity level with recommendations.
//
// The engine is pure: no storage, no clock, no I/O beyond the embedded
// built-in questionnaires (AI readiness, the fundamental rights impact
// assessment of EU AI Act Art 27, and a vendor assessment). Storing answers
// and showing forms belong to the application and web packages.
package questionnaire
