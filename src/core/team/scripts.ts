// Lua scripts registered with ioredis' defineCommand: EVALSHA with an automatic EVAL fallback,
// so a restarted Redis (empty script cache) costs one retry, not an error.
import type { Redis } from 'ioredis';

export interface ScriptDef {
  keys: number;
  lua: string;
}

export type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;

export function defineScripts<N extends string>(client: Redis, defs: Record<N, ScriptDef>): Record<N, ScriptFn> {
  const fns = {} as Record<N, ScriptFn>;
  for (const name of Object.keys(defs) as N[]) {
    const command = `parla_${name}`;
    client.defineCommand(command, { numberOfKeys: defs[name].keys, lua: defs[name].lua });
    // defineCommand adds a method ioredis' types cannot know about.
    const method = (client as unknown as Record<string, ScriptFn>)[command] as ScriptFn;
    fns[name] = (...args) => method.apply(client, args);
  }
  return fns;
}
