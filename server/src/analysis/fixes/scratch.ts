// What a scratch runtime needs copied in from the build stage: CA certificates, zoneinfo, and
// /etc/passwd when a named user is set.
import type { TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel, GoBuild } from '../model';
import type { ProjectFacts } from '../project';
import { keyword, insertLinesAfter } from './edits';
import { baseFactsOf, stageOf } from '../runtime';

export const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
export const ZONEINFO = '/usr/share/zoneinfo';

/** A reference to the stage that can serve files: its name, or its index. */
export function stageRef(model: DockerfileModel, index: number): string {
  return model.stages[index]?.name ?? String(index);
}

/** COPY lines that give a scratch final stage what the program needs; undefined when the build stage lacks them. */
export function scratchAdditions(model: DockerfileModel, project: ProjectFacts, build: GoBuild): TextEdit[] | undefined {
  const final = model.finalStage;
  if (!final) return undefined;
  // scratch has no /etc/passwd: a user named in USER or COPY --chown would not resolve.
  const names = [final.user?.value, ...final.copies.map((c) => c.chown)].flatMap((v) => (v ? v.split(':') : []));
  if (names.some((n) => n !== '' && !/^\d+$/.test(n))) return undefined;
  const source = stageOf(model, build);
  const facts = baseFactsOf(model, source);
  const from = stageRef(model, source.index);
  const k = (w: string): string => keyword(model, w);
  const lines: string[] = [];
  if (project.needs.tls.needed && !project.needs.embeddedRoots.needed) {
    if (!facts.caCertificates) return undefined;
    lines.push(`${k('COPY')} --from=${from} ${CA_BUNDLE} ${CA_BUNDLE}`);
  }
  if (project.needs.zoneinfo.needed && !project.needs.embeddedTzdata.needed) {
    if (!facts.zoneinfo) return undefined;
    lines.push(`${k('COPY')} --from=${from} ${ZONEINFO} ${ZONEINFO}`);
  }
  if (!final.user) lines.push(`${k('USER')} 65532:65532`);
  return lines.length > 0 ? [insertLinesAfter(model, final.fromRange, lines)] : [];
}
