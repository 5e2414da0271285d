// `node --import ./register.mjs out/main/index.js`: the app's main imports this folder's fake
// `electron` (electron.mjs) instead of the real one. Every other module loads as usual.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
