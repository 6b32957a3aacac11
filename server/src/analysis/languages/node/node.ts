// Node manifests -> what the image rules need: dependencies and dev dependencies (package.json),
// packages with native code (the lock file's install scripts, known native packages, binding.gyp
// files the workspace found), and the front-end build script. Pure: text in, facts out.
import type { ProjectFacts } from '../../project';
import { commandName } from '../../shell';
import { query, type AnalysisContext } from '../../context';

export interface NodeProject {
  readonly name: string | undefined;
  readonly dependencies: readonly string[];
  readonly devDependencies: readonly string[];
  readonly scripts: ReadonlyMap<string, string>;
  /** Which lock file the context has, if any. */
  readonly lockFile: 'package-lock.json' | 'npm-shrinkwrap.json' | 'yarn.lock' | 'pnpm-lock.yaml' | undefined;
  /** Packages (from package.json or the lock) that compile native code at install, with why. */
  readonly nativeModules: ReadonlyArray<{ readonly name: string; readonly why: string }>;
  /** Dependencies fetched from a git repository, which need git at install. */
  readonly gitDependencies: readonly string[];
  /** The front-end bundler the build script runs and the folder it writes, when recognised. */
  readonly frontendBuild: FrontendBuild | undefined;
  /** Problems reading the files, said once to the user. */
  readonly problems: readonly string[];
}

export interface FrontendBuild {
  readonly script: string;
  readonly tool: string;
  /** The folder the tool writes by default, relative to the project. */
  readonly output: string;
}

/**
 * Packages that build a native addon with node-gyp (or download a prebuilt one for glibc) at
 * install: on Alpine they need python3, make and g++, or a musl build of the addon.
 */
export const KNOWN_NATIVE_PACKAGES: ReadonlySet<string> = new Set([
  'bcrypt', 'sharp', 'node-sass', 'sqlite3', 'better-sqlite3', 'canvas', 'argon2', 'bufferutil', 'utf-8-validate',
  're2', 'leveldown', 'grpc', '@tensorflow/tfjs-node', 'cpu-features', 'node-rdkafka', 'oracledb', 'libxmljs', 'libxmljs2',
  'zeromq', 'ffi-napi', 'ref-napi', 'usb', 'serialport', '@serialport/bindings-cpp', 'kerberos', 'isolated-vm', 'node-pty',
  'microtime', 'heapdump', 'deasync', 'integer', 'farmhash', 'xxhash-addon', 'lmdb', 'msgpackr-extract', 'sodium-native',
]);

/** Bundlers whose `build` writes static assets, and the folder each writes when not told otherwise. */
const FRONTEND_TOOLS: ReadonlyArray<{ readonly pattern: RegExp; readonly tool: string; readonly output: string }> = [
  { pattern: /\bvite\s+build\b/, tool: 'vite', output: 'dist' },
  { pattern: /\breact-scripts\s+build\b/, tool: 'react-scripts', output: 'build' },
  { pattern: /\bvue-cli-service\s+build\b/, tool: 'vue-cli-service', output: 'dist' },
  { pattern: /\bparcel\s+build\b/, tool: 'parcel', output: 'dist' },
  { pattern: /\bwebpack\b/, tool: 'webpack', output: 'dist' },
  { pattern: /\bng\s+build\b/, tool: 'ng', output: 'dist' },
  { pattern: /\bastro\s+build\b/, tool: 'astro', output: 'dist' },
];

function names(value: unknown): string[] {
  return value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
}

export interface NodeFiles {
  readonly packageJson: string;
  readonly lockFile?: { readonly name: NonNullable<NodeProject['lockFile']>; readonly text: string };
  /** Packages under node_modules/ holding a binding.gyp, when the workspace looked. */
  readonly bindingGyp?: readonly string[];
}

