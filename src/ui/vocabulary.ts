/**
 * The words the monitor, status bar and notifications use, per provider. A CloudFormation user
 * reads "stack", "change set" and "Logical ID"; an Infrastructure Manager user reads
 * "deployment", "preview" and "resource address". Stop differs most: CloudFormation rolls back,
 * Infrastructure Manager just stops, and the label must say so.
 */
import type { ProviderKind } from '../providers/provider';
import type { Vocabulary } from '../shared/vocabulary';

export type { Vocabulary };

const AWS: Vocabulary = {
  service: 'AWS CloudFormation',
  target: 'stack',
  state: 'stack state',
  staged: 'change set',
  actionColumn: 'Action',
  idColumn: 'Logical ID',
  physicalColumn: 'Physical ID',
  actions: { Add: 'Add', Modify: 'Modify', Remove: 'Remove', Import: 'Import', Dynamic: 'Dynamic', None: 'None' },
  saveStaged: 'Save Template',
  saveStagedHint: 'Open the exact template submitted with this change set, to save it.',
  stop: 'Stop',
  stopped: 'Stopped: the update was cancelled and the stack rolled back',
};

const GCP: Vocabulary = {
  service: 'Google Cloud Infrastructure Manager',
  target: 'deployment',
  // What Infrastructure Manager reports moves from the operation's step to the revision's state.
  state: 'status',
  staged: 'preview',
  actionColumn: 'Intent',
  idColumn: 'Resource address',
  physicalColumn: 'Resource ID',
  actions: { Add: 'Create', Modify: 'Update', Remove: 'Delete', Import: 'Import', Dynamic: 'Dynamic', None: 'No change' },
  saveStaged: 'Save Plan',
  saveStagedHint: 'Open the preview\'s Terraform plan as Infrastructure Manager exports it (JSON, sensitive values masked), to save it.',
  stop: 'Cancel (no rollback)',
  stopped: 'Cancelled: Terraform stopped where it was, and nothing was rolled back',
  // The apply runs terraform plan again (step RUNNING_TF_PLAN); applyPlan.ts names any difference.
  reviewNote:
    'Infrastructure Manager applies the blueprint, not this preview: the apply runs terraform plan again, so if a resource changes before then, what it applies can differ from this list. The monitor says where it does.',
};

export function vocabularyOf(provider: ProviderKind): Vocabulary {
  return provider === 'gcp' ? GCP : AWS;
}
