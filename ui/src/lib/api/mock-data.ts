// Deterministic sample people for the mock backend: Chinese names (with their pinyin initials, which the real
// backend derives itself), student numbers, and procedure histories consistent with the rules.

import type { Category, EventKind, Gender, ProcedureEvent, Stage } from './types';

/** A small seeded PRNG (mulberry32): the same seed gives the same people in every run and test. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Each entry: the character and the initial of its pinyin.
const SURNAMES =
  '王w李l张z刘l陈c杨y黄h赵z吴w周z徐x孙s马m朱z胡h郭g何h林l罗l高g郑z梁l谢x宋s唐t许x韩h冯f邓d曹c彭p曾z田t董d潘p袁y蔡c蒋j余y于y杜d叶y程c魏w苏s吕l丁d任r沈s姚y卢l傅f钟z姜j崔c谭t廖l范f汪w陆l金j石s戴d贾j韦w夏x邱q方f侯h邹z熊x孟m秦q白b江j尹y段d雷l黎l史s龙l陶t贺h顾g毛m郝h龚g邵s万w钱q严y武w欧o';
const GIVEN =
  '伟w芳f娜n敏m静j丽l强q磊l军j洋y勇y艳y杰j娟j涛t明m超c秀x霞x平p刚g文w华h建j国g玉y红h丹d萍p鹏p辉h宇y浩h欣x然r梓z涵h子z轩x怡y晨c雨y思s佳j嘉j俊j博b睿r诗s琪q晓x婷t雪x慧h颖y鑫x凯k斌b宁n昊h哲z瑞r泽z一y心x安a乐l航h铭m阳y天t悦y彤t琳l蕾l璐l倩q婧j楠n卓z远y';

function pairs(s: string): [string, string][] {
  const chars = [...s];
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < chars.length; i += 2) out.push([chars[i]!, chars[i + 1]!]);
  return out;
}

const SURNAME_PAIRS = pairs(SURNAMES);
const GIVEN_PAIRS = pairs(GIVEN);
const INITIAL_OF = new Map<string, string>([...SURNAME_PAIRS, ...GIVEN_PAIRS, ['三', 's'], ['四', 's'], ['五', 'w']]);

/** Pinyin initials of a name made of the characters above (`张三` → `zs`); unknown characters are skipped. */
export function pinyinInitials(name: string): string {
  return [...name].map((c) => INITIAL_OF.get(c) ?? '').join('');
}

const ETHNICITIES = ['汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '回族', '满族', '壮族', '蒙古族', '土家族', '苗族'];
const PLACES = ['北京', '上海', '天津', '河北石家庄', '山东济南', '江苏南京', '浙江杭州', '湖北武汉', '湖南长沙', '四川成都', '广东广州', '陕西西安', '河南郑州', '安徽合肥', '福建福州'];

export interface SampleEvent {
  kind: EventKind;
  date: string;
  months: number | null;
  note: string | null;
}

export interface SamplePerson {
  name: string;
  gender: Gender;
  ethnicity: string;
  birth_date: string;
  student_no: string;
  category: Category;
  class_name: string | null;
  phone: string;
  native_place: string;
  events: SampleEvent[];
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Adds whole months and days to a `YYYY-MM-DD` date. */
export function addToDate(iso: string, months: number, days = 0): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(dt.getUTCFullYear(), dt.getUTCMonth() + 1, 0)).getUTCDate();
  dt.setUTCDate(Math.min(d, lastDay));
  dt.setUTCDate(dt.getUTCDate() + days);
  return `${dt.getUTCFullYear()}-${pad(dt.getUTCMonth() + 1)}-${pad(dt.getUTCDate())}`;
}

// The typical path through the procedure: each step's kind and its distance in months (and up to `jitter` days)
// after the previous step. The real rules live in dangan-core; this only has to look plausible and obey them.
const PATH: { kind: EventKind; months: number; jitter: number }[] = [
  { kind: 'application_received', months: 0, jitter: 0 },
  { kind: 'applicant_talk', months: 0, jitter: 25 },
  { kind: 'activist_determined', months: 4, jitter: 60 },
  { kind: 'contacts_assigned', months: 0, jitter: 14 },
  { kind: 'candidate_determined', months: 13, jitter: 60 },
  { kind: 'political_review', months: 1, jitter: 20 },
  { kind: 'centralised_training', months: 1, jitter: 10 },
  { kind: 'prereview_passed', months: 1, jitter: 10 },
  { kind: 'admitted', months: 1, jitter: 10 },
  { kind: 'admission_approved', months: 1, jitter: 20 },
  { kind: 'oath', months: 0, jitter: 20 },
  { kind: 'conversion_meeting', months: 11, jitter: 20 },
  { kind: 'conversion_approved', months: 1, jitter: 20 },
];

/** How many steps of PATH a person at each stage has passed. */
const STEPS_FOR_STAGE: Record<Stage, number> = {
  applicant: 2,
  activist: 4,
  candidate: 8,
  probationary: 11,
  full_member: 13,
};

/**
 * How far back, at most, a history may start beyond its own span. Short for candidates and probationary members,
 * so that most of them are on time and the dashboard shows a plausible handful of overdue steps, not a wall.
 */
const BACKDATE_MONTHS: Record<Stage, number> = {
  applicant: 18,
  activist: 18,
  candidate: 2,
  probationary: 10,
  full_member: 18,
};

const STAGE_WEIGHTS: [Stage, number][] = [
  ['applicant', 0.3],
  ['activist', 0.3],
  ['candidate', 0.12],
  ['probationary', 0.13],
  ['full_member', 0.15],
];

function pickStage(r: () => number): Stage {
  let x = r();
  for (const [s, w] of STAGE_WEIGHTS) {
    if (x < w) return s;
    x -= w;
  }
  return 'full_member';
}

