package cli

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/tonga-go/tonga/internal/schema"
)

func newSchemaCmd(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Inspect one schema: its Parsing Canonical Form or fingerprint",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "canonical FILE",
		Short: "Print the schema's Avro Parsing Canonical Form",
		Long: `canonical prints the Parsing Canonical Form of the schema in FILE, one line
per document (a YAML file may hold several). The form follows the Avro
specification exactly: only type, name, fields, symbols, items, values and
size are kept.`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return eachRoot(args[0], func(s *schema.Schema) error {
				_, err := fmt.Fprintln(stdout, s.Canonical())
				return err
			})
		},
	})
	var asHex bool
	fp := &cobra.Command{
		Use:   "fingerprint [--hex] FILE",
		Short: "Print the schema's CRC-64-AVRO fingerprint",
		Long: `fingerprint prints the CRC-64-AVRO fingerprint of the schema's canonical
form as a signed decimal 64-bit integer, as the Avro project's test vectors
print it, or with --hex as the 8 little-endian bytes that Avro's
single-object encoding writes after C3 01.`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return eachRoot(args[0], func(s *schema.Schema) error {
				f := s.Fingerprint()
				var err error
				if asHex {
					var b [8]byte
					binary.LittleEndian.PutUint64(b[:], f)
					_, err = fmt.Fprintln(stdout, hex.EncodeToString(b[:]))
				} else {
					_, err = fmt.Fprintln(stdout, int64(f))
				}
				return err
			})
		},
	}
	fp.Flags().BoolVar(&asHex, "hex", false, "print the 8 little-endian bytes in hexadecimal")
	cmd.AddCommand(fp)
	return cmd
}

func eachRoot(path string, fn func(*schema.Schema) error) error {
	set, _, err := compile([]string{path})
	if err != nil {
		return err
	}
	for _, r := range set.Roots {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}
