/**
 * Detection rules: the fixed templates of rules-catalog.ts plus a few hundred generated ETOpen and PTSecurity
 * rules, each with Snort-style rule text, the shared signature block alerts carry, and seeded state flags.
 */
import type { AlertSignature, ClassRecord, RuleRecord } from '../types.js';
import type { Rng } from './random.js';
import { ET_CATEGORIES, ET_SUBJECTS, ET_SUFFIXES, FIXED_RULES, PT_CATEGORIES, PT_SUBJECTS } from './rules-catalog.js';
import { DAY, isoZ } from './time.js';

/** The rules plus an index by scenario tag (`tor`, `c2`, `smb`, ...), for picking alerts. */
export interface RuleSet {
  rules: RuleRecord[];
  byTag: Map<string, RuleRecord[]>;
}

const GENERATED_ET = 260;
const GENERATED_PT = 110;

const ATTACK_IDS = ['T1071', 'T1059', 'T1021', 'T1110', 'T1190', 'T1046', 'T1572', 'T1090', 'T1105', 'T1003', 'T1558'];

/** Builds the rule set (sorted by sid). */
export function generateRules(rng: Rng, classes: readonly ClassRecord[], now: number): RuleSet {
  const classByName = new Map(classes.map((c) => [c.name, c]));
  const rules: RuleRecord[] = [];
  const byTag = new Map<string, RuleRecord[]>();
  const seenSid = new Set<number>();
  const seenMsg = new Set<string>();

  const add = (sid: number, msg: string, classtype: string, tag: string, proto: string, ports: string, pr?: number) => {
    if (seenSid.has(sid) || seenMsg.has(msg)) return;
    const cls = classByName.get(classtype);
    if (cls === undefined) throw new Error(`rule ${sid}: unknown classtype ${classtype}`);
    seenSid.add(sid);
    seenMsg.add(msg);
    const rule = makeRule(rng, { sid, msg, cls, proto, ports, priority: pr ?? cls.priority, now });
    rules.push(rule);
    const list = byTag.get(tag);
    if (list) list.push(rule);
    else byTag.set(tag, [rule]);
  };

  for (const [sid, msg, classtype, tag, proto, ports, pr] of FIXED_RULES)
    add(sid, msg, classtype, tag, proto, ports, pr);
  let sid = 2030000;
  for (let i = 0; i < GENERATED_ET * 3 && rules.length < FIXED_RULES.length + GENERATED_ET; i++) {
    const [cat, classtype, tag] = rng.pick(ET_CATEGORIES);
    const msg = `${cat} ${rng.pick(ET_SUBJECTS)} ${rng.pick(ET_SUFFIXES)}`;
    sid += rng.int(1, 40);
    add(sid, msg, classtype, tag, 'tcp', tag === 'dns' ? '53' : '$HTTP_PORTS');
  }
  sid = 10010000;
  const target = rules.length + GENERATED_PT;
  for (let i = 0; i < GENERATED_PT * 3 && rules.length < target; i++) {
    const [cat, classtype, tag] = rng.pick(PT_CATEGORIES);
    const msg = `${cat} [PTsecurity] ${rng.pick(PT_SUBJECTS)}${rng.chance(0.4) ? ` (variant ${rng.int(2, 9)})` : ''}`;
    sid += rng.int(1, 25);
    add(sid, msg, classtype, tag, 'tcp', 'any');
  }
  rules.sort((a, b) => a.sid - b.sid);
  return { rules, byTag };
}

interface RuleSpec {
  sid: number;
  msg: string;
  cls: ClassRecord;
  proto: string;
  ports: string;
  priority: number;
  now: number;
}

function makeRule(rng: Rng, spec: RuleSpec): RuleRecord {
  const { sid, msg, cls, proto, ports, priority, now } = spec;
  const vendor = sid >= 10_000_000 ? 'PTSecurity' : 'ETOpen';
  const rev = rng.int(1, 9);
  const outbound = rng.chance(0.7);
  // A few rules name concrete networks, so that the rules filter `client`/`server` (an IP) has something to hit.
  const literal = rng.chance(0.05) ? `[${rng.int(23, 217)}.${rng.int(0, 255)}.${rng.int(0, 255)}.0/24]` : null;
  const src_adr = outbound ? '$HOME_NET' : (literal ?? '$EXTERNAL_NET');
  const dst_adr = outbound ? (literal ?? '$EXTERNAL_NET') : '$HOME_NET';
  const enabled = rng.chance(0.92);
  const action = rng.weighted<RuleRecord['action']>([
    ['alert', 90],
    ['drop', 6],
    ['pass', 3],
    ['reject', 1],
  ]);
  const content = contentFor(msg);
  const rule =
    `${action} ${proto} ${src_adr} any -> ${dst_adr} ${ports} (msg:"${msg}"; flow:established,to_server; ` +
    `content:"${content}"; nocase; classtype:${cls.name}; sid:${sid}; rev:${rev}; ` +
    `metadata:created_at ${dateOnly(now - rng.int(200, 2000) * DAY)};)`;
  const created = now - rng.int(60, 1500) * DAY;
  const modified = Math.min(now - DAY, created + rng.int(0, 50) * DAY);
  const signature: AlertSignature = {
    vendor,
    rule,
    description: {
      name: msg,
      attack_target: outbound ? 'client' : 'server',
      description: `Detects ${msg.replace(/^\S+ (\[PTsecurity\] )?/, '').toLowerCase()}.`,
      recommendation:
        'Check the hosts involved and the session payload; isolate the host if the activity is unexpected.',
      malware_family: cls.name === 'trojan-activity' || cls.name === 'command-and-control' ? familyOf(msg) : null,
      attack_flag: cls.priority <= 2,
      disabled: !enabled,
      affected_os: rng.chance(0.5) ? ['Windows'] : ['Windows', 'Linux'],
      affected_soft: [],
      'att&ck': [rng.pick(ATTACK_IDS)],
      creation_date: dateOnly(created),
      last_modified_date: dateOnly(modified),
      performance_impact: rng.pick(['low', 'low', 'medium']),
      ruleset: vendor === 'PTSecurity' ? 'ptsecurity' : 'emerging-threats',
    },
  };
  return {
    sid,
    gid: 1,
    rev,
    msg,
    vendor,
    cls: cls.title,
    classtype: cls.name,
    priority,
    enabled,
    action,
    rule,
    src_adr,
    dst_adr,
    has_redef: rng.chance(0.03),
    has_exceptions: rng.chance(0.04),
    has_error: false,
    diff: rng.weighted<RuleRecord['diff']>([
      ['=', 90],
      ['*', 6],
      ['+', 4],
    ]),
    created: isoZ(created),
    modified: isoZ(modified),
    signature,
  };
}

function contentFor(msg: string): string {
  const words = msg
    .replace(/\[PTsecurity\]/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 3);
  return (words[1] ?? words[0] ?? 'data').toLowerCase();
}

function familyOf(msg: string): string | null {
  for (const s of ET_SUBJECTS) if (msg.includes(s)) return s;
  if (msg.includes('Cobalt Strike')) return 'CobaltStrike';
  if (msg.includes('Meterpreter')) return 'Meterpreter';
  return null;
}

function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