export function readNodeProject(files: NodeFiles): NodeProject {
  const problems: string[] = [];
  let manifest: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(files.packageJson);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) manifest = parsed as Record<string, unknown>;
    else problems.push('package.json is not a JSON object');
  } catch (error) {
    problems.push(`package.json is not valid JSON (${(error as Error).message})`);
  }
  const dependencies = [...names(manifest.dependencies), ...names(manifest.optionalDependencies)];
  const devDependencies = names(manifest.devDependencies);
  const scripts = new Map<string, string>();
  const rawScripts = manifest.scripts;
  if (rawScripts && typeof rawScripts === 'object') {
    for (const [k, v] of Object.entries(rawScripts)) if (typeof v === 'string') scripts.set(k, v);
  }
  const native = new Map<string, string>();
  for (const dep of [...dependencies, ...devDependencies]) if (KNOWN_NATIVE_PACKAGES.has(dep)) native.set(dep, 'a package known to build a native addon');
  if (files.lockFile) {
    for (const [dep, why] of nativeFromLock(files.lockFile.name, files.lockFile.text, problems)) if (!native.has(dep)) native.set(dep, why);
  }
  for (const dep of files.bindingGyp ?? []) native.set(dep, 'node_modules/' + dep + '/binding.gyp');
  const gitDependencies: string[] = [];
  for (const field of ['dependencies', 'optionalDependencies', 'devDependencies']) {
    const specs = manifest[field];
    if (!specs || typeof specs !== 'object') continue;
    for (const [dep, spec] of Object.entries(specs)) {
      if (typeof spec === 'string' && /^(git[+:]|github:|gitlab:|bitbucket:|[\w.-]+\/[\w.-]+(#.*)?$)/.test(spec)) gitDependencies.push(dep);
    }
  }
  const build = scripts.get('build');
  const tool = build === undefined ? undefined : FRONTEND_TOOLS.find((t) => t.pattern.test(build));
  return {
    name: typeof manifest.name === 'string' ? manifest.name : undefined,
    dependencies,
    devDependencies,
    scripts,
    lockFile: files.lockFile?.name,
    nativeModules: [...native].map(([name, why]) => ({ name, why })),
    gitDependencies,
    frontendBuild: build !== undefined && tool ? { script: build, tool: tool.tool, output: tool.output } : undefined,
    problems,
  };
}

const NODE_PROJECT = query<NodeProject | undefined>('nodeProject');
const LOCK_FILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'] as const;

/** The context's package.json with its lock file, read once per project facts. */
export function nodeProjectOf(project: ProjectFacts, context: AnalysisContext): NodeProject | undefined {
  return context.memoProject(NODE_PROJECT, [project], () => {
    const packageJson = project.manifests.get('package.json');
    const lockName = LOCK_FILES.find((name) => project.manifests.has(name));
    return packageJson === undefined ? undefined : readNodeProject({ packageJson, ...(lockName ? { lockFile: { name: lockName, text: project.manifests.get(lockName) as string } } : {}) });
  });
}

/** Packages the lock file marks as running an install script (npm records `hasInstallScript`), or known native ones it pulls in. */
function nativeFromLock(name: string, text: string, problems: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (name === 'package-lock.json' || name === 'npm-shrinkwrap.json') {
    let lock: { packages?: Record<string, { hasInstallScript?: boolean; optional?: boolean; os?: string[] }> };
    try {
      lock = JSON.parse(text) as typeof lock;
    } catch (error) {
      problems.push(`${name} is not valid JSON (${(error as Error).message})`);
      return out;
    }
    for (const [path, entry] of Object.entries(lock.packages ?? {})) {
      // Besides node_modules/…, a local package (`file:native/addon`) or a workspace has its entry
      // under its own folder, where its install script is recorded.
      if (path === '' || !entry || typeof entry !== 'object') continue;
      const pkg = path.includes('node_modules/') ? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length) : path;
      // An install script only for another OS (fsevents is macOS-only) never runs in a Linux image.
      if (entry.os && !entry.os.includes('linux')) continue;
      if (entry.hasInstallScript) out.push([pkg, `${name} marks it as running an install script`]);
      else if (KNOWN_NATIVE_PACKAGES.has(pkg)) out.push([pkg, `a package known to build a native addon (in ${name})`]);
    }
    return out;
  }
  // yarn.lock and pnpm-lock.yaml: entries start with the package name at the line's start.
  for (const known of KNOWN_NATIVE_PACKAGES) {
    const escaped = known.replace(/[/.]/g, (c) => `\\${c}`);
    if (new RegExp(`^\\s*["']?/?${escaped}@`, 'm').test(text)) out.push([known, `a package known to build a native addon (in ${name})`]);
  }
  return out;
}

