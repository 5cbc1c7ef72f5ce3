// Package wire frames Kafka message values: it puts the bytes around a
// record's Avro binary encoding that tell a reader which schema wrote it,
// and takes them off again. It knows three framings ([Framing]):
//
//   - Avro's single-object encoding ([FramingSingleObject], "soe"), the
//     default: C3 01, the writer schema's 8-byte little-endian CRC-64-AVRO
//     fingerprint, the body. [AppendSingleObject] writes it and
//     [ParseSingleObject] splits it; a registry maps the fingerprint to a
//     type ([tonga.Registry.Decode]).
//   - The Tonga framing ([FramingContainer], "tonga"): each message value
//     is one Avro object container file holding one record, the writer
//     schema in its header, as Python Tonga writes it.
//     [AppendContainerRecord] writes it and [ParseContainer] reads it.
//   - The Confluent schema-registry framing ([FramingConfluent]): a zero
//     byte and a 4-byte big-endian schema id. This package only detects it.
//
// [Detect] tells the framing of a message from its first bytes.
//
// # Python Tonga
//
// Python Tonga (on avro-python3 1.9/1.10 or avro 1.10/1.11) writes each
// message with avro.datafile.DataFileWriter, one append and a flush: one
// container file, one block of one record, the null codec, a random sync
// marker. Its header map is one block of two entries, "avro.codec" =
// "null" then "avro.schema" = the schema as Python prints it; the sorted
// order this package writes is the same, so for the same schema text and
// sync marker the bytes are identical. Python always writes "avro.codec",
// and avro-python3's reader fails without it, so this package writes it for
// the null codec too. Python Tonga's decoder reads the record's full name
// from the "namespace" and "name" keys of the header schema, which
// [tonga.Schema.JSON] has.
//
// Python's deflate writer leaves three bytes of zlib's Adler-32 checksum
// after the DEFLATE stream (it cuts zlib.compress's output with [2:-1]);
// the deflate reader here ignores bytes after the end of the stream, as
// zlib and Java do.
//
// # Hostile input
//
// Parsing never panics and never allocates more than the input justifies:
// lengths and counts are checked against the input before anything is
// allocated, and decompression stops at a limit ([DefaultMaxDecompressed],
// or the one given to [ParseContainerLimit]), so that a decompression bomb
// costs no more memory than a legitimate message of that size. Errors are
// [*FrameError] values matching [ErrBadFraming], [ErrUnsupportedCodec],
// [ErrTooLarge] or [avrobin.ErrCorrupt].
package wire
