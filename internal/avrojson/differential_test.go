package avrojson

import (
	"bytes"
	"flag"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tonga-go/tonga/internal/schema"
	"github.com/tonga-go/tonga/runtime/avrobin"
	"github.com/tonga-go/tonga/runtime/tonga"
	at "github.com/tonga-go/tonga/testdata/alltypes/want"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func ptr[T any](v T) *T { return &v }

// TestCoffeeOrdered encodes JSON with the seed schema and checks the bytes
// against what the generated type writes for the same values.
func TestCoffeeOrdered(t *testing.T) {
	set := compileFiles(t, "../../testdata/seed/schemas/coffeebar/coffee_ordered.avsc.yaml")
	s := set.Lookup("tonga.waiter.event.CoffeeOrdered")
	const fields = `"schema_version": "1.2.3", "record_id": "r-1", "timestamp": 1700000000123.456,
		"datetime": "2023-11-14T22:13:20.123456+00:00", "correlation_id": "c-1", "uuid": "u-1",
		"cup_type": "large", "coffee_type": "latte", "coffee_for": "Ana", "amount": 3.5`
	base := func() *seed.CoffeeOrdered {
		x := &seed.CoffeeOrdered{UUID: "u-1", CupType: "large", CoffeeType: "latte", CoffeeFor: "Ana", Amount: 3.5}
		x.SchemaVersion, x.RecordID, x.CorrelationID = "1.2.3", "r-1", "c-1"
		x.Timestamp, x.Datetime = 1700000000123.456, "2023-11-14T22:13:20.123456+00:00"
		return x
	}
	tests := []struct {
		name, json string
		key        *string
		context    tonga.Context
	}{
		{"no context", `"partition_key": null, "context": {}`, nil, nil},
		{"null", `"partition_key": "k", "context": {"n": null}`, ptr("k"), tonga.Context{"n": nil}},
		{"int", `"partition_key": null, "context": {"n": 7}`, nil, tonga.Context{"n": tonga.ContextInt(7)}},
		{"long", `"partition_key": null, "context": {"n": 3000000000}`, nil, tonga.Context{"n": tonga.ContextLong(3000000000)}},
		{"float", `"partition_key": null, "context": {"n": 1.5}`, nil, tonga.Context{"n": tonga.ContextFloat(1.5)}},
		{"double", `"partition_key": null, "context": {"n": 0.1}`, nil, tonga.Context{"n": tonga.ContextDouble(0.1)}},
		{"string", `"partition_key": null, "context": {"n": "v"}`, nil, tonga.Context{"n": tonga.ContextString("v")}},
		{"wrapped double", `"partition_key": {"string": "k"}, "context": {"n": {"double": 1.5}}`, ptr("k"), tonga.Context{"n": tonga.ContextDouble(1.5)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := encodeString(s, "{"+fields+", "+tt.json+"}")
			if err != nil {
				t.Fatal(err)
			}
			x := base()
			x.PartitionKey, x.Context = tt.key, tt.context
			want, err := x.MarshalAvro()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Encode =\n% x\nMarshalAvro =\n% x", got, want)
			}
		})
	}
}

