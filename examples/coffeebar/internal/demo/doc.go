// Package demo runs the whole coffee bar in one process: the embedded
// broker (or an existing cluster), the topics, instances of each service,
// a crowd of customers over HTTP, a read_committed audit of every topic,
// a progress line every second and a summary at the end.
package demo
