// The language corpus scorer (test/corpus/scoreLangs.ts): a conversion is correct only when the
// new image keeps what the program reads, links and starts; losing one of those is unsafe.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/analysis';
import { scoreLangRow, debianRelease, isToolchainImage } from '../corpus/scoreLangs';
import type { ContextFiles } from '../corpus/imageFiles';
import { parseTruth, LANG_COLUMNS, type TruthRow } from '../corpus/truth';

const context: ContextFiles = {
  files: new Set(['main.cpp', 'www/index.html', 'www/app.js', 'package.json', 'src/main.ts', 'Cargo.toml', 'Cargo.lock', 'src/main.rs', 'requirements.txt', 'app.py']),
  dirs: new Set(['www', 'src']),
};

type Fields = Partial<Record<'language' | 'verdict' | 'reads' | 'writes' | 'links' | 'tls' | 'cgo', string>>;

function row(fields: Fields): TruthRow {
  const values: Record<string, string> = { repo: 'someone/app', commit: 'a'.repeat(40), dockerfile: 'Dockerfile', context: '.', language: 'cpp', verdict: 'convertible', reads: '', writes: '', execs: '', links: '', tls: 'no', zoneinfo: 'no', cgo: 'yes', notes: '', ...fields };
  const [parsed] = parseTruth(`${LANG_COLUMNS.join('\t')}\n${LANG_COLUMNS.map((c) => values[c]).join('\t')}\n`, 'langs-real.tsv');
  assert.ok(parsed);
  return parsed;
}

function score(truth: TruthRow, original: string, minimized: string, scripts = new Map<string, string>()) {
  return scoreLangRow(truth, parseDockerfile(original), parseDockerfile(minimized), context, scripts);
}

const CPP = `FROM gcc:latest
WORKDIR /app
COPY . .
RUN g++ -O2 main.cpp -o app
CMD ["./app"]
`;
const CPP_BUILD = `FROM gcc:latest AS build
WORKDIR /app
COPY . .
RUN g++ -O2 main.cpp -o app

`;

test('the C++ www case: a conversion that copies only the binary loses www/ and is unsafe; keeping it is correct', () => {
  const truth = row({ reads: 'www@main.cpp:109', links: 'libstdc++.so.6;libc.so.6' });
  const binaryOnly = score(truth, CPP, `${CPP_BUILD}FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /app
COPY --from=build /app/app /app/app
CMD ["/app/app"]
`);
  assert.equal(binaryOnly.converted, true);
  assert.equal(binaryOnly.correct, false);
  assert.equal(binaryOnly.unsafe, true);
  assert.match(binaryOnly.problems.join('\n'), /^read www: 2 of 2 file/m);
  const kept = score(truth, CPP, `${CPP_BUILD}FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /app
COPY --from=build /app/www /app/www
COPY --from=build /app/app /app/app
CMD ["/app/app"]
`);
  assert.deepEqual({ correct: kept.correct, unsafe: kept.unsafe, problems: kept.problems }, { correct: true, unsafe: false, problems: [] });
});

test('a binary built on trixie run on bookworm, or one that needs libstdc++ on distroless/base, is unsafe', () => {
  const truth = row({ links: 'libstdc++.so.6;libc.so.6' });
  const older = score(truth, CPP, `${CPP_BUILD}FROM gcr.io/distroless/cc-debian12:nonroot
WORKDIR /app
COPY --from=build /app/app /app/app
CMD ["/app/app"]
`);
  assert.equal(older.unsafe, true);
  assert.match(older.problems.join('\n'), /built on Debian trixie \(gcc:latest\), run on bookworm/);
  const base = score(truth, CPP, `${CPP_BUILD}FROM gcr.io/distroless/base-debian13:nonroot
WORKDIR /app
COPY --from=build /app/app /app/app
CMD ["/app/app"]
`);
  assert.match(base.problems.join('\n'), /^links libstdc\+\+\.so\.6: gcr\.io\/distroless\/base-debian13:nonroot does not have it/m);
});

test('a library the scorer has no source for counts as a problem, never as present', () => {
  const result = score(row({ links: 'libfoo.so.1' }), CPP, `${CPP_BUILD}FROM debian:trixie-slim
WORKDIR /app
COPY --from=build /app/app /app/app
CMD ["/app/app"]
`);
  assert.match(result.problems.join('\n'), /links libfoo\.so\.1: the scorer cannot tell/);
});

test('cargo run at start may become the built binary, with the same arguments', () => {
  const original = `FROM rust:latest
WORKDIR /app
COPY . .
RUN cargo build --release
CMD ["cargo", "run", "--release", "--", "--port", "80"]
`;
  const build = `FROM rust:latest AS build
WORKDIR /app
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /app
COPY --from=build /app/target/release/app /app/app
`;
  const truth = row({ language: 'rust', links: 'libc.so.6;libgcc_s.so.1' });
  assert.deepEqual(score(truth, original, `${build}CMD ["/app/app", "--port", "80"]\n`).problems, []);
  assert.match(score(truth, original, `${build}CMD ["/app/app"]\n`).problems.join('\n'), /with other arguments/);
  const kept = score(truth, original, original.replace('FROM rust:latest', 'FROM rust:slim'));
  assert.equal(kept.converted, false, 'rust:slim is still a Rust toolchain image');
});

const NODE = `FROM node:20
WORKDIR /app
COPY . .
RUN npm install
RUN npm run build
CMD ["npm", "start"]
`;

