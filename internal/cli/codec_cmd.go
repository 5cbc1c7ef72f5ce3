package cli

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/tonga-go/tonga/internal/avrojson"
	"github.com/tonga-go/tonga/internal/model"
	"github.com/tonga-go/tonga/internal/schema"
	"github.com/tonga-go/tonga/runtime/avrobin"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
)

// message is what decode prints and encode reads.
type message struct {
	Schema  string          `json:"schema"`
	Framing string          `json:"framing"`
	Record  json.RawMessage `json:"record"`
}

func newDecode(stdout io.Writer) *cobra.Command {
	var schemas []string
	cmd := &cobra.Command{
		Use:   "decode [--schemas PATH]... [FILE|-]",
		Short: "Print one Kafka message value as JSON",
		Long: `decode reads one message value (from FILE, or stdin when FILE is - or
absent), detects its framing, and prints the record as JSON:

    {"schema": "<full name>", "framing": "soe" | "tonga", "record": {...}}

A Tonga (container) message carries its writer schema and needs no
--schemas; a single-object message names its schema by fingerprint, which
must be one of the schemas found in the --schemas paths (files or
directories, versions/ included; the flag may be repeated). Bytes are
base64 strings, logical types are written in their natural form
(timestamps in RFC 3339, decimals as exact strings), unions as the bare
value.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			data, err := readInput(args)
			if err != nil {
				return err
			}
			msg, err := decodeMessage(data, schemas)
			if err != nil {
				return err
			}
			out, err := json.Marshal(msg)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(stdout, "%s\n", out)
			return err
		},
	}
	cmd.Flags().StringArrayVar(&schemas, "schemas", nil, "schema file or directory (repeatable)")
	return cmd
}

func newEncode(stdout io.Writer) *cobra.Command {
	var schemas []string
	var typeName, framing string
	cmd := &cobra.Command{
		Use:   "encode --schemas PATH --type FULLNAME [--framing soe|tonga] [FILE|-]",
		Short: "Write one Kafka message value from a JSON record",
		Long: `encode reads a record as JSON (from FILE, or stdin when FILE is - or absent):
the shape decode prints under "record", or decode's whole output, and
writes the message value to stdout in the framing asked for: soe (Avro
single-object encoding, the default) or tonga (one Avro container file, as
Python Tonga writes it). A field the JSON leaves out takes its default.
The envelope fields of an event, command or result that the JSON leaves
out and the schema gives no default are filled as for a new record of its
own flow: schema_version from the schema, a new record_id, the current
timestamp and datetime, correlation_id equal to record_id, no
partition_key, an empty context and, for a result, no error. A command's
processing_guarantee must be given.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			f, err := wire.ParseFraming(framing)
			if err != nil || (f != wire.FramingSingleObject && f != wire.FramingContainer) {
				return &usageError{fmt.Errorf("--framing must be soe or tonga, not %q", framing)}
			}
			if len(schemas) == 0 || typeName == "" {
				return &usageError{errors.New("encode needs --schemas and --type")}
			}
			data, err := readInput(args)
			if err != nil {
				return err
			}
			out, err := encodeMessage(data, schemas, typeName, f)
			if err != nil {
				return err
			}
			_, err = stdout.Write(out)
			return err
		},
	}
	cmd.Flags().StringArrayVar(&schemas, "schemas", nil, "schema file or directory (repeatable)")
	cmd.Flags().StringVar(&typeName, "type", "", "full name of the record type, e.g. tonga.waiter.event.CoffeeOrdered")
	cmd.Flags().StringVar(&framing, "framing", "soe", "soe or tonga")
	return cmd
}

func readInput(args []string) ([]byte, error) {
	if len(args) == 0 || args[0] == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(args[0])
}

// knownSchemas compiles the --schemas paths, current and older versions.
func knownSchemas(paths []string) ([]*schema.Schema, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	set, versions, err := compile(paths)
	if err != nil {
		return nil, err
	}
	all := set.Named
	for _, v := range versions {
		all = append(all, v.Named...)
	}
	return all, nil
}

