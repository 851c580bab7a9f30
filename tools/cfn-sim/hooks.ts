/**
 * Hook failures, scripted per resource in the template:
 *
 *   Metadata:
 *     Stackwatch:
 *       Hook:
 *         Type: Private::Guard::S3Encryption        # HookType / TypeName (default Private::Sim::Hook)
 *         Reason: "Bucket must be encrypted"        # HookStatusReason
 *         On: [create]                              # create | update (default both)
 *         Annotations:                              # GetHookResult's Annotations, in the API's member names
 *           - AnnotationName: S3BucketEncryption
 *             Status: FAILED                        # PASSED | FAILED | SKIPPED
 *             StatusMessage: "BucketEncryption is not set"
 *             RemediationMessage: "Set BucketEncryption with SSE-KMS"
 *             RemediationLink: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html
 *             SeverityLevel: HIGH                   # INFORMATIONAL | LOW | MEDIUM | HIGH | CRITICAL
 *
 * The hook runs PRE_PROVISION with failure mode FAIL, for one simulated second: the resource gets its
 * `CREATE_IN_PROGRESS`, then an event with HookStatus HOOK_IN_PROGRESS, then one with
 * HOOK_COMPLETE_FAILED and the reason, then `CREATE_FAILED` (or `UPDATE_FAILED`) "The following
 * hook(s) failed: [Type]" (the wording recorded in https://github.com/aws/aws-cdk/issues/21674).
 * The hook events carry `HookInvocationId`, which is the `HookResultId` GetHookResult takes.
 */
import { randomUUID } from 'node:crypto';
import { SimError } from './errors';
import { isRecord, type ResourceDecl } from './template';
import type { Stack, StackEvent } from './model';
import { valueText } from '../sim-kit/text';
import type { XmlObject } from './xml';

export const DEFAULT_HOOK_TYPE = 'Private::Sim::Hook';
export const HOOK_SECONDS = 1;

export interface HookAnnotation {
  AnnotationName?: string;
  Status?: string;
  StatusMessage?: string;
  RemediationMessage?: string;
  RemediationLink?: string;
  SeverityLevel?: string;
}

export interface HookFailureSpec {
  type: string;
  reason: string;
  on: ReadonlySet<'create' | 'update'>;
  annotations: HookAnnotation[];
}

/** What a hook event records; the same object is the invocation's result for GetHookResult. */
export interface HookInvocation {
  invocationId: string;
  type: string;
  status: 'HOOK_IN_PROGRESS' | 'HOOK_COMPLETE_SUCCEEDED' | 'HOOK_COMPLETE_FAILED' | 'HOOK_FAILED';
  statusReason: string;
  invocationPoint: 'PRE_PROVISION';
  failureMode: 'FAIL' | 'WARN';
  annotations: HookAnnotation[];
  target: { typeName: string; logicalId: string; action: 'CREATE' | 'UPDATE' };
  invokedAt: number;
}

const ANNOTATION_KEYS = ['AnnotationName', 'Status', 'StatusMessage', 'RemediationMessage', 'RemediationLink', 'SeverityLevel'] as const;

export function hookFailureOf(decl: ResourceDecl, point: 'create' | 'update'): HookFailureSpec | undefined {
  const block = decl.metadata?.['Stackwatch'];
  const hook = isRecord(block) ? block['Hook'] : undefined;
  if (!isRecord(hook)) return undefined;
  const onRaw = hook['On'];
  const on = onRaw === undefined ? ['create', 'update'] : (Array.isArray(onRaw) ? onRaw : [onRaw]).map((v) => String(v).toLowerCase());
  const spec: HookFailureSpec = {
    type: hook['Type'] === undefined ? DEFAULT_HOOK_TYPE : valueText(hook['Type']),
    reason: hook['Reason'] === undefined ? 'Hook failed' : valueText(hook['Reason']),
    on: new Set(on.filter((v): v is 'create' | 'update' => v === 'create' || v === 'update')),
    annotations: (Array.isArray(hook['Annotations']) ? hook['Annotations'] : []).filter(isRecord).map(annotationOf),
  };
  return spec.on.has(point) ? spec : undefined;
}

function annotationOf(raw: Record<string, unknown>): HookAnnotation {
  const annotation: HookAnnotation = {};
  for (const key of ANNOTATION_KEYS) if (raw[key] !== undefined) annotation[key] = valueText(raw[key]);
  return annotation;
}

export function hookFailedReason(spec: HookFailureSpec): string {
  return `The following hook(s) failed: [${spec.type}]`;
}

export function newInvocation(spec: HookFailureSpec, target: HookInvocation['target'], at: number): HookInvocation {
  return {
    invocationId: randomUUID(),
    type: spec.type,
    status: 'HOOK_IN_PROGRESS',
    statusReason: 'Hook invocation is in progress',
    invocationPoint: 'PRE_PROVISION',
    failureMode: 'FAIL',
    annotations: spec.annotations,
    target,
    invokedAt: at,
  };
}

/** The invocation as it is after it failed (a copy, so the in-progress event keeps its own status). */
export function failedInvocation(invocation: HookInvocation, spec: HookFailureSpec): HookInvocation {
  return { ...invocation, status: 'HOOK_COMPLETE_FAILED', statusReason: spec.reason };
}

/** The hook members of a StackEvent (DescribeStackEvents) or OperationEvent (DescribeEvents). */
export function hookEventXml(event: StackEvent, withInvocationId: boolean): XmlObject {
  const hook = event.hook;
  if (!hook) return {};
  return {
    HookType: hook.type,
    HookStatus: hook.status,
    HookStatusReason: hook.statusReason,
    HookInvocationPoint: hook.invocationPoint,
    HookInvocationId: withInvocationId ? hook.invocationId : undefined,
    HookFailureMode: hook.failureMode,
  };
}

/** GetHookResult: the newest record of the invocation, searched over every stack's events. */
export function getHookResultXml(stacks: readonly Stack[], hookResultId: string | undefined, where: { region: string; accountId: string }): XmlObject {
  if (hookResultId === undefined) throw new SimError('ValidationError', 'HookResultId must be specified.');
  for (const stack of stacks) {
    const found = [...stack.events].reverse().find((e) => e.hook?.invocationId === hookResultId)?.hook;
    if (!found) continue;
    return {
      HookResultId: found.invocationId,
      InvocationPoint: found.invocationPoint,
      FailureMode: found.failureMode,
      TypeName: found.type,
      TypeVersionId: '00000001',
      TypeArn: `arn:aws:cloudformation:${where.region}:${where.accountId}:type/hook/${found.type.replace(/::/g, '-')}`,
      Status: found.status,
      HookStatusReason: found.statusReason,
      InvokedAt: new Date(found.invokedAt),
      Target: { TargetType: 'RESOURCE', TargetTypeName: found.target.typeName, TargetId: found.target.logicalId, Action: found.target.action },
      Annotations: found.annotations.map((a) => ({ ...a })),
    };
  }
  throw new SimError('HookResultNotFound', `Hook result ${hookResultId} does not exist.`, 404);
}
