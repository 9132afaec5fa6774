// slipway's tests start kubesim through the helper the kubesim package exports for its users: a
// separate process spoken to over HTTPS, never imported into slipway.
export { startKubesim, type RunningKubesim } from 'kubesim/testing';
