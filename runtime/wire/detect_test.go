package wire_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/tonga-go/tonga/runtime/wire"
)

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		data []byte
		want wire.Framing
	}{
		{nil, wire.FramingUnknown},
		{[]byte("Obj\x01"), wire.FramingContainer},
		{[]byte("Obj\x01\x04junk"), wire.FramingContainer},
		{[]byte("Obj\x02\x04junk"), wire.FramingUnknown},
		{[]byte("Obj"), wire.FramingUnknown},
		{[]byte{0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8}, wire.FramingSingleObject},
		{[]byte{0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9}, wire.FramingSingleObject},
		{[]byte{0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7}, wire.FramingUnknown},
		{[]byte{0xc3, 0x02, 1, 2, 3, 4, 5, 6, 7, 8}, wire.FramingUnknown},
		{[]byte{0, 0, 0, 0, 1}, wire.FramingConfluent},
		{[]byte{0, 0, 0, 0, 1, 2, 3}, wire.FramingConfluent},
		{[]byte{0, 0, 0, 1}, wire.FramingUnknown},
		{[]byte(`{"uuid":"c1"}`), wire.FramingUnknown},
		{bytes.Repeat([]byte{0x02}, 20), wire.FramingUnknown},
	} {
		if got := wire.Detect(tc.data); got != tc.want {
			t.Errorf("Detect(% x) = %v, want %v", tc.data, got, tc.want)
		}
	}
}

func TestDetectWritten(t *testing.T) {
	for _, rec := range seedRecords() {
		soe, err := wire.AppendSingleObject(nil, rec)
		if err != nil {
			t.Fatal(err)
		}
		if got := wire.Detect(soe); got != wire.FramingSingleObject {
			t.Errorf("%s: Detect(single object) = %v", rec.AvroSchema().FullName, got)
		}
		for _, codec := range writableCodecs {
			if got := wire.Detect(mustContainer(t, rec, wire.ContainerOptions{Codec: codec})); got != wire.FramingContainer {
				t.Errorf("%s: Detect(%s container) = %v", rec.AvroSchema().FullName, codec, got)
			}
		}
	}
}

func TestFramingNames(t *testing.T) {
	for _, tc := range []struct {
		f    wire.Framing
		name string
	}{
		{wire.FramingUnknown, "unknown"},
		{wire.FramingSingleObject, "soe"},
		{wire.FramingContainer, "tonga"},
		{wire.FramingConfluent, "confluent"},
	} {
		if got := tc.f.String(); got != tc.name {
			t.Errorf("%d.String() = %q, want %q", int(tc.f), got, tc.name)
		}
		if got, err := wire.ParseFraming(tc.name); got != tc.f || err != nil {
			t.Errorf("ParseFraming(%q) = %v, %v", tc.name, got, err)
		}
	}
	if got := wire.Framing(42).String(); got != "unknown" {
		t.Errorf("Framing(42).String() = %q", got)
	}
	for name, want := range map[string]wire.Framing{"single-object": wire.FramingSingleObject, "container": wire.FramingContainer} {
		if got, err := wire.ParseFraming(name); got != want || err != nil {
			t.Errorf("ParseFraming(%q) = %v, %v", name, got, err)
		}
	}
	for _, name := range []string{"", "SOE", "avro", "json"} {
		if got, err := wire.ParseFraming(name); err == nil {
			t.Errorf("ParseFraming(%q) = %v, want an error", name, got)
		}
	}
}

func TestFramingText(t *testing.T) {
	var cfg struct{ Framing wire.Framing }
	if err := json.Unmarshal([]byte(`{"Framing":"single-object"}`), &cfg); err != nil || cfg.Framing != wire.FramingSingleObject {
		t.Fatalf("unmarshal: %v, %v", cfg.Framing, err)
	}
	cfg.Framing = wire.FramingContainer
	out, err := json.Marshal(cfg)
	if err != nil || string(out) != `{"Framing":"tonga"}` {
		t.Errorf("marshal: %s, %v", out, err)
	}
	if err := json.Unmarshal([]byte(`{"Framing":"protobuf"}`), &cfg); err == nil {
		t.Error("unmarshal of an unknown framing: no error")
	}
}
