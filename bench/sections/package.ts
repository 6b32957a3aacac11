// 6. What users download: the .vsix (`npm run package`) and the bundled server in it.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');

export type PackageResult = { readonly vsixBytes: number; readonly serverBytes: number; readonly cliBytes: number; readonly dockerodeBytes: number } | { readonly skipped: string };

export async function runPackage(options: { log: (line: string) => void }): Promise<PackageResult> {
  try {
    await run('npm', ['run', 'package'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const err = error as { stderr?: string; message: string };
    return { skipped: `npm run package failed: ${(err.stderr ?? err.message).trim().split('\n').slice(-1)[0]}` };
  }
  const size = async (file: string): Promise<number> => (await fs.stat(path.join(ROOT, file))).size;
  // dist/server.js is the loader that runs dist/serverBundle.js through the code cache; the server is both.
  const result = { vsixBytes: await size('slimfile.vsix'), serverBytes: (await size('dist/server.js')) + (await size('dist/serverBundle.js')), cliBytes: await size('dist/cli.js'), dockerodeBytes: await size('dist/dockerode.js') };
  options.log(`  slimfile.vsix ${result.vsixBytes} B, dist/server.js + serverBundle.js ${result.serverBytes} B`);
  return result;
}
