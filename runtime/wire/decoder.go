package wire

import (
	"errors"
	"fmt"
	"sync"

	"github.com/tonga-go/tonga/internal/resolve"
	"github.com/tonga-go/tonga/internal/schema"
	"github.com/tonga-go/tonga/runtime/avrobin"
	"github.com/tonga-go/tonga/runtime/tonga"
)

// Info says how a message was decoded.
type Info struct {
	// Framing is the framing detected.
	Framing Framing
	// Fingerprint identifies the writer schema.
	Fingerprint uint64
	// Writer is the writer schema's full name.
	Writer string
	// Resolved is set when the writer schema differs from the record
	// type's own, so the data went through schema resolution.
	Resolved bool
}

// DecodeError is the error of [Decoder.Decode]. It matches, with
// errors.Is, the condition a consumer acts on: [ErrBadFraming] (not a
// framing this package reads), [tonga.ErrUnknownSchema] (no registered
// type for the writer schema), [tonga.ErrIncompatible] (the writer schema
// cannot be read as the registered type), or [avrobin.ErrCorrupt].
type DecodeError struct {
	Framing Framing
	// Fingerprint and Name identify the writer schema, where known.
	Fingerprint uint64
	Name        string
	Err         error
}

func (e *DecodeError) Error() string {
	switch {
	case e.Name != "":
		return fmt.Sprintf("wire: decode %s message of %s (fingerprint %016x): %v", e.Framing, e.Name, e.Fingerprint, e.Err)
	case e.Fingerprint != 0:
		return fmt.Sprintf("wire: decode %s message of fingerprint %016x: %v", e.Framing, e.Fingerprint, e.Err)
	}
	return fmt.Sprintf("wire: decode %s message: %v", e.Framing, e.Err)
}

// Unwrap returns Err.
func (e *DecodeError) Unwrap() error { return e.Err }

// Decoder turns message values into typed records in one call: it detects
// the framing, identifies the writer schema (by the single-object
// fingerprint or the container header), and picks the decoder — the type's
// own when the writer schema is the registered one, the generated
// resolving decoder of an older version kept at generate time, or a
// resolution worked out when the writer schema is first met and cached
// for every later message. A Decoder is safe for concurrent use.
type Decoder struct {
	reg *tonga.Registry
	// byFingerprint holds the writers known before any message: the
	// registered types and their generated older versions.
	byFingerprint map[uint64]*writer
	mu            sync.RWMutex
	byHeader      map[string]*writer // container header schema text → writer
	readers       map[*tonga.Schema]*schema.Schema
}

// writer is one writer schema and how its data becomes a record.
type writer struct {
	fingerprint uint64
	name        string
	resolved    bool
	decode      func(body []byte) (tonga.Record, error)
}

// DecoderOption configures a Decoder.
type DecoderOption func(*Decoder) error

// WithWriterSchemas adds writer schemas (JSON) that single-object data may
// carry besides the registered types and their versions — from a schema
// store, say. Each is resolved against the registered type of its name.
func WithWriterSchemas(schemas ...string) DecoderOption {
	return func(d *Decoder) error {
		for _, js := range schemas {
			w, err := d.resolveWriter(js)
			if err != nil {
				return err
			}
			d.byFingerprint[w.fingerprint] = w
		}
		return nil
	}
}

