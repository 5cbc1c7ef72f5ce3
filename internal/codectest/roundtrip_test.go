package codectest

import (
	"bytes"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tonga-go/tonga/runtime/avrobin"
	"github.com/tonga-go/tonga/runtime/tonga"
	at "github.com/tonga-go/tonga/testdata/alltypes/want"
)

var cmpOpts = cmp.Options{
	cmp.Comparer(func(a, b *big.Rat) bool {
		if a == nil || b == nil {
			return a == b
		}
		return a.Cmp(b) == 0
	}),
	cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
}

func ptr[T any](v T) *T { return &v }

// full returns an Everything with every field set to a non-zero value.
func full() *at.Everything {
	next := &at.LinkedList{Value: 2, Global: at.Global{ID: "g2"}, Again: at.Global{ID: "a2"}}
	return &at.Everything{
		Flag:         true,
		Small:        math.MinInt32,
		Big:          math.MaxInt64,
		Ratio:        -0.5,
		Precise:      math.Pi,
		Blob:         []byte{0, 1, 0xff},
		Text:         "héllo, 世界",
		Suit:         at.SuitClubs,
		Hash:         at.MD5{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
		Tags:         []string{"a", "", "c"},
		Counts:       map[string]int64{"x": -1, "y": math.MinInt64},
		MaybeName:    ptr("name"),
		NameOrNull:   ptr(""),
		MaybePoint:   &at.Point{X: 1, Y: -1},
		MaybeTags:    []int32{},
		MaybeBlob:    []byte{},
		MaybeSuit:    ptr(at.SuitHearts),
		MaybeHash:    &at.MD5{0xff},
		Choice:       at.EverythingChoiceMap{"t": true, "f": false},
		Either:       at.EverythingEitherString("either"),
		Shapes:       []at.EverythingShapesItem{&at.Point{X: 3}, nil, &at.Circle{Center: at.Point{X: 1, Y: 2}, Radius: 0.25}},
		PointsByName: map[string]at.Point{"o": {}, "p": {X: 7, Y: 8}},
		Matrix:       [][]int32{{1, 2}, {}, {3}},
		NestedMaps:   map[string]map[string]*string{"a": {"n": nil, "s": ptr("v")}, "b": {}},
		Origin:       at.Point{X: -5, Y: 5},
		List: at.LinkedList{
			Value:    1,
			Next:     next,
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

func roundTrip[T any, P interface {
	*T
	tonga.Record
}](t *testing.T, in P) P {
	t.Helper()
	data, err := in.AppendAvro(nil)
	if err != nil {
		t.Fatalf("MarshalAvro: %v", err)
	}
	out := P(new(T))
	if err := out.UnmarshalAvro(data); err != nil {
		t.Fatalf("UnmarshalAvro: %v", err)
	}
	// A non-nullable empty array or map decodes as nil.
	if diff := cmp.Diff(in, out, cmpOpts, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("round trip changed the value (-in +out):\n%s", diff)
	}
	// Encoding into a buffer that already holds bytes appends.
	prefix := []byte("prefix")
	again, err := in.AppendAvro(prefix)
	if err != nil || !bytes.HasPrefix(again, prefix) || len(again) != len(prefix)+len(data) {
		t.Errorf("AppendAvro onto a prefix: %d bytes, err %v; want %d", len(again), err, len(prefix)+len(data))
	}
	return out
}

func TestRoundTripEverything(t *testing.T) {
	roundTrip(t, full())
}

func TestRoundTripUnionBranches(t *testing.T) {
	branches := []at.EverythingChoice{
		nil,
		at.EverythingChoiceInt(-3),
		at.EverythingChoiceString("s"),
		&at.Point{X: 9},
		at.SuitDiamonds,
		at.EverythingChoiceArray{1.5, -2},
		at.EverythingChoiceArray{},
		at.EverythingChoiceMap{},
	}
	for _, c := range branches {
		e := full()
		e.Choice = c
		e.Either = at.EverythingEitherLong(-1)
		roundTrip(t, e)
	}
}

// TestNullVersusEmpty checks that a nullable array, map or bytes keeps
// null (nil) apart from empty.
func TestNullVersusEmpty(t *testing.T) {
	e := full()
	e.MaybeTags, e.MaybeBlob = nil, nil
	out := roundTrip(t, e)
	if out.MaybeTags != nil || out.MaybeBlob != nil {
		t.Errorf("null decoded as %v, %v; want nil", out.MaybeTags, out.MaybeBlob)
	}
	e.MaybeTags, e.MaybeBlob = []int32{}, []byte{}
	out = roundTrip(t, e)
	if out.MaybeTags == nil || out.MaybeBlob == nil {
		t.Error("empty decoded as nil (null)")
	}
}

func TestRoundTripZeroValues(t *testing.T) {
	e := &at.Everything{Either: at.EverythingEitherLong(0)}
	e.Times.Money, e.Times.FixedMoney = new(big.Rat), new(big.Rat)
	e.Times.AtNs = time.Unix(0, 0).UTC()
	out := roundTrip(t, e)
	if out.Tags != nil || out.Counts != nil {
		t.Errorf("empty array and map decoded as %v, %v; want nil", out.Tags, out.Counts)
	}
}

func TestConstructorDefaults(t *testing.T) {
	e := at.NewEverything()
	want := &at.Everything{
		Flag: true, Small: -7, Big: 9007199254740993, Ratio: 1.5, Precise: -2250,
		Blob: []byte{0xff, 0, 'a'}, Text: "héllo", Suit: at.SuitHearts,
		Tags: []string{"a", "b"}, Counts: map[string]int64{"x": 1},
		NameOrNull: ptr("anon"), Either: at.EverythingEitherLong(42),
	}
	if diff := cmp.Diff(want, e, cmpOpts); diff != "" {
		t.Errorf("NewEverything (-want +got):\n%s", diff)
	}
	tm := at.NewTimes()
	if tm.Money.Cmp(big.NewRat(1234, 100)) != 0 || !tm.Day.Equal(time.Unix(19000*86400, 0)) || tm.AtMs.UnixMilli() != 1700000000000 {
		t.Errorf("NewTimes: money %v, day %v, at %v", tm.Money, tm.Day, tm.AtMs)
	}
}

// TestExactEncoding checks bytes against encodings worked out by hand
// from the specification.
func TestExactEncoding(t *testing.T) {
	tests := []struct {
		name string
		rec  tonga.Record
		want []byte
	}{
		{"point", &at.Point{X: 1, Y: -1}, []byte{0x02, 0x01}},
		{"empty", &at.Empty{}, []byte{}},
		{"circle", &at.Circle{Center: at.Point{X: 64, Y: -65}, Radius: 1}, []byte{0x80, 0x01, 0x81, 0x01, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f}},
		{"list", &at.LinkedList{Value: -2, Next: &at.LinkedList{Global: at.Global{ID: "a"}}, Global: at.Global{ID: "g"}},
			[]byte{
				0x03,      // value -2
				0x02,      // next: branch 1
				0x00,      //   value 0
				0x00,      //   next: null
				0x00,      //   children: end
				0x02, 'a', //   global.id
				0x00,      //   again.id ""
				0x00,      // children: end
				0x02, 'g', // global.id
				0x00, // again.id
			}},
	}
	for _, tt := range tests {
		got, err := tt.rec.AppendAvro(nil)
		if err != nil || !bytes.Equal(got, tt.want) {
			t.Errorf("%s: % x, %v; want % x", tt.name, got, err, tt.want)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(*at.Everything)
		want string
	}{
		{"enum", func(e *at.Everything) { e.Suit = 99 }, `Everything.Suit: 99 is not a symbol of enum test.types.Suit`},
		{"nil union", func(e *at.Everything) { e.Either = nil }, "Everything.Either: union value is nil"},
		{"nil record in union", func(e *at.Everything) { e.Choice = (*at.Point)(nil) }, "Everything.Choice: union holds a nil *Point"},
		{"decimal scale", func(e *at.Everything) { e.Times.Money = big.NewRat(1, 3) }, "Everything.Times: Times.Money:"},
		{"nanos out of range", func(e *at.Everything) { e.Times.AtNs = time.Time{} }, "Everything.Times: Times.AtNs: tonga: 0001-01-01 00:00:00 +0000 UTC is outside the range of timestamp-nanos"},
		{"fixed decimal overflow", func(e *at.Everything) { e.Times.FixedMoney = new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(1), 80)) }, "Times.FixedMoney"},
	}
	for _, tt := range tests {
		e := full()
		tt.edit(e)
		_, err := e.MarshalAvro()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v; want it to contain %q", tt.name, err, tt.want)
		}
	}
}

// TestTruncated decodes every strict prefix of a valid encoding: each
// must fail with avrobin.ErrCorrupt, none may panic.
func TestTruncated(t *testing.T) {
	data, err := full().MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(data) {
		var e at.Everything
		err := e.UnmarshalAvro(data[:n])
		if !errors.Is(err, avrobin.ErrCorrupt) {
			t.Fatalf("prefix of %d/%d bytes: error %v; want ErrCorrupt", n, len(data), err)
		}
	}
	var e at.Everything
	if err := e.UnmarshalAvro(append(data, 0)); err == nil {
		t.Error("trailing byte accepted")
	}
}

func TestDecodeReplacesEveryField(t *testing.T) {
	small := &at.Everything{Either: at.EverythingEitherLong(1)}
	small.Times.Money, small.Times.FixedMoney = new(big.Rat), new(big.Rat)
	small.Times.AtNs = time.Unix(0, 0).UTC() // the zero time.Time is outside timestamp-nanos' range
	data, err := small.MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	e := full()
	if err := e.UnmarshalAvro(data); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(small, e, cmpOpts, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("decoding into a used value left old data (-want +got):\n%s", diff)
	}
}
