// Client and react tests poll with the server tests' one waitFor.
export { waitFor } from '../../../server/test/support/wait.js';
