import { describe, expect, it } from 'vitest';
import type { OrgUnit } from './api/types';
import { branchChoices, unitPath } from './org';

const units: OrgUnit[] = [
  { id: 1, parent_id: null, kind: 'committee', name: '计算机学院党委' },
  { id: 2, parent_id: 1, kind: 'general_branch', name: '学生党总支' },
  { id: 3, parent_id: 2, kind: 'branch', name: '本科生第一党支部' },
  { id: 5, parent_id: 1, kind: 'branch', name: '研究生及教工党支部' },
  { id: 4, parent_id: 2, kind: 'branch', name: '本科生第二党支部' },
];

describe('unitPath', () => {
  it('names a unit from just below the committee', () => {
    expect(unitPath(units, 3)).toBe('学生党总支 / 本科生第一党支部');
    expect(unitPath(units, 5)).toBe('研究生及教工党支部');
    expect(unitPath(units, 1)).toBe('计算机学院党委');
  });

  it('is empty for a unit it does not know', () => {
    expect(unitPath(units, 99)).toBe('');
  });
});

describe('branchChoices', () => {
  it('lists general branches and branches depth first, in the order added, without the committee', () => {
    expect(branchChoices(units).map((c) => [c.unit.id, c.depth])).toEqual([
      [2, 0],
      [3, 1],
      [4, 1],
      [5, 0],
    ]);
  });
});
