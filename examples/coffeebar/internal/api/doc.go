// Package api holds the JSON plumbing of the coffee bar's HTTP routes:
// strict request decoding, JSON answers, and errors as {"error": "..."}.
package api
