package partition

import "testing"

// benchKey is a UUID in its 36-character text form, a typical record key.
const benchKey = "8d8ac610-566d-4ef0-9c22-186b2a5ed793"

func BenchmarkMurmur2(b *testing.B) {
	key := []byte(benchKey)
	b.SetBytes(int64(len(key)))
	b.ReportAllocs()
	for b.Loop() {
		Murmur2(key)
	}
}

func BenchmarkMurmur2Partition(b *testing.B) {
	key := []byte(benchKey)
	b.SetBytes(int64(len(key)))
	b.ReportAllocs()
	for b.Loop() {
		Murmur2Partition(key, 12)
	}
}

func BenchmarkKeyPartitioner(b *testing.B) {
	var p Partitioner = KeyPartitioner{}
	key := []byte(benchKey)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Partition(key, 12); err != nil {
			b.Fatal(err)
		}
	}
}
