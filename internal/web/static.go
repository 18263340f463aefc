package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
)

// staticFiles serves the embedded assets under /static/{hash}/{name}. The
// hash is of the file's content, so a URL never changes meaning and the
// browser may cache it for a year.
type staticFiles struct {
	files  map[string][]byte
	hashes map[string]string
}

func newStaticFiles() *staticFiles {
	s := &staticFiles{files: map[string][]byte{}, hashes: map[string]string{}}
	entries, _ := fs.ReadDir(assets, "static")
	for _, e := range entries {
		b, err := fs.ReadFile(assets, "static/"+e.Name())
		if err != nil {
			continue
		}
		sum := sha256.Sum256(b)
		s.files[e.Name()] = b
		s.hashes[e.Name()] = hex.EncodeToString(sum[:6])
	}
	return s
}

// path returns the URL of a static file.
func (s *staticFiles) path(name string) string {
	return "/static/" + s.hashes[name] + "/" + name
}

func (s *staticFiles) serve(rw http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	b, ok := s.files[name]
	if !ok || s.hashes[name] != r.PathValue("hash") {
		http.NotFound(rw, r)
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	rw.Header().Set("Content-Type", ct)
	rw.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	rw.Write(b)
}
