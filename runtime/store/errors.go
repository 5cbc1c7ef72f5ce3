package store

import "errors"

// ErrCorrupt is wrapped by the error a persistent backend's Open returns
// when its directory holds data the engine cannot read: a damaged
// manifest, a truncated table, a format it does not know. The directory
// can be removed and the store rebuilt from its changelog.
var ErrCorrupt = errors.New("store: corrupt data directory")

// ErrClosed is returned by a backend's methods after Close.
var ErrClosed = errors.New("store: backend closed")
