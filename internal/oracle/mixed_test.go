package oracle_test

import (
	"math"

	gm "github.com/tonga-go/tonga/internal/oracle/gogen/mixed"
	om "github.com/tonga-go/tonga/testdata/oracle-mixed/want"
)

// This file converts the records of mixed.avsc between our generated types
// (om) and gogen-avro's (gm), and makes random values of ours.

// mapSlice applies f to every item of s, keeping nil nil.
func mapSlice[T, U any](s []T, f func(T) U) []U {
	if s == nil {
		return nil
	}
	out := make([]U, len(s))
	for i, v := range s {
		out[i] = f(v)
	}
	return out
}

// mapValues applies f to every value of m, keeping nil nil.
func mapValues[T, U any](m map[string]T, f func(T) U) map[string]U {
	if m == nil {
		return nil
	}
	out := make(map[string]U, len(m))
	for k, v := range m {
		out[k] = f(v)
	}
	return out
}

func id[T any](v T) T { return v }

func ptr[T any](v T) *T { return &v }

// Enums convert through their symbols, so that a change of either
// representation cannot go unnoticed.
var suitBySymbol = map[string]om.Suit{}

func init() {
	for _, s := range []om.Suit{om.SuitSpades, om.SuitHearts, om.SuitDiamonds, om.SuitClubs} {
		suitBySymbol[s.String()] = s
	}
}

func suitToGogen(s om.Suit) gm.Suit {
	for _, g := range []gm.Suit{gm.SuitSPADES, gm.SuitHEARTS, gm.SuitDIAMONDS, gm.SuitCLUBS} {
		if g.String() == s.String() {
			return g
		}
	}
	panic("no gogen-avro symbol for " + s.String())
}

func suitFromGogen(g gm.Suit) om.Suit {
	s, ok := suitBySymbol[g.String()]
	if !ok {
		panic("no symbol for gogen-avro Suit " + g.String())
	}
	return s
}

func pointToGogen(p om.Point) gm.Point {
	return gm.Point{X: p.X, Y: p.Y, Label: nullStringToGogen(p.Label)}
}

func pointFromGogen(g gm.Point) om.Point {
	return om.Point{X: g.X, Y: g.Y, Label: nullStringFromGogen(g.Label)}
}

func circleToGogen(c om.Circle) gm.Circle {
	return gm.Circle{Center: pointToGogen(c.Center), Radius: c.Radius, Tags: c.Tags}
}

func circleFromGogen(g gm.Circle) om.Circle {
	return om.Circle{Center: pointFromGogen(g.Center), Radius: g.Radius, Tags: g.Tags}
}

func nodeToGogen(n om.Node) gm.Node {
	g := gm.Node{Value: n.Value}
	if n.Next != nil {
		g.Next = &gm.UnionNullNode{Node: nodeToGogen(*n.Next), UnionType: gm.UnionNullNodeTypeEnumNode}
	}
	return g
}

func nodeFromGogen(g gm.Node) om.Node {
	n := om.Node{Value: g.Value}
	if g.Next != nil && g.Next.UnionType == gm.UnionNullNodeTypeEnumNode {
		n.Next = ptr(nodeFromGogen(g.Next.Node))
	}
	return n
}

func nullStringToGogen(s *string) *gm.UnionNullString {
	if s == nil {
		return nil
	}
	return &gm.UnionNullString{String: *s, UnionType: gm.UnionNullStringTypeEnumString}
}

func nullStringFromGogen(g *gm.UnionNullString) *string {
	if g == nil || g.UnionType != gm.UnionNullStringTypeEnumString {
		return nil
	}
	return ptr(g.String)
}

func itemToGogen(v om.MixedItemsItem) *gm.UnionNullStringPoint {
	switch v := v.(type) {
	case nil:
		return nil
	case om.MixedItemsItemString:
		return &gm.UnionNullStringPoint{String: string(v), UnionType: gm.UnionNullStringPointTypeEnumString}
	case *om.Point:
		return &gm.UnionNullStringPoint{Point: pointToGogen(*v), UnionType: gm.UnionNullStringPointTypeEnumPoint}
	}
	panic("unknown branch")
}

