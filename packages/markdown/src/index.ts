export { parseMarkdown, type ParseOptions } from './parseMarkdown.ts';
export { printMarkdown } from './printMarkdown.ts';
export { recognizeSection, type RecognizeOptions } from './recognizeSection.ts';
export {
  lintDocument,
  lintRules,
  type LintRuleId,
  type LintSeverity,
  type LintWarning,
} from './lintDocument.ts';
export { importReport, type ImportReport } from './importReport.ts';
export {
  blockIsStructured,
  cardIsFilled,
  sectionState,
  type SectionState,
} from './sectionState.ts';
export { headingForName, nameFromHeading } from './documentName.ts';
