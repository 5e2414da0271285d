// Where `parla serve` listens unless told otherwise. Its own module, free of Fastify, so the CLI
// can show and parse these without loading the server.
export const LISTEN_DEFAULTS = { host: '127.0.0.1', port: 7717 } as const;
