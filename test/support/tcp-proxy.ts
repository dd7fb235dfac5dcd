/** The harness's proxy serves the tests too: one implementation. */
export { TcpProxy, type Degradation } from '../../faults/tcp-proxy.js';
