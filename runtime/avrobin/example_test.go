package avrobin_test

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/tonga-go/tonga/runtime/avrobin"
)

// This example encodes a record {name: string, tags: array<string>} the way
// generated code does.
func ExampleAppendString() {
	var b []byte
	b = avrobin.AppendString(b, "foo")
	tags := []string{"a", "b"}
	b = avrobin.AppendBlockLen(b, len(tags))
	for _, tag := range tags {
		b = avrobin.AppendString(b, tag)
	}
	b = avrobin.AppendBlockEnd(b)
	fmt.Printf("% x\n", b)
	// Output: 06 66 6f 6f 04 02 61 02 62 00
}

// This example decodes the record of the AppendString example and checks
// for errors once, at the end.
func ExampleNewReader() {
	r := avrobin.NewReader([]byte{0x06, 'f', 'o', 'o', 0x04, 0x02, 'a', 0x02, 'b', 0x00})
	name := r.ReadString()
	var tags []string
	// A string takes at least one byte, its length.
	for n := r.ReadBlockLen(1); n > 0; n = r.ReadBlockLen(1) {
		for range n {
			tags = append(tags, r.ReadString())
		}
	}
	if err := r.Finish(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(name, tags)
	// Output: foo [a b]
}

// This example shows the error of a corrupt input: a string longer than the
// data.
func ExampleReader_Finish() {
	r := avrobin.NewReader([]byte{0x02, 0xd0, 0x0f, 'h', 'e', 'l', 'l', 'o'})
	r.ReadLong()
	s := r.ReadString()
	err := r.Finish()
	fmt.Printf("%q\n", s)
	fmt.Println(err)
	fmt.Println(errors.Is(err, avrobin.ErrCorrupt))
	// Output:
	// ""
	// avrobin: corrupt data at offset 1: string length 1000 exceeds the 5 bytes remaining
	// true
}

func ExampleAppendDecimalBytes() {
	b, err := avrobin.AppendDecimalBytes(nil, big.NewRat(-128, 100), 2) // -1.28
	fmt.Printf("% x %v\n", b, err)
	_, err = avrobin.AppendDecimalBytes(nil, big.NewRat(1, 3), 2)
	fmt.Println(err)
	// Output:
	// 02 80 <nil>
	// avrobin: decimal 1/3 is not a multiple of 10^-2 (scale 2)
}
