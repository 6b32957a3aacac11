// Where a Python or Node program starts other programs or loads native libraries itself: the full
// images have git, curl, gcc, ImageMagick and more that the slim ones lack, so a program that
// does either may need what the smaller image does not have. Pure: source text in, places out.
import type { ProjectFacts } from '../project';
import { query, type AnalysisContext, type Query } from '../context';

export interface OutsideUse {
  readonly file: string;
  readonly line: number;
  readonly what: string;
}

export interface SourceScan {
  /** How many of the language's files were read, and whether the reader stopped before all. */
  readonly read: number;
  readonly truncated: boolean;
  readonly uses: readonly OutsideUse[];
}

const PYTHON: ReadonlyArray<[RegExp, string]> = [
  [/\bimport\s+subprocess\b|\bfrom\s+subprocess\s+import\b/, 'subprocess'],
  [/\bos\.(system|popen|exec\w*|spawn\w*)\s*\(/, 'os.system/popen/exec'],
  [/\bimport\s+(ctypes|tkinter)\b|\bfrom\s+(ctypes|tkinter)\b/, 'ctypes or tkinter (native libraries)'],
  [/\bshutil\.which\s*\(/, 'shutil.which'],
  [/\bimport\s+(sh|plumbum|pexpect)\b/, 'a library that runs commands'],
];

const NODE: ReadonlyArray<[RegExp, string]> = [
  [/\brequire\(\s*['"](node:)?child_process['"]\s*\)|\bfrom\s+['"](node:)?child_process['"]/, 'child_process'],
  [/\brequire\(\s*['"](execa|shelljs|cross-spawn|ffi-napi|koffi)['"]\s*\)|\bfrom\s+['"](execa|shelljs|cross-spawn|ffi-napi|koffi)['"]/, 'a library that runs commands or loads native libraries'],
  [/\bprocess\.dlopen\s*\(/, 'process.dlopen'],
];

function scan(files: ReadonlyArray<[string, string]>, patterns: ReadonlyArray<[RegExp, string]>): OutsideUse[] {
  const out: OutsideUse[] = [];
  for (const [file, text] of files) {
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      for (const [pattern, what] of patterns) if (pattern.test(lines[i] as string)) out.push({ file, line: i, what });
    }
  }
  return out;
}

function scanOnce(project: ProjectFacts, context: AnalysisContext, q: Query<SourceScan>, extension: RegExp, patterns: ReadonlyArray<[RegExp, string]>): SourceScan {
  return context.memoProject(q, [project], () => {
    const files = [...project.sources].filter(([file]) => extension.test(file));
    return { read: files.length, truncated: project.sourcesTruncated, uses: scan(files, patterns) };
  });
}

const PYTHON_USES = query<SourceScan>('pythonOutsideUses');
const NODE_USES = query<SourceScan>('nodeOutsideUses');

export function pythonOutsideUses(project: ProjectFacts, context: AnalysisContext): SourceScan {
  return scanOnce(project, context, PYTHON_USES, /\.py$/, PYTHON);
}

export function nodeOutsideUses(project: ProjectFacts, context: AnalysisContext): SourceScan {
  return scanOnce(project, context, NODE_USES, /\.(js|mjs|cjs|ts|mts|cts)$/, NODE);
}

/** Why the slim image may lack what the program itself runs; empty when the sources show it does not. */
export function outsideUseProblems(found: SourceScan, language: string): string[] {
  if (found.read === 0) return [`the ${language} sources were not read, so Slimfile cannot tell whether the program runs other programs`];
  const problems = found.truncated ? [`not every ${language} source was read`] : [];
  for (const use of found.uses) problems.push(`${use.file}:${use.line + 1} uses ${use.what}, which may need a program or library only the full image has`);
  return problems;
}
