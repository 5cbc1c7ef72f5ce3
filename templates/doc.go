// Package templates holds the scaffolds that `tongagen init` writes,
// embedded in the tongagen binary as [FS].
//
// The service/ tree is a new Tonga service: Avro schemas in Tonga's
// envelope, a records package generated from them, a main package with its
// handlers, a test on the embedded broker, a Makefile, a go.mod and a
// README. A file whose name ends in .tmpl is rendered with text/template
// and written without the suffix; any other file is copied as it is. Every
// Go source and the go.mod carry the suffix, so this module never compiles
// the scaffold's code and the go command never takes the tree for a module
// of its own (which would keep it out of the embedded files).
//
// The templates see these fields (see internal/cli's init command):
//
//	.Module        the new module's path, example.com/greeter
//	.Service       the service's name, greeter: its consumer group, the
//	               prefix of its topics and of its transactional id
//	.Namespace     the Avro namespace prefix of its records, greeter
//	.TongaVersion  the version of github.com/tonga-go/tonga go.mod requires
package templates
