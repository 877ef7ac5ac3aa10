export type {
  BlockKind,
  BlockSpec,
  CardInstanceSpec,
  CardsBlockSpec,
  ColumnSpec,
  DiagramBlockSpec,
  FieldSpec,
  FieldsBlockSpec,
  HeadingRules,
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
  findCardList,
  findField,
  findNamedBlock,
  findSection,
  isRelationHeading,
  isStepHeading,
  normalizeHeading,
} from './headingMatch.ts';
