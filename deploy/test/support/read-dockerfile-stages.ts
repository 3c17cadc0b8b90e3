import { DockerfileParser, type Env, type Healthcheck } from 'dockerfile-ast';

/** What a build stage ends up with, inherited settings included: what `docker run` of that target would use. */
export interface DockerfileStage {
  name: string;
  /** The stage it starts from, when it builds on an earlier stage. */
  parent?: string;
  /** The external image at the root of its chain, e.g. `node:20.20.2-bookworm-slim`. */
  baseImage: string;
  user: string;
  /** `NONE`, the CMD of the check, or undefined when no stage in the chain declares one. */
  healthcheck?: string;
  cmd?: string[];
  env: Record<string, string>;
  expose: string[];
  /** This stage's own instructions, `KEYWORD arguments`, in order. */
  instructions: string[];
}

/**
 * Reads a multi-stage Dockerfile into its stages with their effective user, health check, command, environment and
 * exposed ports, following `FROM <stage>` chains, so rules can be asserted per build target.
 */
export function readDockerfileStages(content: string): Map<string, DockerfileStage> {
  const stages = new Map<string, DockerfileStage>();
  let current: DockerfileStage | undefined;
  for (const instruction of DockerfileParser.parse(content).getInstructions()) {
    const keyword = instruction.getKeyword();
    const args = instruction.getArgumentsContent() ?? '';
    if (keyword === 'FROM') {
      const [image = '', , alias] = args.split(/\s+/);
      const parent = stages.get(image);
      current = {
        name: alias ?? image,
        ...(parent ? { parent: parent.name } : {}),
        baseImage: parent?.baseImage ?? image,
        user: parent?.user ?? 'root',
        ...(parent?.healthcheck ? { healthcheck: parent.healthcheck } : {}),
        ...(parent?.cmd ? { cmd: parent.cmd } : {}),
        env: { ...parent?.env },
        expose: [...(parent?.expose ?? [])],
        instructions: [],
      };
      stages.set(current.name, current);
      continue;
    }
    if (!current) throw new Error(`${keyword} before any FROM`);
    current.instructions.push(`${keyword} ${args}`);
    if (keyword === 'USER') current.user = args.trim();
    if (keyword === 'CMD') current.cmd = JSON.parse(args) as string[];
    if (keyword === 'EXPOSE') current.expose = args.split(/\s+/);
    if (keyword === 'ENV') for (const property of (instruction as Env).getProperties()) current.env[property.getName()] = property.getValue() ?? '';
    if (keyword === 'HEALTHCHECK') {
      const subcommand = (instruction as Healthcheck).getSubcommand()?.getValue();
      current.healthcheck = subcommand === 'NONE' ? 'NONE' : args.slice(args.indexOf('CMD') + 3).trim();
    }
  }
  return stages;
}
