package schema

// empty64 is the CRC-64-AVRO fingerprint of the empty byte string, and the
// polynomial the table is built from (Avro specification, "Schema
// Fingerprints").
const empty64 uint64 = 0xc15d213aa4d7a795

// fpTable is the byte-at-a-time table of the specification's reference
// implementation.
var fpTable = func() *[256]uint64 {
	var t [256]uint64
	for i := range t {
		fp := uint64(i)
		for range 8 {
			fp = (fp >> 1) ^ (empty64 & -(fp & 1))
		}
		t[i] = fp
	}
	return &t
}()

// Fingerprint64 returns the CRC-64-AVRO (64-bit Rabin) fingerprint of data,
// the value Java's SchemaNormalization.fingerprint64 returns, read as
// unsigned. Single-object encoding writes it as 8 little-endian bytes.
func Fingerprint64(data []byte) uint64 {
	fp := empty64
	for _, c := range data {
		fp = (fp >> 8) ^ fpTable[byte(fp)^c]
	}
	return fp
}

// Fingerprint returns the CRC-64-AVRO fingerprint of the Parsing Canonical
// Form of s (see [Schema.Canonical]).
func (s *Schema) Fingerprint() uint64 {
	return Fingerprint64([]byte(s.Canonical()))
}
