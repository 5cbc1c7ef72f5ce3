// Package standalone runs one instance of a coffee-bar service as its own
// process, as in production: the flags every service's command shares,
// and the instance ordinal read from the host name when --instance is not
// given (a Kubernetes StatefulSet names its pods <name>-<ordinal>).
package standalone
