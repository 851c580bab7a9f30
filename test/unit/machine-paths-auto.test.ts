// Every simple path of the deployment machine with auto-execute on; see test/support/machinePaths.ts.
import { definePathSuite } from '../support/machinePaths';

definePathSuite(true);
