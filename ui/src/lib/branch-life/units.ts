// Which units the 组织生活 screen offers and which it opens on: the branches and general branches of the tree (as
// 统计 offers them), narrowed to the session's own when it has some (a branch secretary's), and filtered by what is
// typed — the picker stays usable with two thousand units. The core still refuses a unit the session may not see.

import type { OrgUnit } from '../api/types';
import { branchChoices } from '../org';

export interface UnitChoice {
  id: number;
  kind: OrgUnit['kind'];
  /** `学生党总支 / 本科生第一党支部`. */
  label: string;
  depth: number;
}

/** The units below the committee, depth first; only those within `branches` (and below them) when it names any. */
export function lifeUnits(units: readonly OrgUnit[], branches: readonly number[] = []): UnitChoice[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const label = (u: OrgUnit): string => {
    const names: string[] = [];
    for (let x: OrgUnit | undefined = u; x && x.parent_id !== null; x = byId.get(x.parent_id)) names.unshift(x.name);
    return names.join(' / ');
  };
  const mine = new Set(branches);
  const within = (u: OrgUnit): boolean => {
    for (let x: OrgUnit | undefined = u; x; x = x.parent_id === null ? undefined : byId.get(x.parent_id)) if (mine.has(x.id)) return true;
    return false;
  };
  return branchChoices(units)
    .filter(({ unit }) => mine.size === 0 || within(unit))
    .map(({ unit, depth }) => ({ id: unit.id, kind: unit.kind, label: label(unit), depth }));
}

/** The unit the screen opens on: the first branch offered, else the first unit, else none. */
export function defaultLifeUnit(choices: readonly UnitChoice[]): number | null {
  return (choices.find((c) => c.kind === 'branch') ?? choices[0])?.id ?? null;
}

/** The choices whose path contains every word typed; the chosen one always stays (a select must show its value). */
export function filterUnits(choices: readonly UnitChoice[], text: string, keep: number | null): UnitChoice[] {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...choices];
  return choices.filter((c) => c.id === keep || words.every((w) => c.label.toLowerCase().includes(w)));
}

/** The years the screen offers, newest first: from six years back to next year, and the one shown if outside. */
export function lifeYears(thisYear: number, shown: number): number[] {
  const years = new Set<number>([shown]);
  for (let y = thisYear + 1; y >= thisYear - 6; y--) years.add(y);
  return [...years].sort((a, b) => b - a);
}
