/**
 * Sentences and labels about how far the report's numbers can be trusted: imputed and borrowed values
 * (markers, legend, "insufficient data"), the share of effective weight per data source, the comparison
 * with a published report, and advice limited to what a city controls.
 */
import { msg, text } from '../define.ts';

const pc = (x: number) => `${(Math.round(x * 1000) / 10).toString()}%`;

export const QUALITY_MESSAGES = {
  'quality.title': text(
    '数据可信度：插补值、借用值与数据来源',
    'How far the data go: imputed and borrowed values, sources',
  ),
  'quality.legend': text(
    '标记：* 插补值——该城市没有这一数据，由构建步骤按方法说明中的规则估算；† 借用值——数据文件注明该值取自另一张表' +
      '（例如直辖市使用其省级平台的得分）。带标记的得分部分依据这些值，不是该城市自身的观测。',
    'Markers: * imputed — the city has no value for this indicator; the build estimated it (rule in the ' +
      'methodology); † borrowed — the data file says the value comes from another table (e.g. a municipality ' +
      'given its provincial platform score). A marked score rests partly on such values, not on observations ' +
      'of the city itself.',
  ),
  'quality.insufficient': text('数据不足', 'insufficient data'),
  'quality.unitCount': msg<{ n: number; cities: boolean }>(
    (p) => `${p.n} 个${p.cities ? '城市' : '评价对象'}：`,
    (p) => `${p.n} ${p.cities ? (p.n === 1 ? 'city' : 'cities') : p.n === 1 ? 'unit' : 'units'}:`,
  ),
  'quality.chartLegend': msg<{ cities: boolean }>(
    (p) =>
      `图中${p.cities ? '城市名' : '名称'}或数值后带 * 的，其得分部分依据插补值；带 † 的，部分依据借用值` +
      '（取自另一张表）。详见“数据可信度”一节。',
    (p) =>
      `A ${p.cities ? 'city' : 'unit'} name or value marked * in this chart rests partly on imputed values, ` +
      'one marked † on borrowed values (taken from another table); see "How far the data go".',
  ),
  'quality.radarLegend': text(
    '城市名后带 * 的，至少一个维度得分部分依据插补值；带 † 的，部分依据借用值。详见“数据可信度”一节。',
    'A name marked * has at least one dimension score resting partly on imputed values, † on borrowed values; ' +
      'see "How far the data go".',
  ),
  'quality.threshold': msg<{ share: number; n: number }>(
    (p) =>
      `本项目规定：综合得分中插补值与借用值的权重占比超过 ${pc(p.share)} 的城市不给出排名，标为“数据不足”。` +
      (p.n ? `本期共 ${p.n} 个城市属于这种情况。` : '本期没有城市超过这一比例。'),
    (p) =>
      `This project reports a city whose score rests more than ${pc(p.share)} on imputed or borrowed values as ` +
      `"insufficient data" instead of a rank. ` +
      (p.n ? `${p.n} ${p.n === 1 ? 'city is' : 'cities are'} in that case.` : 'No city is above that share.'),
  ),
  'quality.noThreshold': text(
    '本项目没有设定“数据不足”的比例：无论插补值占比多高，每个城市都给出排名。',
    'This project sets no "insufficient data" share: every city is ranked however much of its score is imputed.',
  ),
  'quality.sharesIntro': msg<{ n: number; total: number; max: number; cities: boolean }>(
    (p) =>
      `${p.total} 个${p.cities ? '城市' : '评价对象'}中有 ${p.n} 个的综合得分部分依据插补值或借用值；` +
      `这部分权重最高为 ${pc(p.max)}。`,
    (p) =>
      `The index score of ${p.n} of ${p.total} ${p.cities ? 'cities' : 'units'} rests partly on imputed or ` +
      `borrowed values; at most ${pc(p.max)} of the weight.`,
  ),
  'quality.noneFlagged': text(
    '所有得分都基于各城市自身的观测值，没有插补或借用值。',
    'Every score rests on the units’ own observations; no value is imputed or borrowed.',
  ),
  'quality.shareHead': text('插补/借用值的权重占比', 'Share of weight on imputed/borrowed values'),
  'quality.valuesHead': text('插补/借用的指标', 'Imputed/borrowed indicators'),
  'quality.byIndicatorTitle': text('各指标的数据情况', 'Values per indicator'),
  'quality.observed': text('自身观测', 'Observed'),
  'quality.imputed': text('插补', 'Imputed'),
  'quality.copied': text('借用', 'Borrowed'),
  'quality.mostlyImputed': msg<{ indicator: string; imputed: number; n: number }>(
    (p) => `指标“${p.indicator}”的 ${p.n} 个值中有 ${p.imputed} 个是插补或借用的，不是城市自身的观测。`,
    (p) => `${p.imputed} of the ${p.n} values of "${p.indicator}" are imputed or borrowed, not observed in the city.`,
  ),
  'quality.sourcesTitle': text('各数据来源的有效权重', 'Effective weight per data source'),
  'quality.sourcesInMethods': text(
    '每个数据来源承担的有效权重（合计 100%）列在“方法说明”一节。',
    'The effective weight each data source carries (100% in all) is tabled under "Methodology".',
  ),
  'quality.sourcesIntro': text(
    '有效权重是一个指标在综合得分中实际占的比重（各级权重相乘）；下表把同一来源的指标加总。',
    "An indicator's effective weight is its actual share of the index score (the weights of its levels " +
      'multiplied); the table adds up the indicators of each source.',
  ),
  'quality.sourceHead': text('数据来源', 'Data source'),
  'quality.indicatorsHead': text('指标', 'Indicators'),
  'quality.weightHead': text('有效权重', 'Effective weight'),
  'quality.total': text('合计', 'Total'),
  'quality.noSource': text('（未注明来源）', '(no source given)'),
  'quality.sourceDominant': msg<{ source: string; share: number; n: number; total: number }>(
    (p) =>
      `单一数据来源“${p.source}”承担了指数 ${pc(p.share)} 的有效权重（${p.total} 个指标中的 ${p.n} 个）：` +
      '指数的结论在很大程度上反映这一个来源。',
    (p) =>
      `One data source, "${p.source}", carries ${pc(p.share)} of the index's effective weight (${p.n} of ` +
      `${p.total} indicators): the index's conclusions largely reflect this one source.`,
  ),
  'quality.sharedSource': msg<{ a: string; b: string; r: string; source: string }>(
    (p) => `“${p.a}”与“${p.b}”高度相关（r = ${p.r}），两者的指标部分来自同一来源“${p.source}”。`,
    (p) =>
      `"${p.a}" and "${p.b}" are highly correlated (r = ${p.r}); both draw indicators from the same source, ` +
      `"${p.source}".`,
  ),
  'quality.controllableNote': msg<{ names: string }>(
    (p) => `以下建议只涉及城市自身可以改变的指标；不在城市控制之内、因而不作建议的指标：${p.names}。`,
    (p) =>
      `The advice below uses only indicators a city can act on; left out as outside the city's control: ${p.names}.`,
  ),
  'published.title': text('与已发布报告对比', 'Compared with the published report'),
  'published.intro': msg<{ title: string }>(
    (p) => `下表列出已发布来源点名的每个城市：来源中的名次或档次，与本指数的排名和档次并列。来源：${p.title}。`,
    (p) => `Every city the published sources name, with its published rank or tier beside ours. Sources: ${p.title}.`,
  ),
  'published.cityHead': text('城市', 'City'),
  'published.theirsHead': text('已发布', 'Published'),
  'published.oursHead': text('本指数排名', 'Our rank'),
  'published.oursTierHead': text('本指数分档', 'Our tier'),
  'published.reasonHead': text('差异的原因', 'Reason for the difference'),
  'published.rank': msg<{ rank: number }>(
    (p) => `第 ${p.rank} 名`,
    (p) => `rank ${p.rank}`,
  ),
  'published.reason': msg<{ dimension: string; rank: number; indicator: string; source: string; flagged: boolean }>(
    (p) =>
      `“${p.dimension}”排第 ${p.rank} 名，主要因为指标“${p.indicator}”（数据：${p.source}）` +
      (p.flagged ? '，该值为插补或借用值' : ''),
    (p) =>
      `"${p.dimension}" ranks ${p.rank}, mainly through "${p.indicator}" (data: ${p.source})` +
      (p.flagged ? ', an imputed or borrowed value' : ''),
  ),
  'published.close': text('相差不大', 'no large difference'),
  'published.notInBuild': text('不在本指数的城市范围内', 'not among the cities of this index'),
  'published.sourceLine': msg<{ title: string; date: string; url: string }>(
    (p) => `${p.title}（${p.date}）${p.url}`,
    (p) => `${p.title} (${p.date}) ${p.url}`,
  ),
} as const;
