/**
 * The contract between layer recipes (src/recipes) and models (src/model): a recipe turns one
 * layer into its parameters, each with PyTorch's name and shape, how to initialize it, and why.
 */
import type { InitSpec } from '../init/registry.js';

/**
 * How one parameter is initialized:
 * - `strategy`: one strategy of src/init (`spec` has no `seed`/`stream`/`dtype`: the model
 *   adds the model's seed, the parameter's full name as stream, and the model's dtype);
 * - `blocks`: the parameter split along dimension 0 into consecutive blocks (RNN gates),
 *   each initialized on its own, block k from the child stream `<param>#<k>`. Block rows add
 *   up to `shape[0]`; each block has shape `[rows, ...shape.slice(1)]`.
 *   Optional `axis` (absent = 0, the only value recipes emit in the default `out-in`
 *   layout): with `layout: 'in-out'` (Keras/TF.js `[in, gates·hidden]`) the gates are columns
 *   and recipes emit `axis: 1`; `rows` is then the block's extent along that axis (block
 *   shape `shape` with `shape[axis]` replaced by `rows`). A consumer that does not support
 *   an axis other than 0 must reject it rather than ignore it.
 * - `chrono`: Tallec & Ollivier (2018) chrono initialization of an LSTM gate bias block:
 *   b = sign · log(U(1, tMax − 1)). The forget (sign +1) and input (sign −1) blocks of one
 *   layer draw from the same child stream `stream` so that b_i = −b_f exactly. Recipes set
 *   `stream` to `'chrono'`, a child of the parameter: the stream `<param>#chrono`.
 */
export type ParamInit =
  | { readonly kind: 'strategy'; readonly spec: InitSpec }
  | {
      readonly kind: 'blocks';
      readonly blocks: readonly {
        readonly rows: number;
        readonly label: string;
        readonly init: ParamInit;
      }[];
      /** The dimension the blocks split; absent means 0 (see above). */
      readonly axis?: number;
    }
  | {
      readonly kind: 'chrono';
      readonly tMax: number;
      readonly sign: 1 | -1;
      readonly stream: string;
    };

/** What a parameter is for (what `recommend` and `plan` report). */
export type ParamRole =
  | 'weight'
  | 'bias'
  | 'input-weight'
  | 'recurrent-weight'
  | 'input-bias'
  | 'recurrent-bias'
  | 'embedding'
  | 'norm-weight'
  | 'norm-bias'
  | 'buffer';

/** One parameter of a layer, as a recipe gives it. */
export interface ParameterRecipe {
  /** PyTorch's name inside the module: `weight`, `bias`, `weight_hh_l0`, `bias_ih_l1_reverse`, `in_proj_weight`, `out_proj.weight` … */
  readonly name: string;
  /** PyTorch's shape. */
  readonly shape: readonly number[];
  readonly role: ParamRole;
  readonly init: ParamInit;
  /** Why this initialization: the document's table row and the paper behind the choice. */
  readonly reason: string;
}
