package policydoc

import (
	"strings"

	"github.com/caio-office/caio"
)

// maxDiffCells bounds the table of the longest common subsequence: two
// texts whose changed middles are longer (some 2,000 lines each) are shown
// as the old middle removed and the new one added.
const maxDiffCells = 4 << 20

// Diff compares two texts line by line and returns every line of both, in
// order, marked same, del or add: the lines both share are a longest common
// subsequence, found after the common start and end are set aside.
func Diff(older, newer string) []caio.DiffLine {
	a, b := splitLines(older), splitLines(newer)
	out := make([]caio.DiffLine, 0, max(len(a), len(b)))
	// The common start and end.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	for i := 0; i < pre; i++ {
		out = append(out, caio.DiffLine{Op: "same", Old: i + 1, New: i + 1, Text: a[i]})
	}
	out = append(out, middle(a[pre:len(a)-suf], b[pre:len(b)-suf], pre)...)
	for k := suf; k > 0; k-- {
		i, j := len(a)-k, len(b)-k
		out = append(out, caio.DiffLine{Op: "same", Old: i + 1, New: j + 1, Text: a[i]})
	}
	return out
}

// middle diffs the changed middles, whose first lines are number off+1 in
// both texts.
func middle(a, b []string, off int) []caio.DiffLine {
	n, m := len(a), len(b)
	var out []caio.DiffLine
	del := func(i int) { out = append(out, caio.DiffLine{Op: "del", Old: off + i + 1, Text: a[i]}) }
	add := func(j int) { out = append(out, caio.DiffLine{Op: "add", New: off + j + 1, Text: b[j]}) }
	if n == 0 || m == 0 || n*m > maxDiffCells {
		for i := range a {
			del(i)
		}
		for j := range b {
			add(j)
		}
		return out
	}
	// lcs[i*(m+1)+j] is the length of the longest common subsequence of
	// a[i:] and b[j:].
	w := m + 1
	lcs := make([]int32, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			out = append(out, caio.DiffLine{Op: "same", Old: off + i + 1, New: off + j + 1, Text: a[i]})
			i, j = i+1, j+1
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			// Removals come before additions, as people read a change.
			del(i)
			i++
		default:
			add(j)
			j++
		}
	}
	for ; i < n; i++ {
		del(i)
	}
	for ; j < m; j++ {
		add(j)
	}
	return out
}

// splitLines splits a text into lines without their ends; an empty text
// has none.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// Counts returns how many lines a diff adds and removes.
func Counts(lines []caio.DiffLine) (added, removed int) {
	for _, l := range lines {
		switch l.Op {
		case "add":
			added++
		case "del":
			removed++
		}
	}
	return added, removed
}
