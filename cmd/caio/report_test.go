package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caio-office/caio"
)

// TestReportCommand writes reports of the demo as a person would.
func TestReportCommand(t *testing.T) {
	e := newEnv(t)
	e.must("demo")
	dir := t.TempDir()
	md := filepath.Join(dir, "board.md")
	e.must("report", "board", "--org", "demo", "--out", md)
	b, err := os.ReadFile(md)
	if err != nil || !strings.Contains(string(b), "# Board report") || !strings.Contains(string(b), "Where the figures come from") {
		t.Fatalf("board.md: %v %.300s", err, b)
	}
	if out := e.must("report", "handover", "--org", "demo", "--format", "html"); !strings.HasPrefix(out, "<!doctype html>") || !strings.Contains(out, "Engagement status") {
		t.Fatalf("handover html: %.300s", out)
	}
	_, _, err = e.run("report", "weekly", "--org", "demo")
	wantCode(t, err, caio.EINVALID)
	_, _, err = e.run("report", "board", "--org", "demo", "--format", "docx")
	if caio.ErrorCode(err) != caio.EINVALID || !strings.Contains(err.Error(), "format") {
		t.Errorf("bad format: %v", err)
	}
	_, _, err = e.run("report", "system", "--org", "demo")
	if caio.ErrorCode(err) != caio.EINVALID || !strings.Contains(err.Error(), "system") {
		t.Errorf("system card without --system: %v", err)
	}
	_, _, err = e.run("report", "board", "--org", "demo", "--out", filepath.Join(dir, "b.pdf"), "--chromium", "/nonexistent/chromium")
	if caio.ErrorCode(err) != caio.EUNAVAILABLE || !strings.Contains(err.Error(), "install chromium or choose html/md") {
		t.Errorf("missing chromium: %v", err)
	}
	_, _, err = e.run("report", "board", "--org", "nosuchorg")
	if err == nil {
		t.Error("an unknown organisation gave a report")
	}
}
