package wire

import (
	"bytes"
	"compress/bzip2"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"sync"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
)

// Codec is the compression codec of a container's blocks, by its name in
// the "avro.codec" header entry.
type Codec string

// The codecs of the Avro specification that this package reads. It writes
// all but [CodecBzip2]. The specification's "xz" is not supported.
const (
	// CodecNull is no compression, what Python Tonga writes.
	CodecNull Codec = "null"
	// CodecDeflate is raw DEFLATE (RFC 1951), without zlib's header and
	// checksum.
	CodecDeflate Codec = "deflate"
	// CodecSnappy is the Snappy block format followed by the 4-byte
	// big-endian CRC-32 (IEEE) of the uncompressed data.
	CodecSnappy Codec = "snappy"
	// CodecZstandard is Zstandard (RFC 8878) frames.
	CodecZstandard Codec = "zstandard"
	// CodecBzip2 is bzip2; this package reads it but does not write it.
	CodecBzip2 Codec = "bzip2"
)

// codecs are the codecs read, and whether each is written.
var codecs = map[Codec]bool{
	CodecNull:      true,
	CodecDeflate:   true,
	CodecSnappy:    true,
	CodecZstandard: true,
	CodecBzip2:     false,
}

// checkWritable returns an error matching ErrUnsupportedCodec unless c can
// be written.
func checkWritable(c Codec) error {
	if write, ok := codecs[c]; !ok || !write {
		return fmt.Errorf("wire: codec %q cannot be written: %w", string(c), ErrUnsupportedCodec)
	}
	return nil
}

// compress appends the compression of src with codec c, which must be
// writable and not null, to dst.
func compress(dst []byte, c Codec, src []byte) ([]byte, error) {
	switch c {
	case CodecDeflate:
		return compressDeflate(dst, src)
	case CodecSnappy:
		dst = append(dst, snappy.Encode(nil, src)...)
		return binary.BigEndian.AppendUint32(dst, crc32.ChecksumIEEE(src)), nil
	case CodecZstandard:
		return zstdEncoder().EncodeAll(src, dst), nil
	}
	return nil, checkWritable(c)
}

// appendWriter is an io.Writer that appends to a byte slice.
type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// deflateWriters holds *flate.Writer values for reuse: each holds
// hundreds of KiB of state.
var deflateWriters sync.Pool

// compressDeflate appends the raw DEFLATE compression of src to dst, at
// the default level of klauspost/compress/flate: its level 5, whose output
// for a Tonga record is within a few bytes of level 6 (zlib's default,
// which Python and Java Avro use) and which resets far faster than the
// standard library's compressor for small blocks.
func compressDeflate(dst, src []byte) ([]byte, error) {
	out := &appendWriter{b: dst}
	w, _ := deflateWriters.Get().(*flate.Writer)
	if w == nil {
		var err error
		if w, err = flate.NewWriter(out, flate.DefaultCompression); err != nil {
			return nil, err
		}
	} else {
		w.Reset(out)
	}
	defer deflateWriters.Put(w)
	if _, err := w.Write(src); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.b, nil
}

// zstdEncoder returns the encoder shared by all writers (EncodeAll may be
// called concurrently). It writes a frame for empty input too, as other
// implementations expect.
var zstdEncoder = sync.OnceValue(func() *zstd.Encoder {
	enc, err := zstd.NewWriter(nil, zstd.WithZeroFrames(true))
	if err != nil {
		panic("wire: zstd encoder: " + err.Error()) // the options are constant
	}
	return enc
})

// errDecompressLimit reports decompressed data beyond the limit of
// decompress; the caller turns it into ErrTooLarge.
var errDecompressLimit = errors.New("decompressed data exceeds the limit")

// bzip2State is what the standard library's bzip2 reader allocates before
// it decodes a byte: a table of 4 bytes per byte of the bzip2 block size,
// up to 900 000.
const bzip2State = 4 * 900_000

// decompress returns the decompression of src with codec c, a codec read
// other than null. It takes what it allocates from *budget: the output
// and, for bzip2, the reader's state (readers of the other codecs are
// reused). If that exceeds *budget it fails with errDecompressLimit, having
// allocated little more than *budget (and, for Zstandard, a window of up to
// 8 MiB), however small src is. Other errors are about corrupt data.
func decompress(c Codec, src []byte, budget *int) ([]byte, error) {
	var out []byte
	var err error
	switch c {
	case CodecDeflate:
		out, err = inflate(src, *budget)
	case CodecSnappy:
		out, err = decompressSnappy(src, *budget)
	case CodecZstandard:
		out, err = decompressZstd(src, *budget)
	case CodecBzip2:
		if *budget < bzip2State {
			return nil, errDecompressLimit
		}
		*budget -= bzip2State
		out, err = readLimited(bzip2.NewReader(bytes.NewReader(src)), 4*len(src), *budget)
	default:
		return nil, fmt.Errorf("codec %q: %w", string(c), ErrUnsupportedCodec)
	}
	if err != nil {
		return nil, err
	}
	*budget -= len(out)
	return out, nil
}

