import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import { CHECKLIST_MATERIALS, CLASS_KINDS, EVENT_KINDS, GRADES, RECORD_KINDS, RECORD_STEPS, STATUSES, eventOrder, statusOrder } from './domain';
import { loadRecording } from './recorded';
import type { MemberFile } from './types';

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

  it('puts the most urgent status first', () => {
    expect(STATUSES[0]).toBe('overdue');
    expect(statusOrder('due_soon')).toBe(1);
  });
});

describe('a member’s file', () => {
  it('lists the fourteen kinds of material in the core’s order', () => {
    expect(RECORD_KINDS).toEqual([
      'application_letter', 'talk_record', 'thought_report', 'activist_review', 'training_record', 'introducer_opinion',
      'political_review', 'membership_form', 'branch_resolution', 'approval', 'oath', 'conversion_application',
      'study_note', 'appraisal',
    ]);
  });

  it('ties the branch meeting’s resolutions to admission and conversion, and study notes to no step', () => {
    expect(RECORD_STEPS.branch_resolution).toEqual(['admitted', 'conversion_meeting']);
    expect(RECORD_STEPS.approval).toEqual(['admission_approved', 'conversion_approved']);
    expect(RECORD_STEPS.study_note).toEqual([]);
    expect(RECORD_KINDS.flatMap((k) => RECORD_STEPS[k]).every((e) => EVENT_KINDS.includes(e))).toBe(true);
  });

  it('offers the checklist’s materials as the core lists them (rules/checklist.toml), in its order and words', () => {
    // Every member's file the recorder asked for carries the whole checklist, a line a material.
    const files = Object.values(loadRecording().sessions)
      .flat()
      .filter((c) => c.command === 'member_file' && c.ok)
      .map((c) => c.ok as MemberFile);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(file.checklist.map((l) => l.material)).toEqual([...CHECKLIST_MATERIALS]);
      expect(file.checklist.map((l) => [l.name_zh, l.name_en])).toEqual(CHECKLIST_MATERIALS.map((m) => [zhCN[`material.${m}`], en[`material.${m}`]]));
    }
  });

  it('grades best first', () => {
    expect(GRADES).toEqual(['excellent', 'qualified', 'basically_qualified', 'unqualified']);
  });
});

describe('training classes', () => {
  it('lists the three kinds of class in the order of the procedure they serve', () => {
    expect(CLASS_KINDS).toEqual(['activist_class', 'candidate_class', 'member_class']);
  });
});
