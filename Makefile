# The two commands: `make run` builds the web client and starts Hearth with embedded defaults; `make test`
# runs everything CI runs (format, lints, every test on SQLite and PostgreSQL, the web client's checks).

PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: run build web web-deps web-test web-e2e openapi test fmt lint clean-test-dbs

# The web client (web/) is built into web/dist, which the release binary embeds. Without
# web/package.json these targets only say so, and the binary serves a "not built" page at /.
web: web-deps
	@if [ -f web/package.json ]; then cd web && npm run build; fi

# `npm ci` on a fresh clone or when package-lock.json is newer than the last install.
web-deps:
	@if [ ! -f web/package.json ]; then echo "web/package.json not found: skipping the web client"; \
	elif [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then \
		cd web && npm ci; fi

web-test: web-deps
	@if [ -f web/package.json ]; then cd web && npm run check && npm test && ./scripts/smoke.sh; fi

# Browser tests: Debian's Chromium (playwright-core) against a real `hearth serve` (the debug binary the
# Rust tests built) serving the freshly built web/dist. Their driver has its own package in web/e2e.
web-e2e: web
	@if [ -f web/e2e/package.json ]; then cd web/e2e && \
		{ [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ] || npm ci; } && npm test; fi

# Regenerates the OpenAPI document the web client's API types come from (a test fails when it is stale).
openapi:
	cargo run -q -p hearth-server --bin hearth -- openapi > web/openapi.json.tmp
	mv web/openapi.json.tmp web/openapi.json

run: web
	cargo run --release -p hearth-server --bin hearth -- serve

build: web
	cargo build --release -p hearth-server --bin hearth

test: fmt lint
	@pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL must listen on 127.0.0.1:5432 (trust auth, user postgres) for the PostgreSQL half of the tests"; exit 1; }
	cargo nextest run --workspace --no-fail-fast
	$(MAKE) web-test
	$(MAKE) web-e2e

fmt:
	cargo fmt --all -- --check

lint:
	cargo clippy --workspace --all-targets -- -D warnings

# Tests create a fresh database per test (hearth_test_*, hearth_store_test_*); this drops leftovers.
clean-test-dbs:
	@psql "$(PG_ADMIN_URL)" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'hearth\_test\_%' OR datname LIKE 'hearth\_store\_test\_%'" \
		| while read -r db; do psql "$(PG_ADMIN_URL)" -qc "DROP DATABASE IF EXISTS \"$$db\" WITH (FORCE)"; done
