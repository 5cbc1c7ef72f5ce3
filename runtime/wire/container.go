package wire

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tonga-go/tonga/runtime/avrobin"
	"github.com/tonga-go/tonga/runtime/tonga"
)

// DefaultMaxDecompressed is the limit [ParseContainer] puts on the bytes
// that the blocks of one container decompress to, together.
const DefaultMaxDecompressed = 64 << 20

// The header entries Avro reserves, and the length of a sync marker.
const (
	metaSchema     = "avro.schema"
	metaCodec      = "avro.codec"
	reservedPrefix = "avro."
	syncMarkerLen  = 16
)

// ContainerOptions are the choices of [AppendContainer] and
// [AppendContainerRecord]. The zero value writes what Python Tonga writes.
type ContainerOptions struct {
	// Codec compresses the block; "" means [CodecNull], as Python Tonga
	// writes. All codecs but [CodecBzip2] can be written.
	Codec Codec
	// Sync is the file's sync marker. The zero value means a fresh random
	// marker (from crypto/rand) per file, as Python's and Java's
	// DataFileWriter make one per file.
	Sync [syncMarkerLen]byte
	// Meta is extra header metadata. Its keys must not start with "avro.",
	// which Avro reserves.
	Meta map[string][]byte
}

// prepare returns the codec and sync marker opts ask for, or an error for
// options that cannot be written.
func (opts *ContainerOptions) prepare() (Codec, [syncMarkerLen]byte, error) {
	codec, sync := opts.Codec, opts.Sync
	if codec == "" {
		codec = CodecNull
	}
	if err := checkWritable(codec); err != nil {
		return "", sync, err
	}
	for k := range opts.Meta {
		if strings.HasPrefix(k, reservedPrefix) {
			return "", sync, fmt.Errorf("wire: metadata key %q is reserved: keys starting with %q belong to Avro",
				k, reservedPrefix)
		}
	}
	if sync == [syncMarkerLen]byte{} {
		// crypto/rand.Read never returns an error: it crashes the
		// program if the system's generator fails.
		_, _ = rand.Read(sync[:])
	}
	return codec, sync, nil
}

// AppendContainer appends to b one Avro object container file holding
// objects, each already in the binary encoding of the writer schema
// schemaJSON, in a single block. On error it returns b unchanged.
//
// The header holds the metadata entries "avro.codec" (written for the null
// codec too, as Python writes it, though Java leaves it out: the reader of
// avro-python3, which Python Tonga used, fails without it) and
// "avro.schema", then opts.Meta, all in the sorted order of their keys. With no extra metadata the header is byte for byte
// the one Python's DataFileWriter writes for the same schema text and sync
// marker. The block is the object count, the byte size of the (compressed)
// data, the data and the sync marker. With no objects the file has no
// block, as Python and Java write an empty file.
func AppendContainer(b []byte, schemaJSON string, objects [][]byte, opts ContainerOptions) ([]byte, error) {
	codec, sync, err := opts.prepare()
	if err != nil {
		return b, err
	}
	out := appendHeader(b, schemaJSON, codec, opts.Meta, &sync)
	if len(objects) == 0 {
		return out, nil
	}
	out = avrobin.AppendLong(out, int64(len(objects)))
	if codec == CodecNull {
		size := 0
		for _, o := range objects {
			size += len(o)
		}
		out = avrobin.AppendLong(out, int64(size))
		for _, o := range objects {
			out = append(out, o...)
		}
	} else {
		raw := objects[0]
		if len(objects) > 1 {
			raw = slices.Concat(objects...)
		}
		z, err := compress(nil, codec, raw)
		if err != nil {
			return b, fmt.Errorf("wire: compress a block with %s: %w", codec, err)
		}
		out = avrobin.AppendBytes(out, z) // the size, then the data
	}
	return append(out, sync[:]...), nil
}