func itemFromGogen(g *gm.UnionNullStringPoint) om.MixedItemsItem {
	if g == nil {
		return nil
	}
	switch g.UnionType {
	case gm.UnionNullStringPointTypeEnumString:
		return om.MixedItemsItemString(g.String)
	case gm.UnionNullStringPointTypeEnumPoint:
		return ptr(pointFromGogen(g.Point))
	}
	return nil
}

func valueToGogen(v om.MixedValuesByKeyValue) *gm.UnionNullLongStringSuitHash {
	switch v := v.(type) {
	case nil:
		return nil
	case om.MixedValuesByKeyValueLong:
		return &gm.UnionNullLongStringSuitHash{Long: int64(v), UnionType: gm.UnionNullLongStringSuitHashTypeEnumLong}
	case om.MixedValuesByKeyValueString:
		return &gm.UnionNullLongStringSuitHash{String: string(v), UnionType: gm.UnionNullLongStringSuitHashTypeEnumString}
	case om.Suit:
		return &gm.UnionNullLongStringSuitHash{Suit: suitToGogen(v), UnionType: gm.UnionNullLongStringSuitHashTypeEnumSuit}
	case om.Hash:
		return &gm.UnionNullLongStringSuitHash{Hash: gm.Hash(v), UnionType: gm.UnionNullLongStringSuitHashTypeEnumHash}
	}
	panic("unknown branch")
}

func valueFromGogen(g *gm.UnionNullLongStringSuitHash) om.MixedValuesByKeyValue {
	if g == nil {
		return nil
	}
	switch g.UnionType {
	case gm.UnionNullLongStringSuitHashTypeEnumLong:
		return om.MixedValuesByKeyValueLong(g.Long)
	case gm.UnionNullLongStringSuitHashTypeEnumString:
		return om.MixedValuesByKeyValueString(g.String)
	case gm.UnionNullLongStringSuitHashTypeEnumSuit:
		return suitFromGogen(g.Suit)
	case gm.UnionNullLongStringSuitHashTypeEnumHash:
		return om.Hash(g.Hash)
	}
	return nil
}

func choiceToGogen(v om.MixedChoice) gm.UnionIntStringPointCircleSuit {
	switch v := v.(type) {
	case om.MixedChoiceInt:
		return gm.UnionIntStringPointCircleSuit{Int: int32(v), UnionType: gm.UnionIntStringPointCircleSuitTypeEnumInt}
	case om.MixedChoiceString:
		return gm.UnionIntStringPointCircleSuit{String: string(v), UnionType: gm.UnionIntStringPointCircleSuitTypeEnumString}
	case *om.Point:
		return gm.UnionIntStringPointCircleSuit{Point: pointToGogen(*v), UnionType: gm.UnionIntStringPointCircleSuitTypeEnumPoint}
	case *om.Circle:
		return gm.UnionIntStringPointCircleSuit{Circle: circleToGogen(*v), UnionType: gm.UnionIntStringPointCircleSuitTypeEnumCircle}
	case om.Suit:
		return gm.UnionIntStringPointCircleSuit{Suit: suitToGogen(v), UnionType: gm.UnionIntStringPointCircleSuitTypeEnumSuit}
	}
	panic("unknown branch")
}

func choiceFromGogen(g gm.UnionIntStringPointCircleSuit) om.MixedChoice {
	switch g.UnionType {
	case gm.UnionIntStringPointCircleSuitTypeEnumInt:
		return om.MixedChoiceInt(g.Int)
	case gm.UnionIntStringPointCircleSuitTypeEnumString:
		return om.MixedChoiceString(g.String)
	case gm.UnionIntStringPointCircleSuitTypeEnumPoint:
		return ptr(pointFromGogen(g.Point))
	case gm.UnionIntStringPointCircleSuitTypeEnumCircle:
		return ptr(circleFromGogen(g.Circle))
	case gm.UnionIntStringPointCircleSuitTypeEnumSuit:
		return suitFromGogen(g.Suit)
	}
	return nil
}

type gnumber = gm.UnionNullIntLongFloatDoubleBoolBytes

