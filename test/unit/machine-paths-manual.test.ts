// Every simple path of the deployment machine with auto-execute off; see test/support/machinePaths.ts.
import { definePathSuite } from '../support/machinePaths';

definePathSuite(false);
