/**
 * Appliance-side collections: IP and port groups (variables), sensors, storages (the live one plus saved cases
 * holding subsets of the flows) and monitoring triggers (the real trigger ids, a few yellow or red by seed).
 */
import type { FlowRecord, RuleRecord, SensorRecord, StorageRecord, TriggerRecord, VariableRecord } from '../types.js';
import type { GeneratedFlows } from './flows.js';
import type { Rng } from './random.js';
import { DAY, HOUR, isoZ, naiveIso } from './time.js';

/** The `$HTTP_PORTS` group's value (Suricata's default list). */
export const HTTP_PORTS =
  '[36,80,81,82,83,84,85,86,87,88,89,90,311,383,555,591,593,631,801,808,818,901,972,1158,1220,1414,1533,1741,1830,1942,2231,2301,2381,2578,2809,2980,3029,3037,3057,3128,3443,3702,4000,4343,4848,5000,5117,5250,5600,5814,6080,6173,6988,7000,7001,7005,7071,7144,7145,7510,7770,7777,7778,7779,8000,8001,8008,8014,8015,8020,8028,8040,8080,8081,8082,8085,8088,8090,8118,8123,8180,8181,8182,8222,8243,8280,8300,8333,8344,8400,8443,8500,8509,8800,8888,8899,8983,9000,9060,9080,9090,9091,9111,9290,9443,9447,9710,9788,9999,10000,11371,12601,13014,15489,19980,29991,33300,34412,34443,34444,40007,41080,44449,50000,50002,51423,53331,55252,55555,56712]';

const VARIABLES: ReadonlyArray<readonly [string, 'ip' | 'port', string, string]> = [
  ['HOME_NET', 'ip', '[10.0.0.0/8,192.168.0.0/16,172.16.0.0/12]', 'Protected networks'],
  ['EXTERNAL_NET', 'ip', '!$HOME_NET', 'Everything outside HOME_NET'],
  ['DNS_SERVERS', 'ip', '[10.0.0.10,10.0.0.11]', 'Domain controllers serving DNS'],
  ['AD_SERVERS', 'ip', '[10.0.0.10,10.0.0.11]', 'Active Directory domain controllers'],
  ['SMTP_SERVERS', 'ip', '[10.0.1.25]', 'Mail relay'],
  ['HTTP_SERVERS', 'ip', '[10.0.3.80,10.0.3.81,10.0.5.3]', 'Internal web servers'],
  ['SQL_SERVERS', 'ip', '[10.0.4.50]', ''],
  ['FILE_SERVERS', 'ip', '[10.0.2.20,10.0.2.21]', ''],
  ['TELNET_SERVERS', 'ip', '[10.0.254.1,10.0.254.2]', 'Network equipment with telnet management'],
  ['SSH_SERVERS', 'ip', '$HOME_NET', ''],
  ['HTTP_PORTS', 'port', HTTP_PORTS, ''],
  ['SHELLCODE_PORTS', 'port', '!80', ''],
  ['ORACLE_PORTS', 'port', '1521', ''],
  ['SSH_PORTS', 'port', '[22,2222]', ''],
  ['FTP_PORTS', 'port', '[21,2100,3535]', ''],
  ['FILE_DATA_PORTS', 'port', '[$HTTP_PORTS,110,143]', ''],
  ['DNP3_PORTS', 'port', '20000', ''],
  ['MODBUS_PORTS', 'port', '502', ''],
  ['GENEVE_PORTS', 'port', '6081', ''],
  ['VXLAN_PORTS', 'port', '4789', ''],
  ['TEREDO_PORTS', 'port', '3544', ''],
];

/** The IP and port groups (ids from 1). */
export function generateVariables(now: number): VariableRecord[] {
  const created = isoZ(now - 400 * DAY);
  return VARIABLES.map(([name, type, value, comment], i) => ({
    id: i + 1,
    name,
    type,
    value,
    comment,
    created,
    modified: created,
  }));
}