// NewDecoder returns a Decoder for the record types of reg.
func NewDecoder(reg *tonga.Registry, opts ...DecoderOption) (*Decoder, error) {
	d := &Decoder{
		reg:           reg,
		byFingerprint: map[uint64]*writer{},
		byHeader:      map[string]*writer{},
		readers:       map[*tonga.Schema]*schema.Schema{},
	}
	for _, s := range reg.Schemas() {
		d.byFingerprint[s.Fingerprint] = direct(s)
		for _, v := range s.Writers {
			d.byFingerprint[v.Fingerprint] = generated(s, v)
		}
	}
	for _, opt := range opts {
		if err := opt(d); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func direct(s *tonga.Schema) *writer {
	return &writer{fingerprint: s.Fingerprint, name: s.FullName, decode: func(body []byte) (tonga.Record, error) {
		rec := s.New()
		return rec, rec.UnmarshalAvro(body)
	}}
}

func generated(s *tonga.Schema, v tonga.Writer) *writer {
	return &writer{fingerprint: v.Fingerprint, name: s.FullName, resolved: true, decode: func(body []byte) (tonga.Record, error) {
		rec := s.New()
		var r avrobin.Reader
		r.Reset(body)
		v.Decode(rec, &r)
		return rec, r.Finish()
	}}
}

// Decode decodes one message value.
func (d *Decoder) Decode(data []byte) (tonga.Record, Info, error) {
	switch f := Detect(data); f {
	case FramingSingleObject:
		return d.decodeSingleObject(data)
	case FramingContainer:
		return d.decodeContainer(data)
	case FramingConfluent:
		return nil, Info{Framing: f}, &DecodeError{Framing: f, Err: fmt.Errorf("%w: Confluent schema-registry framing needs a registry client, which this decoder has not", tonga.ErrUnknownSchema)}
	default:
		return nil, Info{Framing: f}, &DecodeError{Framing: f, Err: fmt.Errorf("%w: neither single-object (C3 01) nor container (Obj 01) framing", ErrBadFraming)}
	}
}

func (d *Decoder) decodeSingleObject(data []byte) (tonga.Record, Info, error) {
	info := Info{Framing: FramingSingleObject}
	fp, body, err := ParseSingleObject(data)
	if err != nil {
		return nil, info, &DecodeError{Framing: info.Framing, Err: err}
	}
	info.Fingerprint = fp
	w := d.byFingerprint[fp]
	if w == nil {
		return nil, info, &DecodeError{Framing: info.Framing, Fingerprint: fp, Err: tonga.ErrUnknownSchema}
	}
	return d.finish(w, info, body)
}

func (d *Decoder) decodeContainer(data []byte) (tonga.Record, Info, error) {
	info := Info{Framing: FramingContainer}
	c, err := ParseContainer(data)
	if err != nil {
		return nil, info, &DecodeError{Framing: info.Framing, Err: err}
	}
	if len(c.Blocks) != 1 || c.Blocks[0].Count != 1 {
		n := int64(0)
		for _, b := range c.Blocks {
			n += b.Count
		}
		return nil, info, &DecodeError{Framing: info.Framing,
			Err: fmt.Errorf("%w: the container holds %d records in %d blocks; a message holds one", ErrBadFraming, n, len(c.Blocks))}
	}
	w, err := d.headerWriter(c.Schema)
	if err != nil {
		var de *DecodeError
		if !errors.As(err, &de) {
			de = &DecodeError{Err: err}
		}
		de.Framing = info.Framing
		return nil, info, de
	}
	info.Fingerprint, info.Writer = w.fingerprint, w.name
	return d.finish(w, info, c.Blocks[0].Data)
}

func (d *Decoder) finish(w *writer, info Info, body []byte) (tonga.Record, Info, error) {
	info.Writer, info.Resolved = w.name, w.resolved
	rec, err := w.decode(body)
	if err != nil {
		return nil, info, &DecodeError{Framing: info.Framing, Fingerprint: w.fingerprint, Name: w.name, Err: err}
	}
	return rec, info, nil
}

// headerWriter returns the writer of a container's header schema,
// resolving it the first time the text is met.
func (d *Decoder) headerWriter(js string) (*writer, error) {
	d.mu.RLock()
	w := d.byHeader[js]
	d.mu.RUnlock()
	if w != nil {
		return w, nil
	}
	w, err := d.resolveWriter(js)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	d.byHeader[js] = w
	d.mu.Unlock()
	return w, nil
}

// resolveWriter works out how data written with the schema js is read:
// directly or through a generated decoder when the fingerprint is known,
// else by a transcoder to the registered type of the same name or alias.
func (d *Decoder) resolveWriter(js string) (*writer, error) {
	ws, err := compileWriter(js)
	if err != nil {
		return nil, fmt.Errorf("%w: the writer schema does not compile: %w", avrobin.ErrCorrupt, err)
	}
	fp := ws.Fingerprint()
	if w := d.byFingerprint[fp]; w != nil {
		return w, nil
	}
	target := d.target(ws)
	if target == nil {
		return nil, &DecodeError{Fingerprint: fp, Name: ws.FullName, Err: fmt.Errorf("%w: no registered type is named %s or has it as an alias", tonga.ErrUnknownSchema, ws.FullName)}
	}
	reader, err := d.reader(target)
	if err != nil {
		return nil, err
	}
	tr, err := resolve.Compile(ws, reader)
	if err != nil {
		return nil, &DecodeError{Fingerprint: fp, Name: ws.FullName, Err: err}
	}
	return &writer{fingerprint: fp, name: ws.FullName, resolved: true, decode: func(body []byte) (tonga.Record, error) {
		current, err := tr.Transcode(nil, body)
		if err != nil {
			return nil, err
		}
		rec := target.New()
		return rec, rec.UnmarshalAvro(current)
	}}, nil
}

func (d *Decoder) target(ws *schema.Schema) *tonga.Schema {
	if s, ok := d.reg.ByName(ws.FullName); ok {
		return s
	}
	for _, s := range d.reg.Schemas() {
		for _, a := range s.Aliases {
			if a == ws.FullName {
				return s
			}
		}
	}
	return nil
}

// reader compiles a registered type's own schema once.
func (d *Decoder) reader(s *tonga.Schema) (*schema.Schema, error) {
	d.mu.RLock()
	rs := d.readers[s]
	d.mu.RUnlock()
	if rs != nil {
		return rs, nil
	}
	rs, err := compileWriter(s.JSON)
	if err != nil {
		return nil, fmt.Errorf("wire: the schema of %s does not compile: %w", s.FullName, err)
	}
	d.mu.Lock()
	d.readers[s] = rs
	d.mu.Unlock()
	return rs, nil
}

func compileWriter(js string) (*schema.Schema, error) {
	docs, diags := schema.Parse([]schema.Source{{Path: "schema", Data: []byte(js)}})
	if err := diags.Err(); err != nil {
		return nil, err
	}
	if len(docs) != 1 {
		return nil, errors.New("expected one schema")
	}
	set, err := schema.CompileWriter(docs)
	if err != nil {
		return nil, err
	}
	return set.Roots[0], nil
}
