export { AlertMonitor, type AlertCheck, type AlertMonitorDeps } from './alert-monitor.js';
