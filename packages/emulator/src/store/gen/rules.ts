/**
 * Detection rules: the real rules of rules-real.ts, the catalogue of rules-catalog.ts, and generated ETOpen rules
 * (one per malware family and kind of evidence) and PT rules (one per technique). Each record carries its rule
 * text in the vendor's real format and the signature block alerts show; the set keeps each rule's parsed header
 * so that alerts are only attached to flows the rule fits.
 */
import type { AlertSignature, ClassRecord, FlowRecord, RuleRecord } from '../types.js';
import type { Rng } from './random.js';
import { headerFits, parseHeader, type RuleDef, type RuleHeader } from './rule-def.js';
import { CATALOG_PT_RULES } from './rules-catalog.js';
import { CATALOG_ET_RULES } from './rules-catalog-et.js';
import { REAL_ET_RULES, REAL_PT_RULES } from './rules-real.js';
import { ET_EVIDENCE, ET_FAMILIES, PT_TECHNIQUES } from './rules-vocabulary.js';
import { DAY, isoZ } from './time.js';

/** Where a rule fires: its parsed header and definition. */
export interface RuleFit {
  header: RuleHeader;
  def: RuleDef;
}

/** The rules, an index by scenario tag, and each rule's fit. */
export interface RuleSet {
  rules: RuleRecord[];
  byTag: Map<string, RuleRecord[]>;
  fit: Map<number, RuleFit>;
}

/** True when the rule can fire on the flow (protocol, networks, ports and direction of its header). */
export function ruleFits(set: RuleSet, rule: RuleRecord, flow: FlowRecord): boolean {
  const f = set.fit.get(rule.sid);
  return f !== undefined && headerFits(f.header, f.def.dir, flow);
}

/** Builds the rule set (sorted by sid). */
export function generateRules(rng: Rng, classes: readonly ClassRecord[], now: number): RuleSet {
  const classByName = new Map(classes.map((c) => [c.name, c]));
  const rules: RuleRecord[] = [];
  const byTag = new Map<string, RuleRecord[]>();
  const fit = new Map<number, RuleFit>();
  const seenMsg = new Set<string>();

  const add = (d: RuleDef) => {
    if (fit.has(d.sid) || seenMsg.has(d.msg)) throw new Error(`duplicate rule ${d.sid} ${d.msg}`);
    const cls = classByName.get(d.classtype);
    if (cls === undefined) throw new Error(`rule ${d.sid}: unknown classtype ${d.classtype}`);
    seenMsg.add(d.msg);
    const rule = makeRule(rng, d, cls, now);
    rules.push(rule);
    fit.set(d.sid, { header: parseHeader(d.header), def: d });
    const list = byTag.get(d.tag);
    if (list) list.push(rule);
    else byTag.set(d.tag, [rule]);
  };

  for (const d of [...REAL_PT_RULES, ...REAL_ET_RULES, ...CATALOG_PT_RULES, ...CATALOG_ET_RULES]) add(d);
  let sid = 2030000;
  for (const [category, family] of ET_FAMILIES) {
    for (const [suffix, classtype, header, dir, detect, tag] of ET_EVIDENCE) {
      if (!rng.chance(0.85)) continue;
      sid += rng.int(1, 60);
      const year = rng.int(2019, 2024);
      const date = `${year}_${pad(rng.int(1, 12))}_${pad(rng.int(1, 28))}`;
      add({
        sid,
        rev: rng.int(1, 4),
        msg: `${category} ${family} ${suffix}`,
        classtype: category === 'ET PHISHING' ? 'social-engineering' : classtype,
        header,
        dir,
        target: 'client',
        detect,
        tag: category === 'ET PHISHING' ? 'phishing' : tag,
        created: date,
        updated: date,
        family: category === 'ET PHISHING' ? undefined : family,
      });
    }
  }
  sid = 10010000;
  for (const [msg, classtype, header, dir, target, tag] of PT_TECHNIQUES) {
    sid += rng.int(1, 25);
    add({
      sid,
      rev: rng.int(1, 4),
      msg,
      classtype,
      header,
      dir,
      target,
      detect: `flow:established,${dir};`,
      tag,
      created: '2022_04_11',
      updated: '2024_03_28',
    });
  }
  rules.sort((a, b) => a.sid - b.sid);
  return { rules, byTag, fit };
}

