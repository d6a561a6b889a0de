export { checkHeaderAgreement, HEADER_MISMATCH } from './header-agreement';
export type { HeaderMismatch, RequestHeaders } from './header-agreement';
export { decodeMcpHeaderValue } from './header-value';
export {
  FIRST_MODERN_PROTOCOL_VERSION,
  PROTOCOL_VERSION_META_KEY,
  isModernProtocolVersion,
} from './protocol-revisions';
