/** Surveys: resident questionnaires (scoring, cleaning, weighting, estimates, reliability) and expert AHP panels. */
export {
  CLEANING_REASONS,
  cleanResponses,
  type CleaningReason,
  type CleaningResult,
  type CleanOptions,
  type RemovedResponse,
} from './clean.ts';
export {
  ageBandIndex,
  censusMargins,
  DEFAULT_AGE_BANDS,
  kishEffectiveSize,
  poststratify,
  rake,
  weightResponses,
  type CensusFigures,
  type CityWeighting,
  type RakeOptions,
  type RakeResult,
  type WeightingResult,
} from './weighting.ts';
export {
  DONT_KNOW,
  SEX_FEMALE,
  SEX_MALE,
  SEX_UNKNOWN,
  type AgeBand,
  type CensusAgeBand,
  type CityMargins,
  type CleaningRules,
  type EstimationConfig,
  type ResponseTable,
  type ScoringRule,
  type SurveyIndicator,
  type SurveySpec,
  type SurveyStatistic,
  type WeightingConfig,
  type WeightingMethod,
} from './types.ts';
export {
  aggregateJudgements,
  aggregatePriorities,
  ahpConsistency,
  ahpQuestionnaire,
  ahpWeightOptions,
  comparisonGroups,
  expertMatrices,
  groupAhp,
  mostInconsistentJudgements,
  pairQuestionName,
  type Consistency,
  type ExpertJudgements,
  type GroupAhpOptions,
  type GroupAhpResult,
  type InconsistentJudgement,
} from './ahp-group.ts';
export {
  alignEstimates,
  estimateByCity,
  normalQuantile,
  weightedMean,
  weightedProportion,
  type EstimateInput,
  type SurveyEstimates,
  type SurveyFlag,
  type WeightedEstimate,
} from './estimate.ts';
export { cronbachAlpha, type ReliabilityResult } from './reliability.ts';
export { checkAnswerScale, respondentScores, scoreAnswer, scoreItems, type ScaleCheck } from './scoring.ts';
export { runSurvey, type SurveyRunInput, type SurveyRunResult } from './pipeline.ts';
