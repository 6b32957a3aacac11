// The rust builder image is older than Cargo.toml's rust-version: cargo refuses to build.
import type { Rule } from '../../../findings';
import type { TextEdit } from 'vscode-languageserver-types';
import { baseFactsOf } from '../../../runtime';
import { readCargoToml, rustMessages, rustOlderThan, cargoBuilds } from '../rust';

export const rustBuilderOlderThanRustVersion: Rule = {
  id: 'rust-builder-older-than-rust-version',
  language: 'rust',
  defaultSeverity: 'error',
  summary: "The rust builder image is older than Cargo.toml's rust-version.",
  check({ model, project }) {
    const manifest = project.manifests.get('Cargo.toml');
    const needed = manifest !== undefined ? readCargoToml(manifest).rustVersion : undefined;
    if (!needed) return [];
    const out = [];
    const stages = new Set(cargoBuilds(model, project).map((b) => b.stage));
    for (const index of stages) {
      const stage = model.stages[index];
      if (!stage || stage.base.stage !== undefined) continue;
      const facts = baseFactsOf(model, stage);
      if (facts.language !== 'rust' || !facts.languageVersion || rustOlderThan(facts.languageVersion, needed) !== true) continue;
      const image = stage.base.resolved ?? stage.base.written;
      // The version is replaced where the tag writes it; a version from an ARG is left to the user.
      const written = stage.base.written;
      const tagStart = written.lastIndexOf(':') + 1;
      const fixes = [];
      if (tagStart > 0 && written.slice(tagStart).startsWith(facts.languageVersion)) {
        const start = { line: stage.base.range.start.line, character: stage.base.range.start.character + tagStart };
        const edit: TextEdit = { range: { start, end: { line: start.line, character: start.character + facts.languageVersion.length } }, newText: needed };
        // Tags of Debian releases the rust images no longer build (buster, bullseye) may not exist for newer versions.
        fixes.push({ title: `Build with Rust ${needed}`, edits: [edit], isPreferred: true, safe: !/buster|bullseye|alpine3\.1\d/.test(written) });
      }
      out.push({ message: rustMessages.builderOlder(image, facts.languageVersion, needed), range: stage.base.range, related: [], fixes });
    }
    return out;
  },
};