// AppendContainerRecord appends rec in the Tonga framing to b: a container
// file whose header holds rec's writer schema ([tonga.Schema.JSON], with
// its "name" and "namespace" as separate keys, which Python Tonga's decoder
// reads) and whose one block holds rec. It is [AppendContainer] with
// rec's encoding, without copying the encoding for the null codec. On
// error it returns b unchanged.
func AppendContainerRecord(b []byte, rec tonga.Record, opts ContainerOptions) ([]byte, error) {
	s := rec.AvroSchema()
	codec, sync, err := opts.prepare()
	if err != nil {
		return b, err
	}
	if codec != CodecNull {
		body, err := rec.AppendAvro(nil)
		if err != nil {
			return b, fmt.Errorf("wire: encode %s: %w", s.FullName, err)
		}
		opts.Codec, opts.Sync = codec, sync
		return AppendContainer(b, s.JSON, [][]byte{body}, opts)
	}
	out := appendHeader(b, s.JSON, codec, opts.Meta, &sync)
	out = avrobin.AppendLong(out, 1)
	start := len(out)
	out, err = rec.AppendAvro(out)
	if err != nil {
		return b, fmt.Errorf("wire: encode %s: %w", s.FullName, err)
	}
	// The byte size goes before the encoding: move the encoding up.
	size := avrobin.AppendLong(make([]byte, 0, 10), int64(len(out)-start))
	out = append(out, size...)
	copy(out[start+len(size):], out[start:len(out)-len(size)])
	copy(out[start:], size)
	return append(out, sync[:]...), nil
}

// appendHeader appends a container header: the magic, the metadata map in
// one block with its keys sorted, and the sync marker.
func appendHeader(b []byte, schemaJSON string, codec Codec, meta map[string][]byte, sync *[syncMarkerLen]byte) []byte {
	b = append(b, containerMagic...)
	b = avrobin.AppendBlockLen(b, 2+len(meta))
	if len(meta) == 0 {
		b = avrobin.AppendString(b, metaCodec)
		b = avrobin.AppendString(b, string(codec))
		b = avrobin.AppendString(b, metaSchema)
		b = avrobin.AppendString(b, schemaJSON)
	} else {
		keys := make([]string, 0, 2+len(meta))
		keys = append(keys, metaCodec, metaSchema)
		for k := range meta {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			b = avrobin.AppendString(b, k)
			switch k {
			case metaCodec:
				b = avrobin.AppendString(b, string(codec))
			case metaSchema:
				b = avrobin.AppendString(b, schemaJSON)
			default:
				b = avrobin.AppendBytes(b, meta[k])
			}
		}
	}
	b = avrobin.AppendBlockEnd(b)
	return append(b, sync[:]...)
}

// Container is a parsed object container file.
type Container struct {
	// Schema is the writer schema: the "avro.schema" header entry.
	Schema string
	// Codec is the "avro.codec" header entry, [CodecNull] if absent (as
	// Java writes the null codec).
	Codec Codec
	// Meta is all the header metadata, the avro.* entries included. Its
	// values alias the parsed input.
	Meta map[string][]byte
	// Sync is the file's sync marker.
	Sync [syncMarkerLen]byte
	// Blocks are the file's blocks, in order.
	Blocks []Block
}

// Block is one block of a container file.
type Block struct {
	// Count is the number of objects in the block.
	Count int64
	// Data is the block's objects, decompressed and concatenated; telling
	// where one ends and the next begins needs the schema. For the null
	// codec it aliases the parsed input.
	Data []byte
}

// ParseContainer parses a whole container file held in data, with the
// limit [DefaultMaxDecompressed]; see [ParseContainerLimit].
func ParseContainer(data []byte) (*Container, error) {
	return ParseContainerLimit(data, DefaultMaxDecompressed)
}