const pad = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** The rule text in the vendor's format: PT puts sid/rev/msg first and one `metadata:` per key. */
function ruleText(d: RuleDef, vendor: 'PTSecurity' | 'ETOpen', action: string): string {
  if (d.text !== undefined) return d.text;
  if (vendor === 'PTSecurity') {
    const ref = d.reference ? ` reference:${d.reference};` : '';
    return (
      `${action} ${d.header} (sid:${d.sid}; rev:${d.rev}; msg:"${d.msg}"; classtype:${d.classtype}; ${d.detect} ` +
      `metadata:created_at ${d.created}; metadata:updated_at ${d.updated}; metadata:attack_target ${d.target};${ref})`
    );
  }
  const ref = d.reference ? `reference:${d.reference}; ` : '';
  return (
    `${action} ${d.header} (msg:"${d.msg}"; ${d.detect} ${ref}reference:url,doc.emergingthreats.net/${d.sid}; ` +
    `classtype:${d.classtype}; sid:${d.sid}; rev:${d.rev}; metadata:created_at ${d.created}, updated_at ${d.updated};)`
  );
}

const isoDate = (d: string): string => d.replaceAll('_', '-');

function makeRule(rng: Rng, d: RuleDef, cls: ClassRecord, now: number): RuleRecord {
  const vendor = d.sid >= 10_000_000 ? 'PTSecurity' : 'ETOpen';
  // Rules that back public filters or planted scenarios stay enabled alerting rules.
  const planted = d.sid < 2_030_000 || (d.sid >= 10_000_000 && d.sid < 10_010_000);
  const enabled = d.enabled ?? (planted || rng.chance(0.92));
  const action: RuleRecord['action'] = planted
    ? 'alert'
    : rng.weighted<RuleRecord['action']>([
        ['alert', 94],
        ['drop', 4],
        ['pass', 2],
      ]);
  const rule = ruleText(d, vendor, action);
  const h = parseHeader(d.header);
  const created = Math.min(Date.parse(isoDate(d.created)), now - DAY);
  const modified = Math.min(Math.max(created, Date.parse(isoDate(d.updated))), now - DAY);
  const windows = !/\b(ssh|ftp|dns|tls)\b/.test(h.proto) && !d.msg.includes('Linux') && !d.msg.includes('Android');
  const signature: AlertSignature = {
    vendor,
    rule,
    description: {
      name: null,
      attack_target: d.target,
      description: vendor === 'PTSecurity' ? `${describe(d.msg)}.` : null,
      recommendation: vendor === 'PTSecurity' ? RECOMMENDATION : null,
      malware_family: d.family ?? null,
      attack_flag: cls.priority <= 2,
      disabled: !enabled,
      affected_os: d.msg.includes('Android')
        ? ['Android']
        : d.msg.includes('Linux')
          ? ['Linux']
          : windows && d.attck
            ? ['Windows']
            : [],
      affected_soft: [],
      'att&ck': d.attck ?? null,
      creation_date: vendor === 'ETOpen' ? isoDate(d.created) : null,
      last_modified_date: vendor === 'ETOpen' ? isoDate(d.updated) : null,
      performance_impact: null,
      ruleset: null,
    },
  };
  return {
    sid: d.sid,
    gid: 1,
    rev: d.rev,
    msg: d.msg,
    vendor,
    cls: cls.title,
    classtype: cls.name,
    priority: d.priority ?? cls.priority,
    enabled,
    action,
    rule,
    src_adr: h.src,
    dst_adr: h.dst,
    has_redef: !planted && rng.chance(0.03),
    has_exceptions: rng.chance(0.04),
    has_error: false,
    diff: planted
      ? '='
      : rng.weighted<RuleRecord['diff']>([
          ['=', 90],
          ['*', 6],
          ['+', 4],
        ]),
    created: isoZ(created),
    modified: isoZ(modified),
    signature,
  };
}

const RECOMMENDATION =
  'Find out which host initiated the activity and whether it is expected. If it is not, check the host for ' +
  'signs of compromise and review the other sessions of the hosts involved.';

function describe(msg: string): string {
  const what = msg.replace(/^[A-Z ]+\[PTsecurity\] /, '');
  return `The rule detects network activity matching "${what}"`;
}