// everything returns a value of every type, its maps of at most one key
// so that the generated code writes them in a known order.
func everything() *at.Everything {
	return &at.Everything{
		Flag: true, Small: math.MinInt32, Big: math.MaxInt64, Ratio: -0.5, Precise: math.Pi,
		Blob: []byte{0, 1, 0xff}, Text: "héllo, 世界 \"quoted\"\n", Suit: at.SuitClubs,
		Hash:         at.MD5{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
		Tags:         []string{"a", "", "c"},
		Counts:       map[string]int64{"y": math.MinInt64},
		MaybeName:    ptr("name"),
		NameOrNull:   ptr(""),
		MaybePoint:   &at.Point{X: 1, Y: -1},
		MaybeTags:    []int32{},
		MaybeBlob:    []byte{},
		MaybeSuit:    ptr(at.SuitHearts),
		MaybeHash:    &at.MD5{0xff},
		Choice:       at.EverythingChoiceMap{"t": true},
		Either:       at.EverythingEitherString("either"),
		Shapes:       []at.EverythingShapesItem{&at.Point{X: 3}, nil, &at.Circle{Center: at.Point{X: 1, Y: 2}, Radius: 0.25}},
		PointsByName: map[string]at.Point{"p": {X: 7, Y: 8}},
		Matrix:       [][]int32{{1, 2}, {}, {3}},
		NestedMaps:   map[string]map[string]*string{"a": {"s": ptr("v")}},
		Origin:       at.Point{X: -5, Y: 5},
		List: at.LinkedList{
			Value:    1,
			Next:     &at.LinkedList{Value: 2, Global: at.Global{ID: "g2"}, Again: at.Global{ID: "a2"}},
			Children: []at.LinkedList{{Value: 3, Global: at.Global{ID: "c"}}},
			Global:   at.Global{ID: "g1"},
			Again:    at.Global{ID: "a1"},
		},
		Empties: []at.Empty{{}, {}, {}},
		Times: at.Times{
			Money:      big.NewRat(-12345, 100),
			FixedMoney: big.NewRat(987654321, 10000),
			ID:         "0b9f2c1e-4a4f-4d8e-9c51-1f2d3e4f5a6b",
			RawID:      at.RawUUID{0xde, 0xad, 0xbe, 0xef},
			Day:        time.Date(1969, 7, 20, 0, 0, 0, 0, time.UTC),
			ClockMs:    13*time.Hour + 5*time.Millisecond,
			ClockUs:    23*time.Hour + 59*time.Minute + 7*time.Microsecond,
			AtMs:       time.UnixMilli(1700000000123).UTC(),
			AtUs:       time.UnixMicro(-1).UTC(),
			AtNs:       time.Unix(0, 1700000000123456789).UTC(),
			LocalMs:    time.UnixMilli(1).UTC(),
			LocalUs:    time.UnixMicro(1700000000123456).UTC(),
			Span:       tonga.Duration{Months: 1, Days: 2, Milliseconds: math.MaxUint32},
			MaybeAt:    ptr(time.UnixMilli(42).UTC()),
			MaybeMoney: big.NewRat(5, 10),
			LegacyTs:   1700000000123.456,
			BadDecimal: []byte("raw"),
		},
	}
}

func everythingSchema(t testing.TB) *schema.Schema {
	t.Helper()
	return compileFiles(t, "../../testdata/alltypes/schemas").Lookup("test.types.Everything")
}

// TestEverythingGolden checks the JSON of a value of every type against
// testdata/everything.json; go test -update rewrites it.
func TestEverythingGolden(t *testing.T) {
	data, err := everything().MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	j, err := decodeAll(everythingSchema(t), data)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "everything.json")
	if *update {
		if err := os.WriteFile(golden, []byte(j+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if j+"\n" != string(want) {
		t.Errorf("Decode =\n%s\nwant (%s)\n%s", j, golden, want)
	}
}

// TestEverything decodes values the generated code wrote, encodes the JSON
// again and checks that the bytes are the generated code's.
func TestEverything(t *testing.T) {
	s := everythingSchema(t)
	tests := []struct {
		name string
		edit func(*at.Everything)
	}{
		{"full", func(*at.Everything) {}},
		{"zero values", func(x *at.Everything) {
			*x = at.Everything{Either: at.EverythingEitherLong(0), Times: at.Times{AtNs: time.Unix(0, 0)}}
		}},
		{"choice null", func(x *at.Everything) { x.Choice = nil }},
		{"choice int", func(x *at.Everything) { x.Choice = at.EverythingChoiceInt(-3) }},
		{"choice string", func(x *at.Everything) { x.Choice = at.EverythingChoiceString("s") }},
		{"choice record", func(x *at.Everything) { x.Choice = &at.Point{X: 1, Y: 2} }},
		{"choice array", func(x *at.Everything) { x.Choice = at.EverythingChoiceArray{1.5, math.Inf(-1), 0} }},
		{"choice empty map", func(x *at.Everything) { x.Choice = at.EverythingChoiceMap{} }},
		{"either long", func(x *at.Everything) { x.Either = at.EverythingEitherLong(-42) }},
		{"nulls", func(x *at.Everything) {
			x.MaybeName, x.NameOrNull, x.MaybePoint, x.MaybeTags, x.MaybeBlob = nil, nil, nil, nil, nil
			x.MaybeSuit, x.MaybeHash, x.Times.MaybeAt, x.Times.MaybeMoney = nil, nil, nil, nil
		}},
		{"dates beyond year 9999", func(x *at.Everything) {
			x.Times.Day = time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)
			x.Times.AtMs = time.UnixMilli(math.MaxInt64).UTC()
			x.Times.MaybeAt = ptr(time.UnixMilli(math.MinInt64).UTC())
		}},
		{"float specials", func(x *at.Everything) {
			x.Ratio, x.Precise, x.Times.LegacyTs = float32(math.Inf(1)), math.Copysign(0, -1), math.SmallestNonzeroFloat64
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := everything()
			tt.edit(x)
			want, err := x.MarshalAvro()
			if err != nil {
				t.Fatal(err)
			}
			j, err := decodeAll(s, want)
			if err != nil {
				t.Fatal(err)
			}
			got, err := encodeString(s, j)
			if err != nil {
				t.Fatalf("Encode(%s): %v", j, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Encode(Decode(MarshalAvro)) =\n% x\nMarshalAvro =\n% x\nJSON %s", got, want, j)
			}
		})
	}
}

// TestEverythingAmbiguous shows the limit of natural JSON: an enum symbol
// in a union that has a string branch before the enum reads back as the
// string. The JSON is the same; the branch is not.
func TestEverythingAmbiguous(t *testing.T) {
	s := everythingSchema(t)
	x := everything()
	x.Choice = at.SuitDiamonds
	data, err := x.MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	j, err := decodeAll(s, data)
	if err != nil {
		t.Fatal(err)
	}
	again, err := encodeString(s, j)
	if err != nil {
		t.Fatal(err)
	}
	var y at.Everything
	if err := y.UnmarshalAvro(again); err != nil {
		t.Fatal(err)
	}
	if y.Choice != at.EverythingChoiceString("DIAMONDS") {
		t.Errorf("choice %#v, want the string branch", y.Choice)
	}
	j2, err := Decode(s, avrobin.NewReader(again))
	if err != nil || string(j2) != j {
		t.Errorf("JSON changed: %s, %v", j2, err)
	}
}