func numberToGogen(v om.MixedNumber) *gnumber {
	switch v := v.(type) {
	case nil:
		return nil
	case om.MixedNumberInt:
		return &gnumber{Int: int32(v), UnionType: gm.UnionNullIntLongFloatDoubleBoolBytesTypeEnumInt}
	case om.MixedNumberLong:
		return &gnumber{Long: int64(v), UnionType: gm.UnionNullIntLongFloatDoubleBoolBytesTypeEnumLong}
	case om.MixedNumberFloat:
		return &gnumber{Float: float32(v), UnionType: gm.UnionNullIntLongFloatDoubleBoolBytesTypeEnumFloat}
	case om.MixedNumberDouble:
		return &gnumber{Double: float64(v), UnionType: gm.UnionNullIntLongFloatDoubleBoolBytesTypeEnumDouble}
	case om.MixedNumberBoolean:
		return &gnumber{Bool: bool(v), UnionType: gm.UnionNullIntLongFloatDoubleBoolBytesTypeEnumBool}
	case om.MixedNumberBytes:
		return &gnumber{Bytes: gm.Bytes(v), UnionType: gm.UnionNullIntLongFloatDoubleBoolBytesTypeEnumBytes}
	}
	panic("unknown branch")
}

func numberFromGogen(g *gnumber) om.MixedNumber {
	if g == nil {
		return nil
	}
	switch g.UnionType {
	case gm.UnionNullIntLongFloatDoubleBoolBytesTypeEnumInt:
		return om.MixedNumberInt(g.Int)
	case gm.UnionNullIntLongFloatDoubleBoolBytesTypeEnumLong:
		return om.MixedNumberLong(g.Long)
	case gm.UnionNullIntLongFloatDoubleBoolBytesTypeEnumFloat:
		return om.MixedNumberFloat(g.Float)
	case gm.UnionNullIntLongFloatDoubleBoolBytesTypeEnumDouble:
		return om.MixedNumberDouble(g.Double)
	case gm.UnionNullIntLongFloatDoubleBoolBytesTypeEnumBool:
		return om.MixedNumberBoolean(g.Bool)
	case gm.UnionNullIntLongFloatDoubleBoolBytesTypeEnumBytes:
		return om.MixedNumberBytes(g.Bytes)
	}
	return nil
}

type gshape = gm.UnionNullPointArrayDoubleMapBoolHashString

func shapeToGogen(v om.MixedShape) *gshape {
	switch v := v.(type) {
	case nil:
		return nil
	case *om.Point:
		return &gshape{Point: pointToGogen(*v), UnionType: gm.UnionNullPointArrayDoubleMapBoolHashStringTypeEnumPoint}
	case om.MixedShapeArray:
		return &gshape{ArrayDouble: v, UnionType: gm.UnionNullPointArrayDoubleMapBoolHashStringTypeEnumArrayDouble}
	case om.MixedShapeMap:
		return &gshape{MapBool: v, UnionType: gm.UnionNullPointArrayDoubleMapBoolHashStringTypeEnumMapBool}
	case om.Hash:
		return &gshape{Hash: gm.Hash(v), UnionType: gm.UnionNullPointArrayDoubleMapBoolHashStringTypeEnumHash}
	case om.MixedShapeString:
		return &gshape{String: string(v), UnionType: gm.UnionNullPointArrayDoubleMapBoolHashStringTypeEnumString}
	}
	panic("unknown branch")
}

func shapeFromGogen(g *gshape) om.MixedShape {
	if g == nil {
		return nil
	}
	switch g.UnionType {
	case gm.UnionNullPointArrayDoubleMapBoolHashStringTypeEnumPoint:
		return ptr(pointFromGogen(g.Point))
	case gm.UnionNullPointArrayDoubleMapBoolHashStringTypeEnumArrayDouble:
		return om.MixedShapeArray(g.ArrayDouble)
	case gm.UnionNullPointArrayDoubleMapBoolHashStringTypeEnumMapBool:
		return om.MixedShapeMap(g.MapBool)
	case gm.UnionNullPointArrayDoubleMapBoolHashStringTypeEnumHash:
		return om.Hash(g.Hash)
	case gm.UnionNullPointArrayDoubleMapBoolHashStringTypeEnumString:
		return om.MixedShapeString(g.String)
	}
	return nil
}

