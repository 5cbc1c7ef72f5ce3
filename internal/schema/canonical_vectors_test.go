package schema

import (
	"strings"
	"testing"
)

// pcfVectorsRejected lists the vectors whose input a compiler that follows
// the specification rejects, with the diagnostic it must give. Their
// canonical forms and fingerprints are still checked by
// TestFingerprintVectors. Java's parser accepts case 026 because it does not
// validate defaults (libavro-java 1.8.2); ports of these vectors to other
// languages change its default to true.
var pcfVectorsRejected = map[string]string{
	"026": `default of field "f1": "true" is not a valid boolean value (expected a JSON boolean)`,
}

// TestCanonicalVectors compiles each input of the Avro project's vectors
// (testdata/pcf-vectors.txt) and checks its canonical form and, where the
// case lists one, its fingerprint.
func TestCanonicalVectors(t *testing.T) {
	for _, v := range readPCFVectors(t) {
		t.Run(v.id, func(t *testing.T) {
			if want, ok := pcfVectorsRejected[v.id]; ok {
				if _, err := compileString(v.input); err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("compiling\n%s\ngave error %v; want one containing %q", v.input, err, want)
				}
				return
			}
			s := compileOne(t, v.input)
			if got := s.Canonical(); got != v.canonical {
				t.Errorf("Canonical() of\n%s\n= %s\nwant %s", v.input, got, v.canonical)
			}
			if !v.hasFP {
				return
			}
			if got := int64(s.Fingerprint()); got != v.fingerprint {
				t.Errorf("Fingerprint() of\n%s\n= %d, want %d", v.input, got, v.fingerprint)
			}
		})
	}
}
