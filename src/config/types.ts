// slipway.yaml after validation and defaults (SPEC section 3).

export interface DependencyConfig {
  image: string;
  arg: string;
}

export interface ImageConfig {
  context: string;
  dockerfile: string;
  target?: string;
  /** Build args; values are strings once loaded (numbers and booleans are written as text). */
  args: Record<string, string | number | boolean>;
  platform: string;
  repo?: string;
  dependencies: DependencyConfig[];
}

export interface DeployConfig {
  chart: string;
  release?: string;
  namespace?: string;
}

export interface SlipwayConfig {
  project: string;
  repo?: string;
  images: Record<string, ImageConfig>;
  deploy: DeployConfig;
}
