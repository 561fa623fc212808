/**
 * The timeline's highlights are Lariat's own Sigma rules, run by the detection engine
 * (resources/rules/lariat/highlights, see main/detection/highlight.ts): one mechanism for
 * highlights and detections. Re-exported here so the timeline's callers keep their imports.
 */
export { highlightFor, highlightIds, highlightRules } from '../detection/highlight';
