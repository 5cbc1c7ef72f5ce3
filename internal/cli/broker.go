package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tonga-go/tonga/runtime/broker"
)

// topicFlag is one --topic NAME:PARTITIONS[:compact].
type topicFlag struct {
	name       string
	partitions int
	compact    bool
}

func newBroker(stdout, stderr io.Writer) *cobra.Command {
	var (
		listen, dataDir string
		topics          []string
	)
	cmd := &cobra.Command{
		Use:   "broker [--listen ADDR] [--data-dir DIR] [--topic NAME:PARTITIONS[:compact]]...",
		Short: "Run an embedded Kafka-protocol broker for local development",
		Long: `broker runs a single-node Kafka-protocol broker in the foreground (kfake,
the broker the runtime's tests use): transactions, read_committed, consumer
groups, compaction. Any Kafka client connects to the address it prints.
It stops on Ctrl-C.

--topic NAME:PARTITIONS creates a topic at start, or checks that an existing
one (restored from --data-dir) has that many partitions; NAME:PARTITIONS:compact
makes it compacted (cleanup.policy=compact), as changelog topics are. It may
be repeated. Without --data-dir everything is lost when the broker stops.`,
		Args:                  cobra.NoArgs,
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			specs, err := parseTopicFlags(topics)
			if err != nil {
				return err
			}
			log := slog.New(slog.NewTextHandler(stderr, nil))
			opts := []broker.Option{broker.Listen(listen), broker.Logger(log)}
			if dataDir != "" {
				opts = append(opts, broker.DataDir(dataDir))
			}
			for _, s := range specs {
				var configs map[string]string
				if s.compact {
					configs = map[string]string{"cleanup.policy": "compact"}
				}
				opts = append(opts, broker.Topic(s.name, s.partitions, configs))
			}
			return runBroker(cmd.Context(), stdout, log, specs, opts)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:9092", "address to listen on and advertise to clients")
	cmd.Flags().StringVar(&dataDir, "data-dir", "", "directory to keep topics, records and offsets in across restarts")
	cmd.Flags().StringArrayVar(&topics, "topic", nil, "topic to create, NAME:PARTITIONS or NAME:PARTITIONS:compact (repeatable)")
	return cmd
}

// runBroker starts the broker, reports its address and topics on stdout,
// and runs it until ctx is done.
func runBroker(ctx context.Context, stdout io.Writer, log *slog.Logger, specs []topicFlag, opts []broker.Option) error {
	b, err := broker.Start(ctx, opts...)
	if errors.Is(err, broker.ErrInvalidOption) {
		return &usageError{err}
	}
	if err != nil {
		return err
	}
	defer func() { _ = b.Close() }()

	var out strings.Builder
	fmt.Fprintf(&out, "tongagen broker listening on %s\n", strings.Join(b.Addrs(), ","))
	for _, s := range specs {
		fmt.Fprintf(&out, "topic %s: %d partition", s.name, s.partitions)
		if s.partitions != 1 {
			out.WriteString("s")
		}
		if s.compact {
			out.WriteString(", compacted")
		}
		out.WriteString("\n")
	}
	if _, err := io.WriteString(stdout, out.String()); err != nil {
		return err
	}
	<-ctx.Done()
	if err := b.Close(); err != nil {
		return err
	}
	log.Info("broker stopped")
	return nil
}

// parseTopicFlags parses --topic values; a malformed one is a usage error.
func parseTopicFlags(values []string) ([]topicFlag, error) {
	var specs []topicFlag
	for _, v := range values {
		parts := strings.Split(v, ":")
		bad := func(why string) error {
			return &usageError{fmt.Errorf("broker: --topic %q: %s; want NAME:PARTITIONS or NAME:PARTITIONS:compact", v, why)}
		}
		if len(parts) < 2 || len(parts) > 3 {
			return nil, bad("not NAME:PARTITIONS")
		}
		s := topicFlag{name: parts[0]}
		if s.name == "" {
			return nil, bad("empty topic name")
		}
		n, err := strconv.Atoi(parts[1])
		if err != nil || n < 1 {
			return nil, bad(fmt.Sprintf("partitions %q is not a positive number", parts[1]))
		}
		s.partitions = n
		if len(parts) == 3 {
			if parts[2] != "compact" {
				return nil, bad(fmt.Sprintf("%q is not compact", parts[2]))
			}
			s.compact = true
		}
		specs = append(specs, s)
	}
	return specs, nil
}
