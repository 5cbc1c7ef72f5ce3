package avrojson

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// number is a parsed decimal literal: (-1)^neg × digits × 10^exp, with
// digits free of leading and trailing zeros ("" for zero).
type number struct {
	neg    bool
	digits string
	exp    int
}

// maxExp bounds the exponent a literal may carry, so that "1e999999999"
// cannot make a converter build a huge power of ten. Integers and
// decimals never need more.
const maxExp = 1 << 20

// maxDecimalShift is how far a decimal literal's exponent may move its
// digits beyond its scale. Decimals that Decode writes have no exponent.
const maxDecimalShift = 1000

var (
	errNotInteger = errors.New("not an integer")
	errRange      = errors.New("out of range")
	errType       = errors.New("wrong JSON type")
)

// parseNumber parses the JSON number grammar, leading zeros allowed:
// an optional minus sign, digits, an optional fraction and an optional
// exponent of at most maxExp.
func parseNumber(s string) (number, bool) {
	var n number
	i := 0
	if i < len(s) && s[i] == '-' {
		n.neg = true
		i++
	}
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == intStart {
		return n, false
	}
	mantissa := s[intStart:i]
	frac := ""
	if i < len(s) && s[i] == '.' {
		i++
		fracStart := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == fracStart {
			return n, false
		}
		frac = s[fracStart:i]
	}
	exp := 0
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		var ok bool
		if exp, i, ok = parseExponent(s, i+1); !ok {
			return n, false
		}
	}
	if i != len(s) {
		return n, false
	}
	digits := strings.TrimLeft(mantissa+frac, "0")
	trimmed := strings.TrimRight(digits, "0")
	n.digits = trimmed
	n.exp = exp - len(frac) + len(digits) - len(trimmed)
	if trimmed == "" {
		n.exp = 0
	}
	return n, true
}

// parseExponent parses the signed exponent digits of a number starting at
// s[i], at most maxExp in magnitude. It returns the exponent and the index
// after it.
func parseExponent(s string, i int) (exp, end int, ok bool) {
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	for ; i < len(s) && isDigit(s[i]); i++ {
		if exp <= maxExp {
			exp = exp*10 + int(s[i]-'0')
		}
	}
	if i == start || exp > maxExp {
		return 0, i, false
	}
	if neg {
		exp = -exp
	}
	return exp, i, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// int64 returns n as an int64: errNotInteger if it has a fraction,
// errRange if it does not fit.
func (n number) int64() (int64, error) {
	if n.exp < 0 {
		return 0, errNotInteger
	}
	if n.digits == "" {
		return 0, nil
	}
	if len(n.digits)+n.exp > 19 {
		return 0, errRange
	}
	lit := n.digits + strings.Repeat("0", n.exp)
	if n.neg {
		lit = "-" + lit
	}
	v, err := strconv.ParseInt(lit, 10, 64)
	if err != nil {
		return 0, errRange
	}
	return v, nil
}

// unscaled returns n × 10^scale, the unscaled value of n as a decimal of
// the given scale, or an error if that is not an integer.
func (n number) unscaled(scale int) (*big.Int, error) {
	x := new(big.Int)
	if n.digits == "" {
		return x, nil
	}
	if -n.exp > scale {
		return nil, fmt.Errorf("has %d fraction digits, more than the scale %d", -n.exp, scale)
	}
	shift := n.exp + scale
	if shift > scale+maxDecimalShift {
		return nil, fmt.Errorf("has an exponent above %d", maxDecimalShift)
	}
	x.SetString(n.digits, 10)
	if shift > 0 {
		x.Mul(x, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(shift)), nil))
	}
	if n.neg {
		x.Neg(x)
	}
	return x, nil
}

// formatDecimal formats the unscaled value x of a decimal with the given
// scale, with exactly scale fraction digits: "12.34", "-0.50", "7".
func formatDecimal(b []byte, x *big.Int, scale int) []byte {
	digits := new(big.Int).Abs(x).String()
	if x.Sign() < 0 {
		b = append(b, '-')
	}
	if scale <= 0 {
		return append(b, digits...)
	}
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	b = append(b, digits[:len(digits)-scale]...)
	b = append(b, '.')
	return append(b, digits[len(digits)-scale:]...)
}

// twos returns the big-endian two's complement integer p; it is 0 for no
// bytes.
func twos(p []byte) *big.Int {
	x := new(big.Int).SetBytes(p)
	if len(p) > 0 && p[0]&0x80 != 0 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), 8*uint(len(p))))
	}
	return x
}
