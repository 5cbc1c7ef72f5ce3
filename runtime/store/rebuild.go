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
	return r.catchUp(ctx, tps, ends, start)
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

func (r *rebuilder) catchUp(ctx context.Context, tps []kafka.TopicPartition, ends map[kafka.TopicPartition]int64, start map[int32]int64) error {
	dec := newChangelogDecoder()
	var total int64
	for _, tp := range tps {
		total += max(0, ends[tp]-start[tp.Partition])
	}
	if g, ok := r.backend.(interface{ Grow(n int) }); ok && total > 0 {
		g.Grow(int(min(total, 1<<30)))
	}
	begun, lastLog := time.Now(), time.Now()
	applied := int64(0)
	b := &Batch{Offsets: map[int32]int64{}}
	for !r.caughtUp(tps, ends) {
		recs, err := r.poll(ctx)
		if err != nil {
			return fmt.Errorf("rebuild %s: %w", r.topic, err)
		}
		if len(recs) == 0 {
			continue
		}
		b.Reset()
		for _, rec := range recs {
			op, err := decodeChange(dec, rec.Value)
			if err != nil {
				r.log.Error("changelog record skipped", "partition", rec.Partition, "offset", rec.Offset, "err", err)
				continue
			}
			b.Ops = append(b.Ops, op)
		}
		for tp, pos := range r.client.Positions() {
			b.Offsets[tp.Partition] = pos
		}
		if err := r.backend.Apply(b); err != nil {
			return err
		}
		applied += int64(len(recs))
		if time.Since(lastLog) >= progressEvery {
			lastLog = time.Now()
			r.progress(applied, total, begun)
		}
	}
	r.log.Info("store ready", "records", applied, "took", time.Since(begun).Round(time.Millisecond))
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

func (r *rebuilder) progress(applied, total int64, begun time.Time) {
	rate := float64(applied) / time.Since(begun).Seconds()
	left := max(0, total-applied)
	eta := time.Duration(0)
	if rate > 0 {
		eta = time.Duration(float64(left)/rate) * time.Second
	}
	r.log.Info("rebuilding store", "applied", applied, "rate_per_s", int64(rate), "lag", left, "eta", eta.Round(time.Second))
}
