package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/wire"
)

// identityKey is the metadata key naming the changelog a backend reflects.
const identityKey = "changelog"

// progressEvery is how often a long rebuild reports progress.
const progressEvery = 5 * time.Second

// rebuilder replays changelog partitions into a backend until its
// consumer position reaches each partition's end offset (read_committed:
// transaction markers occupy offsets, so record offsets are never compared
// to the end). A persistent backend resumes from the offsets it
// checkpointed with its data.
type rebuilder struct {
	env        service.Env
	backend    Backend
	topic      string
	partitions []int32
	identity   []byte
	fresh      bool // drop the state and replay from the beginning
	log        *slog.Logger
	// follow keeps the client after catching up, for a global store.
	follow bool
	client kafka.Client
}

func (r *rebuilder) run(ctx context.Context) error {
	if err := r.checkIdentity(); err != nil {
		return err
	}
	start, err := r.backend.Offsets()
	if err != nil {
		return err
	}
	client, err := r.env.NewClient(ctx, kafka.Config{
		ClientID:   r.env.Name + "-" + r.topic + "-rebuild",
		Group:      r.env.Name + "-" + r.topic + "-rebuild",
		Topics:     []string{r.topic},
		Partitions: r.partitions,
		Start:      kafka.StartEarliest,
	})
	if err != nil {
		return err
	}
	r.client = client
	if !r.follow {
		defer client.Close()
	}
	tps := make([]kafka.TopicPartition, len(r.partitions))
	seek := map[kafka.TopicPartition]int64{}
	for i, p := range r.partitions {
		tps[i] = kafka.TopicPartition{Topic: r.topic, Partition: p}
		if o, ok := start[p]; ok {
			seek[tps[i]] = o
		}
	}
	if len(seek) > 0 {
		if err := client.Seek(ctx, seek); err != nil {
			return err
		}
	}
	ends, err := client.Admin().EndOffsets(ctx, tps)
	if err != nil {
		return err
	}
	begun := time.Now()
	records, err := r.load(ctx, tps, ends, start)
	if err != nil {
		return err
	}
	r.log.Info("store ready", "records", records, "took", time.Since(begun).Round(time.Millisecond))
	return nil
}

// load catches up, between the backend's BeginLoad and EndLoad if it is a
// Loader, and returns the records it read.
func (r *rebuilder) load(ctx context.Context, tps []kafka.TopicPartition, ends map[kafka.TopicPartition]int64, start map[int32]int64) (int64, error) {
	l, ok := r.backend.(Loader)
	if !ok {
		return r.catchUp(ctx, tps, ends, start)
	}
	if err := l.BeginLoad(); err != nil {
		return 0, err
	}
	records, err := r.catchUp(ctx, tps, ends, start)
	lerr := l.EndLoad()
	if err == nil {
		err = lerr
	} else if lerr != nil {
		r.log.Error("store load did not end cleanly after the rebuild failed", "err", lerr)
	}
	return records, err
}

// checkIdentity keeps a backend that reflects this changelog, and clears
// any other: one that reflects another changelog, one whose identity is
// unknown, or every one when a rebuild is asked for. A cleared or new
// backend records the changelog's identity before the first record is
// applied, so that the next start resumes from its checkpoint.
func (r *rebuilder) checkIdentity() error {
	id, err := r.backend.Meta(identityKey)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	switch known := err == nil; {
	case r.fresh:
		r.log.Info("rebuilding from the beginning of the changelog, as asked")
	case known && bytes.Equal(id, r.identity):
		return nil
	case known:
		r.log.Warn("store belongs to another changelog; rebuilding", "has", string(id), "want", string(r.identity))
	default:
		off, err := r.backend.Offsets()
		if err != nil {
			return err
		}
		if len(off) > 0 {
			r.log.Warn("store has offsets but no changelog identity; rebuilding")
		}
	}
	if err := r.backend.Clear(); err != nil {
		return err
	}
	return r.backend.Apply(&Batch{Meta: map[string][]byte{identityKey: r.identity}})
}

