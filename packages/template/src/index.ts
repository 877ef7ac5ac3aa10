export type {
  BlockKind,
  BlockSpec,
  CardInstanceSpec,
  CardsBlockSpec,
  ColumnSpec,
  DiagramBlockSpec,
  FieldSpec,
  FieldsBlockSpec,
  ListBlockSpec,
  ListStyle,
  SectionSpec,
  TableBlockSpec,
  TemplateSpec,
  ValueKind,
} from './types.ts';
export { systemPatternsTemplate } from './systemPatternsTemplate.ts';
export {
  cardsBlockOf,
  findBlock,
  findField,
  findSection,
  normalizeHeading,
} from './headingMatch.ts';
