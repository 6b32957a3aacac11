// Which system libraries a Rust program loads, read from Cargo.lock and the features Cargo.toml
// turns on: -sys crates bind a library unless a feature builds it into the binary.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { dependencyFeatures, linkedLibraries, readCargoLock } from '../../server/src/analysis/languages/rust/cargoLock';

const lock = (...names: string[]): { crates: Array<{ name: string; version: string }> } => ({ crates: names.map((name) => ({ name, version: '1.0.0' })) });

test('Cargo.lock gives its packages, and a file that is not TOML says why', () => {
  const read = readCargoLock('version = 3\n\n[[package]]\nname = "openssl-sys"\nversion = "0.9.98"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n\n[[package]]\nname = "app"\nversion = "0.1.0"\n');
  assert.deepEqual(read.crates, [{ name: 'openssl-sys', version: '0.9.98' }, { name: 'app', version: '0.1.0' }]);
  assert.match(readCargoLock('[[package]\nname = ').problem ?? '', /./);
});

test('pure Rust crates, kernel bindings and other platforms\' -sys crates load nothing', () => {
  assert.deepEqual(linkedLibraries(lock('serde', 'tokio', 'linux-raw-sys', 'windows-sys', 'core-foundation-sys', 'ring', 'zstd-sys'), new Map()), []);
});

test('openssl-sys loads libssl3 unless vendored, through any crate that asks for it', () => {
  const crates = lock('reqwest', 'native-tls', 'openssl', 'openssl-sys');
  assert.deepEqual(linkedLibraries(crates, new Map()), [{ crate: 'openssl-sys', library: 'libssl3' }]);
  assert.deepEqual(linkedLibraries(crates, dependencyFeatures('[dependencies]\nreqwest = { version = "0.11", features = ["native-tls-vendored"] }\n')), []);
  assert.deepEqual(linkedLibraries(crates, dependencyFeatures('[dependencies]\nopenssl = { version = "0.10", features = ["vendored"] }\n')), []);
  assert.deepEqual(linkedLibraries(lock('openssl-sys', 'openssl-src'), new Map()), [], 'openssl-src in the lock builds OpenSSL in');
});

test('SQLite: bundled through rusqlite or sqlx, loaded from libsqlite3-0 otherwise; unknown -sys crates are named', () => {
  const crates = lock('libsqlite3-sys', 'alsa-sys');
  assert.deepEqual(linkedLibraries(crates, dependencyFeatures('[dependencies]\nrusqlite = "0.30"\n')), [
    { crate: 'alsa-sys', library: undefined },
    { crate: 'libsqlite3-sys', library: 'libsqlite3-0' },
  ]);
  assert.deepEqual(linkedLibraries(lock('libsqlite3-sys'), dependencyFeatures('[dependencies]\nrusqlite = { version = "0.30", features = ["bundled"] }\n')), []);
  assert.deepEqual(linkedLibraries(lock('libsqlite3-sys'), dependencyFeatures('[dependencies]\nsqlx = { version = "0.7", features = ["sqlite", "runtime-tokio"] }\n')), []);
  assert.deepEqual(linkedLibraries(lock('libsqlite3-sys'), dependencyFeatures('[dependencies]\nsqlx = { version = "0.8", features = ["sqlite-unbundled"] }\n')), [{ crate: 'libsqlite3-sys', library: 'libsqlite3-0' }]);
});

test('features come from renamed and target-specific dependencies too, and a broken manifest gives none', () => {
  const features = dependencyFeatures('[dependencies]\nssl = { package = "openssl", version = "0.10", features = ["vendored"] }\n\n[target.\'cfg(unix)\'.dependencies]\npq-sys = { version = "0.6", features = ["bundled"] }\n');
  assert.deepEqual([...features], [['openssl', ['vendored']], ['pq-sys', ['bundled']]]);
  assert.equal(dependencyFeatures('[dependencies\n').size, 0);
});
