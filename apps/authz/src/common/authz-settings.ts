import { Inject } from '@nestjs/common';
import { AUTHZ_SETTINGS } from '../config/authz.config';

/** Injects the typed, validated AuthzConfig. */
export const InjectAuthzConfig = () => Inject(AUTHZ_SETTINGS);
