# The two commands: `make run` builds and starts Hearth with embedded defaults; `make test` runs everything
# CI runs (format, lints, every test on SQLite and PostgreSQL).

PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: run build test fmt lint clean-test-dbs

run:
	cargo run --release -p hearth-server --bin hearth -- serve

build:
	cargo build --release -p hearth-server --bin hearth

test: fmt lint
	@pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL must listen on 127.0.0.1:5432 (trust auth, user postgres) for the PostgreSQL half of the tests"; exit 1; }
	cargo nextest run --workspace --no-fail-fast

fmt:
	cargo fmt --all -- --check

lint:
	cargo clippy --workspace --all-targets -- -D warnings

# Tests create a fresh database per test (hearth_test_*, hearth_store_test_*); this drops leftovers.
clean-test-dbs:
	@psql "$(PG_ADMIN_URL)" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'hearth\_test\_%' OR datname LIKE 'hearth\_store\_test\_%'" \
		| while read -r db; do psql "$(PG_ADMIN_URL)" -qc "DROP DATABASE IF EXISTS \"$$db\" WITH (FORCE)"; done
