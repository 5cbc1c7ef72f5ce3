package codectest

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tonga-go/tonga/internal/resolve"
	"github.com/tonga-go/tonga/internal/schema"
	"github.com/tonga-go/tonga/runtime/avrobin"
	v1 "github.com/tonga-go/tonga/testdata/evolution-v1/want"
	evo "github.com/tonga-go/tonga/testdata/evolution/want"
)

// compileJSON compiles a schema known only at run time, as a container
// header gives it.
func compileJSON(t *testing.T, js string) *schema.Schema {
	t.Helper()
	docs, diags := schema.Parse([]schema.Source{{Path: "header", Data: []byte(js)}})
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	set, err := schema.Compile(docs)
	if err != nil {
		t.Fatal(err)
	}
	return set.Roots[0]
}

// decodeBoth decodes data, written with the writer schema of fingerprint
// fp, into the current Order twice: with the generated resolving decoder
// and with the run-time transcoder. Both must agree.
func decodeBoth(t *testing.T, fp uint64, writerJSON string, data []byte) *evo.Order {
	t.Helper()
	var gen *evo.Order
	for _, w := range (*evo.Order)(nil).AvroSchema().Writers {
		if w.Fingerprint != fp {
			continue
		}
		gen = new(evo.Order)
		var r avrobin.Reader
		r.Reset(data)
		w.Decode(gen, &r)
		if err := r.Finish(); err != nil {
			t.Fatalf("generated resolving decoder: %v", err)
		}
	}
	if gen == nil {
		t.Fatalf("no generated decoder for writer %016x", fp)
	}
	tr, err := resolve.Compile(compileJSON(t, writerJSON), compileJSON(t, (*evo.Order)(nil).AvroSchema().JSON))
	if err != nil {
		t.Fatal(err)
	}
	current, err := tr.Transcode(nil, data)
	if err != nil {
		t.Fatal(err)
	}
	run := new(evo.Order)
	if err := run.UnmarshalAvro(current); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(gen, run, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("generated and run-time resolution disagree (-generated +run-time):\n%s", diff)
	}
	return gen
}

func TestEvolutionFromV1(t *testing.T) {
	old := &v1.Purchase{
		ID:        "o1",
		GoneArray: []*string{nil, ptr("x")},
		Quantity:  -3, Price: 1.5, Weight: 7, Note: "note", Label: []byte("label"),
		Status:    v1.StatusCancelled,
		Customer:  v1.Customer{Name: "ana"},
		GoneMap:   map[string]v1.Gone{"g": {X: 2, Who: &v1.Customer{Name: "bob"}}},
		Tags:      []int32{1, -2},
		Attrs:     map[string]int32{"k": 4},
		Maybe:     "m",
		Code:      v1.PurchaseCodeInt(9),
		OldName:   "renamed!",
		GoneFixed: v1.F{1, 2, 3},
	}
	data, err := old.MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	got := decodeBoth(t, old.AvroSchema().Fingerprint, old.AvroSchema().JSON, data)
	four := 4.0
	want := &evo.Order{
		ID: "o1", Quantity: -3, Price: 1.5, Weight: 7, Note: []byte("note"), Label: "label",
		Status:        evo.StatusUnknown, // CANCELLED is not a current symbol: the enum's default
		Customer:      evo.Customer{Name: "ana", Vip: true},
		Tags:          []int64{1, -2},
		Attrs:         map[string]*float64{"k": &four},
		Maybe:         evo.OrderMaybeString("m"),
		Code:          9,
		Renamed:       "renamed!",
		Added:         "n/a",
		AddedCustomer: evo.Customer{Name: "nobody", Vip: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("v1 read as the current Order (-want +got):\n%s", diff)
	}
}

// TestEvolutionFromV2 writes v2 bytes by transcoding a current Order to
// the v2 schema (which lacks the added fields and orders them backwards),
// then reads them back: the added fields take their defaults.
func TestEvolutionFromV2(t *testing.T) {
	cur := &evo.Order{
		ID: "o2", Quantity: 1 << 40, Price: -0.25, Weight: 3.5, Note: []byte{0xff}, Label: "l",
		Status: evo.StatusPaid, Customer: evo.Customer{Name: "c"}, Tags: []int64{5},
		Attrs: map[string]*float64{"n": nil}, Maybe: evo.OrderMaybeLong(-1), Code: 2, Renamed: "r",
		Added: "set", AddedCustomer: evo.Customer{Name: "x"}, AddedNull: &evo.Customer{Name: "y"},
	}
	data, err := cur.MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	v2JSON, err := os.ReadFile("../../testdata/evolution/schemas/versions/v2.avsc")
	if err != nil {
		t.Fatal(err)
	}
	v2 := compileJSON(t, string(v2JSON))
	toV2, err := resolve.Compile(compileJSON(t, cur.AvroSchema().JSON), v2)
	if err != nil {
		t.Fatal(err)
	}
	old, err := toV2.Transcode(nil, data)
	if err != nil {
		t.Fatal(err)
	}
	got := decodeBoth(t, v2.Fingerprint(), v2.JSON(), old)
	want := *cur
	want.Added, want.AddedCustomer, want.AddedNull = "n/a", evo.Customer{Name: "nobody", Vip: true}, nil
	if diff := cmp.Diff(&want, got); diff != "" {
		t.Errorf("v2 read as the current Order (-want +got):\n%s", diff)
	}
}

// TestEvolutionCopies keeps the generated old-types package honest: its
// schema must be the v1 file kept in versions/.
func TestEvolutionCopies(t *testing.T) {
	a, err1 := os.ReadFile("../../testdata/evolution/schemas/versions/v1.avsc")
	b, err2 := os.ReadFile("../../testdata/evolution-v1/schemas/purchase.avsc")
	if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
		t.Errorf("testdata/evolution-v1/schemas/purchase.avsc must equal testdata/evolution/schemas/versions/v1.avsc (%v %v)", err1, err2)
	}
}