// deflateReaders holds flate readers, which implement flate.Resetter, for
// reuse: each holds tens of KiB of state.
var deflateReaders sync.Pool

// inflate decompresses raw DEFLATE data. Data after the end of the DEFLATE
// stream is ignored, as zlib and Java's Inflater do: Python's avro leaves
// three bytes of zlib's Adler-32 checksum there.
func inflate(src []byte, limit int) ([]byte, error) {
	in := bytes.NewReader(src)
	r, _ := deflateReaders.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReader(in)
	} else if err := r.(flate.Resetter).Reset(in, nil); err != nil {
		return nil, err
	}
	defer deflateReaders.Put(r)
	out, err := readLimited(r, 4*len(src), limit)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, errors.New("deflate data is truncated")
	}
	return out, err
}

// decompressSnappy checks the length a Snappy block declares against the
// limit before it allocates, then checks the CRC-32 that follows it.
func decompressSnappy(src []byte, limit int) ([]byte, error) {
	if len(src) < 4 {
		return nil, fmt.Errorf("snappy data of %d bytes has no room for its 4-byte CRC-32", len(src))
	}
	block, sum := src[:len(src)-4], binary.BigEndian.Uint32(src[len(src)-4:])
	n, err := snappy.DecodedLen(block)
	if err != nil {
		return nil, fmt.Errorf("snappy: %w", err)
	}
	if n > limit {
		return nil, errDecompressLimit
	}
	out, err := snappy.Decode(make([]byte, n), block)
	if err != nil {
		return nil, fmt.Errorf("snappy: %w", err)
	}
	if got := crc32.ChecksumIEEE(out); got != sum {
		return nil, fmt.Errorf("snappy CRC-32 %08x of the decompressed data is not the %08x stored", got, sum)
	}
	return out, nil
}

// zstdDecoders holds streaming Zstandard decoders for reuse.
var zstdDecoders sync.Pool

// zstdMaxWindow is the largest Zstandard window decoded: the window of
// level 19, the highest level short of --ultra. A stream decoder holds a
// buffer of about its frame's window.
const zstdMaxWindow = 8 << 20

// decompressZstd decompresses Zstandard frames as a stream, so that the
// output, read with readLimited, stops at the limit whatever size the
// frames declare.
func decompressZstd(src []byte, limit int) ([]byte, error) {
	d, _ := zstdDecoders.Get().(*zstd.Decoder)
	if d == nil {
		var err error
		// One goroutine-free decoder per stream; lowmem keeps its
		// buffers to what the frames need.
		d, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxWindow(zstdMaxWindow))
		if err != nil {
			return nil, err
		}
	}
	defer zstdDecoders.Put(d)
	if err := d.Reset(bytes.NewReader(src)); err != nil {
		return nil, fmt.Errorf("zstandard: %w", err)
	}
	out, err := readLimited(d, 4*len(src), limit)
	switch {
	case errors.Is(err, zstd.ErrDecoderSizeExceeded), errors.Is(err, zstd.ErrWindowSizeExceeded):
		return nil, errDecompressLimit
	case err != nil && !errors.Is(err, errDecompressLimit):
		return nil, fmt.Errorf("zstandard: %w", err)
	}
	return out, err
}

// maxChunk is the largest buffer readLimited allocates at a time.
const maxChunk = 1 << 20

// readLimited reads r to its end and returns what it read, or
// errDecompressLimit as soon as r yields more than limit bytes. It reads
// into chunks that start at hint bytes and double up to 1 MiB, never beyond
// what the limit leaves, and joins them at the end: it allocates at most
// limit+1 bytes before it fails, and about twice the output after a
// success longer than hint.
func readLimited(r io.Reader, hint, limit int) ([]byte, error) {
	limit = max(limit, 0)
	var chunks [][]byte
	total, size := 0, min(max(hint, 512), maxChunk)
	for {
		buf := make([]byte, min(size, limit+1-total))
		n, err := fill(r, buf)
		total += n
		if total > limit {
			return nil, errDecompressLimit
		}
		chunks = append(chunks, buf[:n])
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		size = min(2*size, maxChunk)
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	out := make([]byte, 0, total)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out, nil
}

// fill reads from r until buf is full or r fails; at the end of r it
// returns io.EOF.
func fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