test('a Node image re-based on slim keeps what its build made; a multi-stage one must copy it', () => {
  const truth = row({ language: 'node', reads: 'dist/main.js@package.json:start', cgo: 'no' });
  const slim = score(truth, NODE, NODE.replace('FROM node:20', 'FROM node:20-slim').replace('RUN npm install', 'RUN npm install && npm cache clean --force'));
  assert.deepEqual({ converted: slim.converted, correct: slim.correct }, { converted: true, correct: true });
  const scripts = new Map([['start', 'node dist/main.js']]);
  const stages = `FROM node:20 AS build
WORKDIR /app
COPY . .
RUN npm install
RUN npm run build

FROM node:20-slim
WORKDIR /app
COPY --from=build /app/node_modules /app/node_modules
`;
  const lost = score(truth, NODE, `${stages}CMD ["node", "dist/main.js"]\n`, scripts);
  assert.equal(lost.unsafe, true);
  assert.match(lost.problems.join('\n'), /^read dist\/main\.js: the build's output is not in the final image/m);
  const copied = score(truth, NODE, `${stages}COPY --from=build /app/dist /app/dist\nCMD ["node", "dist/main.js"]\n`, scripts);
  assert.deepEqual(copied.problems, [], 'npm start resolved through package.json is the same program');
});

test('python:slim lacks libpq, so a re-based image that links it is unsafe', () => {
  const original = `FROM python:3.12
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["gunicorn", "app:app"]
`;
  const truth = row({ language: 'python', links: 'libpq.so.5', cgo: 'no' });
  const slim = score(truth, original, original.replace('python:3.12', 'python:3.12-slim'));
  assert.equal(slim.unsafe, true);
  const installed = score(truth, original, original.replace('python:3.12', 'python:3.12-slim').replace('COPY . .', 'RUN apt-get update && apt-get install -y --no-install-recommends libpq5\nCOPY . .'));
  assert.equal(installed.correct, true);
});

test('a must-refuse row converted is unsafe; the toolchain left in place is not converted', () => {
  const truth = row({ verdict: 'must-refuse' });
  assert.equal(score(truth, CPP, `${CPP_BUILD}FROM debian:trixie-slim\nWORKDIR /app\nCOPY --from=build /app/app /app/app\nCMD ["/app/app"]\n`).unsafe, true);
  const left = score(truth, CPP, CPP);
  assert.deepEqual({ converted: left.converted, unsafe: left.unsafe }, { converted: false, unsafe: false });
});

test('image facts the scorer relies on', () => {
  assert.equal(debianRelease('rust:latest'), 'trixie');
  assert.equal(debianRelease('gcc'), 'trixie');
  assert.equal(debianRelease('rust:1.82-bookworm'), 'bookworm');
  assert.equal(debianRelease('gcr.io/distroless/cc-debian12:nonroot'), 'bookworm');
  assert.equal(debianRelease('gcc:12.2.0'), undefined);
  assert.equal(isToolchainImage('maven:3.9-eclipse-temurin-21', 'java'), true);
  assert.equal(isToolchainImage('eclipse-temurin:21-jre', 'java'), false);
  assert.equal(isToolchainImage('eclipse-temurin:21-jdk', 'java'), true);
  assert.equal(isToolchainImage('node:20-slim', 'node'), false);
  assert.equal(isToolchainImage('python:3.12', 'python'), true);
});

test('a Rust program that makes TLS connections needs CA certificates in the runtime', () => {
  const original = `FROM rust:latest
WORKDIR /app
COPY . .
RUN cargo build --release
CMD ["./target/release/app"]
`;
  const build = `FROM rust:latest AS build
WORKDIR /app
COPY . .
RUN cargo build --release

`;
  const truth = row({ language: 'rust', tls: 'yes', links: 'libssl.so.3;libc.so.6' });
  const slim = score(truth, original, `${build}FROM debian:trixie-slim
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libssl3
COPY --from=build /app/target/release/app /app/target/release/app
CMD ["./target/release/app"]
`);
  assert.deepEqual(slim.problems, ['tls: debian:trixie-slim has no CA certificates and none are copied']);
  assert.equal(slim.unsafe, false, 'a missing CA bundle fails the TLS handshake, it loses no file the program reads from the image');
});

test('libjvm.so: a runtime jlink wrote in the build stage and the final stage copies carries it; a plain OS image does not', () => {
  const truth = row({ language: 'java', links: 'libjvm.so', cgo: 'no' });
  const original = `FROM maven
WORKDIR /app
COPY . .
RUN mvn package
CMD ["java", "-jar", "target/app.jar"]
`;
  const build = `FROM maven AS build
WORKDIR /app
COPY . .
RUN mvn package
RUN jlink --add-modules java.base --output /opt/java-runtime

`;
  const copied = score(truth, original, `${build}FROM ubuntu:noble
COPY --from=build /opt/java-runtime /opt/java/openjdk
ENV PATH=/opt/java/openjdk/bin:$PATH
WORKDIR /app
COPY --from=build /app /app
CMD ["java", "-jar", "target/app.jar"]
`);
  assert.deepEqual({ correct: copied.correct, unsafe: copied.unsafe, problems: copied.problems }, { correct: true, unsafe: false, problems: [] });
  const notCopied = score(truth, original, `${build}FROM ubuntu:noble
WORKDIR /app
COPY --from=build /app /app
CMD ["java", "-jar", "target/app.jar"]
`);
  assert.equal(notCopied.unsafe, true);
  assert.match(notCopied.problems.join('\n'), /^links libjvm\.so: ubuntu:noble does not have it/m);
});