func optListToGogen(l []string) *gm.UnionNullArrayString {
	if l == nil {
		return nil
	}
	return &gm.UnionNullArrayString{ArrayString: l, UnionType: gm.UnionNullArrayStringTypeEnumArrayString}
}

func optListFromGogen(g *gm.UnionNullArrayString) []string {
	if g == nil || g.UnionType != gm.UnionNullArrayStringTypeEnumArrayString {
		return nil
	}
	return append([]string{}, g.ArrayString...)
}

func optBlobToGogen(b []byte) *gm.UnionNullBytes {
	if b == nil {
		return nil
	}
	return &gm.UnionNullBytes{Bytes: b, UnionType: gm.UnionNullBytesTypeEnumBytes}
}

func optBlobFromGogen(g *gm.UnionNullBytes) []byte {
	if g == nil || g.UnionType != gm.UnionNullBytesTypeEnumBytes {
		return nil
	}
	return append([]byte{}, g.Bytes...)
}

func optPointToGogen(p *om.Point) *gm.UnionNullPoint {
	if p == nil {
		return nil
	}
	return &gm.UnionNullPoint{Point: pointToGogen(*p), UnionType: gm.UnionNullPointTypeEnumPoint}
}

func optPointFromGogen(g *gm.UnionNullPoint) *om.Point {
	if g == nil || g.UnionType != gm.UnionNullPointTypeEnumPoint {
		return nil
	}
	return ptr(pointFromGogen(g.Point))
}

func bytesToGogen(b []byte) gm.Bytes { return gm.Bytes(b) }

func bytesFromGogen(b gm.Bytes) []byte { return []byte(b) }

