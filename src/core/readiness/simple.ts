// Kinds whose readiness is one field or condition: PVC, Service, CRD, and the generic rule for
// everything else (kstatus: a Ready condition when there is one, else ready once it exists).
import { condition, num, verdict, type Obj, type Readiness } from './types.js';

export function pvcReadiness(pvc: Obj): Readiness {
  const phase = pvc.status?.phase;
  if (phase === 'Bound') return verdict('ready', 'Bound', 'claim is bound', 1, 1);
  if (phase === 'Lost') return verdict('failed', 'Lost', 'the bound volume is lost', 0, 1);
  return verdict('progressing', phase ?? 'Pending', 'waiting for the claim to be bound', 0, 1);
}

export function serviceReadiness(svc: Obj): Readiness {
  if (svc.spec?.type !== 'LoadBalancer') return verdict('ready', 'Exists', 'service exists', 1, 1);
  const ingress = svc.status?.loadBalancer?.ingress as unknown[] | undefined;
  if (ingress?.length) return verdict('ready', 'AddressAssigned', 'load balancer has an address', 1, 1);
  return verdict('progressing', 'NoAddress', 'waiting for the load balancer address', 0, 1);
}

export function crdReadiness(crd: Obj): Readiness {
  if (condition(crd, 'NamesAccepted')?.status === 'False') {
    return verdict('failed', 'NamesNotAccepted', condition(crd, 'NamesAccepted')?.message ?? 'names not accepted', 0, 1);
  }
  if (condition(crd, 'Established')?.status === 'True') return verdict('ready', 'Established', 'CRD is established', 1, 1);
  return verdict('progressing', 'NotEstablished', 'waiting for the CRD to be established', 0, 1);
}

export function genericReadiness(o: Obj): Readiness {
  if (o.status?.observedGeneration !== undefined && num(o.metadata?.generation) > num(o.status.observedGeneration)) {
    return verdict('progressing', 'NotObserved', 'waiting for the controller to observe the change', 0, 1);
  }
  const stalled = condition(o, 'Stalled');
  if (stalled?.status === 'True') return verdict('failed', stalled.reason ?? 'Stalled', stalled.message ?? 'stalled', 0, 1);
  const ready = condition(o, 'Ready');
  if (!ready) return verdict('ready', 'Exists', 'exists', 1, 1);
  if (ready.status === 'True') return verdict('ready', ready.reason ?? 'Ready', ready.message ?? 'ready', 1, 1);
  return verdict('progressing', ready.reason ?? 'NotReady', ready.message ?? 'not ready yet', 0, 1);
}
