// `npm run bench:go-matrix`: section 7 of the bench alone (estimate against real size for every
// example and project on every Go release), written into bench/results.md in place of the
// section's previous table, raw cells to bench/go-matrix.json.
//
//   npm run bench:go-matrix
//   npm run bench:go-matrix -- --go 1.24,1.27 --only examples/hello,projects/dotenv
//   (a run with --go or --only merges its cells into the last bench/go-matrix.json, so the matrix
//   can be built in parts, each holding the docker lock for a while only)
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { MATRIX_BEGIN, MATRIX_END, matrixMarkdown, runGoMatrix, type MatrixCell, type MatrixResult } from './sections/goMatrix';

function option(name: string): string[] | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? (process.argv[at + 1] ?? '').split(',').filter((v) => v !== '') : undefined;
}

/** The last run's cells, with this run's replacing those of the same subject and release. */
async function mergedWithLast(fresh: MatrixResult): Promise<MatrixResult> {
  if ('skipped' in fresh) return fresh;
  const last = JSON.parse(await fs.readFile(path.join(__dirname, 'go-matrix.json'), 'utf8').catch(() => '{}')) as Partial<{ cells: MatrixCell[]; versions: string[] }>;
  const key = (c: MatrixCell): string => `${c.go}\0${c.subject}`;
  const cells = new Map<string, MatrixCell>();
  for (const c of [...(last.cells ?? []), ...fresh.cells]) cells.set(key(c), c);
  const versions = [...new Set([...(last.versions ?? []), ...fresh.versions])].sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  const sorted = [...cells.values()].sort((a, b) => versions.indexOf(a.go) - versions.indexOf(b.go) || a.subject.localeCompare(b.subject));
  return { cells: sorted, versions };
}

async function main(): Promise<void> {
  const started = Date.now();
  const versions = option('--go');
  const subjects = option('--only');
  const fresh = await runGoMatrix({ log: (line) => process.stderr.write(`${line}\n`), skipDocker: false, ...(versions ? { versions } : {}), ...(subjects ? { subjects } : {}) });
  if ('skipped' in fresh && (versions || subjects)) {
    // A partial run that could not build keeps the table and cells of the runs before it.
    process.stderr.write(`go matrix skipped: ${fresh.skipped}; bench/results.md and bench/go-matrix.json left as they were\n`);
    process.exitCode = 1;
    return;
  }
  const result = versions || subjects ? await mergedWithLast(fresh) : fresh;
  const minutes = ((Date.now() - started) / 60_000).toFixed(0);
  const section = [
    MATRIX_BEGIN,
    `Written by \`npm run bench:go-matrix\` on ${new Date().toISOString()} in ${minutes} min, on a machine shared with other work (2 cores).`,
    '',
    matrixMarkdown(result),
    MATRIX_END,
  ].join('\n');
  const file = path.join(__dirname, 'results.md');
  const current = await fs.readFile(file, 'utf8').catch(() => '');
  const begin = current.indexOf(MATRIX_BEGIN);
  const end = current.indexOf(MATRIX_END);
  const heading = '\n## 7. Estimate against real size per Go release\n\n';
  const next = begin >= 0 && end > begin ? `${current.slice(0, begin)}${section}${current.slice(end + MATRIX_END.length)}` : `${current.trimEnd()}\n${heading}${section}\n`;
  await fs.writeFile(file, next);
  await fs.writeFile(path.join(__dirname, 'go-matrix.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${matrixMarkdown(result)}\n(bench/results.md section 7, raw cells in bench/go-matrix.json)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
