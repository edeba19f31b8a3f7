# vrs: the front door.  `make` builds, `make check` runs every test,
# `make demo` runs the main job.  See README.md.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 60
# make check fuzzes every target this long, two at a time, corpus untouched
FUZZ_CHECK_SECONDS ?= 60
CMAKE_FLAGS ?=

# Debian packages the build and the tests need (ARCHITECTURE.md).
DEPS_BUILD = cmake make gcc pkg-config libevent-dev libjansson-dev \
	libyaml-dev libcmocka-dev clang-format
DEPS_FUZZ  = clang libclang-rt-dev
DEPS_TEST  = bird2 frr gobgpd openbgpd exabgp jq python3 procps \
             bgpdump python3-mrtparse chromium curl

.PHONY: all build install check test unit asan format-check format deps \
	deps-fuzz demo demo-model demo-codec fuzz fuzz-check soak bench clean

all: build

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# Install what is missing (as root), or say exactly what to install.
deps:
	@scripts/deps.sh $(DEPS_BUILD) $(DEPS_TEST)

deps-fuzz:
	@scripts/deps.sh $(DEPS_BUILD) $(DEPS_FUZZ)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The sanitizer build: unit tests and fuzz corpora under ASan + UBSan.
asan:
	cmake -S . -B $(ASAN_BUILD) -DVRS_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    ctest --output-on-failure -j $(JOBS) -L 'unit|fuzz|conformance|session|lab'

format-check:
	@files=$$(git ls-files '*.c' '*.h' 2>/dev/null || find src tests fuzz bench -name '*.[ch]'); \
	clang-format --dry-run --Werror $$files && echo "clang-format: clean"

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

check: deps deps-fuzz
	$(MAKE) format-check
	$(MAKE) build
	$(MAKE) test
	$(MAKE) asan
	$(MAKE) fuzz-check

# Every libFuzzer target for FUZZ_CHECK_SECONDS, as CI does (no merge).
fuzz-check: deps-fuzz
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DVRS_FUZZ=ON -DVRS_SANITIZE=ON \
	    -DCMAKE_C_COMPILER=clang $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@FUZZ_JOBS=$(JOBS) FUZZ_MERGE=0 scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_CHECK_SECONDS)

demo: deps build
	@scripts/demo.sh $(BUILD)

# The same walk in vrsd's model only (no BGP sessions, routes given by the API).
demo-model: deps build
	@scripts/demo-model.sh $(BUILD)

demo-codec: deps build
	@scripts/demo-codec.sh $(BUILD)

SOAK_SECONDS ?= 600
soak: deps build
	@scripts/soak.sh $(BUILD) $(SOAK_SECONDS)

fuzz: deps-fuzz
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DVRS_FUZZ=ON -DVRS_SANITIZE=ON \
	    -DCMAKE_C_COMPILER=clang $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@FUZZ_JOBS=$${FUZZ_JOBS:-1} scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	$(BUILD)/bin/bench-codec

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
