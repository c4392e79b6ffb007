import { describe, expect, it } from 'vitest';
import type { OrgUnit } from '../api/types';
import { defaultLifeUnit, filterUnits, lifeUnits, lifeYears } from './units';

const units: OrgUnit[] = [
  { id: 1, parent_id: null, kind: 'committee', name: '党委' },
  { id: 2, parent_id: 1, kind: 'general_branch', name: '学生党总支' },
  { id: 3, parent_id: 2, kind: 'branch', name: '本科生第一党支部' },
  { id: 4, parent_id: 1, kind: 'branch', name: '机关党支部' },
  { id: 5, parent_id: 2, kind: 'branch', name: '研究生党支部' },
];

describe('lifeUnits', () => {
  it('offers the units below the committee, depth first, by their path', () => {
    expect(lifeUnits(units).map((c) => [c.id, c.label])).toEqual([
      [2, '学生党总支'],
      [3, '学生党总支 / 本科生第一党支部'],
      [5, '学生党总支 / 研究生党支部'],
      [4, '机关党支部'],
    ]);
  });

  it("narrows to the session's branches and what lies below them", () => {
    expect(lifeUnits(units, [4]).map((c) => c.id)).toEqual([4]);
    expect(lifeUnits(units, [2]).map((c) => c.id)).toEqual([2, 3, 5]);
  });

  it('opens on the first branch, not on a general branch', () => {
    expect(defaultLifeUnit(lifeUnits(units))).toBe(3);
    expect(defaultLifeUnit(lifeUnits(units.slice(0, 2)))).toBe(2);
    expect(defaultLifeUnit([])).toBeNull();
  });

  it('stays quick at two thousand units', () => {
    const many: OrgUnit[] = [{ id: 1, parent_id: null, kind: 'committee', name: '党委' }];
    for (let g = 0; g < 40; g++) {
      many.push({ id: 10_000 + g, parent_id: 1, kind: 'general_branch', name: `总支${g}` });
      for (let b = 0; b < 50; b++) many.push({ id: g * 100 + b + 2, parent_id: 10_000 + g, kind: 'branch', name: `支部${g}-${b}` });
    }
    const started = performance.now();
    const choices = lifeUnits(many);
    expect(choices).toHaveLength(2040);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('filterUnits', () => {
  const choices = lifeUnits(units);
  it('keeps the paths holding every word typed, and the unit chosen', () => {
    expect(filterUnits(choices, '研究生', null).map((c) => c.id)).toEqual([5]);
    expect(filterUnits(choices, '学生 第一', null).map((c) => c.id)).toEqual([3]);
    expect(filterUnits(choices, '研究生', 4).map((c) => c.id)).toEqual([5, 4]);
    expect(filterUnits(choices, '  ', null)).toHaveLength(4);
  });
});

describe('lifeYears', () => {
  it('offers next year back to six years ago, and a year shown outside that', () => {
    expect(lifeYears(2026, 2026)).toEqual([2027, 2026, 2025, 2024, 2023, 2022, 2021, 2020]);
    expect(lifeYears(2026, 2010).at(-1)).toBe(2010);
  });
});
