// The side menu's one table: its groups (日常工作, 人员, 组织, 统计, 系统) and their entries, in order. A new screen
// is one line here (and its label in both catalogues); `SideNav.svelte` draws whatever this says. An entry shows
// only when the session may take its action (`access.ts`), and a group with nothing to show is not drawn.

import type { Action } from './access';
import type { Area } from './api/bindings/Area';
import type { IconName } from './components/Icon.svelte';
import type { MessageKey } from './i18n/zh-CN';

/** The screens of the unlocked workspace; one is shown at a time. */
export type View =
  | 'dashboard'
  | 'members'
  | 'calendar'
  | 'life'
  | 'dues'
  | 'transfers'
  | 'appraisal'
  | 'complaints'
  | 'statistics'
  | 'users'
  | 'audit';

/** What an entry opens: a screen, or the backup dialog over the current one. */
export type NavTarget = View | 'backup';

export interface NavEntry {
  target: NavTarget;
  label: MessageKey;
  /** The end-to-end tests click these: never rename one. */
  testid: string;
  icon: IconName;
  /** Shown when the session may take this action... */
  when: Action;
  /** ...in this area of work, which the records open must offer (a shared server offers only some). */
  area: Area;
  /** A longer explanation, shown on hover. */
  hint?: MessageKey;
}

export interface NavGroup {
  id: string;
  title: MessageKey;
  entries: readonly NavEntry[];
}

export const NAV: readonly NavGroup[] = [
  {
    id: 'daily',
    title: 'nav.group.daily',
    entries: [
      { target: 'dashboard', label: 'nav.dashboard', testid: 'nav-dashboard', icon: 'bell', when: 'read_members', area: 'deadlines' },
      { target: 'calendar', label: 'nav.calendar', testid: 'nav-calendar', icon: 'calendar', when: 'read_members', area: 'deadlines' },
    ],
  },
  {
    id: 'people',
    title: 'nav.group.people',
    entries: [{ target: 'members', label: 'nav.members', testid: 'nav-members', icon: 'people', when: 'read_members', area: 'members' }],
  },
  {
    id: 'organisation',
    title: 'nav.group.organisation',
    entries: [
      { target: 'life', label: 'nav.life', testid: 'nav-life', icon: 'flag', when: 'read_members', area: 'meetings' },
      { target: 'dues', label: 'nav.dues', testid: 'nav-dues', icon: 'yuan', when: 'read_members', area: 'dues' },
      { target: 'transfers', label: 'nav.transfers', testid: 'nav-transfers', icon: 'transfer', when: 'read_members', area: 'transfers' },
      { target: 'appraisal', label: 'nav.appraisal', testid: 'nav-appraisal', icon: 'edit', when: 'read_members', area: 'appraisal' },
      // The discipline inspectors' confidential register: no one else sees the entry (the core refuses them anyway).
      { target: 'complaints', label: 'nav.complaints', testid: 'nav-complaints', icon: 'inbox', when: 'handle_complaints', area: 'complaints' },
    ],
  },
  {
    id: 'statistics',
    title: 'nav.group.statistics',
    entries: [{ target: 'statistics', label: 'nav.statistics', testid: 'nav-statistics', icon: 'chart', when: 'read_members', area: 'statistics' }],
  },
  {
    id: 'system',
    title: 'nav.group.system',
    entries: [
      { target: 'users', label: 'nav.users', testid: 'nav-users', icon: 'user', when: 'manage_users', area: 'users' },
      { target: 'audit', label: 'nav.audit', testid: 'nav-audit', icon: 'audit', when: 'read_audit', area: 'audit' },
      { target: 'backup', label: 'nav.backup', testid: 'backup-open', icon: 'backup', when: 'backup', area: 'backup', hint: 'nav.backup_title' },
    ],
  },
];

/** The groups and entries this session may see where the records offer them, in the table's order; a group left
 * empty is dropped. */
export function visibleNav(
  may: (action: Action) => boolean,
  groups: readonly NavGroup[] = NAV,
  offers: (area: Area) => boolean = () => true,
): NavGroup[] {
  return groups
    .map((g) => ({ ...g, entries: g.entries.filter((e) => may(e.when) && offers(e.area)) }))
    .filter((g) => g.entries.length > 0);
}

/** The entry that opens this screen, with its group (for the top bar's title); `null` when none is shown. */
export function entryOf(groups: readonly NavGroup[], view: View): { group: NavGroup; entry: NavEntry } | null {
  for (const group of groups) {
    const entry = group.entries.find((e) => e.target === view);
    if (entry) return { group, entry };
  }
  return null;
}

/** The first screen the menu offers: where a user goes who lost the screen they were on. */
export function firstView(groups: readonly NavGroup[]): View | null {
  for (const group of groups)
    for (const entry of group.entries) if (entry.target !== 'backup') return entry.target;
  return null;
}

/**
 * Where a key moves the focus among `count` entries from `index`: Up and Down step (wrapping round), Home and End
 * go to either end. `null` for any other key, which the menu leaves to the browser.
 */
export function moveFocus(index: number, key: string, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
      return (index + 1) % count;
    case 'ArrowUp':
      return (index - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

// Collapsed to icons or not: the user's choice, kept in this web view's storage like the auto-lock's. Until one is
// made, the menu is collapsed only in a narrow window (`NARROW_WINDOW`), where the screens need its width.
const COLLAPSED_KEY = 'dangan.nav.collapsed';

/** Below this width the menu starts collapsed (the app's minimum is 1024 px; the default window is 1280 px). */
export const NARROW_WINDOW = '(max-width: 1180px)';

/** The user's choice, or `null` while none was made. */
export function loadNavCollapsed(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): boolean | null {
  try {
    const stored = storage?.getItem(COLLAPSED_KEY);
    return stored === 'true' ? true : stored === 'false' ? false : null;
  } catch {
    return null;
  }
}

export function saveNavCollapsed(collapsed: boolean, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(COLLAPSED_KEY, String(collapsed));
  } catch {
    // Not kept; the choice still holds until the app closes.
  }
}
