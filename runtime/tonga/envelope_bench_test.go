package tonga_test

import (
	"testing"
	"time"

	"github.com/tonga-go/tonga/runtime/tonga"
)

// A handler creates an envelope for every record it emits: these are on
// the processing loop's path.

func BenchmarkNewEnvelope(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = tonga.NewEnvelope("1.0.0")
	}
}

func BenchmarkNewUUID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = tonga.NewUUID()
	}
}

func BenchmarkFormatDatetime(b *testing.B) {
	b.ReportAllocs()
	at := time.Date(2026, 12, 3, 16, 45, 20, 123456789, time.UTC)
	for b.Loop() {
		_ = tonga.FormatDatetime(at)
	}
}
