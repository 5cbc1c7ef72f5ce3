package cli

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tonga-go/tonga/internal/resolve"
	"github.com/tonga-go/tonga/internal/schema"
)

// runCompat reports the compatibility of two schema versions in both
// directions and fails when the required one does not hold.
func runCompat(stdout io.Writer, args []string, require string) error {
	if len(args) != 2 {
		return &usageError{errors.New("validate --compat takes two files, OLD and NEW")}
	}
	if !slices.Contains([]string{"backward", "forward", "full", "none"}, require) {
		return &usageError{fmt.Errorf("--require must be backward, forward, full or none, not %q", require)}
	}
	oldSet, err := compileAny(args[0])
	if err != nil {
		return err
	}
	newSet, err := compileAny(args[1])
	if err != nil {
		return err
	}
	pairs, err := pairRoots(oldSet, newSet)
	if err != nil {
		return err
	}
	var b strings.Builder
	backward, forward := true, true
	for _, p := range pairs {
		fmt.Fprintf(&b, "%s:\n", p.name)
		backward = report(&b, "backward", "new reads old data", resolve.Check(p.old, p.new)) && backward
		forward = report(&b, "forward", "old reads new data", resolve.Check(p.new, p.old)) && forward
	}
	fmt.Fprintf(&b, "full: %s\n", yesNo(backward && forward))
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		return err
	}
	ok := map[string]bool{"backward": backward, "forward": forward, "full": backward && forward, "none": true}[require]
	if !ok {
		return &failure{msg: fmt.Sprintf("tongagen: %s and %s are not %s compatible", args[0], args[1], require)}
	}
	return nil
}

// compileAny compiles one file, whether or not it lies in a versions
// directory.
func compileAny(path string) (*schema.Set, error) {
	set, versions, err := compile([]string{path})
	if err != nil || len(set.Roots) > 0 || len(versions) == 0 {
		return set, err
	}
	return versions[0], nil
}

type rootPair struct {
	name     string
	old, new *schema.Schema
}

// pairRoots pairs the top-level schemas of the two versions: by full name
// or alias for named types, or the single roots when each file has one.
func pairRoots(oldSet, newSet *schema.Set) ([]rootPair, error) {
	if len(oldSet.Roots) == 1 && len(newSet.Roots) == 1 {
		return []rootPair{{name: label(newSet.Roots[0]), old: oldSet.Roots[0], new: newSet.Roots[0]}}, nil
	}
	var pairs []rootPair
	for _, n := range newSet.Roots {
		for _, o := range oldSet.Roots {
			if o.Kind.Named() && n.Kind.Named() && (o.FullName == n.FullName || slices.Contains(n.Aliases, o.FullName)) {
				pairs = append(pairs, rootPair{name: label(n), old: o, new: n})
			}
		}
	}
	if len(pairs) == 0 {
		return nil, errors.New("the two files have no schema in common: pair them by full name or alias")
	}
	return pairs, nil
}

func label(s *schema.Schema) string {
	if s.Kind.Named() {
		return s.FullName
	}
	return s.Kind.String()
}

func report(b *strings.Builder, direction, meaning string, err error) bool {
	fmt.Fprintf(b, "  %s (%s): %s\n", direction, meaning, yesNo(err == nil))
	var ie *resolve.IncompatibleError
	if errors.As(err, &ie) {
		for _, p := range ie.Problems {
			fmt.Fprintf(b, "    %s\n", p)
		}
	}
	return err == nil
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}
