package wire_test

import (
	"encoding/json"
	"fmt"

	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// exampleRecord returns a CoffeeStarted with fixed fields, so that its
// encoding has a fixed length.
func exampleRecord() *seed.CoffeeStarted {
	return &seed.CoffeeStarted{
		Envelope: tonga.Envelope{
			SchemaVersion: "0.0.0", RecordID: "r1", Timestamp: 1700000000000,
			Datetime: "2023-11-14T22:13:20+00:00", CorrelationID: "r1",
		},
		UUID: "c1",
	}
}

// This example frames a record in Avro's single-object encoding and reads
// it back through a registry of the record types.
func ExampleAppendSingleObject() {
	msg, err := wire.AppendSingleObject(nil, exampleRecord())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(wire.Detect(msg), len(msg), "bytes")

	fp, body, err := wire.ParseSingleObject(msg)
	if err != nil {
		fmt.Println(err)
		return
	}
	reg, err := tonga.NewRegistry(seed.Schemas()...)
	if err != nil {
		fmt.Println(err)
		return
	}
	rec, err := reg.Decode(fp, body)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%#x %s %s\n", fp, rec.AvroSchema().FullName, rec.(*seed.CoffeeStarted).UUID)
	// Output:
	// soe 61 bytes
	// 0x8d63b051f30d5c1b tonga.coffeemaker.event.CoffeeStarted c1
}

// This example frames a record as Python Tonga does, one container file
// per message, and reads it back the way Python Tonga's decoder does: the
// record's name from the header schema, then the record from the block.
func ExampleAppendContainerRecord() {
	msg, err := wire.AppendContainerRecord(nil, exampleRecord(), wire.ContainerOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := wire.ParseContainer(msg)
	if err != nil {
		fmt.Println(err)
		return
	}
	var name struct{ Namespace, Name string }
	if err := json.Unmarshal([]byte(c.Schema), &name); err != nil {
		fmt.Println(err)
		return
	}
	var rec seed.CoffeeStarted
	if err := rec.UnmarshalAvro(c.Blocks[0].Data); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(wire.Detect(msg), len(msg), "bytes:", len(c.Schema), "of schema,", len(c.Blocks[0].Data), "of record")
	fmt.Println(c.Codec, "codec,", len(c.Blocks), "block of", c.Blocks[0].Count)
	fmt.Println(name.Namespace+"."+name.Name, rec.UUID)
	// Output:
	// tonga 1144 bytes: 1023 of schema, 51 of record
	// null codec, 1 block of 1
	// tonga.coffeemaker.event.CoffeeStarted c1
}

// This example tells the framing of messages from their first bytes.
func ExampleDetect() {
	soe, _ := wire.AppendSingleObject(nil, exampleRecord())
	container, _ := wire.AppendContainerRecord(nil, exampleRecord(), wire.ContainerOptions{})
	confluent := []byte{0, 0, 0, 0, 42, 0x04, 'c', '1'}
	for _, msg := range [][]byte{soe, container, confluent, []byte(`{"uuid":"c1"}`)} {
		fmt.Println(wire.Detect(msg))
	}
	// Output:
	// soe
	// tonga
	// confluent
	// unknown
}
