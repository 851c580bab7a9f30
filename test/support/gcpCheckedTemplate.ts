/**
 * The template initialize would give for a blueprint folder, for adapter tests that call stage
 * directly: the folder is read and zipped once, the zip kept under its digest, and the manifest
 * names that digest, as createBlueprintInitializer does.
 */
import type { TemplateSource } from '../../src/providers/provider';
import { listBlueprintFiles } from '../../src/providers/gcp/blueprintFiles';
import { checkBlueprintFiles, checkedBlueprints, digestLine } from '../../src/providers/gcp/checkedBlueprints';

export async function checkedTemplate(folder: string, path = 'infra'): Promise<TemplateSource> {
  const checked = await checkBlueprintFiles(await listBlueprintFiles(folder));
  checkedBlueprints.put(checked);
  const body = `${digestLine(checked.sha256)}\n${checked.files.map((f) => `${f.path}\t${f.size}`).join('\n')}\n`;
  return { path, body, format: 'folder', sizeBytes: Buffer.byteLength(body) };
}
