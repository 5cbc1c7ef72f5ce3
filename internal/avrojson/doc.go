// Package avrojson converts between the Avro binary encoding and "natural"
// JSON, driven by a schema known only at run time. It is what tongagen's
// decode and encode commands print and read; generated code does not use it.
//
// [Decode] reads one value and returns compact, deterministic JSON: record
// fields in schema order, map keys sorted. [Encode] reads JSON and appends
// the Avro binary encoding.
//
// # The mapping
//
// The JSON is the value itself, not Avro's JSON encoding:
//
//   - null, boolean: null, true, false.
//   - int, long: JSON integers, exact for every int64. Encode also takes a
//     number whose value is an integer, such as 1e3 or 2.0.
//   - float, double: JSON numbers in their shortest round-trip form; NaN
//     and the infinities as the strings "NaN", "Infinity" and "-Infinity".
//   - string: a JSON string. Each byte that is not valid UTF-8 is written
//     as U+FFFD, as encoding/json does, so such a string does not survive
//     a round trip.
//   - bytes, fixed: standard base64 with padding.
//   - enum: the symbol.
//   - array, map: a JSON array, a JSON object. When a map's binary form
//     holds a key twice, the last value wins, as in a Go map.
//   - record: a JSON object keyed by field name. On Encode a missing field
//     takes its default, a missing field without one is an error, and so
//     is a key that names no field.
//   - union: the branch's value without a wrapper. Encode takes the first
//     branch, in schema order, that takes the value exactly: null takes
//     null; int a JSON integer in its range and long any other; float a
//     number that float32 holds exactly and double any number; string any
//     string, enum its symbols, bytes base64 and fixed base64 of its size;
//     a record an object whose keys are fields of it, with every field that
//     has no default present; map any object and array any array; a
//     logical type its natural form. Failing that, it reads Avro's wrapped
//     form {"<type name>": value}, so that data written by Avro tools can
//     be read (their bytes and fixed values are not base64, though), and
//     last takes a branch that takes the value with rounding, such as a
//     float for 0.1. An ambiguous value, such as an enum symbol in a union
//     whose string branch comes first, reads back on the first branch.
//
// Logical types have their natural forms. A decimal is a string holding
// exactly scale fraction digits ("-0.50"); Encode also takes a JSON
// number, and rejects a value that needs more fraction digits than the
// scale. A uuid on a fixed is the 8-4-4-4-12 hex form. A date is
// "2006-01-02"; time-millis and time-micros are times of day,
// "15:04:05.000" and "15:04:05.000000"; timestamps are RFC 3339 in UTC with
// exactly 3, 6 or 9 fraction digits ("2006-01-02T15:04:05.000Z"), and local
// timestamps the same without the "Z". A duration is {"months": m, "days":
// d, "milliseconds": ms}. Encode takes these forms with any number of
// fraction digits the unit holds exactly (none included), any RFC 3339
// offset for timestamps, and, for the logical types on int and long, a
// plain integer meaning the underlying value. Decode writes that plain
// integer for a date or timestamp whose year is outside 0000-9999, and for
// a time of day outside 00:00 to 24:00, which have no natural form. A
// logical type the schema ignored is its underlying type.
//
// Nesting is limited to [MaxDepth] records, arrays and maps, so that
// neither hostile binary data nor hostile JSON can exhaust the stack.
// Errors are [*Error] values that say where the value is wrong, as a path
// such as .items[3].name; corrupt binary data matches
// [avrobin.ErrCorrupt].
package avrojson