func mixedToGogen(x om.Mixed) gm.Mixed {
	g := gm.Mixed{
		Flag:           x.Flag,
		Small:          x.Small,
		Big:            x.Big,
		Ratio:          x.Ratio,
		Precise:        x.Precise,
		Blob:           x.Blob,
		Text:           x.Text,
		Suit:           suitToGogen(x.Suit),
		Hash:           gm.Hash(x.Hash),
		Origin:         pointToGogen(x.Origin),
		Circle:         circleToGogen(x.Circle),
		Points:         mapSlice(x.Points, pointToGogen),
		Points_by_name: mapValues(x.PointsByName, pointToGogen),
		Items:          mapSlice(x.Items, itemToGogen),
		Values_by_key:  mapValues(x.ValuesByKey, valueToGogen),
		Maybe_text:     nullStringToGogen(x.MaybeText),
		Choice:         choiceToGogen(x.Choice),
		Number:         numberToGogen(x.Number),
		Tags:           x.Tags,
		Counts:         x.Counts,
		Matrix:         x.Matrix,
		Nested_maps:    x.NestedMaps,
		Suits:          mapSlice(x.Suits, suitToGogen),
		Hashes:         mapValues(x.Hashes, func(h om.Hash) gm.Hash { return gm.Hash(h) }),
		Flags:          x.Flags,
		Blobs:          mapSlice(x.Blobs, bytesToGogen),
		Nodes:          mapSlice(x.Nodes, nodeToGogen),
		Shape:          shapeToGogen(x.Shape),
		Opt_lists:      mapSlice(x.OptLists, optListToGogen),
		Opt_blobs:      mapValues(x.OptBlobs, optBlobToGogen),
		Opt_points:     mapSlice(x.OptPoints, optPointToGogen),
		Tail:           mapSlice(x.Tail, pointToGogen),
	}
	// ["string", "null"]: a nil *UnionStringNull is null.
	if x.TextOrNull != nil {
		g.Text_or_null = &gm.UnionStringNull{String: *x.TextOrNull, UnionType: gm.UnionStringNullTypeEnumString}
	}
	if x.MaybeInt != nil {
		g.Maybe_int = &gm.UnionNullInt{Int: *x.MaybeInt, UnionType: gm.UnionNullIntTypeEnumInt}
	}
	if x.MaybeLong != nil {
		g.Maybe_long = &gm.UnionNullLong{Long: *x.MaybeLong, UnionType: gm.UnionNullLongTypeEnumLong}
	}
	if x.MaybeFloat != nil {
		g.Maybe_float = &gm.UnionNullFloat{Float: *x.MaybeFloat, UnionType: gm.UnionNullFloatTypeEnumFloat}
	}
	if x.MaybeDouble != nil {
		g.Maybe_double = &gm.UnionNullDouble{Double: *x.MaybeDouble, UnionType: gm.UnionNullDoubleTypeEnumDouble}
	}
	if x.MaybeBool != nil {
		g.Maybe_bool = &gm.UnionNullBool{Bool: *x.MaybeBool, UnionType: gm.UnionNullBoolTypeEnumBool}
	}
	if x.MaybeBlob != nil {
		g.Maybe_blob = &gm.UnionNullBytes{Bytes: x.MaybeBlob, UnionType: gm.UnionNullBytesTypeEnumBytes}
	}
	if x.MaybeSuit != nil {
		g.Maybe_suit = &gm.UnionNullSuit{Suit: suitToGogen(*x.MaybeSuit), UnionType: gm.UnionNullSuitTypeEnumSuit}
	}
	if x.MaybeHash != nil {
		g.Maybe_hash = &gm.UnionNullHash{Hash: gm.Hash(*x.MaybeHash), UnionType: gm.UnionNullHashTypeEnumHash}
	}
	if x.MaybePoint != nil {
		g.Maybe_point = &gm.UnionNullPoint{Point: pointToGogen(*x.MaybePoint), UnionType: gm.UnionNullPointTypeEnumPoint}
	}
	if x.MaybeTags != nil {
		g.Maybe_tags = &gm.UnionNullArrayInt{ArrayInt: x.MaybeTags, UnionType: gm.UnionNullArrayIntTypeEnumArrayInt}
	}
	if x.MaybeCounts != nil {
		g.Maybe_counts = &gm.UnionNullMapLong{MapLong: x.MaybeCounts, UnionType: gm.UnionNullMapLongTypeEnumMapLong}
	}
	if x.List != nil {
		g.List = &gm.UnionNullNode{Node: nodeToGogen(*x.List), UnionType: gm.UnionNullNodeTypeEnumNode}
	}
	return g
}

