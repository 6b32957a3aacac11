// Every rule, in the order their findings are listed when they share a line.
import type { Rule } from '../findings';
import { goToolchainInFinalImage } from './go-toolchain-in-final-image';
import { runsAsRoot } from './runs-as-root';

export const RULES: readonly Rule[] = [goToolchainInFinalImage, runsAsRoot];

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
