import { describe, expect, it } from 'vitest';
import { AUDIT_ENTITIES, actionLabelKey, emptyAuditQuery, entityLabelKey, fieldLabelKey, truncate, valueLabelKey } from './audit';
import { zhCN } from './i18n/zh-CN';
import { en } from './i18n/en';

describe('audit wording', () => {
  it('names every kind of thing the core logs, the filter’s in the office’s words', () => {
    expect(AUDIT_ENTITIES.map((e) => zhCN[entityLabelKey(e)!])).toEqual([
      '人员', '发展步骤', '档案材料', '附件', '提醒处理', '组织生活待办的处理', '组织', '节假日', '设置与规则', '用户', '用户支部', '会议', '出席情况', '党小组',
      '党小组成员', '支委职务', '会议文件', '培训班', '培训课次', '培训学员', '培训出勤', '个人学习', '党籍状态', '党费基数', '党费交纳', '组织关系介绍信', '转出申请', '组织关系转入', '毕业生组织关系保留',
      '民主评议', '民主评议步骤', '民主评议参评党员', '不合格党员限期改正', '信访举报登记', '信访举报查阅', '本单位文书模板',
    ]);
    expect(['complaints', 'complaint_reads'].map((e) => en[entityLabelKey(e)!])).toEqual(['Complaints register entries', 'Complaint entries opened']);
    expect(en[entityLabelKey('holiday_years')!]).toBe('Holiday years');
    expect(en[entityLabelKey('unit_dismissals')!]).toBe('Set-aside owed meetings');
    expect([zhCN[entityLabelKey('meeting_attachments')!], en[entityLabelKey('meeting_attachments')!]]).toEqual(['会议文件', 'Meeting files']);
    expect([zhCN[entityLabelKey('transfer_requests')!], en[entityLabelKey('transfer_requests')!]]).toEqual(['转出申请', 'Applications to transfer out']);
    expect(['appraisals', 'appraisal_steps', 'appraisal_members', 'corrections'].map((e) => en[entityLabelKey(e)!])).toEqual([
      'Democratic appraisals', 'Appraisal steps', 'Members appraised', 'Correction periods',
    ]);
    expect(entityLabelKey('something_new')).toBeNull();
  });

  it('names the three actions', () => {
    expect(['insert', 'update', 'delete'].map((a) => zhCN[actionLabelKey(a)!])).toEqual(['新增', '修改', '删除']);
    expect(actionLabelKey('upsert')).toBeNull();
  });

  it('labels a person’s columns as the member form does, and leaves unknown columns to show raw', () => {
    expect(zhCN[fieldLabelKey('people', 'phone')!]).toBe('联系电话');
    expect(zhCN[fieldLabelKey('people', 'branch_id')!]).toBe('所在支部');
    expect(zhCN[fieldLabelKey('events', 'date')!]).toBe('日期');
    expect(zhCN[fieldLabelKey('users', 'role')!]).toBe('角色');
    expect(fieldLabelKey('people', 'stage')).toBeNull();
    expect(zhCN[fieldLabelKey('meeting_attachments', 'name')!]).toBe(zhCN['audit.field.name']);
    expect(fieldLabelKey('attachments', 'size')).toBeNull();
    expect(zhCN[fieldLabelKey('appraisal_members', 'grade')!]).toBe('评定等次');
    expect(zhCN[fieldLabelKey('appraisal_members', 'unqualified')!]).toBe('不合格');
    expect(zhCN[fieldLabelKey('appraisals', 'ballots_cast')!]).toBe('收回测评票');
    expect(zhCN[fieldLabelKey('corrections', 'outcome')!]).toBe('改正期结论');
    expect(zhCN[fieldLabelKey('complaints', 'received_on')!]).toBe('受理日期');
    expect(zhCN[fieldLabelKey('complaints', 'closed_on')!]).toBe('办结日期');
    expect(zhCN[fieldLabelKey('complaint_reads', 'reader')!]).toBe('查阅人');
    expect(zhCN[fieldLabelKey('document_templates', 'source')!]).toBe('模板内容');
    expect(fieldLabelKey('complaints', 'summary')).toBeNull();
  });

  it('reads the domain’s codes in a logged value, and nothing else', () => {
    expect(zhCN[valueLabelKey('people', 'gender', 'female')!]).toBe('女');
    expect(zhCN[valueLabelKey('events', 'kind', 'oath')!]).toBe('入党宣誓');
    expect(zhCN[valueLabelKey('users', 'role', 'branch_secretary')!]).toBe('支部书记');
    expect(zhCN[valueLabelKey('meetings', 'kind', 'committee_meeting')!]).toBe('支委会');
    expect(zhCN[valueLabelKey('attendance', 'attendance', 'leave')!]).toBe('请假');
    expect(zhCN[valueLabelKey('committee_posts', 'post', 'secretary')!]).toBe('书记');
    expect(zhCN[valueLabelKey('unit_dismissals', 'rule', 'group_meeting')!]).toBe('党小组会');
    expect(zhCN[valueLabelKey('appraisal_members', 'grade', 'basically_qualified')!]).toBe('基本合格');
    expect(zhCN[valueLabelKey('appraisal_members', 'proposed', 'excellent')!]).toBe('优秀');
    expect(zhCN[valueLabelKey('appraisal_steps', 'step', 'mutual_assessment')!]).toBe('党员互评');
    expect(zhCN[valueLabelKey('corrections', 'outcome', 'persuaded_to_leave')!]).toBe('劝其退党');
    expect(valueLabelKey('appraisal_members', 'reason', 'excellent')).toBeNull();
    expect(valueLabelKey('people', 'phone', '13900000000')).toBeNull();
    expect(valueLabelKey('events', 'kind', 'not_a_kind')).toBeNull();
    expect(valueLabelKey('people', 'gender', null)).toBeNull();
  });

  it('shortens long values by characters, keeping short ones whole', () => {
    expect(truncate('短')).toBe('短');
    expect(truncate('一二三四五六', 4)).toBe('一二三…');
    expect(truncate('𠀾𠀾𠀾𠀾𠀾', 3)).toBe('𠀾𠀾…');
    expect(truncate('abcd', 4)).toBe('abcd');
  });

  it('starts with no filter and a page of 50', () => {
    expect(emptyAuditQuery()).toEqual({ member_id: null, actor: null, entity: null, from: null, to: null, offset: 0, limit: 50 });
  });
});