/**
 * One generated person. `branchIndex` picks the class and number series, so that branches look different.
 * Dates end before `today`.
 */
export function samplePerson(r: () => number, seq: number, branchIndex: number, today: string, fixedName?: string): SamplePerson {
  const surname = SURNAME_PAIRS[Math.floor(r() * SURNAME_PAIRS.length)]![0];
  const givenLen = r() < 0.6 ? 2 : 1;
  let given = '';
  for (let i = 0; i < givenLen; i++) given += GIVEN_PAIRS[Math.floor(r() * GIVEN_PAIRS.length)]![0];
  const name = fixedName ?? surname + given;
  const gender: Gender = r() < 0.5 ? 'male' : 'female';
  const teacher = branchIndex === 2 && r() < 0.25;
  const category: Category = teacher ? 'teacher' : 'student';
  const entry = 2019 + Math.floor(r() * 6);
  const student_no = teacher ? `T${pad(1000 + seq, 5)}` : `${entry}${branchIndex + 1}${pad(seq % 100000, 5)}`;
  const birthYear = teacher ? 1980 + Math.floor(r() * 12) : entry - 18 - Math.floor(r() * 2);
  const birth_date = `${birthYear}-${pad(1 + Math.floor(r() * 12))}-${pad(1 + Math.floor(r() * 28))}`;

  const stage = pickStage(r);
  // Candidates stand anywhere between being determined and the pre-review, so their next steps vary.
  const steps = stage === 'candidate' ? 5 + Math.floor(r() * 4) : STEPS_FOR_STAGE[stage];
  // Work out the span of the path first, then start far enough back that the last step is before today.
  const offsets = PATH.slice(0, steps).map((p) => ({ ...p, days: Math.floor(r() * (p.jitter + 1)) }));
  const spanMonths = offsets.reduce((a, p) => a + p.months, 0) + Math.ceil(offsets.reduce((a, p) => a + p.days, 0) / 30) + 1;
  let date = addToDate(today, -(spanMonths + Math.floor(r() * BACKDATE_MONTHS[stage])));
  const events: SampleEvent[] = [];
  let admitted = '';
  for (const p of offsets) {
    date = addToDate(date, p.months, p.days);
    // 党章第七条: the probation lasts a full year from the branch meeting, whatever month-end rounding did.
    if (p.kind === 'conversion_meeting' && date < addToDate(admitted, 12)) date = addToDate(admitted, 12, p.days);
    if (p.kind === 'admitted') admitted = date;
    events.push({ kind: p.kind, date, months: null, note: null });
  }
  if (stage === 'probationary' && r() < 0.1) {
    events.push({ kind: 'probation_extended', date: addToDate(date, 0, 10), months: 6, note: '支部大会决定延长预备期' });
  }
  if ((stage === 'applicant' || stage === 'activist') && r() < 0.04) {
    events.push({ kind: 'membership_ended', date: addToDate(date, 2), months: null, note: '本人申请撤回' });
  }
  addRecurring(r, events, today);
  if (stage === 'applicant' && r() < 0.3) {
    // A recent application still waiting for its talk: 细则第七条 gives a month.
    events.splice(0, events.length, { kind: 'application_received', date: addToDate(today, 0, -Math.floor(r() * 40)), months: null, note: null });
  }
  const cls = teacher ? null : `${['计科', '软工', '网安', '数据'][branchIndex % 4]}${String(entry).slice(2)}${1 + Math.floor(r() * 4)}班`;
  return {
    name,
    gender,
    ethnicity: ETHNICITIES[Math.floor(r() * ETHNICITIES.length)]!,
    birth_date,
    student_no,
    category,
    class_name: cls,
    phone: `1${3 + Math.floor(r() * 6)}${pad(Math.floor(r() * 1e9), 9)}`,
    native_place: PLACES[Math.floor(r() * PLACES.length)]!,
    events: events.filter((e) => e.date <= today),
  };
}

export function toProcedureEvents(events: SampleEvent[], nextId: () => number): ProcedureEvent[] {
  return events.map((e) => ({ id: nextId(), kind: e.kind, date: e.date, months: e.months, note: e.note }));
}

/**
 * The steps that repeat (培养教育考察 every six months, 思想汇报 every quarter) and the 发展对象公示 before a candidate
 * is determined, added to a history so that the mock's deadlines look like an office's: mostly on time, some behind.
 */
function addRecurring(r: () => number, events: SampleEvent[], today: string): void {
  const at = (kind: EventKind) => events.find((e) => e.kind === kind)?.date;
  const activist = at('activist_determined');
  if (!activist) return;
  const candidate = at('candidate_determined');
  const converted = at('conversion_approved');
  const last = at('membership_ended') ?? today;
  const add = (kind: EventKind, date: string) => events.push({ kind, date, months: null, note: null });
  for (let k = 1; ; k++) {
    const d = addToDate(activist, 6 * k, Math.floor(r() * 10));
    if (d > last || (candidate !== undefined && d >= candidate)) break;
    add('activist_review', d);
  }
  const reports: string[] = [];
  for (let k = 1; ; k++) {
    const d = addToDate(activist, 3 * k, Math.floor(r() * 10));
    if (d > last || (converted !== undefined && d >= converted)) break;
    reports.push(d);
  }
  // Some people still in the procedure are behind with their latest report.
  if (converted === undefined && reports.length > 1 && r() < 0.12) reports.pop();
  for (const d of reports) add('thought_report', d);
  if (candidate) {
    add('candidate_publicity', addToDate(candidate, 0, -8));
  } else if (last === today && addToDate(activist, 12) <= today && r() < 0.25) {
    add('candidate_publicity', addToDate(today, 0, -Math.floor(r() * 9)));
  }
}
