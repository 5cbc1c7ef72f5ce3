// Package oracle holds a differential test of tongagen's generated codecs
// against gogen-avro v10, an independent Avro code generator: bytes written
// by our generated code must decode with gogen-avro's generated code for the
// same schema, and the other way round.
//
// The schemas gogen-avro reads live in schemas/: seed.*.avsc are written by
// ./gen from the AvroSchema().JSON of testdata/seed/want, and mixed.avsc is
// written by hand (it is also the tongagen golden case
// testdata/oracle-mixed). The gogen-avro packages are gogen/seed and
// gogen/mixed. To regenerate everything, from the repository root:
//
//	go generate ./internal/oracle/...
//
// gogen-avro never removes a file it generated before, so when a type
// disappears from the schemas, delete the generated files of gogen/seed or
// gogen/mixed (all but doc.go) before regenerating. After editing
// mixed.avsc, copy it to testdata/oracle-mixed/schemas and regenerate that
// golden case with tongagen as well; TestSchemasCurrent checks both copies.
package oracle

//go:generate go run ./gen -o schemas
