package schema

import "math"

// logical applies the logicalType attribute of the object n to s. As the
// specification requires, a logical type that does not fit its underlying
// type, or whose attributes are invalid, is ignored rather than rejected:
// s keeps its underlying type and records the name in IgnoredLogical.
func (b *builder) logical(n *Node, s *Schema) {
	lt := n.Get("logicalType")
	if lt == nil || lt.Kind != StringNode {
		return
	}
	if logicalFits(n, s, lt.Text) {
		s.Logical = lt.Text
		return
	}
	s.IgnoredLogical = lt.Text
}

func logicalFits(n *Node, s *Schema, name string) bool {
	switch name {
	case Decimal:
		return decimalFits(n, s)
	case UUID:
		return s.Kind == String || (s.Kind == Fixed && s.Size == 16)
	case Date, TimeMillis:
		return s.Kind == Int
	case TimeMicros, TimestampMillis, TimestampMicros, TimestampNanos,
		LocalTimestampMillis, LocalTimestampMicros, LocalTimestampNanos:
		return s.Kind == Long
	case DurationLogical:
		return s.Kind == Fixed && s.Size == 12
	}
	return false
}

// decimalFits checks precision and scale: precision a positive integer,
// scale a non-negative integer no greater than precision, and on a fixed,
// precision no more digits than size bytes of two's complement can hold.
func decimalFits(n *Node, s *Schema) bool {
	if s.Kind != Bytes && s.Kind != Fixed {
		return false
	}
	precision, ok := intValue(n.Get("precision"))
	if !ok || precision <= 0 {
		return false
	}
	var scale int64
	if sc := n.Get("scale"); sc != nil {
		if scale, ok = intValue(sc); !ok || scale < 0 {
			return false
		}
	}
	if scale > precision {
		return false
	}
	if s.Kind == Fixed {
		if s.Size == 0 || float64(precision) > math.Floor(math.Log10(2)*float64(8*s.Size-1)) {
			return false
		}
	}
	s.Precision, s.Scale = int(precision), int(scale)
	return true
}
