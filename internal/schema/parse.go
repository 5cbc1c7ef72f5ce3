package schema

import "github.com/tonga-go/tonga/internal/diag"

// Document is one schema document: a JSON file, or one document of a YAML
// file.
type Document struct {
	// Path is the path of the source the document was read from.
	Path string
	// Root is the document's top-level value.
	Root *Node
}

// maxNesting is the deepest nesting of arrays and objects Parse accepts,
// so that deep input cannot exhaust the stack.
const maxNesting = 1000

// Parse parses every source into documents. A JSON source holds one
// document; a YAML source may hold several, separated by "---", and its
// empty documents are skipped.
//
// Every source is attempted and every problem reported as a diagnostic
// with file:line:col. Only documents found free of errors are returned.
func Parse(srcs []Source) ([]*Document, *diag.List) {
	var (
		docs  []*Document
		diags diag.List
	)
	for _, src := range srcs {
		if src.YAML {
			docs = append(docs, parseYAML(src, &diags)...)
			continue
		}
		if root := parseJSON(src, &diags); root != nil {
			docs = append(docs, &Document{Path: src.Path, Root: root})
		}
	}
	return docs, &diags
}
