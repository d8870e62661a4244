export { ACTIVATION_FUNCTIONS, type Activation, THEORY_ACTIVATIONS } from './activations.js';
export {
  criticalLine,
  DEFAULT_NODES,
  type MeanFieldOptions,
  type MeanFieldPoint,
  meanField,
  varianceFixedPoint,
  varianceMap,
} from './meanfield.js';
export { expectNormal, expectNormal2, type GaussRule, gaussHermite } from './quadrature.js';
