/** The classification the report uses too, so the tab and the report agree on what is a threat. */
export { findingKind, threatsFirst, SOURCE_LABEL, type FindingKind } from '../../../common/finding-kind';
