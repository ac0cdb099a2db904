/** cityindex io: reading projects and writing results (Node). */
export * from './project.ts';
export * from './project-files.ts';
export * from './project-schema.ts';
export * from './table.ts';
export * from './xlsx-table.ts';
export * from './results.ts';
export * from './workbook.ts';
export * from './workbook-exceljs.ts';
export * from './xlsx-write.ts';
export * from './output.ts';
export * from './safe-text.ts';
export * from './cases.ts';
