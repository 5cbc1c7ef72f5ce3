package cli

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tonga-go/tonga/runtime/partition"
)

// runStdin is run with input as the standard input partition reads.
func runStdin(t *testing.T, input string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	saved := stdin
	stdin = strings.NewReader(input)
	t.Cleanup(func() { stdin = saved })
	return run(t, args...)
}

// TestPartition checks tongagen partition against partitions other clients
// publish: kafka-python's test_murmur2_java_compatibility (1000 partitions:
// "" 681, "a" 524, "abc" 107, "\x00 " 742) and murmur2("0") = 971027396
// from kafkajs, so key "0" is on partition 8 of 12 (see the tests of
// runtime/partition for the sources).
func TestPartition(t *testing.T) {
	// An argument is hashed as given, carriage return included.
	withCR := partition.Murmur2Partition([]byte("abc\r"), 1000)
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"arguments", []string{"partition", "--partitions", "1000", "abc", "a", ""}, "ignored\n", "abc\t107\na\t524\n\t681\n"},
		{"short flag", []string{"partition", "-n", "12", "0"}, "", "0\t8\n"},
		{"one partition", []string{"partition", "-n", "1", "abc", "0"}, "", "abc\t0\n0\t0\n"},
		{"stdin", []string{"partition", "--partitions", "1000"}, "abc\na\n", "abc\t107\na\t524\n"},
		{"stdin empty line is the empty key", []string{"partition", "-n", "1000"}, "abc\n\na\n", "abc\t107\n\t681\na\t524\n"},
		{"stdin without final newline", []string{"partition", "-n", "1000"}, "abc\na", "abc\t107\na\t524\n"},
		{"stdin CRLF", []string{"partition", "-n", "1000"}, "abc\r\n\r\na\r\n", "abc\t107\n\t681\na\t524\n"},
		{"stdin empty", []string{"partition", "-n", "1000"}, "", ""},
		{"base64 arguments", []string{"partition", "-n", "1000", "--base64", "ACA=", "YWJj", ""}, "", "ACA=\t742\nYWJj\t107\n\t681\n"},
		{"base64 stdin", []string{"partition", "-n", "1000", "--base64"}, "ACA=\r\nYWJj\n", "ACA=\t742\nYWJj\t107\n"},
		{"argument keeps its carriage return", []string{"partition", "-n", "1000", "abc\r"}, "", "abc\r\t" + strconv.Itoa(withCR) + "\n"},
	}
	if withCR == 107 {
		t.Fatal(`"abc\r" and "abc" share a partition; pick another key to show the argument keeps its \r`)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runStdin(t, tt.stdin, tt.args...)
			if code != 0 || stdout != tt.want {
				t.Errorf("%q with stdin %q: exit %d, stdout %q, stderr %q; want stdout %q", tt.args, tt.stdin, code, stdout, stderr, tt.want)
			}
		})
	}
}

func TestPartitionErrors(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		stdin      string
		code       int
		wantOut    string
		wantStderr []string
	}{
		{"no --partitions", []string{"partition", "abc"}, "", 2, "", []string{"--partitions is required", "--help"}},
		{"zero partitions", []string{"partition", "-n", "0", "abc"}, "", 2, "", []string{"at least 1, not 0", "--help"}},
		{"negative partitions", []string{"partition", "--partitions=-4", "abc"}, "", 2, "", []string{"at least 1, not -4"}},
		{"partitions not a number", []string{"partition", "-n", "twelve", "abc"}, "", 2, "", []string{`invalid argument "twelve"`}},
		{"bad base64 argument", []string{"partition", "-n", "1000", "--base64", "YWJj", "a!"}, "", 1, "YWJj\t107\n", []string{`key 2 "a!": not standard base64`}},
		{"bad base64 line", []string{"partition", "-n", "1000", "--base64"}, "YWJj\r\nnot base64\r\nACA=\n", 1, "YWJj\t107\n", []string{`line 2 "not base64": not standard base64`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runStdin(t, tt.stdin, tt.args...)
			if code != tt.code || stdout != tt.wantOut {
				t.Errorf("%q: exit %d, stdout %q; want exit %d, stdout %q", tt.args, code, stdout, tt.code, tt.wantOut)
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("%q: stderr %q does not contain %q", tt.args, stderr, w)
				}
			}
		})
	}
}

func TestPartitionHelp(t *testing.T) {
	code, stdout, _ := run(t, "partition", "--help")
	for _, w := range []string{"--partitions", "--base64", "empty line is the empty key", "tongagen partition --partitions 12 0 order-42\n  0\t8\n"} {
		if code != 0 || !strings.Contains(stdout, w) {
			t.Errorf("partition --help (exit %d) does not contain %q", code, w)
		}
	}
	// The examples' output is what the command prints.
	for _, args := range [][]string{{"-n", "12", "0", "order-42"}, {"-n", "1000", "--base64", "ACA="}} {
		_, out, _ := run(t, append([]string{"partition"}, args...)...)
		if !strings.Contains(stdout, "  "+strings.ReplaceAll(strings.TrimSuffix(out, "\n"), "\n", "\n  ")) {
			t.Errorf("partition --help shows an output other than %q for %q", out, args)
		}
	}
	if _, stdout, _ := run(t, "--help"); !strings.Contains(stdout, "partition") {
		t.Error("tongagen --help does not list partition")
	}
}
