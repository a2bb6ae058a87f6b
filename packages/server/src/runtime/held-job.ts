import type { ControlIntent, Job } from '@headway/protocol';

/** A job whose handler runs on this node, and what the node knows of its control intent. */
export interface HeldJob {
  job: Job;
  /** This node: the lease holder, which alone acknowledges the job's pause or cancel. */
  leaseOwner: string;
  control: ControlIntent;
  abort: AbortController;
  /** Set when another node took the job (lease lost): this node must not report its end. */
  leaseLost: boolean;
  /** Set when the handler acknowledged a pause at its checkpoint. */
  paused: boolean;
}