// catchUp replays the changelog until every partition's position reaches
// its end. Two goroutines share the work: a reader polls and decodes
// records into a batch, with the positions they bring the partitions to,
// while the caller's goroutine applies the previous batch. At most
// fetchAhead decoded batches wait between the two.
func (r *rebuilder) catchUp(ctx context.Context, tps []kafka.TopicPartition, ends map[kafka.TopicPartition]int64, start map[int32]int64) (int64, error) {
	p := newProgress(tps, ends, start)
	if g, ok := r.backend.(interface{ Grow(n int) }); ok && p.lag() > 0 {
		g.Grow(int(min(p.lag(), 1<<30)))
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The reader decodes into one chunk while the others wait to be
	// applied, or are: full holds them all, so sending never blocks.
	free, full := make(chan *chunk, fetchAhead+1), make(chan *chunk, fetchAhead+1)
	for range fetchAhead + 1 {
		free <- &chunk{batch: Batch{Offsets: map[int32]int64{}}}
	}
	// Backends that copy the keys they keep get keys that alias the
	// fetched records.
	apply, aliasKeys := r.backend.Apply, false
	switch b := r.backend.(type) {
	case rebuildApplier:
		apply, aliasKeys = b.applyRebuild, true
	case Loader:
		aliasKeys = true
	}
	readErr := make(chan error, 1)
	go func() { readErr <- r.read(ctx, tps, ends, aliasKeys, free, full) }()
	var err error
	for c := range full {
		if err == nil {
			err = apply(&c.batch)
		}
		if err != nil {
			cancel() // the reader stops; the loop drains what it sent
			continue
		}
		p.applied(c)
		if time.Since(p.lastLog) >= progressEvery {
			p.log(r.log)
		}
		free <- c
	}
	if rerr := <-readErr; err == nil && rerr != nil {
		err = fmt.Errorf("rebuild %s: %w", r.topic, rerr)
	}
	return p.records, err
}

// rebuildApplier is a backend with a faster way than Apply to apply a
// rebuild's batches, whose keys, like their values, alias the fetched
// records: it copies both.
type rebuildApplier interface {
	applyRebuild(b *Batch) error
}

// fetchAhead is how many decoded batches may wait for the writer while the
// reader decodes the next.
const fetchAhead = 2

// chunk is records decoded into the batch that applies them; the batch's
// offsets are the partitions' positions after the last poll of its
// records.
type chunk struct {
	batch   Batch
	records int // polled, including those skipped as undecodable
	bytes   int // of keys and values
}

// read polls until the partitions' positions reach their ends, decoding
// the records into chunks taken from free and sent to full, which it
// closes when it returns. The keys alias the records with aliasKeys, and
// are copies otherwise.
func (r *rebuilder) read(ctx context.Context, tps []kafka.TopicPartition, ends map[kafka.TopicPartition]int64, aliasKeys bool, free chan *chunk, full chan<- *chunk) error {
	defer close(full)
	dec := newChangelogDecoder()
	for !r.caughtUp(tps, ends) {
		var c *chunk
		select {
		case c = <-free:
		case <-ctx.Done():
			return ctx.Err()
		}
		c.batch.Reset()
		c.records, c.bytes = 0, 0
		if err := r.fill(ctx, c, dec, aliasKeys, tps, ends); err != nil {
			return err
		}
		if c.records == 0 {
			free <- c
			continue
		}
		full <- c
	}
	return nil
}

// chunkBytes is how many bytes of keys and values a chunk collects, over
// as many polls as that takes, before it is applied: a rebuild writes
// large batches, each with one checkpoint. Pebble, at its default memtable
// size, applies a batch this large as a unit, sorted once, rather than key
// by key.
const chunkBytes = 8 << 20

// fill decodes records into c until it holds chunkBytes, the partitions
// are caught up, or a poll finds nothing; the batch's offsets are the
// positions after its last poll.
func (r *rebuilder) fill(ctx context.Context, c *chunk, dec *wire.Decoder, aliasKeys bool, tps []kafka.TopicPartition, ends map[kafka.TopicPartition]int64) error {
	for c.bytes < chunkBytes && !r.caughtUp(tps, ends) {
		recs, err := r.poll(ctx)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			break
		}
		c.records += len(recs)
		for _, rec := range recs {
			op, err := decodeChange(dec, rec.Value, aliasKeys)
			if err != nil {
				r.log.Error("changelog record skipped", "partition", rec.Partition, "offset", rec.Offset, "err", err)
				continue
			}
			c.batch.Ops = append(c.batch.Ops, op)
			c.bytes += len(op.Key) + len(op.Value)
		}
		for tp, pos := range r.client.Positions() {
			c.batch.Offsets[tp.Partition] = pos
		}
	}
	return nil
}

