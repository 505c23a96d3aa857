// The campaign workbook (docs/workbook.md): import, export and the blank template.
export { formatIssue, guideSheetName, type CampaignWorkbook, type WorkbookIssue } from './format.ts';
export { readWorkbook, type ReadResult } from './read.ts';
export { importWorkbook, type ImportResult, type ImportSummary } from './import.ts';
export { exportWorkbook, loadCampaignWorkbook, workbookTemplate } from './export.ts';
export { writeWorkbook } from './xlsx.ts';
export { type LimitExceeded, type LimitKind, type XlsxLimits, workbookLimits } from './stream.ts';
