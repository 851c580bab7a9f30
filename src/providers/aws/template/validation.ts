/**
 * What the template step asks CloudFormation about a template (ValidateTemplate): its parameters
 * and the capabilities it needs. Only the CloudFormation input step asks it, before the machine
 * starts; the machine's port has no such call.
 */
import type { TargetRef, TemplateSource } from '../../provider';

export interface TemplateParameterInfo {
  key: string;
  description?: string;
  defaultValue?: string;
  noEcho?: boolean;
}

export interface ValidateRequest {
  target: TargetRef;
  template: TemplateSource;
  signal: AbortSignal;
}

export interface ValidateResult {
  parameters: TemplateParameterInfo[];
  /** Capabilities CloudFormation says the template needs (CAPABILITY_IAM, …). */
  requiredCapabilities: string[];
  description?: string;
}
