package wire_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/tonga-go/tonga/runtime/avrobin"
	"github.com/tonga-go/tonga/runtime/wire"
)

// fuzzSeeds adds messages of every framing to f; testdata/fuzz holds more.
func fuzzSeeds(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x02, 'x'})
	f.Add([]byte{0, 0, 0, 0, 7, 0x02, 'x'})
	f.Add(header("avro.codec", "null", "avro.schema", `"string"`))
	for _, codec := range writableCodecs[1:] {
		msg, err := wire.AppendContainer(nil, `"string"`, [][]byte{{0x06, 'f', 'o', 'o'}, {0x02, 'x'}},
			wire.ContainerOptions{Codec: codec, Sync: testSync})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(msg)
	}
}

// FuzzDetect checks that Detect never panics and agrees with the parsers:
// ParseSingleObject succeeds exactly on what Detect calls soe, and
// ParseContainer succeeds only on what it calls tonga; each fails with
// ErrBadFraming on the rest.
func FuzzDetect(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		fr := wire.Detect(data)
		_, body, errS := wire.ParseSingleObject(data)
		switch {
		case (errS == nil) != (fr == wire.FramingSingleObject):
			t.Fatalf("Detect = %v, ParseSingleObject error %v", fr, errS)
		case errS != nil && !errors.Is(errS, wire.ErrBadFraming):
			t.Fatalf("ParseSingleObject error %v, want ErrBadFraming", errS)
		case errS == nil && len(body) != len(data)-10:
			t.Fatalf("body of %d bytes from %d", len(body), len(data))
		}
		_, errC := wire.ParseContainer(data)
		if errC == nil && fr != wire.FramingContainer {
			t.Fatalf("ParseContainer accepted what Detect calls %v", fr)
		}
		if errors.Is(errC, wire.ErrBadFraming) != (fr != wire.FramingContainer) {
			t.Fatalf("Detect = %v, ParseContainer error %v", fr, errC)
		}
		if fr == wire.FramingConfluent && (len(data) < 5 || data[0] != 0) {
			t.Fatalf("Detect = confluent on % x", data)
		}
	})
}

// conditions are what parse errors match, one each.
var conditions = []error{wire.ErrBadFraming, wire.ErrUnsupportedCodec, wire.ErrTooLarge, avrobin.ErrCorrupt}

// FuzzParseContainer checks that ParseContainer never panics, allocates no
// more than its limit, a Zstandard window and a multiple of its input,
// fails with a *FrameError matching one condition, and that what it parses
// writes back to a file that parses the same.
func FuzzParseContainer(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var c *wire.Container
		var err error
		alloc := allocated(func() { c, err = wire.ParseContainer(data) })
		if bound := uint64(wire.DefaultMaxDecompressed + maxState + 256*len(data)); alloc > bound {
			t.Fatalf("ParseContainer of %d bytes allocated %d bytes, more than %d", len(data), alloc, bound)
		}
		if err != nil {
			checkParseError(t, data, err)
			return
		}
		if wire.Detect(data) != wire.FramingContainer {
			t.Fatalf("parsed a container that Detect does not see")
		}
		again := rewrite(t, c)
		if c.Schema != again.Schema || c.Sync != again.Sync || len(c.Blocks) != len(again.Blocks) {
			t.Fatalf("rewritten container differs: %d blocks, now %d", len(c.Blocks), len(again.Blocks))
		}
		for i, blk := range c.Blocks {
			if blk.Count != again.Blocks[i].Count || !bytes.Equal(blk.Data, again.Blocks[i].Data) {
				t.Fatalf("rewritten block %d differs", i)
			}
		}
	})
}

// checkParseError checks an error of ParseContainer.
func checkParseError(t *testing.T, data []byte, err error) {
	t.Helper()
	var fe *wire.FrameError
	if !errors.As(err, &fe) || fe.Framing != wire.FramingContainer {
		t.Fatalf("error %v is not a *wire.FrameError of a container", err)
	}
	if fe.Offset < 0 || fe.Offset > len(data) {
		t.Fatalf("error offset %d out of [0, %d]", fe.Offset, len(data))
	}
	matched := 0
	for _, cond := range conditions {
		if errors.Is(err, cond) {
			matched++
		}
	}
	if matched != 1 {
		t.Fatalf("error %v matches %d conditions", err, matched)
	}
	if !strings.HasPrefix(err.Error(), "wire: container at offset ") {
		t.Fatalf("error message %q", err)
	}
}

// rewrite writes c again with the null codec, its blocks as they are, and
// parses the result.
func rewrite(t *testing.T, c *wire.Container) *wire.Container {
	t.Helper()
	meta := map[string][]byte{}
	for k, v := range c.Meta {
		if !strings.HasPrefix(k, "avro.") {
			meta[k] = v
		}
	}
	b, err := wire.AppendContainer(nil, c.Schema, nil, wire.ContainerOptions{Sync: c.Sync, Meta: meta})
	if err != nil {
		t.Fatal(err)
	}
	for _, blk := range c.Blocks {
		b = appendBlock(b, blk.Count, blk.Data, c.Sync)
	}
	again, err := wire.ParseContainer(b)
	if err != nil {
		t.Fatalf("rewritten container: %v", err)
	}
	for k, v := range meta {
		if !bytes.Equal(again.Meta[k], v) {
			t.Fatalf("metadata %q: %q, want %q", k, again.Meta[k], v)
		}
	}
	return again
}