// mixedFromGogen converts a decoded gogen-avro Mixed. A present optional
// array, map or bytes value is never nil in ours, even when empty.
func mixedFromGogen(g gm.Mixed) om.Mixed {
	x := om.Mixed{
		Flag:         g.Flag,
		Small:        g.Small,
		Big:          g.Big,
		Ratio:        g.Ratio,
		Precise:      g.Precise,
		Blob:         g.Blob,
		Text:         g.Text,
		Suit:         suitFromGogen(g.Suit),
		Hash:         om.Hash(g.Hash),
		Origin:       pointFromGogen(g.Origin),
		Circle:       circleFromGogen(g.Circle),
		Points:       mapSlice(g.Points, pointFromGogen),
		PointsByName: mapValues(g.Points_by_name, pointFromGogen),
		Items:        mapSlice(g.Items, itemFromGogen),
		ValuesByKey:  mapValues(g.Values_by_key, valueFromGogen),
		MaybeText:    nullStringFromGogen(g.Maybe_text),
		Choice:       choiceFromGogen(g.Choice),
		Number:       numberFromGogen(g.Number),
		Tags:         g.Tags,
		Counts:       g.Counts,
		Matrix:       g.Matrix,
		NestedMaps:   g.Nested_maps,
		Suits:        mapSlice(g.Suits, suitFromGogen),
		Hashes:       mapValues(g.Hashes, func(h gm.Hash) om.Hash { return om.Hash(h) }),
		Flags:        g.Flags,
		Blobs:        mapSlice(g.Blobs, bytesFromGogen),
		Nodes:        mapSlice(g.Nodes, nodeFromGogen),
		Shape:        shapeFromGogen(g.Shape),
		OptLists:     mapSlice(g.Opt_lists, optListFromGogen),
		OptBlobs:     mapValues(g.Opt_blobs, optBlobFromGogen),
		OptPoints:    mapSlice(g.Opt_points, optPointFromGogen),
		Tail:         mapSlice(g.Tail, pointFromGogen),
	}
	if u := g.Text_or_null; u != nil && u.UnionType == gm.UnionStringNullTypeEnumString {
		x.TextOrNull = ptr(u.String)
	}
	if u := g.Maybe_int; u != nil && u.UnionType == gm.UnionNullIntTypeEnumInt {
		x.MaybeInt = ptr(u.Int)
	}
	if u := g.Maybe_long; u != nil && u.UnionType == gm.UnionNullLongTypeEnumLong {
		x.MaybeLong = ptr(u.Long)
	}
	if u := g.Maybe_float; u != nil && u.UnionType == gm.UnionNullFloatTypeEnumFloat {
		x.MaybeFloat = ptr(u.Float)
	}
	if u := g.Maybe_double; u != nil && u.UnionType == gm.UnionNullDoubleTypeEnumDouble {
		x.MaybeDouble = ptr(u.Double)
	}
	if u := g.Maybe_bool; u != nil && u.UnionType == gm.UnionNullBoolTypeEnumBool {
		x.MaybeBool = ptr(u.Bool)
	}
	if u := g.Maybe_blob; u != nil && u.UnionType == gm.UnionNullBytesTypeEnumBytes {
		x.MaybeBlob = append([]byte{}, u.Bytes...)
	}
	if u := g.Maybe_suit; u != nil && u.UnionType == gm.UnionNullSuitTypeEnumSuit {
		x.MaybeSuit = ptr(suitFromGogen(u.Suit))
	}
	if u := g.Maybe_hash; u != nil && u.UnionType == gm.UnionNullHashTypeEnumHash {
		x.MaybeHash = ptr(om.Hash(u.Hash))
	}
	if u := g.Maybe_point; u != nil && u.UnionType == gm.UnionNullPointTypeEnumPoint {
		x.MaybePoint = ptr(pointFromGogen(u.Point))
	}
	if u := g.Maybe_tags; u != nil && u.UnionType == gm.UnionNullArrayIntTypeEnumArrayInt {
		x.MaybeTags = append([]int32{}, u.ArrayInt...)
	}
	if u := g.Maybe_counts; u != nil && u.UnionType == gm.UnionNullMapLongTypeEnumMapLong {
		x.MaybeCounts = mapValues(u.MapLong, id[int64])
		if x.MaybeCounts == nil {
			x.MaybeCounts = map[string]int64{}
		}
	}
	if u := g.List; u != nil && u.UnionType == gm.UnionNullNodeTypeEnumNode {
		x.List = ptr(nodeFromGogen(u.Node))
	}
	return x
}

// mixedUnique reports whether x has a single encoding: no map of it has
// more than one key.
func mixedUnique(x *om.Mixed) bool {
	if m, ok := x.Shape.(om.MixedShapeMap); ok && len(m) > 1 {
		return false
	}
	for _, k := range x.NestedMaps {
		if len(k) > 1 {
			return false
		}
	}
	return len(x.PointsByName) <= 1 && len(x.ValuesByKey) <= 1 && len(x.MaybeCounts) <= 1 &&
		len(x.Counts) <= 1 && len(x.NestedMaps) <= 1 && len(x.Hashes) <= 1 && len(x.OptBlobs) <= 1
}

func (g *gen) suit() om.Suit {
	return []om.Suit{om.SuitSpades, om.SuitHearts, om.SuitDiamonds, om.SuitClubs}[g.intn(4)]
}

func (g *gen) hash() om.Hash {
	var h om.Hash
	if g.one(4) {
		return h
	}
	for i := range h {
		h[i] = byte(g.r.Uint32())
	}
	return h
}

func (g *gen) point() om.Point {
	return om.Point{X: g.int(), Y: g.int(), Label: g.optStr()}
}

func (g *gen) circle() om.Circle {
	return om.Circle{Center: g.point(), Radius: g.double(), Tags: slice(g, g.sliceLen(), g.str)}
}

