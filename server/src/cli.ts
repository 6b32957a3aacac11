// `slimfile check | minimize | estimate`: the server's analysis from a terminal or CI.
import { parseArgs } from 'node:util';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseDockerfile } from './analysis/model';
import { analyze } from './analysis/analyze';
import type { Finding } from './analysis/findings';
import { ruleDocsUrl } from './analysis/findings';
import { RULES } from './analysis/rules';
import { minimize } from './analysis/fixes/minimize';
import { findBuildContext, loadProject } from './workspace/project';
import type { ProjectFacts } from './analysis/project';

const VERSION = '0.1.0';

const USAGE = `Usage:
  slimfile check [--format text|json|sarif] [--context DIR] <Dockerfile...>
      Report findings. Exit 1 when any finding is an error, 0 otherwise.
  slimfile minimize [--write] [--backup] [--context DIR] <Dockerfile>
      Print the Dockerfile with every safe fix applied (or write it in place).
  slimfile estimate [--format text|json] [--context DIR] <Dockerfile>
      Estimate the image size now and after minimizing.

  --context DIR   build context (default: the Dockerfile's folder or the nearest parent with go.mod)
  --rule ID=SEV   override a rule's severity (off|hint|info|warning|error); repeatable
Exit codes: 0 ok, 1 error findings, 2 bad usage or unreadable input.`;

export class UsageError extends Error {}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

interface Loaded {
  readonly file: string;
  readonly text: string;
  readonly project: ProjectFacts;
}

async function load(file: string, context: string | undefined): Promise<Loaded> {
  let text: string;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new UsageError(`${file} is not a file.`);
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const absolute = path.resolve(file);
  const contextDir = await findBuildContext(absolute, undefined, context ? path.resolve(context) : undefined);
  const project = await loadProject(contextDir, { maxGoFiles: 5000 });
  return { file, text, project };
}

function severityOverrides(values: readonly string[]): Record<string, 'off' | 'hint' | 'info' | 'warning' | 'error'> {
  const rules: Record<string, 'off' | 'hint' | 'info' | 'warning' | 'error'> = {};
  for (const value of values) {
    const m = /^([\w-]+)=(off|hint|info|warning|error)$/.exec(value);
    if (!m) throw new UsageError(`--rule takes ID=off|hint|info|warning|error, not ${JSON.stringify(value)}`);
    if (!RULES.some((r) => r.id === m[1])) throw new UsageError(`unknown rule ${m[1]}; rules: ${RULES.map((r) => r.id).join(', ')}`);
    rules[m[1] as string] = m[2] as 'off';
  }
  return rules;
}

function findingJson(file: string, f: Finding): object {
  return {
    file,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    range: f.range,
    fixes: f.fixes.map((x) => x.title),
  };
}

function sarif(results: ReadonlyArray<{ file: string; findings: readonly Finding[] }>): object {
  const level = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'slimfile',
            version: VERSION,
            informationUri: 'https://github.com/slimfile/slimfile',
            rules: RULES.map((r) => ({ id: r.id, shortDescription: { text: r.summary }, helpUri: ruleDocsUrl(r.id) })),
          },
        },
        results: results.flatMap(({ file, findings }) =>
          findings.map((f) => ({
            ruleId: f.rule,
            level: level[f.severity],
            message: { text: f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: file.split(path.sep).join('/') },
                  region: {
                    startLine: f.range.start.line + 1,
                    startColumn: f.range.start.character + 1,
                    endLine: f.range.end.line + 1,
                    endColumn: f.range.end.character + 1,
                  },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
}

async function check(files: readonly string[], format: string, context: string | undefined, rules: ReturnType<typeof severityOverrides>, io: Io): Promise<number> {
  if (files.length === 0) throw new UsageError('check needs at least one Dockerfile.');
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format for check is text, json or sarif, not ${format}`);
  const results: Array<{ file: string; findings: Finding[]; notes: readonly string[] }> = [];
  for (const file of files) {
    const { text, project } = await load(file, context);
    results.push({ file, findings: analyze(parseDockerfile(text), project, { rules }), notes: project.notes });
  }
  if (format === 'json') io.out(`${JSON.stringify(results.flatMap((r) => r.findings.map((f) => findingJson(r.file, f))), null, 2)}\n`);
  else if (format === 'sarif') io.out(`${JSON.stringify(sarif(results), null, 2)}\n`);
  else {
    for (const r of results) {
      for (const note of r.notes) io.err(`${r.file}: note: ${note}\n`);
      for (const f of r.findings) {
        io.out(`${r.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} [${f.rule}] ${f.message}\n`);
        for (const fix of f.fixes) io.out(`    fix: ${fix.title}\n`);
      }
    }
    const count = results.reduce((n, r) => n + r.findings.length, 0);
    io.out(count === 0 ? 'No findings.\n' : `${count} finding${count === 1 ? '' : 's'}.\n`);
  }
  return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

async function minimizeCommand(files: readonly string[], write: boolean, backup: boolean, context: string | undefined, rules: ReturnType<typeof severityOverrides>, io: Io): Promise<number> {
  if (files.length !== 1) throw new UsageError('minimize takes exactly one Dockerfile.');
  if (backup && !write) throw new UsageError('--backup goes with --write.');
  const file = files[0] as string;
  const { text, project } = await load(file, context);
  const result = minimize(text, project, { rules });
  if (!write) {
    io.out(result.text);
    for (const title of result.applied) io.err(`applied: ${title}\n`);
  } else if (result.text !== text) {
    if (backup) await fs.writeFile(`${file}.bak`, text);
    // Write beside the file and rename over it, so an interrupted write never leaves half a Dockerfile.
    const temp = `${file}.slimfile-${process.pid}.tmp`;
    await fs.writeFile(temp, result.text);
    await fs.rename(temp, file);
    io.err(`${file}: applied ${result.applied.length} fix(es): ${result.applied.join('; ')}\n`);
  }
  if (result.applied.length === 0) io.err(`${file}: nothing safe to change.\n`);
  for (const r of result.remaining) io.err(`left as is [${r.rule}]: ${r.message}\n`);
  return 0;
}

export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        context: { type: 'string' },
        write: { type: 'boolean', default: false },
        backup: { type: 'boolean', default: false },
        rule: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
    if (values.version) {
      io.out(`${VERSION}\n`);
      return 0;
    }
    const [command, ...files] = positionals;
    if (values.help || !command) {
      io.out(`${USAGE}\n`);
      return values.help ? 0 : 2;
    }
    const rules = severityOverrides(values.rule ?? []);
    switch (command) {
      case 'check':
        return await check(files, values.format ?? 'text', values.context, rules, io);
      case 'minimize':
        return await minimizeCommand(files, values.write ?? false, values.backup ?? false, values.context, rules, io);
      case 'estimate':
        io.err('slimfile estimate: size estimates are not available in this version yet (they need the image catalog).\n');
        return 2;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`slimfile: ${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    io.err(`slimfile: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}

/** Entry of bin/slimfile.js. */
export function main(): void {
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
