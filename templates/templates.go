package templates

import "embed"

// FS holds the scaffolds, each in its own directory: service/ is the tree
// `tongagen init` renders. The all: prefix keeps files whose names begin
// with a dot, such as .gitignore.
//
//go:embed all:service
var FS embed.FS

// Service is the directory of FS that holds the service scaffold.
const Service = "service"

// Suffix marks a file of a scaffold as a text/template, rendered and written
// without the suffix.
const Suffix = ".tmpl"
