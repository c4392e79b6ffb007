// A branch's appraisal as the core returns one, for the 民主评议 helpers' tests: three full members and a probationary
// one, one with votes entered and a proposal, one graded 不合格 in a closed appraisal.

import type { Appraisal, Participant } from '../api/types';

export function participant(p: Partial<Participant> & Pick<Participant, 'person_id' | 'name'>): Participant {
  return { student_no: null, graded: true, in_register: true, votes: null, proposed: null, grade: null, reason: null, correction: null, ...p };
}

export function appraisalOf(a: Partial<Appraisal> = {}): Appraisal {
  return {
    id: 5,
    unit_id: 3,
    unit: '学生党总支/本科生第一党支部',
    year: 2026,
    opened_on: '2026-11-20',
    steps: [{ step: 'study', date: '2026-11-20' }],
    ballots_cast: null,
    closed_on: null,
    participants: [
      participant({ person_id: 11, name: '白安', student_no: '2022001' }),
      participant({ person_id: 12, name: '陈博' }),
      participant({ person_id: 13, name: '邓超' }),
      participant({ person_id: 14, name: '范丁', graded: false }),
    ],
    graded: 3,
    excellent_cap: 1,
    ...a,
  };
}