// list returns a linked list of up to 8 nodes, sometimes of 100.
func (g *gen) list() *om.Node {
	n := g.intn(9)
	if g.one(20) {
		n = 100
	}
	var head *om.Node
	for range n {
		head = &om.Node{Value: g.long(), Next: head}
	}
	return head
}

func (g *gen) node() om.Node {
	if l := g.list(); l != nil {
		return *l
	}
	return om.Node{Value: g.long()}
}

func (g *gen) item() om.MixedItemsItem {
	switch g.intn(3) {
	case 0:
		return nil
	case 1:
		return om.MixedItemsItemString(g.str())
	default:
		return ptr(g.point())
	}
}

func (g *gen) value() om.MixedValuesByKeyValue {
	switch g.intn(5) {
	case 0:
		return nil
	case 1:
		return om.MixedValuesByKeyValueLong(g.long())
	case 2:
		return om.MixedValuesByKeyValueString(g.str())
	case 3:
		return g.suit()
	default:
		return g.hash()
	}
}

func (g *gen) choice() om.MixedChoice {
	switch g.intn(5) {
	case 0:
		return om.MixedChoiceInt(g.int())
	case 1:
		return om.MixedChoiceString(g.str())
	case 2:
		return ptr(g.point())
	case 3:
		return ptr(g.circle())
	default:
		return g.suit()
	}
}

func (g *gen) shape() om.MixedShape {
	switch g.intn(6) {
	case 0:
		return nil
	case 1:
		return ptr(g.point())
	case 2:
		return om.MixedShapeArray(slice(g, g.sliceLen(), g.double))
	case 3:
		return om.MixedShapeMap(dict(g, g.mapLen(), g.bool))
	case 4:
		return g.hash()
	default:
		return om.MixedShapeString(g.str())
	}
}

// optList is an item of ["null", array]: nil a third of the time, else
// a non-nil (maybe empty) slice.
func (g *gen) optList() []string {
	return present(g, func() []string { return slice(g, g.sliceLen(), g.str) }, []string{}, func(s []string) bool { return s == nil })
}

func (g *gen) optBlob() []byte {
	return present(g, g.bytes, []byte{}, func(b []byte) bool { return b == nil })
}

func (g *gen) number() om.MixedNumber {
	switch g.intn(7) {
	case 0:
		return nil
	case 1:
		return om.MixedNumberInt(g.int())
	case 2:
		return om.MixedNumberLong(g.long())
	case 3:
		return om.MixedNumberFloat(g.float())
	case 4:
		return om.MixedNumberDouble(g.double())
	case 5:
		return om.MixedNumberBoolean(g.bool())
	default:
		return om.MixedNumberBytes(g.bytes())
	}
}

// opt returns nil a third of the time, else a pointer to f().
func opt[T any](g *gen, f func() T) *T {
	if g.one(3) {
		return nil
	}
	return ptr(f())
}

// present returns nil a third of the time, else f() made non-nil: a
// present optional array, map or bytes value.
func present[T any](g *gen, f func() T, empty T, isNil func(T) bool) T {
	if g.one(3) {
		var zero T
		return zero
	}
	if v := f(); !isNil(v) {
		return v
	}
	return empty
}

