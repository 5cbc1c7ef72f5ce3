package avrojson_test

import (
	"fmt"

	"github.com/tonga-go/tonga/internal/avrojson"
	"github.com/tonga-go/tonga/internal/schema"
	"github.com/tonga-go/tonga/runtime/avrobin"
)

func mustCompile(src string) *schema.Schema {
	docs, diags := schema.Parse([]schema.Source{{Path: "order.avsc", Data: []byte(src)}})
	if err := diags.Err(); err != nil {
		panic(err)
	}
	set, err := schema.Compile(docs)
	if err != nil {
		panic(err)
	}
	return set.Roots[0]
}

const order = `{"type": "record", "name": "Order", "namespace": "shop", "fields": [
	{"name": "id", "type": "string"},
	{"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2}},
	{"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
	{"name": "note", "type": ["null", "string"], "default": null}
]}`

func ExampleEncode() {
	s := mustCompile(order)
	data, err := avrojson.Encode(nil, s, []byte(`{"id": "o-1", "price": "4.50", "at": "2026-01-02T03:04:05.123+01:00"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("% x\n", data)

	_, err = avrojson.Encode(nil, s, []byte(`{"id": "o-1", "price": 4.505, "at": 0}`))
	fmt.Println(err)
	// Output:
	// 06 6f 2d 31 04 01 c2 86 fa 94 c7 ef 66 00
	// avrojson: .price: decimal 4.505 has 3 fraction digits, more than the scale 2
}

func ExampleDecode() {
	s := mustCompile(order)
	r := avrobin.NewReader([]byte{0x06, 'o', '-', '1', 0x04, 0x01, 0xc2, 0x00, 0x02, 0x02, 'x'})
	j, err := avrojson.Decode(s, r)
	if err == nil {
		err = r.Finish() // Decode reads one value; Finish checks nothing is left
	}
	fmt.Println(string(j), err)
	// Output:
	// {"id":"o-1","price":"4.50","at":"1970-01-01T00:00:00.000Z","note":"x"} <nil>
}