/** Two sensors; one with a slightly older rule package. */
export function generateSensors(rng: Rng, rules: RuleRecord[], now: number): SensorRecord[] {
  const enabled = rules.filter((r) => r.enabled).length;
  return [1, 2].map((id) => ({
    id,
    name: id === 1 ? 'sensor' : 'sensor-dmz',
    hostname: id === 1 ? 'nad-sensor-01.corp.local' : 'nad-sensor-02.corp.local',
    ip: id === 1 ? '10.0.7.11' : '10.0.7.12',
    status: 'green' as const,
    version: '12.2.2461',
    interfaces: id === 1 ? ['ens192', 'ens224'] : ['ens192'],
    rules_count: enabled - (id === 2 ? rng.int(0, 5) : 0),
    rules_hashsum: rng.chars('0123456789abcdef', 40),
    filters: id === 1 ? [] : ['not vlan 100'],
    last_seen: isoZ(now - rng.int(1, 59) * 1000),
  }));
}

const SAVED: ReadonlyArray<readonly [number, string, string, number]> = [
  [12, 'Persist_demo', 'Flows saved from the live storage', 0.01],
  [19, 'Case_2.1', 'Incident 2.1: TOR and remote access', 0.004],
  [23, 'Case_2.6', 'Incident 2.6: malware download and lateral movement', 0.006],
];

/** The live storage (id 2) and three saved cases holding subsets of the flows. */
export function generateStorages(rng: Rng, generated: GeneratedFlows, now: number): StorageRecord[] {
  const { flows, withFiles } = generated;
  const first = flows[0]?.start ?? now - 7 * DAY;
  const files = (list: FlowRecord[]) => list.reduce((n, f) => n + f.files.length, 0);
  const volume = (list: FlowRecord[]) => list.reduce((n, f) => n + f.bytes.total, 0);
  const live: StorageRecord = {
    id: 2,
    name: 'Live',
    description: 'Live traffic',
    start: naiveIso(first),
    end: naiveIso(now),
    last_import: naiveIso(now),
    created: naiveIso(now - 400 * DAY),
    modified: naiveIso(now),
    files_count: generated.fileCount,
    volume: generated.volume,
    is_live: true,
    username: 'administrator',
    flowIds: null,
  };
  // 1 where a flow already belongs to an offline case (its `stag` is set): the draws below read these bytes and the
  // facts the generator gathered, and only the picked flows themselves.
  const tagged = new Uint8Array(flows.length);
  const saved = SAVED.map(([id, name, description, share]): StorageRecord => {
    const offline = name.startsWith('Case_');
    const picked: FlowRecord[] = [];
    for (let i = 0; i < flows.length; i++) {
      if (tagged[i] === 0 && (rng.chance(share) || (withFiles[i] === 1 && rng.chance(share * 10)))) {
        picked.push(flows[i] as FlowRecord);
        // Flows of an offline case carry its tag and live in its own index, as the fixtures show ("Case_2.6",
        // "offline-000023"); their files too.
        if (offline) tagged[i] = 1;
      }
    }
    if (offline) for (const f of picked) tagOffline(f, name, `offline-${String(id).padStart(6, '0')}`);
    const s = picked[0]?.start ?? first;
    const e = picked[picked.length - 1]?.end ?? first;
    const created = now - rng.int(1, 5) * DAY;
    return {
      id,
      name,
      description,
      start: naiveIso(s),
      end: naiveIso(e),
      last_import: naiveIso(created + HOUR),
      created: naiveIso(created),
      modified: naiveIso(created + HOUR),
      files_count: files(picked),
      volume: volume(picked),
      is_live: false,
      username: 'administrator',
      flowIds: picked.map((f) => f.id),
    };
  });
  return [live, ...saved];
}

function tagOffline(flow: FlowRecord, stag: string, index: string): void {
  flow.stag = stag;
  flow._index = index;
  for (const file of flow.files) {
    file.stag = stag;
    file._index = index;
    file._ndx = index;
  }
}

