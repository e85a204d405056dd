/**
 * The document PT NAD POSTs to a webhook for each new attack ("Атаки" message type). Keys and types follow
 * NAD-Alert-Bot's pydantic models (alerts.py: Alert, HostInfo, GeoInfo, AlertInfo): the rule fields carry an
 * `s_` prefix (`s_id` is the sid, `s_g` the gid, `s_pr` the priority 1..4), times are naive UTC ISO strings.
 * GUESS: the path of `flow_url` (the bot only reads its scheme and host); we use `<base>/#/flows/<flow id>`.
 */
import type { AlertRecord, Endpoint, FlowRecord } from '../store/dataset.js';
import { naiveIso } from '../store/gen/time.js';

/** One webhook document. */
export interface AlertWebhookDocument {
  type: 'alert';
  flow_id: string;
  flow_url: string;
  ts_start: string;
  proto: string;
  app_proto: string;
  src: WebhookHost;
  dst: WebhookHost;
  alert: {
    s_id: number;
    s_msg: string;
    s_rev: number;
    s_cls: string;
    s_pr: number;
    s_g: number;
    ts: string;
    tx_id: number;
    to_client: boolean;
    to_server: boolean;
    payload: string;
  };
}

/** An endpoint as the webhook shows it. */
export interface WebhookHost {
  ip: string;
  port: number;
  mac: string | null;
  host_id: string | null;
  geo: {
    location: [number, number] | null;
    country: string | null;
    city: string | null;
    asn: number | null;
    org: string | null;
  } | null;
}

function host(e: Endpoint): WebhookHost {
  const g = e.geo;
  return {
    ip: e.ip,
    port: e.port,
    mac: e.mac,
    host_id: e.host_id,
    geo: g ? { location: g.location, country: g.country, city: g.city, asn: g.asn, org: g.org } : null,
  };
}

/** The webhook document of one alert of a flow; `uiBase` is the appliance's address (`https://nad.local`). */
export function alertDocument(flow: FlowRecord, alert: AlertRecord, uiBase: string): AlertWebhookDocument {
  return {
    type: 'alert',
    flow_id: flow.id,
    flow_url: `${uiBase}/#/flows/${encodeURIComponent(flow.id)}`,
    ts_start: naiveIso(flow.start, flow.start_us),
    proto: flow.proto,
    app_proto: flow.app_proto,
    src: host(flow.src),
    dst: host(flow.dst),
    alert: {
      s_id: alert.sid,
      s_msg: alert.msg,
      s_rev: alert.rev,
      s_cls: alert.cls,
      s_pr: alert.pr,
      s_g: alert.gid,
      ts: naiveIso(alert.ts, alert.ts_us),
      tx_id: alert.tx_id,
      to_client: alert.to_client,
      to_server: alert.to_server,
      payload: alert.payload,
    },
  };
}
