import { describe, expect, it } from 'vitest';
import type { MemberPage, MemberQuery, MemberSummary } from '../api/types';
import { MEMBER_LIMIT, unitMembers } from './unit-members';

const member = (id: number, name: string, over: Partial<MemberSummary> = {}): MemberSummary => ({
  id, name, stage: 'full_member', branch: '第一党支部', branch_id: 3, student_no: null, gender: null, ended: false, status: 'in_register', ...over,
});

describe('unitMembers', () => {
  it("asks for the unit's people once, and keeps its members not ended, in the core's order", async () => {
    const asked: MemberQuery[] = [];
    const items = [
      member(3, '李四', { ended: true }),
      member(2, '王五', { stage: 'probationary' }),
      member(4, '吴一', { stage: 'activist' }),
      member(1, '张三'),
    ];
    const api = {
      listMembers: async (q: MemberQuery): Promise<MemberPage> => {
        asked.push(q);
        return { total: items.length, offset: 0, items };
      },
    };
    const { members, truncated } = await unitMembers(api, 3);
    expect(asked).toEqual([{ stage: null, branch_id: 3, search: null, offset: 0, limit: MEMBER_LIMIT, cell: null }]);
    expect(members.map((m) => m.name)).toEqual(['王五', '张三']);
    expect(truncated).toBe(false);
  });

  it('says when the unit had more people than it read', async () => {
    const api = { listMembers: async (): Promise<MemberPage> => ({ total: MEMBER_LIMIT + 1, offset: 0, items: [member(1, '张三')] }) };
    expect((await unitMembers(api, 1)).truncated).toBe(true);
  });
});
