import { describe, expect, it } from 'vitest';
import { EVENT_KINDS, REPEATABLE_EVENT_KINDS, STATUSES, eventOrder, statusOrder } from './domain';

describe('the procedure', () => {
  it('lists the nineteen steps in the order they happen', () => {
    expect(EVENT_KINDS).toEqual([
      'application_received', 'applicant_talk', 'activist_determined', 'activist_review', 'contacts_assigned',
      'thought_report', 'candidate_publicity', 'candidate_determined', 'political_review', 'centralised_training',
      'prereview_passed', 'admitted', 'approval_extended', 'admission_approved', 'oath', 'conversion_meeting',
      'conversion_approved', 'probation_extended', 'membership_ended',
    ]);
    expect(eventOrder('candidate_publicity')).toBeLessThan(eventOrder('candidate_determined'));
  });

  it('repeats only the activist review and the thought report', () => {
    expect(EVENT_KINDS.filter((k) => REPEATABLE_EVENT_KINDS.has(k))).toEqual(['activist_review', 'thought_report']);
  });

  it('puts the most urgent status first', () => {
    expect(STATUSES[0]).toBe('overdue');
    expect(statusOrder('due_soon')).toBe(1);
  });
});
