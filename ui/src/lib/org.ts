// The organisation tree as the screens name its units: a unit's path from just below the committee, and the units a
// branch secretary may be given (branches and general branches), in the tree's order.

import type { OrgUnit } from './api/types';

/** `学生党总支 / 本科生第一党支部`: the unit's path below the committee (the committee alone is its own name). */
export function unitPath(units: readonly OrgUnit[], id: number): string {
  const names: string[] = [];
  let u = units.find((x) => x.id === id);
  const seen = new Set<number>();
  while (u && !seen.has(u.id)) {
    seen.add(u.id);
    if (u.parent_id !== null || names.length === 0) names.unshift(u.name);
    const parent = u.parent_id;
    u = parent === null ? undefined : units.find((x) => x.id === parent);
  }
  return names.join(' / ');
}

/** The branches and general branches, depth first in the order they were added, with their depth below the committee. */
export function branchChoices(units: readonly OrgUnit[]): { unit: OrgUnit; depth: number }[] {
  const out: { unit: OrgUnit; depth: number }[] = [];
  const walk = (parent: number, depth: number) => {
    for (const u of units.filter((x) => x.parent_id === parent)) {
      if (u.kind === 'branch' || u.kind === 'general_branch') out.push({ unit: u, depth });
      walk(u.id, depth + 1);
    }
  };
  for (const root of units.filter((u) => u.parent_id === null)) walk(root.id, 0);
  return out;
}
