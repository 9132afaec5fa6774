// The pull tests need a registry to push to and a Docker engine holding busybox:stable: kubesim
// takes them from the environment (KUBESIM_TEST_REGISTRY, and KUBESIM_TEST_DOCKER_HOST or else
// DOCKER_HOST), whoever provides them.
// In this repository the root test setup starts its local stack and sets both. As vitest
// globalSetup this checks they are there and hands them to the tests.
import type { TestProject } from 'vitest/node';
import { inject } from 'vitest';

export interface TestEngine {
  /** host:port of a registry the tests can push to (plain HTTP on loopback). */
  registry: string;
  /** The Docker engine holding busybox:stable. */
  dockerHost: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    kubesimEngine: TestEngine;
  }
}

export default function setup(project: TestProject): void {
  const registry = process.env.KUBESIM_TEST_REGISTRY;
  const dockerHost = process.env.KUBESIM_TEST_DOCKER_HOST ?? process.env.DOCKER_HOST;
  if (!registry || !dockerHost) {
    throw new Error('kubesim tests need KUBESIM_TEST_REGISTRY (a registry to push to) and DOCKER_HOST (an engine holding busybox:stable); from the repository root, `npm run stack -- up` provides both');
  }
  project.provide('kubesimEngine', { registry, dockerHost });
}

export const testEngine = (): TestEngine => inject('kubesimEngine');
