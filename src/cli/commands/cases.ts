/**
 * `cases <project> [--search text] [--city adcode] [--domain word] [--json]`: find case studies in the
 * project's case library (the `searchProjectCases` use case) and print them.
 */
import type { Command } from 'commander';
import { searchProjectCases } from '../../app/cases.ts';
import { toJson } from '../../formats/json.ts';

interface CaseFlags {
  search?: string;
  city?: string;
  domain?: string;
  indicator?: string;
  json?: boolean;
}

/**
 * Add `cases <project> --search …` to the program.
 * @example
 * import { Command } from 'commander';
 * const program = new Command();
 * registerCaseCommands(program);
 * program.commands.map((c) => c.name()) // => ['cases']
 */
export function registerCaseCommands(program: Command): void {
  program
    .command('cases')
    .argument('<project>', 'project folder (its `cases:` folder is searched)')
    .option('-s, --search <text>', 'words in Chinese or English, e.g. 交通 or traffic')
    .option('--city <adcode>', 'only cases of this city')
    .option('--domain <word>', 'only cases in this domain')
    .option('--indicator <code>', 'only cases linked to this indicator')
    .option('--json', 'print the hits as JSON')
    .description('search the case library / 检索案例库')
    .action(async (dir: string, opts: CaseFlags) => {
      const { city, domain, indicator } = opts;
      const hits = await searchProjectCases(dir, opts.search ?? '', { city, domain, indicator });
      if (opts.json) {
        const rows = hits.map((h) => ({
          id: h.case.id,
          city: h.case.city,
          cityName: h.case.cityName,
          title: h.case.title,
          year: h.case.year,
          score: h.score,
          file: h.case.file,
        }));
        process.stdout.write(toJson(rows) + '\n');
        return;
      }
      if (hits.length === 0) {
        process.stdout.write('no matching case / 无匹配案例\n');
        return;
      }
      for (const { case: c, score } of hits) {
        const name = `${c.cityName.zh ?? ''} ${c.cityName.en ?? ''} (${c.city}, ${c.year})`;
        const title = `${c.title.zh ?? ''} / ${c.title.en ?? ''}`;
        process.stdout.write(`${name} — ${title}  [${c.id}, score ${score.toFixed(1)}]\n`);
      }
    });
}
