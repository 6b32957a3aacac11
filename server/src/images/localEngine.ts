// Exact sizes of images the local (or DOCKER_HOST / docker context) Docker Engine already has.
// Never waits long: a missing socket answers at once, a slow engine within the timeout.
import type Docker from 'dockerode';
import type { SizedImage } from '../analysis/estimate/sizes';

// The endpoint logic (setting, DOCKER_HOST, docker context, TLS, ssh) lives with the build code.
export { engineFor, type EngineOptions } from '../docker/engine';

/** The image's size in the engine, or undefined when the engine does not have it or cannot answer. */
export async function localImageSize(docker: Docker | undefined, name: string): Promise<SizedImage | undefined> {
  if (!docker) return undefined;
  try {
    const info = await docker.getImage(name).inspect();
    return {
      bytes: info.Size,
      compressed: undefined,
      provenance: { origin: 'local-engine', detail: `local Docker Engine: ${name} (${info.Id.slice(7, 19)})`, confidence: 'high' },
    };
  } catch {
    return undefined;
  }
}
