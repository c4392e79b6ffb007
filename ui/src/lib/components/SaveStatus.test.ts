// SaveStatus rendered on the server (the tests run without a DOM): what each phase shows, under which test ids. The
// 统计 screen's ids (`stats-save-status`, …) were its own before the notice was shared, and must stay as they were.

import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { appError } from '../api/errors';
import { setLocale } from '../i18n/index.svelte';
import { FileSaver } from '../saving/file-saver.svelte';
import SaveStatus from './SaveStatus.svelte';

/** The test ids in the markup, in order. */
function testids(html: string): string[] {
  return [...html.matchAll(/data-testid="([^"]+)"/g)].map((m) => m[1]!);
}

async function saverAt(outcome: 'saved' | 'failed' | 'open_failed'): Promise<FileSaver> {
  const refusal = appError('io', 'disk full');
  const saver = new FileSaver(
    {
      pick: async (name) => `/tmp/${name}`,
      open: async () => {
        throw refusal;
      },
    },
    () => {},
  );
  await saver.save('统计.xlsx', async () => {
    if (outcome === 'failed') throw refusal;
  });
  if (outcome === 'open_failed') await saver.open();
  return saver;
}

describe('the save notice', () => {
  setLocale('zh-CN');

  it('is nothing while no file was saved', () => {
    const saver = new FileSaver({ pick: async () => null, open: async () => {} }, () => {});
    expect(testids(render(SaveStatus, { props: { saver, testid: 'stats' } }).body)).toEqual([]);
  });

  it('says where the file went, with open and close, under the 统计 screen’s ids', async () => {
    const { body } = render(SaveStatus, { props: { saver: await saverAt('saved'), testid: 'stats' } });
    expect(testids(body)).toEqual(['stats-save-status', 'stats-save-open', 'stats-save-dismiss']);
    expect(body).toContain('data-phase="saved"');
    expect(body).toContain('data-path="/tmp/统计.xlsx"');
    expect(body).toContain('已保存：/tmp/统计.xlsx');
  });

  it('says why the saved file could not be opened', async () => {
    const { body } = render(SaveStatus, { props: { saver: await saverAt('open_failed'), testid: 'stats' } });
    expect(testids(body)).toEqual(['stats-save-status', 'stats-save-open', 'stats-save-dismiss', 'stats-open-error']);
  });

  it('shows the core’s refusal, to close', async () => {
    const { body } = render(SaveStatus, { props: { saver: await saverAt('failed'), testid: 'stats' } });
    expect(testids(body)).toEqual(['stats-save-status', 'stats-save-error', 'stats-save-dismiss']);
    expect(body).toContain('data-phase="failed"');
  });

  it('names its ids after the screen it is on', async () => {
    const saver = await saverAt('open_failed');
    expect(testids(render(SaveStatus, { props: { saver, testid: 'dashboard' } }).body)).toEqual([
      'dashboard-save-status', 'dashboard-save-open', 'dashboard-save-dismiss', 'dashboard-open-error',
    ]);
    expect(testids(render(SaveStatus, { props: { saver, testid: 'calendar' } }).body)).toEqual([
      'calendar-save-status', 'calendar-save-open', 'calendar-save-dismiss', 'calendar-open-error',
    ]);
  });
});
