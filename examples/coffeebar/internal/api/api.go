package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// maxBody bounds a request body.
const maxBody = 64 << 10

// Decode reads the request body as exactly one JSON object into v,
// refusing unknown fields. Its errors read well in a 400 answer.
func Decode(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return errors.New("the body is empty; want a JSON object")
		case errors.As(err, &typeErr) && typeErr.Field != "":
			return fmt.Errorf("field %s: want a JSON %s, not %s", typeErr.Field, jsonKind(typeErr.Type.Kind().String()), typeErr.Value)
		}
		return fmt.Errorf("the body is not a valid JSON object: %w", err)
	}
	if dec.More() {
		return errors.New("the body holds more than one JSON value")
	}
	return nil
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "float32", "float64", "int", "int32", "int64":
		return "number"
	case "bool":
		return "boolean"
	}
	return "value of another type"
}

// JSON writes v as the JSON answer, with status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Error answers status with {"error": message}.
func Error(w http.ResponseWriter, status int, format string, args ...any) {
	JSON(w, status, map[string]string{"error": fmt.Sprintf(format, args...)})
}

// Unavailable answers 503 with a Retry-After, for a caller to come back
// once the instance's stores are rebuilt or its service runs again.
func Unavailable(w http.ResponseWriter, retry time.Duration, format string, args ...any) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(retry.Seconds()))))
	Error(w, http.StatusServiceUnavailable, format, args...)
}

// IsUUID reports whether s is a UUID in its 36-character text form, as
// tickets and bill numbers are.
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
				return false
			}
		}
	}
	return true
}
