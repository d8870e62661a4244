import { gain, heNormal, identity, initialize, orthogonal, zeros } from 'weightinit';

const show = (a) => Array.from(a, (x) => x.toFixed(6)).join(' ');

// He/Kaiming normal for a ReLU layer with 128 inputs: N(0, 2/128), PyTorch layout [out, in].
const w = heNormal([256, 128], { seed: 42, stream: 'fc1.weight' });
console.log('fc1.weight', show(w.data.subarray(0, 4)));

// The same (seed, stream) gives the same bits on every engine, whatever the name's spelling.
const again = initialize({ name: 'kaiming_normal', seed: 42, stream: 'fc1.weight' }, [256, 128]);
const same = again.data.every((x, i) => x === w.data[i]);
console.log('identical', same);

// Recurrent weights: orthogonal (LSTM/GRU) or identity (ReLU RNN), as the document recommends.
const whh = orthogonal([64, 64], { seed: 42, stream: 'rnn.weight_hh_l0' });
console.log('weight_hh', show(whh.data.subarray(0, 4)), '| identity', show(identity([2, 2]).data));

// Zeros are for biases: on a weight the result says why not.
console.log('warning:', zeros([4, 4]).warnings[0].slice(0, 72), '…');
console.log('gain(tanh) =', gain('tanh'));
