/** `cases <project> [--search text] [--city adcode] [--domain word] [--json]`: find case studies in the project's case library. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadProject } from '../../formats/project.ts';
import { loadCases } from '../../formats/cases.ts';
import { searchCases } from '../../engine/cases/search.ts';
import { CityIndexError } from '../../engine/core/errors.ts';
import { toJson } from '../../formats/json.ts';

/** Add `cases <project> --search …` to the program. @example registerCaseCommands(new Command()) */
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
    .action(async (dir: string, opts: { search?: string; city?: string; domain?: string; indicator?: string; json?: boolean }) => {
      const p = await loadProject(dir);
      if (!p.project.cases) throw new CityIndexError({ code: 'E_NO_CASES', message: 'the project declares no case library', file: p.file, field: 'cases', expected: 'cases: <folder of case Markdown files>' });
      const cases = await loadCases(resolve(p.dir, p.project.cases));
      const hits = searchCases(cases, opts.search ?? '', { city: opts.city, domain: opts.domain, indicator: opts.indicator });
      if (opts.json) {
        process.stdout.write(toJson(hits.map((h) => ({ id: h.case.id, city: h.case.city, cityName: h.case.cityName, title: h.case.title, year: h.case.year, score: h.score, file: h.case.file }))) + '\n');
        return;
      }
      if (hits.length === 0) { process.stdout.write('no matching case / 无匹配案例\n'); return; }
      for (const h of hits) process.stdout.write(`${h.case.cityName.zh ?? ''} ${h.case.cityName.en ?? ''} (${h.case.city}, ${h.case.year}) — ${h.case.title.zh ?? ''} / ${h.case.title.en ?? ''}  [${h.case.id}, score ${h.score.toFixed(1)}]\n`);
    });
}
