/**
 * Every noun of the command line, in the order `ptnad --help` lists them, with the one-line summary the list
 * shows. Adding a noun is one new file `commands/<noun>.ts` exporting `register(program, runner)`, plus one line
 * here. A noun's module is loaded only when its command runs (or its help is asked for): `ptnad --help` reads
 * this list and nothing else, and `ptnad status` loads status.ts and none of the other noun modules.
 */

import type { Register } from '../action.js';

/** One noun: the top-level command(s) a module declares, with their summaries, and how to load it. */
export interface Noun {
  /** Top-level command name -> the summary shown by `ptnad --help`. */
  summary: Readonly<Record<string, string>>;
  load: () => Promise<{ register: Register }>;
}

/** The nouns (login/logout share a module). */
export const NOUNS: readonly Noun[] = [
  {
    load: () => import('./auth.js'),
    summary: {
      login: 'store a profile: URL, username and (in a 0600 file) the password or key, after a test login',
      logout: "forget the profile's stored password or key",
    },
  },
  { load: () => import('./profiles.js'), summary: { profiles: 'list, select and remove profiles' } },
  {
    load: () => import('./status.js'),
    summary: {
      status:
        'monitoring status and its problems; exit 0 green, 1 yellow, 2 red, 3 unknown (also when --timeout passes)',
    },
  },
  { load: () => import('./triggers.js'), summary: { triggers: 'health triggers' } },
  { load: () => import('./bql.js'), summary: { bql: 'run, check and format BQL queries' } },
  {
    load: () => import('./hunt.js'),
    summary: { hunt: 'run a pack of named hunting filters over a time window; summary per category with hits' },
  },
  { load: () => import('./replists.js'), summary: { replists: 'reputation lists and their items' } },
  { load: () => import('./rules.js'), summary: { rules: 'signature rules and the commit of pending changes' } },
  { load: () => import('./classes.js'), summary: { classes: 'rule classes' } },
  { load: () => import('./groups.js'), summary: { groups: 'IP and port groups (HOME_NET, ...)' } },
  { load: () => import('./sensors.js'), summary: { sensors: 'sensors (ptdpi modules)' } },
  { load: () => import('./sources.js'), summary: { sources: 'storages (live is 2)' } },
  { load: () => import('./hosts.js'), summary: { hosts: 'asset inventory' } },
  { load: () => import('./flows.js'), summary: { flows: 'sessions (flows)' } },
  { load: () => import('./files.js'), summary: { files: 'files carried by flows' } },
  { load: () => import('./exporter.js'), summary: { exporter: 'serve Prometheus metrics (/metrics?target=PROFILE)' } },
  {
    load: () => import('./mcp.js'),
    summary: { mcp: 'run an MCP server over stdio: BQL and hunting tools for AI assistants' },
  },
  {
    load: () => import('./watch.js'),
    summary: {
      watch: 'follow new attacks or flows and forward them (stdout, file, webhook, syslog) with a checkpoint',
    },
  },
  {
    load: () => import('./emulator.js'),
    summary: {
      emulator: 'run the PT NAD emulator in the foreground (flags are passed on; see `ptnad emulator --help`)',
    },
  },
  {
    load: () => import('./demo.js'),
    summary: { demo: 'start an emulator in-process, run the usage query and three hunting filters, print status' },
  },
];
