// Generated Dockerfiles of a given length for the growth measurements: the corpus's styles
// (multi-stage Go builds, apt-heavy RUN chains, ARGs, heredocs) repeated, one stage per block,
// with COPY --from the previous stage so stage lookups are exercised. Deterministic.

const PACKAGES = ['ca-certificates', 'curl', 'git', 'gcc', 'libc6-dev', 'make', 'pkg-config', 'jq', 'unzip', 'xz-utils', 'tzdata', 'openssh-client'];

function block(i: number): string[] {
  const lines: string[] = [];
  lines.push(`# block ${i}`);
  lines.push(`ARG GO_VERSION_${i}=1.19`);
  lines.push(`FROM golang:\${GO_VERSION_${i}}-bookworm AS build-${i}`);
  lines.push(`ARG VERSION_${i}=dev`);
  lines.push(`ENV CGO_ENABLED=0 \\`);
  lines.push(`    GOFLAGS=-mod=readonly \\`);
  lines.push(`    SERVICE=svc-${i}`);
  lines.push(`WORKDIR /src/svc-${i}`);
  lines.push(`RUN apt-get update \\`);
  lines.push(` && apt-get install -y --no-install-recommends \\`);
  for (const p of PACKAGES) lines.push(`      ${p} \\`);
  lines.push(` && rm -rf /var/lib/apt/lists/*`);
  lines.push(`COPY go.mod ./`);
  lines.push(`RUN go mod download`);
  lines.push(`COPY . .`);
  lines.push(`RUN <<EOT bash`);
  lines.push(`  set -euo pipefail`);
  lines.push(`  go vet ./...`);
  lines.push(`  echo "svc-${i}" > /tmp/name`);
  lines.push(`EOT`);
  lines.push(`RUN go build -trimpath -ldflags="-s -w -X main.version=\${VERSION_${i}}" \\`);
  lines.push(`      -o /out/svc-${i} .`);
  if (i > 0) lines.push(`COPY --from=build-${i - 1} /out/svc-${i - 1} /out/`);
  lines.push(`LABEL org.opencontainers.image.title="svc-${i}"`);
  lines.push('');
  return lines;
}

const FINAL = [
  'FROM gcr.io/distroless/static-debian12:nonroot',
  'COPY --from=build-0 /out/svc-0 /usr/local/bin/svc',
  'USER nonroot:nonroot',
  'EXPOSE 8080',
  'ENTRYPOINT ["/usr/local/bin/svc"]',
];

/** A Dockerfile of exactly `lines` lines (give or take the last block, trimmed to fit). */
export function generateDockerfile(lines: number): string {
  const out: string[] = [];
  for (let i = 0; out.length + FINAL.length < lines; i++) out.push(...block(i));
  // Trim to a block boundary so no stage is cut in the middle of a RUN chain.
  while (out.length + FINAL.length > lines) {
    const lastBlock = out.lastIndexOf('', out.length - 2);
    out.length = lastBlock >= 0 ? lastBlock + 1 : 0;
  }
  while (out.length + FINAL.length < lines) out.push(`LABEL filler.line${out.length}="x"`);
  return [...out, ...FINAL].join('\n') + '\n';
}
