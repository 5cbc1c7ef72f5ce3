package cli

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/tonga-go/tonga/runtime/partition"
)

// stdin is where partition, decode and encode read when they are given no
// keys or file; tests replace it.
var stdin io.Reader = os.Stdin

func newPartition(stdout io.Writer, in io.Reader) *cobra.Command {
	var (
		partitions int
		asBase64   bool
	)
	cmd := &cobra.Command{
		Use:   "partition --partitions N [--base64] [KEY...]",
		Short: "Print the partition of keys, as the Java client and Tonga pick it",
		Long: `partition prints the partition a record with each KEY goes to on a topic of
N partitions, as the Kafka Java client, kafka-python and Tonga (Python or Go)
pick it: (murmur2(key) & 0x7fffffff) % N. librdkafka's default partitioner
(consistent_random, CRC32) picks differently; Tonga's Go runtime uses the
Java-compatible one.

Each output line is the key exactly as given, a tab, and its partition, so
the output can be sorted, joined or grepped. With no KEY arguments the keys
are read from standard input, one per line: a line's trailing carriage
return is dropped (CRLF input works) and an empty line is the empty key.

Keys are hashed as the bytes given. For a key that is not text, such as a
binary or Avro-encoded key, pass it in standard base64 with --base64: the
key is decoded before hashing and printed as given.`,
		Example: "  # The partitions of keys 0 and order-42 on a topic of 12 partitions:\n" +
			"  $ tongagen partition --partitions 12 0 order-42\n" +
			"  0\t8\n" +
			"  order-42\t0\n\n" +
			"  # Keys from a file, one per line:\n" +
			"  $ tongagen partition --partitions 12 < keys.txt\n\n" +
			"  # A binary key, the two bytes 00 20, in base64:\n" +
			"  $ tongagen partition --partitions 1000 --base64 ACA=\n" +
			"  ACA=\t742",
		RunE: func(cmd *cobra.Command, keys []string) error {
			if !cmd.Flags().Changed("partitions") {
				return &usageError{errors.New("partition: --partitions is required: the topic's partition count")}
			}
			if partitions < 1 {
				return &usageError{fmt.Errorf("partition: --partitions must be at least 1, not %d", partitions)}
			}
			w := bufio.NewWriter(stdout)
			var err error
			if len(keys) > 0 {
				err = partitionArgs(w, keys, partitions, asBase64)
			} else {
				err = partitionLines(w, in, partitions, asBase64)
			}
			if ferr := w.Flush(); err == nil {
				err = ferr
			}
			return err
		},
	}
	cmd.Flags().IntVarP(&partitions, "partitions", "n", 0, "the topic's partition count (required, at least 1)")
	cmd.Flags().BoolVar(&asBase64, "base64", false, "each key is standard base64, decoded before hashing")
	return cmd
}

// partitionArgs prints the partition of each key argument.
func partitionArgs(w *bufio.Writer, keys []string, n int, asBase64 bool) error {
	for i, k := range keys {
		key, err := partitionKey([]byte(k), asBase64)
		if err != nil {
			return fmt.Errorf("partition: key %d %q: %w", i+1, k, err)
		}
		if err := printPartition(w, []byte(k), key, n); err != nil {
			return err
		}
	}
	return nil
}

// partitionLines prints the partition of each line of r, with no length
// limit on a line. A final line without a newline is a key too; an input
// ending in a newline has no empty key after it.
func partitionLines(w *bufio.Writer, r io.Reader, n int, asBase64 bool) error {
	br := bufio.NewReader(r)
	for line := 1; ; line++ {
		text, err := br.ReadBytes('\n')
		if len(text) == 0 && err == io.EOF {
			return nil
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("partition: reading standard input: %w", err)
		}
		text = bytes.TrimSuffix(text, []byte("\n"))
		text = bytes.TrimSuffix(text, []byte("\r"))
		key, kerr := partitionKey(text, asBase64)
		if kerr != nil {
			return fmt.Errorf("partition: line %d %q: %w", line, text, kerr)
		}
		if perr := printPartition(w, text, key, n); perr != nil {
			return perr
		}
		if err == io.EOF {
			return nil
		}
	}
}

// partitionKey returns the bytes to hash for the key text.
func partitionKey(text []byte, asBase64 bool) ([]byte, error) {
	if !asBase64 {
		return text, nil
	}
	key := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
	m, err := base64.StdEncoding.Decode(key, text)
	if err != nil {
		return nil, fmt.Errorf("not standard base64: %w", err)
	}
	return key[:m], nil
}

func printPartition(w *bufio.Writer, text, key []byte, n int) error {
	_, err := fmt.Fprintf(w, "%s\t%d\n", text, partition.Murmur2Partition(key, n))
	return err
}
