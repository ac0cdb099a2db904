/** Xu (2004) EJOR 156(2):530–532 decision matrix, as used in pyrepo-mcda tests. */
export const XU_2004 = [
  [30, 30, 38, 29],
  [19, 54, 86, 29],
  [19, 15, 85, 28.9],
  [68, 70, 60, 29],
];
