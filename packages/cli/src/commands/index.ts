/**
 * Every noun of the command line, in the order `ptnad --help` lists them. Adding a noun is one new file
 * `commands/<noun>.ts` exporting `register(program, runner)`, plus one line here.
 * The modules are light at import: they load the SDK, the BQL toolkit and the emulator only when a command runs.
 */

import type { Register } from '../action.js';
import { register as auth } from './auth.js';
import { register as bql } from './bql.js';
import { register as classes } from './classes.js';
import { register as demo } from './demo.js';
import { register as emulator } from './emulator.js';
import { register as files } from './files.js';
import { register as flows } from './flows.js';
import { register as groups } from './groups.js';
import { register as hosts } from './hosts.js';
import { register as hunt } from './hunt.js';
import { register as profiles } from './profiles.js';
import { register as replists } from './replists.js';
import { register as rules } from './rules.js';
import { register as sensors } from './sensors.js';
import { register as sources } from './sources.js';
import { register as status } from './status.js';
import { register as triggers } from './triggers.js';

/** The registration functions, one per noun module. */
export const NOUNS: readonly Register[] = [
  auth,
  profiles,
  status,
  triggers,
  bql,
  hunt,
  replists,
  rules,
  classes,
  groups,
  sensors,
  sources,
  hosts,
  flows,
  files,
  emulator,
  demo,
];
