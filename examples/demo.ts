/** Placeholder demo: replaced by the end-to-end demo (issue 8). */
import { Multichannel } from '../src/index.js';
const x = Multichannel.zeros(2, 8, { sampleRate: 8000 });
console.log(`pointwise demo: ${x.toString()}`);
