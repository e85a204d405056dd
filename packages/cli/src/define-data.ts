/**
 * The command tree, part two: reputation lists, rules, groups, inventory, flows and files.
 */

import { type Command, Option } from 'commander';
import type { Action } from './define.js';

type Run = (load: () => Promise<Action>) => (...all: unknown[]) => Promise<void>;

/** Registers the data commands (replists, rules, classes, groups, sensors, sources, hosts, flows, files). */
export function defineDataCommands(program: Command, run: Run): void {
  const rl = () => import('./commands/replists.js');
  const replists = program.command('replists').description('reputation lists and their items');
  replists
    .command('list')
    .description('list reputation lists')
    .option('--search <text>', 'match name, description or vendor')
    .option('--limit <n>', 'at most this many lists', '100')
    .action(run(() => rl().then((m) => m.list)));
  replists
    .command('get')
    .description('one list, with its content')
    .argument('<id>')
    .action(run(() => rl().then((m) => m.get)));
  replists
    .command('create')
    .description('create a list (with --external-key it is a dynamic list that `sync` can fill)')
    .requiredOption('--name <name>', 'letters, digits, "_" and "-"')
    .addOption(new Option('--type <type>', 'indicator type').choices(['ip', 'dn', 'uri', 'md5']).makeOptionMandatory())
    .addOption(new Option('--color <n>', 'colour 0-7').choices(['0', '1', '2', '3', '4', '5', '6', '7']).default('7'))
    .option('--description <text>')
    .option('--external-key <key>', 'key of a dynamic (API-managed) list')
    .option('--content-file <file>', 'initial content, one indicator per line ("-" for stdin)')
    .action(run(() => rl().then((m) => m.create)));
  replists
    .command('update')
    .description('change a list')
    .argument('<id>')
    .option('--name <name>')
    .addOption(new Option('--color <n>').choices(['0', '1', '2', '3', '4', '5', '6', '7']))
    .option('--description <text>')
    .option('--content-file <file>', 'replace the content, one indicator per line ("-" for stdin)')
    .action(run(() => rl().then((m) => m.update)));
  replists
    .command('delete')
    .description('delete a list')
    .argument('<id>')
    .action(run(() => rl().then((m) => m.remove)));
  replists
    .command('stats')
    .description('reputation list statistics')
    .action(run(() => rl().then((m) => m.stats)));
  const items = replists.command('items').description('items of a dynamic list (by external key)');
  items
    .command('list')
    .description('list the items of a dynamic list')
    .argument('<key>', 'external key')
    .option('--limit <n>', 'at most this many items', '1000')
    .action(run(() => rl().then((m) => m.itemsList)));
  items
    .command('add')
    .description('add items')
    .argument('<key>', 'external key')
    .argument('<values...>')
    .action(run(() => rl().then((m) => m.itemsAdd)));
  items
    .command('remove')
    .description('remove items')
    .argument('<key>', 'external key')
    .argument('<values...>')
    .action(run(() => rl().then((m) => m.itemsRemove)));
  replists
    .command('sync')
    .description('make a dynamic list hold exactly the indicators of a feed (one per line; # comments)')
    .argument('<key>', 'external key')
    .requiredOption('--from <file>', 'feed file, or "-" for stdin')
    .option('--chunk-size <n>', 'items per bulk request', '500')
    .option('--dry-run', 'check the feed and show what would change, without changing anything')
    .action(run(() => import('./commands/replists-sync.js').then((m) => m.sync)));

  const sig = () => import('./commands/rules.js');
  const rules = program.command('rules').description('signature rules and the commit of pending changes');
  rules
    .command('list')
    .description('list rules')
    .option('--search <text>', 'full-text search')
    .option('--vendor <name>', 'ETOpen or PTSecurity')
    .option('--class <name>', 'rule class name')
    .addOption(new Option('--enabled', 'only enabled rules').conflicts('disabled'))
    .option('--disabled', 'only disabled rules')
    .option('--limit <n>', 'at most this many rules', '100')
    .action(run(() => sig().then((m) => m.list)));
  rules
    .command('get')
    .description('one rule')
    .argument('<sid>')
    .action(run(() => sig().then((m) => m.get)));
  rules
    .command('enable')
    .description('enable rules (pending until `ptnad rules commit`)')
    .argument('<sid...>')
    .action(run(() => sig().then((m) => m.enable)));
  rules
    .command('disable')
    .description('disable rules (pending until `ptnad rules commit`)')
    .argument('<sid...>')
    .action(run(() => sig().then((m) => m.disable)));
  rules
    .command('stats')
    .description('rule statistics')
    .action(run(() => sig().then((m) => m.stats)));
  rules
    .command('commit')
    .description('apply pending rule and group changes to the sensors')
    .action(run(() => sig().then((m) => m.commit)));
  rules
    .command('rollback')
    .description('discard pending rule and group changes')
    .action(run(() => sig().then((m) => m.rollback)));
  program
    .command('classes')
    .description('rule classes')
    .command('list')
    .description('list rule classes')
    .option('--search <text>')
    .action(run(() => sig().then((m) => m.classes)));

  const grp = () => import('./commands/groups.js');
  const groups = program.command('groups').description('IP and port groups (HOME_NET, ...)');
  groups
    .command('list')
    .description('list groups')
    .option('--search <text>', 'match name, value or comment')
    .action(run(() => grp().then((m) => m.list)));
  groups
    .command('get')
    .description('one group')
    .argument('<id>')
    .action(run(() => grp().then((m) => m.get)));
  groups
    .command('create')
    .description('create a group')
    .requiredOption('--name <name>')
    .addOption(new Option('--type <type>').choices(['ip', 'port']).default('ip'))
    .option('--value <value>', 'e.g. "[10.0.0.0/8,192.168.0.0/16]" or "[80,443]"')
    .option('--comment <text>')
    .action(run(() => grp().then((m) => m.create)));
  groups
    .command('update')
    .description('change the value or comment of a group')
    .argument('<id>')
    .option('--value <value>')
    .option('--comment <text>')
    .action(run(() => grp().then((m) => m.update)));
  groups
    .command('delete')
    .description('delete a group')
    .argument('<id>')
    .action(run(() => grp().then((m) => m.remove)));

  const inv = () => import('./commands/inventory.js');
  const sensors = program.command('sensors').description('sensors (ptdpi modules)');
  sensors
    .command('list')
    .description('list sensors')
    .action(run(() => inv().then((m) => m.sensorsList)));
  sensors
    .command('get')
    .description('one sensor')
    .argument('<id>')
    .action(run(() => inv().then((m) => m.sensorsGet)));
  const sources = program.command('sources').description('storages (live is 2)');
  sources
    .command('list')
    .description('list storages')
    .option('--search <text>')
    .action(run(() => inv().then((m) => m.sourcesList)));
  sources
    .command('get')
    .description('one storage')
    .argument('<id>')
    .action(run(() => inv().then((m) => m.sourcesGet)));
  const hosts = program.command('hosts').description('asset inventory');
  hosts
    .command('list')
    .description('list hosts')
    .option('--search <text>', 'match id, IP, hostname or DNS name')
    .option('--limit <n>', 'at most this many hosts', '100')
    .action(run(() => inv().then((m) => m.hostsList)));
  hosts
    .command('get')
    .description('one host')
    .argument('<id>')
    .option('--history-depth <n>', 'history entries per list (-1 for all)')
    .action(run(() => inv().then((m) => m.hostsGet)));

  const fl = () => import('./commands/flows.js');
  const flows = program.command('flows').description('sessions (flows)');
  flows
    .command('get')
    .description('one flow with its details')
    .argument('<id>')
    .option('--since <duration>', 'search window back from now', '7d')
    .option('--source <id>', 'storage id (default 2)')
    .action(run(() => fl().then((m) => m.get)));
  flows
    .command('save')
    .description('copy the flows a filter finds into another storage (never saves a flow twice)')
    .requiredOption('--filter <filter>', 'filter selecting the flows')
    .requiredOption('--target <id>', 'storage id to save into')
    .option('--since <duration>', 'time window back from now', '5h')
    .option('--source <id>', 'storage to read from (default 2)')
    .option('--state-dir <dir>', 'where the record of saved flows is kept (default: the config directory)')
    .action(run(() => fl().then((m) => m.save)));
  program
    .command('files')
    .description('files carried by flows')
    .command('get')
    .description('extract the files of a flow into a ZIP in a directory')
    .argument('<flow-id>')
    .requiredOption('--out <dir>', 'directory to write the ZIP into')
    .option('--since <duration>', 'search window back from now', '7d')
    .option('--source <id>', 'storage id (default 2)')
    .action(run(() => fl().then((m) => m.files)));
}
