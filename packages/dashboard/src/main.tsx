import { createRoot } from 'react-dom/client';
import { adoptTokenFromUrl } from './session/token';
import { Root } from './root';
import './styles/index.css';

// First thing: move a `?token=` out of the address bar before anything can leak it.
const initialToken = adoptTokenFromUrl(window.location, window.history, window.sessionStorage);
// The API lives where the dashboard is served from (the server serves both).
const baseUrl = new URL('./', window.location.href.split('#')[0]).toString();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(<Root baseUrl={baseUrl} initialToken={initialToken} />);
// For the performance measurement script: when the first frame after mounting was painted.
requestAnimationFrame(() => performance.mark('headway:first-render'));
