// LeaveQuestion rendered on the server (the tests run without a DOM): what it says, and its buttons under the ids
// the shell and the class detail share, keeping the edits first.

import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { setLocale, t } from '../i18n/index.svelte';
import LeaveQuestion from './LeaveQuestion.svelte';

/** The test ids in the markup, in order. */
function testids(html: string): string[] {
  return [...html.matchAll(/data-testid="([^"]+)"/g)].map((m) => m[1]!);
}

function rendered(question: string, discard: string): string {
  return render(LeaveQuestion, { props: { question, discard, ondiscard: () => {}, onkeep: () => {} } }).body;
}

describe('the question before leaving unsaved edits', () => {
  it('asks in a dialog of its own, keeping the edits first', () => {
    setLocale('zh-CN');
    const body = rendered(t('leave.question'), t('leave.discard'));
    expect(testids(body)).toEqual(['leave-question', 'leave-question-close', 'leave-keep', 'leave-discard']);
    expect(body).toContain('未保存的修改');
    expect(body).toContain('本页有尚未保存的修改，离开本页将放弃这些修改。');
    expect(body.indexOf('继续编辑')).toBeLessThan(body.indexOf('放弃并离开'));
  });

  it('names the discarding button for what follows, in either language', () => {
    setLocale('en');
    const body = rendered(t('leave.question_open'), t('leave.discard_open'));
    expect(body).toContain('Opening what the reminder points to will discard them.');
    expect(body).toContain('Keep editing');
    expect(body).toContain('Discard and open');
    setLocale('zh-CN');
  });
});
