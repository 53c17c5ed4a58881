import { ValidateIf } from 'class-validator';

/**
 * An optional field that, when sent, must be valid: unlike @IsOptional, `null` is not
 * "absent" but a value the other decorators judge (and refuse unless they allow it).
 */
export const IfPresent = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
