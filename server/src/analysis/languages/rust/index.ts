// Rust as one of the languages: the rust images, Cargo.toml and Cargo.lock, cargo builds, and its
// rules (rules/). What Cargo.toml says and what cargo builds is in rust.ts.
import type { LanguageSupport } from '../types';
import { COMPILED_GRAMMARS } from '../compiledSources';
import { describeRustImage } from './image';
import { binarySize, cargoBuilds } from './rust';
import { RUST_RULES } from './rules';
import { catalogEntriesOf } from '../../imageCatalog';
import catalog from './catalog.json';

declare module '../id' {
  interface LanguageIds {
    rust: true;
  }
}

export const rust: LanguageSupport = {
  id: 'rust',
  name: 'Rust',
  manifests: ['Cargo.toml'],
  companionFiles: ['Cargo.lock'],
  sourceExtensions: ['.rs'],
  grammars: COMPILED_GRAMMARS,
  buildCommands: ['cargo', 'rustc'],
  rules: { structure: RUST_RULES },
  describeImage: describeRustImage,
  estimateRun(model, stage, run, project) {
    const builds = cargoBuilds(model, project).filter((b) => b.run === run);
    if (builds.length === 0) return [];
    if (run.mounts.some((m) => m.type === 'cache' && /target/.test(m.target ?? ''))) return [];
    // The binaries stay in target/ (cargo hard-links them from deps/, which a layer stores once).
    return builds.map((b) => {
      const size = binarySize(model, b, project);
      return { what: `cargo output ${b.binaries[0]?.replace(/\/[^/]+$/, '') ?? 'target/'}`, bytes: size?.folder, provenance: size?.provenance };
    });
  },
  artifactSize(model, stage, path, project) {
    const build = cargoBuilds(model, project).find((b) => b.stage === stage.index && b.binaries.includes(path));
    if (!build) return undefined;
    const size = binarySize(model, build, project);
    return { what: `Rust binary ${path}`, bytes: size?.binary, provenance: size?.provenance };
  },
  catalog: { entries: catalogEntriesOf(catalog) },
};
