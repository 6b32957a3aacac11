// A release build that does not strip the binary (or set the other size settings): on toolchains
// whose standard library carries debug info, most of the binary is symbols and debug info.
import type { Fix, Rule } from '../../../findings';
import { readCargoToml, rustMessages } from '../rust';
import { cargoBuilds } from '../rust';
import { prefixCargo } from './shared';
import { deliveredBinaries } from '../../compiled';

/** The five settings, as [profile key, env name, wanted value, how a written value counts as set]. */
const SETTINGS: ReadonlyArray<readonly [string, string, string, (v: unknown) => boolean]> = [
  ['strip', 'CARGO_PROFILE_RELEASE_STRIP', 'true', (v) => v === true || v === 'symbols' || v === 'true'],
  ['lto', 'CARGO_PROFILE_RELEASE_LTO', 'true', (v) => v === true || v === 'fat' || v === 'thin' || v === 'true'],
  ['opt-level', 'CARGO_PROFILE_RELEASE_OPT_LEVEL', 'z', (v) => v === 'z' || v === 's'],
  ['codegen-units', 'CARGO_PROFILE_RELEASE_CODEGEN_UNITS', '1', (v) => v === 1 || v === '1'],
  ['panic', 'CARGO_PROFILE_RELEASE_PANIC', 'abort', (v) => v === 'abort'],
];

export const rustReleaseProfile: Rule = {
  id: 'rust-release-profile',
  language: 'rust',
  defaultSeverity: 'info',
  summary: 'The release binary is not stripped (and the size settings of the release profile are not set).',
  check({ model, project }) {
    const manifest = project.manifests.get('Cargo.toml');
    const profile = manifest !== undefined ? readCargoToml(manifest).releaseProfile : {};
    const builds = deliveredBinaries(model, cargoBuilds(model, project)).map((d) => d.build);
    const out = [];
    for (const build of new Set(builds)) {
      if (!build.binaries.some((b) => /\/release\/[^/]+$/.test(b)) && !/cargo install/.test(build.command)) continue;
      const value = (key: string, env: string): unknown => build.run.env.get(env) ?? build.run.commands.find((c) => c.assignments.has(env))?.assignments.get(env) ?? profile[key];
      const missing = SETTINGS.filter(([key, env, , isSet]) => !isSet(value(key, env)));
      // Stripping is the saving that changes nothing the program does; without it the rule speaks.
      if (!missing.some(([key]) => key === 'strip')) continue;
      const fixes: Fix[] = [];
      const strip = prefixCargo(build, ['CARGO_PROFILE_RELEASE_STRIP=true']);
      if (strip) fixes.push({ title: 'Strip the release binary', edits: strip, isPreferred: true, safe: true });
      // opt-level "z" trades speed for size and panic = "abort" skips unwinding (no destructors, no catch_unwind): reviewed, not applied.
      const all = prefixCargo(build, missing.map(([, env, wanted]) => `${env}=${wanted}`));
      if (all && missing.length > 1) fixes.push({ title: 'Use the size-optimized release profile', edits: all, safe: false });
      out.push({ message: rustMessages.releaseProfile(missing.map(([key]) => key)), range: build.run.range, related: [], fixes });
    }
    return out;
  },
};
