package cli

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/tonga-go/tonga/runtime/tonga"
)

func newVersion(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print tongagen's version and the runtime version its code needs",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			v := "(devel)"
			if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
				v = info.Main.Version
			}
			_, err := fmt.Fprintf(stdout, "tongagen %s (runtime/tonga %s)\n", v, tonga.Version)
			return err
		},
	}
}