const SENSOR_TRIGGERS = [
  'ptdpistat_unavailable',
  'ptdpi-worker@ad_unavailable',
  'ptdpi-worker@alert_unavailable',
  'ptdpi-worker@hosts_unavailable',
  'ptdpi-worker@icap_unavailable',
  'ptdpi-worker@mpx_unavailable',
  'nad-mpx-reader_unavailable',
  'ptdpi-worker@notifier_unavailable',
  'mgmt-client_unavailable',
  'ptdpi_unavailable',
  'no_traffic',
  'capture_drops',
  'dpi_resource[sensor][defrag.memuse]',
  'dpi_resource[sensor][file_reassembler.memuse]',
  'dpi_resource[sensor][files.disk_used]',
  'dpi_resource[sensor][flow.memuse]',
  'dpi_resource[sensor][host.memuse]',
  'dpi_resource[sensor][ippair.memuse]',
  'dpi_resource[sensor][pcap.buf.memuse]',
  'dpi_resource[sensor][segment.memuse]',
  'pcap_drops',
  'pcap_io_error',
];
const CORE_TRIGGERS = [
  'ptdpi-broker_unavailable',
  'ptdpi-worker@es_unavailable',
  'ptdpi-worker@dns_unavailable',
  'nad-reporter_unavailable',
  'pyfpta_unavailable',
  'task-server_unavailable',
  'mgmt-server_unavailable',
  'elastic_unavailable',
  'elastic_status',
  'elastic_freespace',
  'es_drops',
];

/** The real trigger ids (§4.2); by seed two or three are yellow and sometimes one is red. */
export function generateTriggers(rng: Rng, now: number): TriggerRecord[] {
  const ids = [
    ...CORE_TRIGGERS,
    ...SENSOR_TRIGGERS.map((t) => (t.startsWith('dpi_resource') ? t : `${t}[sensor]`)),
    'updates[PTSecurity]',
  ];
  const yellow = new Set([
    rng.pick(['capture_drops[sensor]', 'pcap_drops[sensor]', 'es_drops']),
    rng.pick(['elastic_freespace', 'dpi_resource[sensor][flow.memuse]']),
  ]);
  const red = rng.chance(0.5) ? rng.pick(['updates[PTSecurity]', 'no_traffic[sensor]']) : null;
  return ids.map((id): TriggerRecord => {
    const status = id === red ? 'red' : yellow.has(id) ? 'yellow' : 'green';
    const { template, vars } = templateFor(id, status, rng);
    return {
      id,
      type: id.startsWith('updates') ? 'updates' : 'stats',
      status,
      template,
      vars,
      updated: isoZ(now - rng.int(1, 3600) * 1000, rng.int(0, 999)),
    };
  });
}

function templateFor(
  id: string,
  status: string,
  rng: Rng,
): { template: string; vars: Record<string, string | number> } {
  const sensor = id.includes('[sensor]') ? 'sensor' : '';
  if (id.startsWith('updates'))
    return {
      template: 'Signature updates from {vendor}: last update {days} days ago',
      vars: { vendor: 'PTSecurity', days: status === 'red' ? rng.int(8, 30) : 0 },
    };
  if (id.includes('drops'))
    return {
      template: 'Packet drops {percent}% on {sensor}',
      vars: { percent: status === 'green' ? 0 : rng.int(3, 15), sensor: sensor || 'elastic' },
    };
  if (id.includes('freespace') || id.includes('memuse') || id.includes('disk_used'))
    return {
      template: 'Resource {resource} usage {percent}%',
      vars: { resource: id, percent: status === 'green' ? rng.int(10, 60) : rng.int(85, 97) },
    };
  if (id.startsWith('no_traffic')) return { template: 'Sensor {sensor} has no traffic', vars: { sensor: 'sensor' } };
  return {
    template: 'Service {service} is {state}',
    vars: {
      service: id.replace(/_unavailable.*$|_status$/, ''),
      state: status === 'green' ? 'running' : 'unavailable',
    },
  };
}
