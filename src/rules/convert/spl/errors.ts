/**
 * The error of the SPL converter: a rule uses something SPL cannot express (a modifier, a field name, a product
 * other than Azure). The message names the construct and what to do.
 */
import { EntrawatchError } from '../../../errors.js';

export class SplConversionError extends EntrawatchError {
  readonly retriable = false;
}
