# Switchboard: `make run` opens the app, `make test` runs every test. Both install what is missing
# first (Debian/Ubuntu packages, tauri-driver, npm packages), so a fresh machine needs nothing else.

SHELL := /bin/bash
.DEFAULT_GOAL := run

# Every cargo call uses the same features, so dependencies are compiled once for build and test.
CARGO_FLAGS := --workspace --features switchboard-app/custom-protocol
APP := target/debug/switchboard-desktop
APT_PACKAGES := build-essential pkg-config curl libssl-dev libwebkit2gtk-4.1-dev \
	librsvg2-dev libayatana-appindicator3-dev xvfb xauth webkit2gtk-driver \
	dbus dbus-x11 gnome-keyring keyutils python3-venv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CARGO_BIN):$(PATH)
# Run under Xvfb when there is no display (CI, SSH sessions).
XRUN := $(if $(DISPLAY)$(WAYLAND_DISPLAY),,xvfb-run -a -s "-screen 0 1280x860x24")

.PHONY: run test deps system-deps tauri-driver ui-deps e2e-deps ui-build build \
	test-rust test-official test-ui test-e2e lint bindings docs clean-data bench

## Install everything that is missing.
deps: system-deps tauri-driver ui-deps e2e-deps

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages: $$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v cargo >/dev/null || { echo "Rust is missing: install it from https://rustup.rs, then run make again."; exit 1; }
	@command -v npm >/dev/null || { echo "Node.js 20+ with npm is missing: install it (e.g. apt-get install nodejs npm), then run make again."; exit 1; }

tauri-driver:
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --version '^2' --locked

ui-deps: ui/node_modules/.package-lock.json
ui/node_modules/.package-lock.json: ui/package-lock.json
	npm --prefix ui ci --no-audit --no-fund

e2e-deps: tests/e2e/node_modules/.package-lock.json
tests/e2e/node_modules/.package-lock.json: tests/e2e/package-lock.json
	npm --prefix tests/e2e ci --no-audit --no-fund

ui-build: ui-deps
	npm --prefix ui run build

build: system-deps ui-build
	cargo build $(CARGO_FLAGS)

## Open the app (demo mode until a Twilio account is set in Settings).
run: deps build
	$(XRUN) $(APP)

## Every test: Rust (with the real keyring), UI, then the real window end to end.
test: deps lint test-rust test-official test-ui test-e2e

lint: ui-build
	cargo fmt --all --check
	cargo clippy $(CARGO_FLAGS) --all-targets -- -D warnings
	npm --prefix ui run check
	npm --prefix ui run lint

test-rust: ui-build
	./scripts/with-keyring cargo test $(CARGO_FLAGS)

## Twilio's own Python library against the simulator binary (virtualenv in target/venv-official).
test-official: build
	./tests/official-client/run

test-ui: ui-deps
	npm --prefix ui test

test-e2e: build e2e-deps tauri-driver
	$(XRUN) ./scripts/with-keyring npm --prefix tests/e2e test

## Benchmarks at the scale of a busy team (a minute-long smoke run of the same code is in
## `make test`): builds the release app and its .deb, measures the window on a seeded inbox
## (tests/e2e/bench-app.mjs), then every other figure; prints the table against the goals and
## writes it to target/bench/bench.json.
bench: deps ui-build
	cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb
	cargo build --release -p switchboard-cli -p switchboard-webview-floor
	$(XRUN) ./scripts/with-keyring env SWITCHBOARD_APP=$(CURDIR)/target/release/switchboard-desktop \
		node tests/e2e/bench-app.mjs --switchboard $(CURDIR)/target/release/switchboard \
		--floor $(CURDIR)/target/release/webview-floor --out target/bench/app.json
	./target/release/switchboard bench --app target/bench/app.json --out target/bench/bench.json

## Regenerate the TypeScript bindings after changing src-tauri/src/wire/.
bindings:
	UPDATE_BINDINGS=1 cargo test -p switchboard-app --features switchboard-app/custom-protocol --test bindings

## Regenerate docs/ERRORS.md after changing the error catalogue (crates/core/src/catalogue/).
docs:
	UPDATE_DOCS=1 cargo test -p switchboard-core --test catalogue docs_errors_md