func decodeMessage(data []byte, paths []string) (*message, error) {
	switch f := wire.Detect(data); f {
	case wire.FramingSingleObject:
		fp, body, err := wire.ParseSingleObject(data)
		if err != nil {
			return nil, err
		}
		known, err := knownSchemas(paths)
		if err != nil {
			return nil, err
		}
		for _, s := range known {
			if s.Fingerprint() == fp {
				return decodeBody(s, f, body)
			}
		}
		return nil, fmt.Errorf("no schema in %v has the fingerprint %016x of this single-object message; pass --schemas with the schema it was written with", paths, fp)
	case wire.FramingContainer:
		c, err := wire.ParseContainer(data)
		if err != nil {
			return nil, err
		}
		if len(c.Blocks) != 1 || c.Blocks[0].Count != 1 {
			return nil, fmt.Errorf("the container holds %d blocks; a Tonga message holds one record", len(c.Blocks))
		}
		s, err := compileHeader(c.Schema)
		if err != nil {
			return nil, err
		}
		return decodeBody(s, f, c.Blocks[0].Data)
	default:
		return nil, fmt.Errorf("the data is in %s framing, which decode does not read (it reads soe and tonga)", f)
	}
}

func compileHeader(js string) (*schema.Schema, error) {
	docs, diags := schema.Parse([]schema.Source{{Path: "container header", Data: []byte(js)}})
	if err := diags.Err(); err != nil {
		return nil, err
	}
	set, err := schema.CompileWriter(docs)
	if err != nil {
		return nil, err
	}
	return set.Roots[0], nil
}

func decodeBody(s *schema.Schema, f wire.Framing, body []byte) (*message, error) {
	r := avrobin.NewReader(body)
	rec, err := avrojson.Decode(s, r)
	if err == nil {
		err = r.Finish()
	}
	if err != nil {
		return nil, err
	}
	name := s.FullName
	if !s.Kind.Named() {
		name = s.Kind.String()
	}
	return &message{Schema: name, Framing: f.String(), Record: rec}, nil
}

func encodeMessage(data []byte, paths []string, typeName string, f wire.Framing) ([]byte, error) {
	known, err := knownSchemas(paths)
	if err != nil {
		return nil, err
	}
	var s *schema.Schema
	for _, k := range known {
		if k.FullName == typeName {
			s = k
			break
		}
	}
	if s == nil {
		return nil, fmt.Errorf("no schema named %s in %v", typeName, paths)
	}
	// decode's whole output is accepted too: take its "record".
	var whole message
	if dec := json.NewDecoder(bytes.NewReader(data)); dec.Decode(&whole) == nil && whole.Record != nil && whole.Schema != "" {
		data = whole.Record
	}
	if data, err = fillEnvelope(s, data, time.Now()); err != nil {
		return nil, err
	}
	body, err := avrojson.Encode(nil, s, data)
	if err != nil {
		return nil, err
	}
	if f == wire.FramingContainer {
		return wire.AppendContainer(nil, s.JSON(), [][]byte{body}, wire.ContainerOptions{})
	}
	out := []byte{0xc3, 0x01}
	out = binary.LittleEndian.AppendUint64(out, s.Fingerprint())
	return append(out, body...), nil
}

// fillEnvelope adds to the JSON record data the envelope fields of a Tonga
// event, command or result that it leaves out and its schema gives no
// default, as a new record of its own flow gets them: the schema's
// version, a new record id, now, a correlation id equal to the record id,
// no partition key, an empty context and, for a result, no error. A
// command's processing_guarantee is the sender's choice and is not filled.
func fillEnvelope(s *schema.Schema, data []byte, now time.Time) ([]byte, error) {
	if k, _ := schema.KindOf(s); k == schema.KindNone {
		return data, nil
	}
	var rec map[string]json.RawMessage
	if err := json.Unmarshal(data, &rec); err != nil || rec == nil {
		return data, nil // not an object: avrojson.Encode says what is wrong
	}
	version := tonga.DefaultSchemaVersion
	if v := s.Prop(model.VersionAttr); v != nil && v.Kind == schema.StringNode {
		version = v.Text
	}
	id := tonga.NewUUID()
	now = now.UTC().Truncate(time.Microsecond)
	fill := map[string]any{
		"schema_version": version,
		"record_id":      id,
		"partition_key":  nil,
		"timestamp":      float64(now.UnixMicro()) / 1000,
		"datetime":       tonga.FormatDatetime(now),
		"correlation_id": id,
		"context":        map[string]any{},
		"error":          nil,
	}
	if raw, ok := rec["record_id"]; ok {
		// A record with its own id roots its own flow.
		var given string
		if json.Unmarshal(raw, &given) == nil {
			fill["correlation_id"] = given
		}
	}
	changed := false
	for _, fd := range s.Fields {
		v, ok := fill[fd.Name]
		if _, given := rec[fd.Name]; !ok || given || fd.Default != nil {
			continue
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		rec[fd.Name], changed = raw, true
	}
	if !changed {
		return data, nil
	}
	return json.Marshal(rec)
}