// catchUpEvery bounds how long the rebuild waits in Poll before it checks
// the positions again. Poll returns only with records, and a position may
// reach the end without one: a checkpoint just before a transaction's
// commit marker (the usual case: it follows the transaction's last
// record), or a tail of aborted records, which a read_committed consumer
// skips.
const catchUpEvery = 50 * time.Millisecond

// poll returns the next records, or none after catchUpEvery.
func (r *rebuilder) poll(ctx context.Context) ([]kafka.Record, error) {
	pctx, cancel := context.WithTimeout(ctx, catchUpEvery)
	defer cancel()
	recs, err := r.client.Poll(pctx, 10000)
	if err != nil && ctx.Err() == nil && pctx.Err() != nil {
		return nil, nil
	}
	return recs, err
}

func (r *rebuilder) caughtUp(tps []kafka.TopicPartition, ends map[kafka.TopicPartition]int64) bool {
	pos := r.client.Positions()
	for _, tp := range tps {
		if pos[tp] < ends[tp] {
			return false
		}
	}
	return true
}

// progress follows a rebuild for its log lines: the records applied, and
// the lag, the offsets between each partition's position and its end.
type progress struct {
	tps     []kafka.TopicPartition
	ends    map[kafka.TopicPartition]int64
	start   map[int32]int64 // where each partition resumed, or absent
	at      map[int32]int64 // the position each partition's data reflects
	records int64
	begun   time.Time
	lastLog time.Time
}

func newProgress(tps []kafka.TopicPartition, ends map[kafka.TopicPartition]int64, start map[int32]int64) *progress {
	now := time.Now()
	return &progress{tps: tps, ends: ends, start: start, at: map[int32]int64{}, begun: now, lastLog: now}
}

func (p *progress) applied(c *chunk) {
	p.records += int64(c.records)
	for part, pos := range c.batch.Offsets {
		p.at[part] = pos
	}
}

// position is where partition tp's data is: its last applied position,
// or where it resumed.
func (p *progress) position(tp kafka.TopicPartition) int64 {
	if at, ok := p.at[tp.Partition]; ok {
		return at
	}
	return p.start[tp.Partition]
}

// lag is the offsets left to read, summed over the partitions.
func (p *progress) lag() int64 {
	var lag int64
	for _, tp := range p.tps {
		lag += max(0, p.ends[tp]-p.position(tp))
	}
	return lag
}

// log reports the progress; the eta divides the lag by the offsets read
// per second so far.
func (p *progress) log(log *slog.Logger) {
	p.lastLog = time.Now()
	took := time.Since(p.begun).Seconds()
	var read int64
	for _, tp := range p.tps {
		read += max(0, p.position(tp)-p.start[tp.Partition])
	}
	lag, eta := p.lag(), time.Duration(0)
	if read > 0 {
		eta = time.Duration(float64(lag) / float64(read) * took * float64(time.Second))
	}
	log.Info("rebuilding store", "applied", p.records, "rate_per_s", int64(float64(p.records)/took),
		"lag", lag, "eta", eta.Round(time.Second))
}