// ParseContainerLimit parses a whole container file held in data: its
// header, whose "avro.schema" entry is required, and every block, until the
// end of data. A file with no blocks is valid. The errors are
// [*FrameError] values:
//
//   - data not starting with "Obj" 01 matches [ErrBadFraming];
//   - a codec other than null, deflate, snappy, zstandard and bzip2 matches
//     [ErrUnsupportedCodec], and the message names it;
//   - blocks that decompress to more than limit bytes together match
//     [ErrTooLarge] (a bzip2 block also counts the 3.6 MB its reader
//     allocates);
//   - everything else matches [avrobin.ErrCorrupt]: a truncated header or
//     block, a negative or oversized length or count, a duplicate metadata
//     key, a block whose sync marker is not the header's, compressed data
//     that does not decompress (or fails its snappy checksum), bytes after
//     the last block.
//
// Every length is checked against the input before anything is allocated
// for it, and decompression stops at the limit: parsing allocates at most
// about limit bytes (plus, for Zstandard, a window of up to 8 MiB) and a
// small multiple of len(data). The Meta values of the result, and the Data
// of its blocks for the null codec, alias data.
func ParseContainerLimit(data []byte, limit int) (*Container, error) {
	if !bytes.HasPrefix(data, containerMagic) {
		return nil, &FrameError{
			Framing: FramingContainer,
			Msg:     fmt.Sprintf("magic %q is not %q", data[:min(len(data), len(containerMagic))], containerMagic),
			Err:     ErrBadFraming,
		}
	}
	p := containerParser{data: data, left: max(limit, 0)}
	p.r.Reset(data)
	p.r.Skip(len(containerMagic))
	c := new(Container)
	if err := p.header(c); err != nil {
		return nil, err
	}
	for p.r.Remaining() > 0 {
		if err := p.block(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// containerParser holds the state of ParseContainerLimit.
type containerParser struct {
	data []byte
	r    avrobin.Reader
	// left is what remains of the decompression limit.
	left int
}

// corrupt returns a *FrameError matching avrobin.ErrCorrupt.
func (p *containerParser) corrupt(off int, format string, args ...any) error {
	return &FrameError{Framing: FramingContainer, Offset: off, Msg: fmt.Sprintf(format, args...), Err: avrobin.ErrCorrupt}
}

// readerErr returns p.r's error as a *FrameError, with what was read.
func (p *containerParser) readerErr(what string) error {
	err := p.r.Err()
	var ae *avrobin.Error
	if errors.As(err, &ae) {
		return &FrameError{Framing: FramingContainer, Offset: ae.Offset, Msg: what + ": " + ae.Msg, Err: ae}
	}
	return &FrameError{Framing: FramingContainer, Offset: p.r.Offset(), Msg: what + ": " + err.Error(), Err: err}
}

// header reads the metadata map and the sync marker into c.
func (p *containerParser) header(c *Container) error {
	r := &p.r
	codecAt := -1
	// An entry is at least a key length byte and a value length byte.
	for n := r.ReadBlockLen(2); n > 0; n = r.ReadBlockLen(2) {
		if c.Meta == nil {
			c.Meta = make(map[string][]byte, n)
		}
		for range n {
			at := r.Offset()
			k, err := p.bytes("header metadata key")
			if err != nil {
				return err
			}
			v, err := p.bytes("header metadata value")
			if err != nil {
				return err
			}
			key := metaKey(k)
			if _, dup := c.Meta[key]; dup {
				return p.corrupt(at, "header metadata key %q appears twice", key)
			}
			if key == metaCodec {
				codecAt = at
			}
			c.Meta[key] = v
		}
	}
	r.ReadFixed(c.Sync[:])
	if r.Err() != nil {
		return p.readerErr("header")
	}
	schema, ok := c.Meta[metaSchema]
	if !ok {
		return p.corrupt(len(containerMagic), "header metadata has no %q", metaSchema)
	}
	c.Schema = string(schema)
	c.Codec = CodecNull
	if v, ok := c.Meta[metaCodec]; ok {
		c.Codec = codecName(v)
		if _, known := codecs[c.Codec]; !known {
			return &FrameError{
				Framing: FramingContainer,
				Offset:  codecAt,
				Msg:     fmt.Sprintf("codec %q is not supported (want null, deflate, snappy, zstandard or bzip2)", v),
				Err:     ErrUnsupportedCodec,
			}
		}
	}
	return nil
}

// bytes reads a bytes value, named what in errors, without copying it.
func (p *containerParser) bytes(what string) ([]byte, error) {
	r := &p.r
	at := r.Offset()
	n := r.ReadLong()
	if r.Err() != nil {
		return nil, p.readerErr(what)
	}
	if rem := r.Remaining(); n < 0 || n > int64(rem) {
		return nil, p.corrupt(at, "%s length %d out of range [0, %d]", what, n, rem)
	}
	start := r.Offset()
	r.Skip(int(n))
	return p.data[start:r.Offset():r.Offset()], nil
}

// metaKey returns key as a string, without allocating for Avro's keys.
func metaKey(key []byte) string {
	switch string(key) {
	case metaSchema:
		return metaSchema
	case metaCodec:
		return metaCodec
	}
	return string(key)
}

// codecName returns name as a Codec, without allocating for known codecs.
func codecName(name []byte) Codec {
	switch string(name) {
	case string(CodecNull):
		return CodecNull
	case string(CodecDeflate):
		return CodecDeflate
	case string(CodecSnappy):
		return CodecSnappy
	case string(CodecZstandard):
		return CodecZstandard
	case string(CodecBzip2):
		return CodecBzip2
	}
	return Codec(name)
}

// block reads one block and appends it to c.Blocks.
func (p *containerParser) block(c *Container) error {
	r, i := &p.r, len(c.Blocks)
	countAt := r.Offset()
	count := r.ReadLong()
	sizeAt := r.Offset()
	size := r.ReadLong()
	if r.Err() != nil {
		return p.readerErr(fmt.Sprintf("block %d", i))
	}
	if count < 0 {
		return p.corrupt(countAt, "block %d: object count %d is negative", i, count)
	}
	if rem := r.Remaining(); size < 0 || size > int64(rem) {
		return p.corrupt(sizeAt, "block %d: byte size %d out of range [0, %d]", i, size, rem)
	}
	start, end := r.Offset(), r.Offset()+int(size)
	r.Skip(int(size))
	syncAt := r.Offset()
	var sync [syncMarkerLen]byte
	r.ReadFixed(sync[:])
	if r.Err() != nil {
		return p.readerErr(fmt.Sprintf("block %d: sync marker", i))
	}
	if sync != c.Sync {
		return p.corrupt(syncAt, "block %d: sync marker % x differs from the header's % x", i, sync, c.Sync)
	}
	data := p.data[start:end:end]
	if c.Codec != CodecNull {
		left := p.left
		var err error
		if data, err = decompress(c.Codec, data, &p.left); err != nil {
			if errors.Is(err, errDecompressLimit) {
				return &FrameError{
					Framing: FramingContainer,
					Offset:  start,
					Msg: fmt.Sprintf("block %d: %s data decompresses to more than the %d bytes left of the limit",
						i, c.Codec, left),
					Err: ErrTooLarge,
				}
			}
			return p.corrupt(start, "block %d: %s data: %v", i, c.Codec, err)
		}
	}
	// Objects of a zero-size type (a record of no fields) take no bytes,
	// so a count above the data's length is only limited like avrobin's
	// zero-size items.
	if count == 0 && len(data) > 0 || count > int64(len(data)) && count > avrobin.MaxZeroSizeItems {
		return p.corrupt(countAt, "block %d: %d objects in %d bytes", i, count, len(data))
	}
	c.Blocks = append(c.Blocks, Block{Count: count, Data: data})
	return nil
}
