// Package cli implements the tongagen command line. Main runs one
// invocation with injected arguments and writers, so tests run commands
// in-process; only package main calls os.Exit.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/tonga-go/tonga/internal/diag"
)

// Main runs tongagen with args (without the program name) and returns the
// process exit code: 0 on success, 1 when the input has problems or a
// check fails, 2 on usage errors.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var de *diag.Error
	var fe *failure
	switch {
	case errors.As(err, &de):
		_, _ = fmt.Fprintln(stderr, de.Error())
		return 1
	case errors.As(err, &fe):
		if fe.msg != "" {
			_, _ = fmt.Fprintln(stderr, fe.msg)
		}
		return 1
	}
	_, _ = fmt.Fprintln(stderr, "tongagen: "+err.Error())
	var ue *usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		_, _ = fmt.Fprintln(stderr, "Run 'tongagen --help' for usage.")
		return 2
	}
	return 1
}

// failure is a command result that exits 1 with msg already formatted
// (a check that found differences, say).
type failure struct{ msg string }

func (f *failure) Error() string { return f.msg }

// usageError is a mistake in the command line.
type usageError struct{ err error }

func (u *usageError) Error() string { return u.err.Error() }
func (u *usageError) Unwrap() error { return u.err }

func isCobraUsage(err error) bool {
	// cobra reports unknown flags and commands and wrong argument counts
	// as plain errors before RunE runs; they are all usage errors.
	var ue *usageError
	return !errors.As(err, &ue) && usagePrefix(err.Error())
}

func usagePrefix(msg string) bool {
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "accepts ", "requires at least", "flag needs an argument", "invalid argument"} {
		if len(msg) >= len(p) && msg[:len(p)] == p {
			return true
		}
	}
	return false
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "tongagen",
		Short: "Generate typed Go for Tonga services from Avro schemas",
		Long: `tongagen turns Avro schemas (.avsc JSON, or .avsc.yaml YAML as Python Tonga
writes them) into typed Go: one struct per record with direct binary
encoding and decoding, enums, fixed types and unions, Tonga's envelope for
events, commands and results, a handler interface per type, and a registry
that decodes by schema identity and dispatches to your handlers.

Typical use, from the package that will hold the generated code:

    tongagen generate schemas/          # writes *.tonga.go next to you
    tongagen check schemas/             # in CI: fails if they are stale

or with a line in any Go file of that package, then 'go generate':

    //go:generate go run github.com/tonga-go/tonga/cmd/tongagen generate schemas`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(
		newGenerate(stdout),
		newCheck(stdout),
		newInit(stdout),
		newValidate(stdout),
		newSchemaCmd(stdout),
		newDecode(stdout),
		newEncode(stdout),
		newPartition(stdout, stdin),
		newBroker(stdout, stderr),
		newVersion(stdout),
	)
	return root
}
