// The members of a unit, for its attendance lists, committee posts and party groups: 预备党员 and 正式党员 of the unit
// and the units below it, whose membership has not ended, in the core's order (by name, as every list is). The core
// refuses anyone else on a list anyway.

import type { Backend } from '../api/backend';
import type { MemberSummary } from '../api/types';
import { attendable } from './meeting-form';

/** The most people read for one unit: a general branch's whole roll, not a committee's hundred thousand. */
export const MEMBER_LIMIT = 5000;

export interface UnitMembers {
  members: MemberSummary[];
  /** The unit has more people than `MEMBER_LIMIT`: the list shows the first ones only. */
  truncated: boolean;
}

export async function unitMembers(api: Pick<Backend, 'listMembers'>, unit: number): Promise<UnitMembers> {
  const page = await api.listMembers({ stage: null, branch_id: unit, search: null, offset: 0, limit: MEMBER_LIMIT, cell: null });
  return { members: attendable(page.items), truncated: page.total > page.items.length };
}
