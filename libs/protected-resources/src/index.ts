export {
  BUNDLED_MCP_PATH,
  DEFAULT_RESOURCE,
  FORWARD_MODES,
  PROTECTED_RESOURCE_METADATA_PATH,
  resourceMetadataPath,
} from './protected-resource';
export type { ForwardMode, ProtectedResource, ResourcePattern } from './protected-resource';
export { upstreamUrlProblem } from './resource-entry.parser';
export { loadProtectedResources, parseProtectedResources, ResourcesFileError } from './resources-file';
export { isToolHidden, itemScopeLookup, listsNeedFiltering, scopesSupported } from './resource-rules';
