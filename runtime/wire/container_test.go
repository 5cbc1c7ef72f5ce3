package wire_test

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"

	"github.com/tonga-go/tonga/runtime/avrobin"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// writableCodecs are the codecs AppendContainer writes.
var writableCodecs = []wire.Codec{"", wire.CodecNull, wire.CodecDeflate, wire.CodecSnappy, wire.CodecZstandard}

var testSync = [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}

func mustContainer(t testing.TB, rec tonga.Record, opts wire.ContainerOptions) []byte {
	t.Helper()
	msg, err := wire.AppendContainerRecord(nil, rec, opts)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

func mustParse(t *testing.T, msg []byte) *wire.Container {
	t.Helper()
	c, err := wire.ParseContainer(msg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestContainerRoundTrip(t *testing.T) {
	for _, codec := range writableCodecs {
		for _, rec := range seedRecords() {
			s := rec.AvroSchema()
			t.Run(string(codec)+"/"+s.FullName, func(t *testing.T) {
				msg, err := wire.AppendContainerRecord([]byte("prefix"), rec, wire.ContainerOptions{Codec: codec})
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.HasPrefix(msg, []byte("prefix")) {
					t.Fatalf("AppendContainerRecord lost the prefix")
				}
				msg = msg[len("prefix"):]
				if got := wire.Detect(msg); got != wire.FramingContainer {
					t.Errorf("Detect = %v, want tonga", got)
				}
				c := mustParse(t, msg)
				wantCodec := codec
				if wantCodec == "" {
					wantCodec = wire.CodecNull
				}
				if c.Schema != s.JSON || c.Codec != wantCodec || string(c.Meta["avro.codec"]) != string(wantCodec) {
					t.Errorf("header: codec %q, meta codec %q, schema %.40q", c.Codec, c.Meta["avro.codec"], c.Schema)
				}
				if c.Sync == [16]byte{} {
					t.Error("zero sync marker")
				}
				if len(c.Blocks) != 1 || c.Blocks[0].Count != 1 {
					t.Fatalf("blocks %+v, want one of one object", c.Blocks)
				}
				if diff := cmp.Diff(rec, decodeOne(t, s, c.Blocks[0].Data)); diff != "" {
					t.Errorf("round trip (-want +got):\n%s", diff)
				}
				// AppendContainer with the same encoding (maps encode in
				// random order) writes the same bytes.
				again, err := wire.AppendContainer(nil, s.JSON, [][]byte{c.Blocks[0].Data},
					wire.ContainerOptions{Codec: codec, Sync: c.Sync})
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(again, msg) {
					t.Errorf("AppendContainer and AppendContainerRecord differ: %d and %d bytes", len(again), len(msg))
				}
			})
		}
	}
}

func TestContainerRandomSync(t *testing.T) {
	rec := seedRecords()[0]
	a, b := mustParse(t, mustContainer(t, rec, wire.ContainerOptions{})), mustParse(t, mustContainer(t, rec, wire.ContainerOptions{}))
	if a.Sync == b.Sync {
		t.Errorf("two files share the sync marker % x", a.Sync)
	}
	c := mustParse(t, mustContainer(t, rec, wire.ContainerOptions{Sync: testSync}))
	if c.Sync != testSync {
		t.Errorf("sync % x, want % x", c.Sync, testSync)
	}
}

// TestContainerBytes checks a small file against bytes worked out by hand
// from the specification.
func TestContainerBytes(t *testing.T) {
	got, err := wire.AppendContainer(nil, `{"type":"string"}`, [][]byte{{0x06, 'f', 'o', 'o'}, {0x02, 'x'}},
		wire.ContainerOptions{Sync: testSync, Meta: map[string][]byte{"x": {0xff}, "a": {}}})
	if err != nil {
		t.Fatal(err)
	}
	var want []byte
	want = append(want, "Obj\x01"...)
	want = append(want, 0x08) // map block of 4 entries, keys sorted
	want = append(want, 0x02, 'a', 0x00)
	want = append(want, 0x14)
	want = append(want, "avro.codec"...)
	want = append(want, 0x08)
	want = append(want, "null"...)
	want = append(want, 0x16)
	want = append(want, "avro.schema"...)
	want = append(want, 0x22)
	want = append(want, `{"type":"string"}`...)
	want = append(want, 0x02, 'x', 0x02, 0xff)
	want = append(want, 0x00) // end of the map
	want = append(want, testSync[:]...)
	want = append(want, 0x04, 0x0c) // 2 objects, 6 bytes
	want = append(want, 0x06, 'f', 'o', 'o', 0x02, 'x')
	want = append(want, testSync[:]...)
	if !bytes.Equal(got, want) {
		t.Errorf("AppendContainer =\n% x\nwant\n% x", got, want)
	}
	c := mustParse(t, got)
	wantC := &wire.Container{
		Schema: `{"type":"string"}`,
		Codec:  wire.CodecNull,
		Meta: map[string][]byte{
			"a": {}, "x": {0xff}, "avro.codec": []byte("null"), "avro.schema": []byte(`{"type":"string"}`),
		},
		Sync:   testSync,
		Blocks: []wire.Block{{Count: 2, Data: []byte{0x06, 'f', 'o', 'o', 0x02, 'x'}}},
	}
	if diff := cmp.Diff(wantC, c); diff != "" {
		t.Errorf("ParseContainer (-want +got):\n%s", diff)
	}
}

// encodeAll returns the encodings of recs, concatenated.
func encodeAll(t *testing.T, recs ...tonga.Record) (objects [][]byte, all []byte) {
	t.Helper()
	for _, rec := range recs {
		b, err := rec.AppendAvro(nil)
		if err != nil {
			t.Fatal(err)
		}
		objects = append(objects, b)
		all = append(all, b...)
	}
	return objects, all
}

// decodeBlock decodes the count records of one type that data holds.
func decodeBlock(t *testing.T, s *tonga.Schema, count int64, data []byte) []tonga.Record {
	t.Helper()
	r := avrobin.NewReader(data)
	var recs []tonga.Record
	for range count {
		rec := s.New()
		rec.DecodeAvro(r)
		recs = append(recs, rec)
	}
	if err := r.Finish(); err != nil {
		t.Fatalf("decode block: %v", err)
	}
	return recs
}

func TestContainerSeveralObjects(t *testing.T) {
	a, b, c := seed.NewCoffeeOrdered(), seed.NewCoffeeOrdered(), seed.NewCoffeeOrdered()
	a.UUID, b.UUID, c.UUID = "a", "b", "c"
	want := []tonga.Record{a, b, c}
	objects, all := encodeAll(t, want...)
	s := a.AvroSchema()
	for _, codec := range writableCodecs {
		t.Run(string(codec), func(t *testing.T) {
			msg, err := wire.AppendContainer(nil, s.JSON, objects, wire.ContainerOptions{Codec: codec})
			if err != nil {
				t.Fatal(err)
			}
			ct := mustParse(t, msg)
			if len(ct.Blocks) != 1 || ct.Blocks[0].Count != 3 || !bytes.Equal(ct.Blocks[0].Data, all) {
				t.Fatalf("blocks %+v, want one of 3 objects", ct.Blocks)
			}
			if diff := cmp.Diff(want, decodeBlock(t, s, 3, ct.Blocks[0].Data)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestContainerBlocks(t *testing.T) {
	a, b, c := seed.NewCoffeeStarted(), seed.NewCoffeeStarted(), seed.NewCoffeeStarted()
	s := a.AvroSchema()
	_, first := encodeAll(t, a, b)
	_, second := encodeAll(t, c)
	// With no objects AppendContainer writes the header alone: a valid
	// file of no blocks, to which blocks are appended by hand.
	msg, err := wire.AppendContainer(nil, s.JSON, nil, wire.ContainerOptions{Sync: testSync})
	if err != nil {
		t.Fatal(err)
	}
	if ct := mustParse(t, msg); len(ct.Blocks) != 0 {
		t.Fatalf("header alone: %d blocks", len(ct.Blocks))
	}
	msg = appendBlock(msg, 2, first, testSync)
	msg = appendBlock(msg, 1, second, testSync)
	ct := mustParse(t, msg)
	want := []wire.Block{{Count: 2, Data: first}, {Count: 1, Data: second}}
	if diff := cmp.Diff(want, ct.Blocks); diff != "" {
		t.Fatalf("blocks (-want +got):\n%s", diff)
	}
	got := append(decodeBlock(t, s, 2, ct.Blocks[0].Data), decodeBlock(t, s, 1, ct.Blocks[1].Data)...)
	if diff := cmp.Diff([]tonga.Record{a, b, c}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// appendBlock appends a block as the specification lays it out.
func appendBlock(b []byte, count int64, data []byte, sync [16]byte) []byte {
	b = avrobin.AppendLong(b, count)
	b = avrobin.AppendBytes(b, data)
	return append(b, sync[:]...)
}

// header returns a container header with the given metadata, which must
// hold avro.schema, in the order given.
func header(kv ...string) []byte {
	b := append([]byte("Obj\x01"), avrobin.AppendLong(nil, int64(len(kv)/2))...)
	for i := 0; i < len(kv); i += 2 {
		b = avrobin.AppendString(b, kv[i])
		b = avrobin.AppendString(b, kv[i+1])
	}
	return append(avrobin.AppendBlockEnd(b), testSync[:]...)
}

func TestContainerHeaders(t *testing.T) {
	// Python always writes avro.codec, Java not for the null codec.
	c := mustParse(t, header("avro.schema", `"string"`))
	if c.Codec != wire.CodecNull || c.Schema != `"string"` {
		t.Errorf("no codec entry: codec %q, schema %q", c.Codec, c.Schema)
	}
	// A map block with a negative count gives its byte size.
	b := append([]byte("Obj\x01"), avrobin.AppendLong(nil, -1)...)
	entry := avrobin.AppendString(avrobin.AppendString(nil, "avro.schema"), `"int"`)
	b = avrobin.AppendBytes(b, entry)
	b = append(avrobin.AppendBlockEnd(b), testSync[:]...)
	if c := mustParse(t, b); c.Schema != `"int"` {
		t.Errorf("sized map block: schema %q", c.Schema)
	}
}

func TestContainerOptionErrors(t *testing.T) {
	rec := seedRecords()[0]
	for _, codec := range []wire.Codec{wire.CodecBzip2, "xz", "lz4"} {
		_, err := wire.AppendContainerRecord(nil, rec, wire.ContainerOptions{Codec: codec})
		if !errors.Is(err, wire.ErrUnsupportedCodec) || !strings.Contains(err.Error(), string(codec)) {
			t.Errorf("codec %s: error %v, want ErrUnsupportedCodec naming it", codec, err)
		}
	}
	_, err := wire.AppendContainer(nil, `"int"`, nil, wire.ContainerOptions{Meta: map[string][]byte{"avro.x": nil}})
	if err == nil || !strings.Contains(err.Error(), "avro.x") {
		t.Errorf("reserved metadata key: error %v", err)
	}
}

// wantFrameError checks that err is a *FrameError of a container matching
// target whose message contains msg.
func wantFrameError(t *testing.T, err, target error, msg string) {
	t.Helper()
	var fe *wire.FrameError
	switch {
	case !errors.As(err, &fe):
		t.Errorf("error %v is not a *wire.FrameError", err)
	case fe.Framing != wire.FramingContainer:
		t.Errorf("error %v: framing %v", err, fe.Framing)
	case !errors.Is(err, target):
		t.Errorf("error %v does not match %v", err, target)
	case !strings.Contains(err.Error(), msg):
		t.Errorf("error %q does not say %q", err, msg)
	}
}

func TestParseContainerTruncated(t *testing.T) {
	rec := seedRecords()[0]
	for _, codec := range writableCodecs {
		msg := mustContainer(t, rec, wire.ContainerOptions{Codec: codec, Sync: testSync})
		hdr, err := wire.AppendContainer(nil, rec.AvroSchema().JSON, nil, wire.ContainerOptions{Codec: codec, Sync: testSync})
		if err != nil {
			t.Fatal(err)
		}
		for n := range len(msg) {
			c, err := wire.ParseContainer(msg[:n])
			switch {
			case n == len(hdr):
				if err != nil || len(c.Blocks) != 0 {
					t.Errorf("%s: the header alone: %v", codec, err)
				}
			case n < 4:
				if !errors.Is(err, wire.ErrBadFraming) {
					t.Errorf("%s: %d bytes: error %v, want ErrBadFraming", codec, n, err)
				}
			case !errors.Is(err, avrobin.ErrCorrupt):
				t.Errorf("%s: %d of %d bytes: error %v, want ErrCorrupt", codec, n, len(msg), err)
			}
		}
	}
}

func TestParseContainerCorrupt(t *testing.T) {
	rec := seedRecords()[0]
	good := mustContainer(t, rec, wire.ContainerOptions{Sync: testSync})
	hdr := header("avro.codec", "null", "avro.schema", `"string"`)
	body := avrobin.AppendString(nil, "foo")
	otherSync := testSync
	otherSync[15] ^= 0xff
	snappyMsg := mustContainer(t, rec, wire.ContainerOptions{Codec: wire.CodecSnappy, Sync: testSync})
	badCRC := bytes.Clone(snappyMsg)
	badCRC[len(badCRC)-17] ^= 1 // the CRC's last byte, before the sync marker
	badSnappy := bytes.Clone(snappyMsg)
	badSnappy[len(hdrOf(t, snappyMsg))+3] = 0xff // the snappy preamble: length beyond the data
	deflateMsg := mustContainer(t, rec, wire.ContainerOptions{Codec: wire.CodecDeflate, Sync: testSync})
	hd := hdrOf(t, deflateMsg)
	badDeflate := append(bytes.Clone(hd), appendBlock(nil, 1, []byte{0xff, 0xff, 0xff}, testSync)...)
	for _, tc := range []struct {
		name   string
		data   []byte
		target error
		msg    string
	}{
		{"empty", nil, wire.ErrBadFraming, "magic"},
		{"wrong magic", append([]byte("Obj\x02"), good[4:]...), wire.ErrBadFraming, "magic"},
		{"soe", []byte{0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8}, wire.ErrBadFraming, "magic"},
		{"wrong sync", append(bytes.Clone(good[:len(good)-16]), otherSync[:]...), avrobin.ErrCorrupt, "sync marker"},
		{"size beyond input", append(avrobin.AppendLong(bytes.Clone(hdr), 1), 0xd0, 0x0f, 'x'), avrobin.ErrCorrupt, "byte size 1000"},
		{"negative size", appendBlockRaw(hdr, 1, -1, nil), avrobin.ErrCorrupt, "byte size -1"},
		{"negative count", appendBlock(bytes.Clone(hdr), -1, body, testSync), avrobin.ErrCorrupt, "count -1"},
		{"zero count with data", appendBlock(bytes.Clone(hdr), 0, body, testSync), avrobin.ErrCorrupt, "0 objects"},
		{"huge count", appendBlock(bytes.Clone(hdr), 1<<40, body, testSync), avrobin.ErrCorrupt, "objects in"},
		{"trailing bytes", append(bytes.Clone(good), 0x02), avrobin.ErrCorrupt, "block 1"},
		{"no schema", header("avro.codec", "null"), avrobin.ErrCorrupt, "avro.schema"},
		{"duplicate key", header("avro.schema", `"int"`, "avro.schema", `"int"`), avrobin.ErrCorrupt, "twice"},
		{"map count beyond input", append([]byte("Obj\x01"), 0xfe, 0xff, 0x03), avrobin.ErrCorrupt, "header"},
		{"unknown codec", header("avro.codec", "xz", "avro.schema", `"int"`), wire.ErrUnsupportedCodec, `"xz"`},
		{"snappy CRC mismatch", badCRC, avrobin.ErrCorrupt, "CRC"},
		{"bad snappy", badSnappy, avrobin.ErrCorrupt, "snappy"},
		{"snappy too short", append(header("avro.codec", "snappy", "avro.schema", `"int"`),
			appendBlock(nil, 1, []byte{1, 2}, testSync)...), avrobin.ErrCorrupt, "CRC"},
		{"bad deflate", badDeflate, avrobin.ErrCorrupt, "deflate"},
		{"bad zstandard", append(header("avro.codec", "zstandard", "avro.schema", `"int"`),
			appendBlock(nil, 1, []byte("not zstd"), testSync)...), avrobin.ErrCorrupt, "zstandard"},
		{"bad bzip2", append(header("avro.codec", "bzip2", "avro.schema", `"int"`),
			appendBlock(nil, 1, []byte("BZh9junk"), testSync)...), avrobin.ErrCorrupt, "bzip2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := wire.ParseContainer(tc.data)
			if c != nil {
				t.Errorf("got a container with an error %v", err)
			}
			wantFrameError(t, err, tc.target, tc.msg)
		})
	}
}

// appendBlockRaw appends a block with any size.
func appendBlockRaw(hdr []byte, count, size int64, data []byte) []byte {
	b := avrobin.AppendLong(bytes.Clone(hdr), count)
	b = avrobin.AppendLong(b, size)
	return append(append(b, data...), testSync[:]...)
}

// hdrOf returns the header of a container written with testSync.
func hdrOf(t *testing.T, msg []byte) []byte {
	t.Helper()
	i := bytes.Index(msg, testSync[:])
	if i < 0 {
		t.Fatal("no sync marker")
	}
	return msg[:i+16]
}

// bomb returns a container of one block of the codec that decompresses to
// n zero bytes.
func bomb(t *testing.T, codec wire.Codec, n int) []byte {
	t.Helper()
	zeros := make([]byte, n)
	var z []byte
	switch codec {
	case wire.CodecDeflate:
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, flate.BestCompression)
		_, _ = w.Write(zeros)
		_ = w.Close()
		z = buf.Bytes()
	case wire.CodecZstandard:
		enc, _ := zstd.NewWriter(nil)
		z = enc.EncodeAll(zeros, nil)
	case wire.CodecSnappy:
		// The preamble declares n bytes; the data need not follow.
		z = append(uvarint(uint64(n)), 0, 0, 0, 0)
	}
	return append(header("avro.codec", string(codec), "avro.schema", `"bytes"`), appendBlock(nil, 1, z, testSync)...)
}

func uvarint(x uint64) []byte {
	var b []byte
	for x >= 0x80 {
		b = append(b, byte(x)|0x80)
		x >>= 7
	}
	return append(b, byte(x))
}

// maxState bounds what decompressors allocate besides their output: the
// Zstandard window, a 64 KiB chunk more than needed.
const maxState = 8<<20 + 1<<20

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestParseContainerBomb(t *testing.T) {
	const limit = 1 << 20
	for _, codec := range []wire.Codec{wire.CodecDeflate, wire.CodecZstandard, wire.CodecSnappy} {
		t.Run(string(codec), func(t *testing.T) {
			msg := bomb(t, codec, 4*limit)
			if len(msg) > limit/32 {
				t.Fatalf("the %s bomb is %d bytes", codec, len(msg))
			}
			var err error
			alloc := allocated(func() { _, err = wire.ParseContainerLimit(msg, limit) })
			wantFrameError(t, err, wire.ErrTooLarge, "limit")
			if alloc > limit+maxState {
				t.Errorf("a %d-byte %s bomb allocated %d bytes with a limit of %d", len(msg), codec, alloc, limit)
			}
			// Within the limit the same data is fine.
			if codec != wire.CodecSnappy {
				c, err := wire.ParseContainerLimit(msg, 4*limit)
				if err != nil || len(c.Blocks[0].Data) != 4*limit {
					t.Errorf("within the limit: %v", err)
				}
			}
		})
	}
	t.Run("default limit", func(t *testing.T) {
		msg := bomb(t, wire.CodecDeflate, wire.DefaultMaxDecompressed+1)
		var err error
		alloc := allocated(func() { _, err = wire.ParseContainer(msg) })
		wantFrameError(t, err, wire.ErrTooLarge, "limit")
		if alloc > wire.DefaultMaxDecompressed+maxState {
			t.Errorf("a %d-byte bomb allocated %d bytes", len(msg), alloc)
		}
	})
	t.Run("limit over blocks", func(t *testing.T) {
		// Two blocks within the limit each but not together.
		hdr := header("avro.codec", "snappy", "avro.schema", `"bytes"`)
		zeros := make([]byte, 600<<10)
		block := binary.BigEndian.AppendUint32(snappy.Encode(nil, zeros), crc32.ChecksumIEEE(zeros))
		msg := appendBlock(appendBlock(hdr, 1, block, testSync), 1, block, testSync)
		_, err := wire.ParseContainerLimit(msg, limit)
		wantFrameError(t, err, wire.ErrTooLarge, "block 1")
	})
}

func TestCodecCompresses(t *testing.T) {
	// Ten identical records compress well with every codec but null.
	var recs []tonga.Record
	for range 10 {
		recs = append(recs, seedRecords()[0])
	}
	objects, all := encodeAll(t, recs...)
	for _, codec := range writableCodecs[2:] {
		msg, err := wire.AppendContainer(nil, `"bytes"`, objects, wire.ContainerOptions{Codec: codec})
		if err != nil {
			t.Fatal(err)
		}
		if len(msg) > len(all)/2 {
			t.Errorf("%s: %d bytes of objects take %d bytes", codec, len(all), len(msg))
		}
	}
}
