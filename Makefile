# Thin targets, named for what people type. `make test` is what CI runs.
GO      ?= go
# Fuzz budgets are counts of executions, not durations: Go 1.26's fuzz
# coordinator can report a spurious "context deadline exceeded" when a
# -fuzztime duration expires on a loaded machine (golang/go#75804, fixed in
# Go 1.27). A count has no deadline to race.
FUZZTIME ?= 20000x

# The RocksDB backend needs Debian's librocksdb-dev (.ci/run installs it);
# without it its tests are skipped, and make test says so.
ROCKSDB := $(shell test -f /usr/include/rocksdb/c.h && echo yes)

# Every fuzz target, as package:Target; make test runs each briefly on top
# of its committed corpus (testdata/fuzz/).
FUZZ_TARGETS := \
	./internal/schema:FuzzParse \
	./runtime/avrobin:FuzzReader \
	./internal/codectest:FuzzDecodeEverything \
	./internal/codectest:FuzzDecodeSeed \
	./internal/avrojson:FuzzDecode \
	./internal/avrojson:FuzzEncode \
	./runtime/wire:FuzzDetect \
	./runtime/wire:FuzzParseContainer

.PHONY: build generate test check-generated fuzz lint bench bench-quick bench-micro demo clean

build:
	$(GO) build ./...
	$(GO) build -o bin/tongagen ./cmd/tongagen

# Regenerate every committed generated package and golden file. Review the
# diff before committing it.
generate:
	$(GO) generate ./...
	$(GO) test ./cmd/tongagen -run TestGolden -update

test: check-generated
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^testdata/.*/want/')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...
ifeq ($(ROCKSDB),yes)
	$(GO) test -race -count=1 -tags rocksdb ./runtime/store/rocksdb
else
	@echo "SKIPPED: RocksDB tests (librocksdb-dev is not installed: apt-get install librocksdb-dev)"
endif
	$(MAKE) fuzz

# The committed generated packages must be exactly what tongagen generates.
check-generated:
	$(GO) run ./cmd/tongagen check -o examples/coffeebar/records examples/coffeebar/schemas
	$(GO) run ./cmd/tongagen check -o examples/coffeebar/state examples/coffeebar/state/schemas
	$(GO) run ./cmd/tongagen check -o runtime/store/internal/changelog runtime/store/internal/changelog/schemas

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; name=$${t##*:}; \
	  echo "fuzz $$pkg $$name for $(FUZZTIME)"; \
	  $(GO) test $$pkg -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 200x; \
	done

lint:
	golangci-lint run ./...

# Benchmarks against peer libraries (bench/ is its own module, so peers stay
# out of go.mod); writes docs/BENCHMARKS.md. About 24 minutes; bench-quick
# runs 3 short rounds in under 2 minutes. bench-micro runs the project's own
# Benchmark functions.
bench:
	cd bench && $(GO) run ./cmd/report

bench-quick:
	cd bench && $(GO) run ./cmd/report -quick

bench-micro:
	$(GO) test -run '^$$' -bench . -benchmem ./runtime/avrobin ./internal/codectest ./runtime/wire ./runtime/partition

# The coffee bar on the embedded broker: two instances of each service, a
# crowd of customers over HTTP, progress, a summary checked against the
# topics. `make demo DEMO_FLAGS=` keeps the bar serving until Ctrl-C; see
# examples/coffeebar/README.md for the flags.
DEMO_FLAGS ?= --orders 500 --exit-when-done
demo:
	$(GO) run ./examples/coffeebar $(DEMO_FLAGS)

clean:
	rm -rf bin
