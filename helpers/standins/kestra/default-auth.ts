/**
 * The stand-in's documented Basic credentials, in a module of its own so that a command can name
 * them (stack:local's --help, its argument parsing) without loading the whole stand-in.
 */
export const KESTRA_STANDIN_DEFAULT_AUTH = Object.freeze({ username: 'standin@kestra.local', password: 'Standin-Password-1' });
