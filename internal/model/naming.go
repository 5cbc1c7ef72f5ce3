package model

import (
	"strings"
	"unicode"
)

// initialisms are written in capitals in Go identifiers, as golint and the
// standard library do: record_id becomes RecordID, coffee_uuid CoffeeUUID.
var initialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "DNS": true,
	"EOF": true, "GUID": true, "HTML": true, "HTTP": true, "HTTPS": true, "ID": true,
	"IP": true, "JSON": true, "QPS": true, "RAM": true, "RPC": true, "SLA": true,
	"SMTP": true, "SQL": true, "SSH": true, "TCP": true, "TLS": true, "TTL": true,
	"UDP": true, "UI": true, "UID": true, "UUID": true, "URI": true, "URL": true,
	"UTF8": true, "VM": true, "XML": true,
}

// words splits an Avro name into words at underscores, digits-to-letter
// boundaries and case changes: "coffee_uuid" → [coffee uuid],
// "CoffeeOrdered" → [Coffee Ordered], "HTTPServer" → [HTTP Server].
func words(name string) []string {
	var out []string
	for part := range strings.SplitSeq(name, "_") {
		rs := []rune(part)
		start := 0
		for i := 1; i < len(rs); i++ {
			prev, cur := rs[i-1], rs[i]
			split := unicode.IsLower(prev) && unicode.IsUpper(cur) ||
				unicode.IsUpper(prev) && unicode.IsUpper(cur) && i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if split {
				out = append(out, string(rs[start:i]))
				start = i
			}
		}
		if start < len(rs) {
			out = append(out, string(rs[start:]))
		}
	}
	return out
}

// exported turns an Avro name into an exported Go identifier.
func exported(name string) string {
	var b strings.Builder
	for _, w := range words(name) {
		up := strings.ToUpper(w)
		if initialisms[up] || (w == up && strings.ContainsAny(w, "0123456789")) {
			// ID, UUID, and capitals with digits such as MD5 stay as written.
			b.WriteString(up)
			continue
		}
		rs := []rune(strings.ToLower(w))
		if w != strings.ToUpper(w) {
			// Keep inner capitals of mixed-case words (e.g. "iPhone" stays "IPhone").
			rs = []rune(w)
		}
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	s := b.String()
	if s == "" || unicode.IsDigit([]rune(s)[0]) {
		s = "X" + s
	}
	return s
}

// unexported turns an exported identifier into an unexported one:
// CoffeeOrdered → coffeeOrdered, UUID → uuid, HTTPServer → httpServer.
func unexported(s string) string {
	rs := []rune(s)
	i := 0
	for i < len(rs) && unicode.IsUpper(rs[i]) {
		i++
	}
	switch {
	case i == 0:
	case i == 1 || i == len(rs):
		for j := range i {
			rs[j] = unicode.ToLower(rs[j])
		}
	default:
		for j := range i - 1 {
			rs[j] = unicode.ToLower(rs[j])
		}
	}
	out := string(rs)
	if goKeywords[out] {
		out += "_"
	}
	return out
}

var goKeywords = map[string]bool{
	"break": true, "case": true, "chan": true, "const": true, "continue": true, "default": true,
	"defer": true, "else": true, "fallthrough": true, "for": true, "func": true, "go": true,
	"goto": true, "if": true, "import": true, "interface": true, "map": true, "package": true,
	"range": true, "return": true, "select": true, "struct": true, "switch": true, "type": true, "var": true,
}
