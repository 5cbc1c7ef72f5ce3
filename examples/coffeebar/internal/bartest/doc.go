// Package bartest helps test the coffee bar's services on the embedded
// broker: a broker with the flow's topics, an instance run for the length
// of a test, records sent as another service would, and JSON over HTTP.
package bartest