func (g *gen) mixed() *om.Mixed {
	return &om.Mixed{
		Flag:         g.bool(),
		Small:        g.int(),
		Big:          g.long(),
		Ratio:        g.float(),
		Precise:      g.double(),
		Blob:         g.bytes(),
		Text:         g.str(),
		Suit:         g.suit(),
		Hash:         g.hash(),
		Origin:       g.point(),
		Circle:       g.circle(),
		Points:       slice(g, g.sliceLen(), g.point),
		PointsByName: dict(g, g.mapLen(), g.point),
		Items:        slice(g, g.sliceLen(), g.item),
		ValuesByKey:  dict(g, g.mapLen(), g.value),
		MaybeText:    g.optStr(),
		TextOrNull:   g.optStr(),
		MaybeInt:     opt(g, g.int),
		MaybeLong:    opt(g, g.long),
		MaybeFloat:   opt(g, g.float),
		MaybeDouble:  opt(g, g.double),
		MaybeBool:    opt(g, g.bool),
		MaybeBlob:    present(g, g.bytes, []byte{}, func(b []byte) bool { return b == nil }),
		MaybeSuit:    opt(g, g.suit),
		MaybeHash:    opt(g, g.hash),
		MaybePoint:   opt(g, g.point),
		MaybeTags: present(g, func() []int32 { return slice(g, g.sliceLen(), g.int) },
			[]int32{}, func(s []int32) bool { return s == nil }),
		MaybeCounts: present(g, func() map[string]int64 { return dict(g, g.mapLen(), g.long) },
			map[string]int64{}, func(m map[string]int64) bool { return m == nil }),
		Choice: g.choice(),
		Number: g.number(),
		List:   g.list(),
		Tags:   slice(g, g.sliceLen(), g.str),
		Counts: dict(g, g.mapLen(), g.int),
		Matrix: slice(g, g.sliceLen(), func() []float64 { return slice(g, g.sliceLen(), g.double) }),
		NestedMaps: dict(g, g.mapLen(), func() map[string]float32 {
			return dict(g, g.mapLen(), g.float)
		}),
		Suits:     slice(g, g.sliceLen(), g.suit),
		Hashes:    dict(g, g.mapLen(), g.hash),
		Flags:     slice(g, g.sliceLen(), g.bool),
		Blobs:     slice(g, g.sliceLen(), g.bytes),
		Nodes:     slice(g, g.sliceLen(), g.node),
		Shape:     g.shape(),
		OptLists:  slice(g, g.sliceLen(), g.optList),
		OptBlobs:  dict(g, g.mapLen(), g.optBlob),
		OptPoints: slice(g, g.sliceLen(), func() *om.Point { return opt(g, g.point) }),
		Tail:      slice(g, g.sliceLen(), g.point),
	}
}

// fixedMixed are hand-picked values: the smallest record, and one of
// extremes whose arrays end in many items of the smallest size (a wrong
// minimum item size in a decoder's bounds check rejects it).
func fixedMixed() []*om.Mixed {
	long := make([]byte, 70000)
	for i := range long {
		long[i] = byte(i)
	}
	deep := (*om.Node)(nil)
	for i := range 1000 {
		deep = &om.Node{Value: int64(i) - 500, Next: deep}
	}
	return []*om.Mixed{
		{Choice: om.MixedChoiceInt(0)},
		{
			Flag: true, Small: -1 << 31, Big: -1 << 63, Ratio: float32(math.Copysign(0, -1)), Precise: -1e308,
			Blob: long, Text: string(long), Suit: om.SuitClubs, Hash: om.Hash{0xff, 0, 0x80, 0x7f, 1, 2, 3, 0xfe},
			Origin: om.Point{X: 1<<31 - 1, Y: -1 << 31, Label: ptr("")},
			Points: make([]om.Point, 300), Items: make([]om.MixedItemsItem, 300),
			MaybeText: ptr(""), TextOrNull: ptr(""), MaybeInt: ptr[int32](0), MaybeLong: ptr[int64](0),
			MaybeFloat: ptr[float32](0), MaybeDouble: ptr(0.0), MaybeBool: ptr(false), MaybeBlob: []byte{},
			MaybeSuit: ptr(om.SuitSpades), MaybeHash: &om.Hash{}, MaybePoint: &om.Point{}, MaybeTags: []int32{},
			MaybeCounts: map[string]int64{}, Choice: &om.Circle{Tags: []string{""}}, Number: om.MixedNumberBytes{},
			List: deep, Tags: make([]string, 200), Matrix: make([][]float64, 200), Suits: make([]om.Suit, 200),
			Flags: make([]bool, 200), Blobs: make([][]byte, 200), Nodes: make([]om.Node, 200),
			Counts: map[string]int32{"": 0}, NestedMaps: map[string]map[string]float32{"k": {}},
			Shape: om.MixedShapeMap{}, OptLists: [][]string{nil, {}, {""}}, OptBlobs: map[string][]byte{"": {}},
			OptPoints: []*om.Point{nil, {}},
			Tail:      make([]om.Point, 500),
		},
	}
}
